"""The `news` spider's `-a` arguments: declared, described and validated in one place.

Each description doubles as documentation (README "Spider arguments"); a bad value fails
before the first request, with a message naming the argument and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from crawler.seeds import Source, load_seeds

ARGUMENTS: dict[str, str] = {
    "seeds": "A seeds TOML file or a directory of them (default: the INGEST_SEEDS setting, `seeds/`).",
    "since": "YYYY-MM-DD: skip feed and sitemap entries dated before this day (UTC).",
    "sources": "Comma-separated source names: crawl only these sources from the seeds.",
}


# Arguments that runners add on their own: Scrapyd passes every job's id as `_job`.
RUNNER_ARGUMENTS = frozenset({"_job"})


class ArgumentError(ValueError):
    """A bad `-a` argument; the message names it."""


@dataclass(frozen=True)
class SpiderArguments:
    seeds: Path
    since: datetime | None = None
    sources: tuple[str, ...] = ()

    @classmethod
    def parse(cls, kwargs: dict[str, Any], *, default_seeds: str) -> SpiderArguments:
        unknown = sorted(set(kwargs) - set(ARGUMENTS) - RUNNER_ARGUMENTS)
        if unknown:
            raise ArgumentError(f"-a {unknown[0]}: unknown spider argument (known: {', '.join(sorted(ARGUMENTS))})")
        seeds = Path(str(kwargs.get("seeds") or default_seeds))
        since: datetime | None = None
        if kwargs.get("since"):
            try:
                day = date.fromisoformat(str(kwargs["since"]).strip())
            except ValueError:
                raise ArgumentError(f"-a since={kwargs['since']}: expected a date as YYYY-MM-DD") from None
            since = datetime(day.year, day.month, day.day, tzinfo=UTC)
        sources: tuple[str, ...] = ()
        if kwargs.get("sources"):
            sources = tuple(s.strip() for s in str(kwargs["sources"]).split(",") if s.strip())
            if not sources:
                raise ArgumentError("-a sources: expected comma-separated source names")
        return cls(seeds=seeds, since=since, sources=sources)


def load_configuration(kwargs: dict[str, Any], default_seeds: str) -> tuple[SpiderArguments, list[Source]]:
    """Parse the `-a` arguments and load the seeds they name; raises ArgumentError or SeedsError."""
    arguments = SpiderArguments.parse(kwargs, default_seeds=default_seeds)
    sources = load_seeds(arguments.seeds)
    if arguments.sources:
        missing = sorted(set(arguments.sources) - {s.name for s in sources})
        if missing:
            raise ArgumentError(f"-a sources: no source named {missing[0]!r} in {arguments.seeds}")
        sources = [s for s in sources if s.name in arguments.sources]
    return arguments, sources
