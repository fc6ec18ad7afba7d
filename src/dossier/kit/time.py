"""UTC time helpers and RFC 3339 parsing/formatting as the wire contract wants them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


def utcnow() -> datetime:
    """Naive UTC: every stored timestamp is naive UTC so SQLite and PostgreSQL compare alike."""
    return datetime.now(UTC).replace(tzinfo=None)


def parse_rfc3339(value: str) -> datetime:
    """Parse an RFC 3339 date-time into naive UTC; ValueError if it is not one."""
    if not _RFC3339.match(value):
        raise ValueError(value)
    text = value.replace("z", "Z").replace("t", "T")
    if text[10] == " ":
        text = text[:10] + "T" + text[11:]
    # fromisoformat accepts at most microseconds; RFC 3339 allows more digits.
    match = re.match(r"^(.*?\.\d{6})\d+(.*)$", text)
    if match:
        text = match.group(1) + match.group(2)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    try:
        return parsed.astimezone(UTC).replace(tzinfo=None)
    except OverflowError as exc:  # an offset that moves 0001-01-01 or 9999-12-31 out of range
        raise ValueError(value) from exc


def format_rfc3339(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    text = value.isoformat(timespec="microseconds") if value.microsecond else value.isoformat()
    return text + "Z"
