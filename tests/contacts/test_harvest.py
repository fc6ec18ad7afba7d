"""What one crawl's pages teach the people index (contacts/harvest.py), read from real documents: a person
named by their initial on one page and in full on another of the same company's pages is one person when only
one fits."""

from __future__ import annotations

from dossier.contacts.harvest import people_of
from dossier.research.analysis import Analysis
from dossier.research.document import Document, build_document, visible_text

HOME = """<html><head><title>Larkspur Tools</title></head><body><nav><a href="/">Home</a>
<a href="/team/">Team</a><a href="/blog/">Blog</a></nav><h1>Garden tools that last</h1></body></html>"""

TEAM = """<html><head><title>Team | Larkspur Tools</title></head><body><h1>Our team</h1>
<h3>Jane Smith</h3><p>Head of Sales</p>
<h3>Oliver Okafor</h3><p>Chief Technology Officer</p>
<h3>Olga Okafor</h3><p>Product Designer</p>
<h3>Peter Novak</h3><p>Support Engineer</p>
</body></html>"""

POST = """<html><head><title>{title} | Larkspur Tools</title></head><body><article><h1>{title}</h1>
<p>By {author} · 3 March 2025</p><p>We sharpened every blade by hand this spring.</p></article></body></html>"""


def _doc(url: str, html: str) -> Document:
    title, text = visible_text(html)
    return build_document(url=url, snapshot_id=url, kind="page", body=html, text=text, title=title, headers={})


def _site(domain: str, pages: dict[str, str]) -> Analysis:
    return Analysis(domain, [_doc(f"https://{domain}{path}", html) for path, html in pages.items()])


def test_an_initial_and_a_full_name_of_one_company_are_one_person_when_only_one_fits():
    analysis = _site(
        "larkspur.test",
        {
            "/": HOME,
            "/team/": TEAM,
            "/blog/pruning/": POST.format(title="Pruning season", author="J. Smith"),
            "/blog/soil/": POST.format(title="Soil first", author="O. Okafor"),
        },
    )
    _, people = people_of(analysis, "larkspur.test")
    by_name = {p.full_name: p for p in people}
    jane = by_name["Jane Smith"]
    assert "J. Smith" not in by_name
    assert [(r.relation, r.title) for r in jane.roles] == [("employee", "Head of Sales"), ("author", None)]
    author = jane.roles[1]
    assert [s.url for s in author.sources] == ["https://larkspur.test/blog/pruning/"]
    assert any(s.quote.startswith("By J. Smith") for s in jane.sources)
    # Two Okafors start with O: which one wrote the post is not known, so the byline stays its own person.
    assert [r.relation for r in by_name["O. Okafor"].roles] == ["author"]
    assert [r.relation for r in by_name["Oliver Okafor"].roles] == ["employee"]
    assert [r.relation for r in by_name["Olga Okafor"].roles] == ["employee"]


def test_initials_never_merge_across_companies():
    # Jane Smith works at Larkspur; "J. Smith" writes for another company's blog: a different record there.
    other = _site(
        "fernhill.test",
        {"/": HOME.replace("Larkspur", "Fernhill"), "/blog/pruning/": POST.format(title="Pruning", author="J. Smith")},
    )
    _, people = people_of(other, "fernhill.test")
    assert [p.full_name for p in people] == ["J. Smith"]
    assert people[0].company.domain == "fernhill.test"


def test_a_second_full_name_with_the_initial_keeps_them_apart():
    team = TEAM.replace("<h3>Peter Novak</h3>", "<h3>Julia Smith</h3><p>Field Engineer</p><h3>Peter Novak</h3>")
    analysis = _site(
        "larkspur.test",
        {"/": HOME, "/team/": team, "/blog/pruning/": POST.format(title="Pruning season", author="J. Smith")},
    )
    _, people = people_of(analysis, "larkspur.test")
    names = {p.full_name for p in people}
    assert {"Jane Smith", "Julia Smith", "J. Smith"} <= names
