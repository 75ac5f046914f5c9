from __future__ import annotations

from pathlib import Path

import pytest

from crawler.seeds import SeedsError, load_seeds

GOOD = """
# A comment
[[source]]
name = "a"
feeds = ["https://a.example/feed.xml"]
language = "DE"
timezone = "Europe/Berlin"

[[source]]
name = "b"
sitemaps = ["http://b.example/sitemap.xml"]
allowed_domains = ["B.example"]
"""


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_sources(tmp_path: Path) -> None:
    sources = load_seeds(write(tmp_path, GOOD))
    assert [s.name for s in sources] == ["a", "b"]
    assert sources[0].feeds == ("https://a.example/feed.xml",)
    assert sources[0].language == "de"
    assert sources[0].timezone == "Europe/Berlin"
    assert sources[1].sitemaps == ("http://b.example/sitemap.xml",)
    assert sources[1].allowed_domains == ("b.example",)


def test_directory_reads_every_toml_file_in_order(tmp_path: Path) -> None:
    write(tmp_path, '[[source]]\nname = "z"\nfeeds = ["https://z.example/f"]\n', "2.toml")
    write(tmp_path, '[[source]]\nname = "y"\nfeeds = ["https://y.example/f"]\n', "1.toml")
    (tmp_path / "notes.txt").write_text("not seeds")
    assert [s.name for s in load_seeds(tmp_path)] == ["y", "z"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[source]\nname='x'", "invalid TOML"),
        ('[[source]]\nfeeds = ["https://x.example/f"]\n', "source #1: key 'name': required"),
        ('[[source]]\nname = ""\nfeeds = ["https://x.example/f"]\n', "source #1: key 'name': required"),
        ('[[source]]\nname = "x"\nfeeds = ["https://x.example/f"]\nfeed = []\n', "source 'x': key 'feed': unknown key"),
        (
            '[[source]]\nname = "x"\nfeeds = ["ftp://x.example/f"]\n',
            "source 'x': key 'feeds': 'ftp://x.example/f': not an http(s) URL",
        ),
        (
            '[[source]]\nname = "x"\nsitemaps = ["file:///etc/passwd"]\n',
            "source 'x': key 'sitemaps': 'file:///etc/passwd': not an http(s) URL",
        ),
        ('[[source]]\nname = "x"\nfeeds = ["https://"]\n', "source 'x': key 'feeds': 'https://': URL has no host"),
        ('[[source]]\nname = "x"\nfeeds = [1]\n', "source 'x': key 'feeds': must be a list of URL strings"),
        ('[[source]]\nname = "x"\n', "source 'x': key 'feeds': a source needs at least one feed, sitemap or page URL"),
        ('[[source]]\nname = "x"\npages = ["https://x.example/"]\nlanguages = ["german"]\n', "source 'x': key 'languages': must be a list of language codes such as [\"de\", \"fr\"]"),
        ('[[source]]\nname = "x"\npages = ["ftp://x.example/"]\n', "source 'x': key 'pages': 'ftp://x.example/': not an http(s) URL (scheme 'ftp')"),
        ('[[source]]\nname = "x"\nfeeds = ["https://x.example/f"]\nlanguage = 3\n', "source 'x': key 'language'"),
        (
            '[[source]]\nname = "x"\nfeeds = ["https://x.example/f"]\ntimezone = "Mars/Base"\n',
            "source 'x': key 'timezone': unknown time zone",
        ),
        (
            '[[source]]\nname = "x"\nfeeds = ["https://x.example/f"]\nallowed_domains = "x"\n',
            "source 'x': key 'allowed_domains'",
        ),
        ('name = "x"\n', "key 'name': unknown top-level key"),
        ("source = 3\n", "key 'source': must be an array of tables"),
        (
            '[[source]]\nname = "x"\nfeeds = ["https://x.example/f"]\n[[source]]\nname = "x"\nfeeds = ["https://y.example/f"]\n',
            "source 'x': key 'name': duplicate source name",
        ),
    ],
)
def test_bad_seeds_name_file_source_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SeedsError) as error:
        load_seeds(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_duplicate_across_files_names_both(tmp_path: Path) -> None:
    first = write(tmp_path, '[[source]]\nname = "x"\nfeeds = ["https://x.example/f"]\n', "a.toml")
    second = write(tmp_path, '[[source]]\nname = "x"\nfeeds = ["https://x.example/g"]\n', "b.toml")
    with pytest.raises(SeedsError, match="duplicate source name") as error:
        load_seeds(tmp_path)
    assert str(second) in str(error.value) and str(first) in str(error.value)


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(SeedsError, match="no such seeds file"):
        load_seeds(tmp_path / "nope.toml")
    with pytest.raises(SeedsError, match=r"no \*.toml seeds files"):
        load_seeds(tmp_path)


def test_shipped_seeds_are_valid() -> None:
    sources = load_seeds(Path(__file__).parents[1] / "seeds")
    assert sources, "seeds/ ships at least one source"
