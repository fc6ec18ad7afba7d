"""UTC time helpers and RFC 3339 parsing/formatting as the wire contract wants them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

# RFC 3339: any number of fraction digits; time-numoffset hours 00-23, minutes 00-59 (fromisoformat alone
# takes "+05:60").
_RFC3339 = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)", re.ASCII
)
_TICK = timedelta(microseconds=1)
_SECOND = timedelta(seconds=1)


def utcnow() -> datetime:
    """Naive UTC: every stored timestamp is naive UTC so SQLite and PostgreSQL compare alike."""
    return datetime.now(UTC).replace(tzinfo=None)


def parse_rfc3339(value: str, *, round_up: bool = False) -> datetime:
    """Parse an RFC 3339 date-time into naive UTC; ValueError if it is not one.

    Stored times hold microseconds; RFC 3339 allows any number of digits. Those are dropped, or with `round_up` a
    time between two microseconds becomes the later one: an inclusive lower bound of 10:00:00.0000005
    must not take in what completed at 10:00:00.000000, and an inclusive upper bound (dropped) must not
    leave out what completed then.
    """
    parsed, between = parse_rfc3339_truncated(value)
    return next_microsecond(parsed) if round_up and between else parsed


def parse_rfc3339_truncated(value: str) -> tuple[datetime, bool]:
    """The date-time to the microsecond, and whether digits past the microsecond were dropped."""
    match = _RFC3339.fullmatch(value)
    if match is None:
        raise ValueError(value)
    day, clock, second, fraction, offset = match.groups()
    # A leap second (23:59:60) is read as POSIX time has it: the first second of the next minute.
    leap = second == "60"
    text = f"{day}T{clock}:{'59' if leap else second}"
    between = False
    if fraction:
        text += "." + fraction[:6].ljust(6, "0")
        between = fraction[6:].strip("0") != ""
    try:
        if offset in ("Z", "z"):
            parsed = datetime.fromisoformat(text)
        else:
            parsed = datetime.fromisoformat(text + offset).astimezone(UTC).replace(tzinfo=None)
        if leap:
            parsed += _SECOND
    except OverflowError as exc:  # an offset or a leap second that moves 0001-01-01 or 9999-12-31 out of range
        raise ValueError(value) from exc
    return parsed, between


def next_microsecond(value: datetime) -> datetime:
    try:
        return value + _TICK
    except OverflowError:
        # After the last representable microsecond: nothing is stored there (completion times come from the
        # clock), so the last one bounds the same.
        return datetime.max


def format_rfc3339(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    text = value.isoformat(timespec="microseconds") if value.microsecond else value.isoformat()
    return text + "Z"
