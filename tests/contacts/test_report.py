"""Dates as contact research reads them (contacts/report.py); the report itself is tested end to end in
test_research.py."""

from __future__ import annotations

from dossier.contacts.report import build, parse_date
from dossier.research.analysis import Analysis
from dossier.research.analyze.names import PersonName, fold
from dossier.research.document import Document, build_document, visible_text


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


TEAM = """<html><head><title>Team | Marlowe Systems</title></head><body><h1>The team</h1>
<div class="card"><h3>Jane Doe</h3><p>VP of Sales</p>
<p>Jane runs the sales team across Europe. Previously, she was Account Director at Harrow. She also owns the
partner programme.</p></div>
<div class="card"><h3>Amara</h3><p>Events</p><p>She runs the weekend hackathons.</p></div>
<div class="card"><h3>Tom Becker</h3><p>Head of Support</p><p>Tom manages the support desk.</p></div>
</body></html>"""

ABOUT = """<html><head><title>About | Marlowe Systems</title></head><body><h1>About us</h1>
<p>Jane Doe founded the Leeds office in 2019. Jane Doe's deputy Priya Nair oversees the sales operations.</p>
<p>Working beside her, Priya Nair leads the renewals desk. She also manages the reseller contracts.</p>
<p>Jane Doe, our VP of Sales, is responsible for the pricing committee. At Marlowe she will lead the expansion
into Spain.</p>
</body></html>"""


def _company(pages: dict[str, str]) -> Analysis:
    docs = []
    for path, html in pages.items():
        title, text = visible_text(html)
        url = f"https://marlowe-systems.test{path}"
        docs.append(build_document(url=url, snapshot_id=url, kind="page", body=html, text=text, title=title,
                                   headers={}))  # fmt: skip
    return Analysis("marlowe-systems.test", docs)


def test_responsibilities_are_the_persons_own_not_a_neighbours():
    """Only a sentence whose subject is the person: their name, a pronoun continuing a sentence about them, a
    sentence of their own bio. Not a neighbour's card after theirs (even one named by a first name alone), a
    sentence that names them but is about someone else, or a pronoun continuing someone else's sentence."""
    analysis = _company({"/team/": TEAM, "/about/": ABOUT})
    report = build(PersonName("Jane", "Doe"), "Marlowe Systems", "marlowe-systems.test", analysis, [], None, [])
    assert report.research is not None
    assert report.research["responsibilities"] == [
        "the sales team across Europe",
        "the partner programme",
        "the pricing committee",
        "the expansion into Spain",
    ]
    quotes = [e["quote"] for e in report.research["evidence"] if e["field"] == "responsibilities"]
    assert quotes[1].startswith("She also owns the") and quotes[3].startswith("At Marlowe she will lead")
    # Priya's are hers; asked about her, the report has them, and none of Jane's.
    priya = build(PersonName("Priya", "Nair"), "Marlowe Systems", "marlowe-systems.test", analysis, [], None, [])
    assert priya.research is not None
    assert priya.research["responsibilities"] == [
        "the sales operations",
        "the renewals desk",
        "the reseller contracts",
    ]
