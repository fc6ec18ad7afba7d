"""Dates as contact research reads them (contacts/report.py); the report itself is tested end to end in
test_research.py."""

from __future__ import annotations

from dossier.contacts.report import parse_date


def test_dates_in_the_forms_pages_write_them():
    assert parse_date("Leeds, 3 March 2025") == "2025-03-03"
    assert parse_date("By Noah Brandt, Staff Engineer · 14 August 2025") == "2025-08-14"
    assert parse_date("Posted March 3rd, 2025") == "2025-03-03"
    assert parse_date("2025-09-02T09:00:00Z") == "2025-09-02"
    assert parse_date("Sept. 9, 2024") == "2024-09-09"
    assert parse_date("founded in 2016") is None and parse_date("32 March 2025") is None
