"""Dates as contact research reads them (contacts/report.py); the report itself is tested end to end in
test_research.py."""

from __future__ import annotations

from dossier.contacts.report import build, parse_date
from dossier.research.analyze.names import PersonName, fold
from dossier.research.document import Document


def test_dates_in_the_forms_pages_write_them():
    assert parse_date("Leeds, 3 March 2025") == "2025-03-03"
    assert parse_date("By Noah Brandt, Staff Engineer · 14 August 2025") == "2025-08-14"
    assert parse_date("Posted March 3rd, 2025") == "2025-03-03"
    assert parse_date("2025-09-02T09:00:00Z") == "2025-09-02"
    assert parse_date("Sept. 9, 2024") == "2024-09-09"
    assert parse_date("founded in 2016") is None and parse_date("32 March 2025") is None


def _profile(text: str) -> Document:
    return Document(url="https://richardbaum.test/", snapshot_id="snap_1", kind="html", title="Richard Baum",
                    text=text)  # fmt: skip


def test_a_middle_initial_or_title_abbreviation_ends_no_sentence():
    """The quote behind a statement names its person: "Richard E. Baum heads …" is not cut after "E.", which left
    "Baum heads …" (a quote naming nobody in full) and, on a card, "Baum, Head of Operations"."""
    text = (
        "Richard E. Baum\n"
        "Richard E. Baum heads the finance team at Marlowe Systems. Before that he was Sr. Accountant at Harrow.\n"
    )
    report = build(PersonName("Richard", "Baum"), "Marlowe Systems", "marlowe-systems.test", None,
                   [_profile(text)], None, [])  # fmt: skip
    assert report.research is not None
    assert report.research["responsibilities"] == ["the finance team at Marlowe Systems"]
    assert [b["company"] for b in report.research["background"]] == ["Harrow"]
    said = {e["field"]: e["quote"] for e in report.research["evidence"]}
    assert PersonName("Richard", "Baum").named_in(fold(said["responsibilities"]))
    assert said["background"] == "Before that he was Sr. Accountant at Harrow."


def test_a_head_of_title_is_no_responsibility():
    """ "Head of Operations" is a title; "heads" in a sentence is the verb a responsibility is read from."""
    text = "Richard Baum, Head of Operations at Marlowe Systems\nRichard Baum Leads Nothing Here\n"
    report = build(PersonName("Richard", "Baum"), "Marlowe Systems", "marlowe-systems.test", None,
                   [_profile(text)], None, [])  # fmt: skip
    assert report.research is not None
    assert report.research["responsibilities"] == []
