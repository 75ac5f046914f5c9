"""Timestamps as the archive stores them: ISO 8601 text in UTC, whole seconds, so that it sorts in time order."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_stored(value: str | None) -> datetime | None:
    """An aware UTC datetime from a stored ISO 8601 string (naive ones are UTC); None for none or garbage."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def to_stored(moment: datetime | None) -> str | None:
    """The stored form of a moment: UTC, whole seconds ("2023-09-15T08:12:00+00:00"); naive ones are UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()
