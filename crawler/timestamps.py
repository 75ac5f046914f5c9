"""Read back the ISO 8601 timestamps the archive stores."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_stored(value: str | None) -> datetime | None:
    """An aware datetime from a stored ISO 8601 string (naive ones are UTC); None for none or garbage."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
