"""Load and validate the sources in ``seeds/*.toml``.

Every problem is reported before the first request, as one message that names the file,
the source and the key, so a scheduled run fails loudly instead of crawling half its list.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

KNOWN_KEYS = frozenset(
    {"name", "feeds", "sitemaps", "pages", "language", "languages", "allowed_domains", "timezone"}
)
URL_LIST_KEYS = ("feeds", "sitemaps", "pages")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")


class SeedsError(ValueError):
    """A seeds file (or directory) that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Source:
    name: str
    file: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    # HTML home and section pages whose article links are followed, polled like feeds.
    pages: tuple[str, ...] = ()
    language: str | None = None
    # Keep only articles in these languages (decided from the page and the feed); empty: all.
    languages: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    timezone: str | None = None


def primary(code: str | None) -> str | None:
    """The primary subtag of a language code: "de-AT" -> "de"."""
    return code.split("-", 1)[0].split("_", 1)[0].strip().lower() if code else None


def seed_files(path: Path) -> list[Path]:
    """The TOML files a ``seeds`` argument names: one file, or every ``*.toml`` in a directory."""
    if path.is_dir():
        files = sorted(p for p in path.glob("*.toml") if p.is_file())
        if not files:
            raise SeedsError(f"{path}: no *.toml seeds files in this directory")
        return files
    if path.is_file():
        return [path]
    raise SeedsError(f"{path}: no such seeds file or directory")


def load_seeds(path: Path | str) -> list[Source]:
    """All sources from a seeds file or directory, validated; raises SeedsError on the first problem."""
    sources: list[Source] = []
    seen: dict[str, str] = {}
    for file in seed_files(Path(path)):
        for source in load_seeds_file(file):
            if source.name in seen:
                raise SeedsError(
                    f"{file}: source {source.name!r}: key 'name': duplicate source name "
                    f"(already defined in {seen[source.name]})"
                )
            seen[source.name] = str(file)
            sources.append(source)
    return sources


def load_seeds_file(file: Path) -> list[Source]:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SeedsError(f"{file}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedsError(f"{file}: cannot read: {exc}") from None
    unknown_top = sorted(set(data) - {"source"})
    if unknown_top:
        raise SeedsError(f"{file}: key {unknown_top[0]!r}: unknown top-level key (expected [[source]] tables)")
    tables = data.get("source", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise SeedsError(f"{file}: key 'source': must be an array of tables, written [[source]]")
    return [_source(file, index, table) for index, table in enumerate(tables, start=1)]


def _source(file: Path, index: int, table: dict[str, Any]) -> Source:
    name = table.get("name")
    where = f"{file}: source #{index}"
    if not isinstance(name, str) or not name.strip():
        raise SeedsError(f"{where}: key 'name': required, a non-empty string")
    where = f"{file}: source {name!r}"
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise SeedsError(f"{where}: key {unknown[0]!r}: unknown key (known keys: {', '.join(sorted(KNOWN_KEYS))})")
    urls: dict[str, tuple[str, ...]] = {}
    for key in URL_LIST_KEYS:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SeedsError(f"{where}: key {key!r}: must be a list of URL strings")
        for url in value:
            problem = _url_problem(url)
            if problem:
                raise SeedsError(f"{where}: key {key!r}: {url!r}: {problem}")
        urls[key] = tuple(v.strip() for v in value)
    if not urls["feeds"] and not urls["sitemaps"] and not urls["pages"]:
        raise SeedsError(f"{where}: key 'feeds': a source needs at least one feed, sitemap or page URL")
    language = table.get("language")
    if language is not None and (not isinstance(language, str) or not language.strip()):
        raise SeedsError(f"{where}: key 'language': must be a language code such as \"de\"")
    domains = table.get("allowed_domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) and d for d in domains):
        raise SeedsError(f"{where}: key 'allowed_domains': must be a list of host names")
    timezone = table.get("timezone")
    if timezone is not None:
        timezone = _checked_timezone(where, timezone)
    languages = table.get("languages", [])
    if not isinstance(languages, list) or not all(
        isinstance(code, str) and LANGUAGE_CODE.fullmatch(code.strip().lower()) for code in languages
    ):
        raise SeedsError(f"{where}: key 'languages': must be a list of language codes such as [\"de\", \"fr\"]")
    return Source(
        name=name.strip(),
        file=str(file),
        feeds=urls["feeds"],
        sitemaps=urls["sitemaps"],
        pages=urls["pages"],
        languages=tuple(primary(code) or code for code in languages),
        language=language.strip().lower() if isinstance(language, str) else None,
        allowed_domains=tuple(d.strip().lower() for d in domains),
        timezone=timezone,
    )


def _url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:  # "http://[::1" and the like
        return f"not a valid URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return f"not an http(s) URL (scheme {parts.scheme or 'missing'!r})"
    if not parts.hostname:
        return "URL has no host"
    return None


def _checked_timezone(where: str, value: object) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(value, str):
        raise SeedsError(f"{where}: key 'timezone': must be an IANA zone name such as \"Europe/Berlin\"")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        raise SeedsError(f"{where}: key 'timezone': unknown time zone {value!r}") from None
    return value
