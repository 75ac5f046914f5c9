"""`scrapy crawl news` exit statuses, and their messages in LOG_FILE as well as on the terminal."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_crawl, write_seeds
from tests.e2e.test_scrapyd import free_port
from tests.mockserver import MockServer
from tests.sitegen import generate_site


def two_sources(tmp_path: Path, server: MockServer, template: Path) -> Path:
    seeds = write_seeds(tmp_path / "seeds.toml", server, template)
    with seeds.open("a", encoding="utf-8") as out:
        out.write(f'\n[[source]]\nname = "gone"\nfeeds = ["{server.url}/gone/feed.rss"]\n')
    return seeds


def test_some_sources_unreached_exit_3_named_last_and_in_the_log_file(tmp_path: Path) -> None:
    template = generate_site(tmp_path / "site", 3)
    log_file = tmp_path / "crawl.log"
    with MockServer(root=tmp_path / "site") as server:
        seeds = two_sources(tmp_path, server, template)
        result = run_crawl(seeds, tmp_path / "news.db", "-s", f"LOG_FILE={log_file}")
    assert result.returncode == 3, result.log
    last = log_file.read_text(encoding="utf-8").strip().splitlines()[-1]
    assert last.endswith("ERROR: 1 source(s) failed all their listings (gone): exit status 3")


def test_nothing_reached_exit_4(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(
        f'[[source]]\nname = "a"\nfeeds = ["{dead}/a.rss"]\n[[source]]\nname = "b"\nsitemaps = ["{dead}/b.xml"]\n',
        encoding="utf-8",
    )
    result = run_crawl(seeds, tmp_path / "news.db")
    assert result.returncode == 4, result.log
    assert result.log.strip().splitlines()[-1].endswith(
        "ERROR: No listing of any source could be fetched (a, b): exit status 4"
    )
    table = result.log[result.log.index("Per source:") :]
    # Both listings declined (robots.txt unreachable: host deferred) show as "not fetched".
    assert table.splitlines()[2].split() == ["a", "0", "0", "0", "0", "1", "0", "0"], table


def test_every_source_reached_exit_0(tmp_path: Path) -> None:
    template = generate_site(tmp_path / "site", 2)
    with MockServer(root=tmp_path / "site") as server:
        seeds = write_seeds(tmp_path / "seeds.toml", server, template)
        result = run_crawl(seeds, tmp_path / "news.db")
    assert result.returncode == 0, result.log
    assert "exit status" not in result.log


def test_bad_seeds_exit_2_and_the_message_reaches_the_log_file(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds.toml"
    seeds.write_text('[[source]]\nname = "x"\nfeeds = "not a list"\n', encoding="utf-8")
    log_file = tmp_path / "crawl.log"
    result = run_crawl(seeds, tmp_path / "news.db", "-s", f"LOG_FILE={log_file}")
    assert result.returncode == 2, result.log
    logged = log_file.read_text(encoding="utf-8")
    assert "ERROR: Cannot start the crawl:" in logged and "seeds.toml" in logged and "feeds" in logged
    assert "Cannot start the crawl:" in result.log  # stderr too, for whoever ran it
