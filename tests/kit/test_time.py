from __future__ import annotations

from datetime import datetime

import pytest

from dossier.kit.time import format_rfc3339, parse_rfc3339


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10)),
        ("2024-05-01t10:00:00z", datetime(2024, 5, 1, 10)),
        ("2024-05-01 10:00:00Z", datetime(2024, 5, 1, 10)),
        ("2024-05-01T12:30:00+02:30", datetime(2024, 5, 1, 10)),
        ("2024-05-01T00:30:00-01:00", datetime(2024, 5, 1, 1, 30)),
        ("2024-05-02T09:59:00+23:59", datetime(2024, 5, 1, 10, 0)),
        ("2024-05-01T10:00:00.5Z", datetime(2024, 5, 1, 10, 0, 0, 500000)),
        ("2024-05-01T10:00:00.123456Z", datetime(2024, 5, 1, 10, 0, 0, 123456)),
        # Past microseconds the digits are dropped (what an inclusive upper bound needs).
        ("2024-05-01T10:00:00.1234569Z", datetime(2024, 5, 1, 10, 0, 0, 123456)),
        ("2024-05-01T10:00:00.12345678901234567890Z", datetime(2024, 5, 1, 10, 0, 0, 123456)),
        # A leap second is the first second of the next minute, as in POSIX time.
        ("2016-12-31T23:59:60Z", datetime(2017, 1, 1)),
        ("2016-12-31T23:59:60.5Z", datetime(2017, 1, 1, 0, 0, 0, 500000)),
        ("2017-01-01T00:59:60+01:00", datetime(2017, 1, 1)),
        ("0001-01-01T00:00:00Z", datetime(1, 1, 1)),
        ("9999-12-31T23:59:59.999999999Z", datetime.max),
    ],
)
def test_parse_rfc3339_reads_naive_utc(text, expected):
    assert parse_rfc3339(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Between two microseconds: the later one, so an inclusive lower bound leaves out the earlier.
        ("2024-05-01T10:00:00.0000001Z", datetime(2024, 5, 1, 10, 0, 0, 1)),
        ("2024-05-01T10:00:00.123456001Z", datetime(2024, 5, 1, 10, 0, 0, 123457)),
        ("2024-05-01T10:00:00.999999500Z", datetime(2024, 5, 1, 10, 0, 1)),
        ("2024-05-01T10:00:00.00000000000000000001Z", datetime(2024, 5, 1, 10, 0, 0, 1)),
        ("2016-12-31T23:59:60.0000001Z", datetime(2017, 1, 1, 0, 0, 0, 1)),
        ("2024-05-01T12:00:00.0000001+02:00", datetime(2024, 5, 1, 10, 0, 0, 1)),
        # On a microsecond (trailing zeros): unchanged.
        ("2024-05-01T10:00:00.123456000Z", datetime(2024, 5, 1, 10, 0, 0, 123456)),
        ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10)),
        # After the last representable microsecond there is nothing stored: the last one bounds the same.
        ("9999-12-31T23:59:59.9999991Z", datetime.max),
    ],
)
def test_parse_rfc3339_rounds_up_between_microseconds_when_asked(text, expected):
    assert parse_rfc3339(text, round_up=True) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "2024-05-01",
        "2024-05-01T10:00:00",  # no offset
        "2024-05-01T10:00Z",
        "2024-02-30T10:00:00Z",
        "2024-05-01T24:00:00Z",
        "2024-05-01T23:59:61Z",
        "9999-12-31T23:59:60Z",  # the leap second would be after the last representable time
        "2024-05-01T10:00:00.Z",
        "2024-05-01T10:00:00+24:00",
        "2024-05-01T10:00:00+0200",
        "2024-05-01T10:00:00+05:60",  # offset minutes stop at 59
        "2024-05-01T10:00:00-24:00",
        "2024-05-01T10:00:00Z\n",
        " 2024-05-01T10:00:00Z",
        "0001-01-01T00:00:00+01:00",  # before the first representable time once in UTC
        "9999-12-31T23:00:00-01:00",  # after the last
        "\uff12\uff10\uff12\uff14-05-01T10:00:00Z",  # fullwidth digits are not ASCII digits
    ],
)
def test_parse_rfc3339_refuses_what_is_not_one(text):
    with pytest.raises(ValueError):
        parse_rfc3339(text)


def test_format_rfc3339_shows_microseconds_only_when_there_are_some():
    assert format_rfc3339(datetime(2024, 5, 1, 10)) == "2024-05-01T10:00:00Z"
    assert format_rfc3339(datetime(2024, 5, 1, 10, 0, 0, 120000)) == "2024-05-01T10:00:00.120000Z"
    assert format_rfc3339(None) is None
