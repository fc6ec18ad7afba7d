"""Job postings read off careers pages: each posting once, whether listed or on its own page."""

from __future__ import annotations

from dossier.research.analyze.jobs import jobs
from dossier.research.document import Document, build_document, visible_text


def _doc(url: str, html: str) -> Document:
    title, text = visible_text(html)
    return build_document(url=url, snapshot_id=url, kind="page", body=html, text=text, title=title, headers={})


LISTING = """<html><head><title>Careers | Acme</title></head><body><h1>Join us</h1>
<ul><li>Data Platform Engineer</li><li>Senior Support Engineer</li><li>Executive Assistant</li></ul>
<p>We are a small team of engineers who love developer tools.</p></body></html>"""

POSTING = """<html><head><title>Senior Support Engineer | Acme</title></head><body>
<h1>Senior Support Engineer</h1><p>Role: Support Engineer</p><p>Experience level: Senior, Lead</p>
<h2>What you will do</h2><ul><li>Developer tooling</li><li>Talk to the Engineering Manager weekly</li></ul>
</body></html>"""


def test_a_posting_listed_and_on_its_own_page_counts_once_and_its_page_adds_no_roles():
    found = jobs(
        [_doc("https://acme.test/careers/", LISTING), _doc("https://acme.test/careers/senior-support/", POSTING)]
    )
    assert [f.value["title"] for f in found] == [
        "Data Platform Engineer",
        "Senior Support Engineer",
        "Executive Assistant",
    ]
    for f in found:
        assert f.quote in f.doc.text
