"""Sections of a page: a card whose fields are marked up as sibling headings stays together."""

from __future__ import annotations

from dossier.research.document import build_document, visible_text
from dossier.research.index import page_key, sections_of, site_of
from dossier.research.read.values import values

PRICING = """<html><head><title>Pricing | Acme</title></head><body>
<h1>Pricing</h1><p>Acme comes in three editions.</p>
<h3>Community</h3><h3>Free</h3><ul><li>Basic APIs</li></ul>
<h3>Pro</h3><h3><span>$35</span></h3><h3>per user per month</h3><ul><li>Everything in Community</li></ul>
<h2>Features</h2><h3>Storage</h3><p>Five gigabytes per seat.</p>
</body></html>"""


def _sections():  # type: ignore[no-untyped-def]
    title, text = visible_text(PRICING)
    doc = build_document(
        url="https://acme.test/pricing/", snapshot_id="s", kind="page", body=PRICING, text=text, title=title, headers={}
    )
    return sections_of(doc, set())


def test_card_fields_marked_up_as_headings_open_the_section_with_content():
    by_heading = {s.headings: s.lines for s in _sections()}
    assert by_heading[("Pricing", "per user per month")][:4] == [
        "Pro",
        "$35",
        "per user per month",
        "Everything in Community",
    ]
    assert by_heading[("Pricing", "Free")][:3] == ["Community", "Free", "Basic APIs"]
    # An empty parent heading over its child is structure, not a card: it stays in the heading path only.
    assert by_heading[("Pricing", "Features", "Storage")] == ["Five gigabytes per seat."]


def test_a_card_price_reads_its_period_from_the_next_field():
    lines = {s.headings: s.lines for s in _sections()}[("Pricing", "per user per month")]
    (price,) = values(f"{lines[1]} {lines[2]}")
    assert price.value == 35 and price.period == "month"


def test_code_samples_are_not_indexed_as_what_the_site_says():
    from dossier.research.index import SectionIndex, code_like

    for code in (
        '[ { "id": 1, "city": "London", "color": "green" } ]',
        # a long JSON body: few braces for its length, but every key quoted
        '[ { "id": 1, "city": "London", "color": "green" }, { "id": 3, "city": "London", "color": "blue" }, '
        '{ "id": 5, "city": "Moscow", "color": "green" }, { "id": 6, "city": "Moscow", "color": "blue" } ]',
        'client.scroll(collection_name="{collection_name}", limit=10)',
        'const std = @import("std"); pub fn main() void {}',
        "POST /collections/{collection_name}/points/scroll",
        "pip install fastapi uvicorn",
        "SELECT * FROM shell_history;",
    ):
        assert code_like(code), code
    for prose in (
        'He said "hello": a greeting, and the "Pro" plan: unlimited seats.',
        "Qdrant was founded in 2021 in Berlin by Andre Zayarni and Andrey Vasnestov.",
        "Chargé(e) de déploiement expérimenté(e) (au moins 3 ans d’expérience)",
        "[x] Edge: Vercel, Cloudflare, ...",
        "Emma [it/its] announces the release",
        "Pricing | $29 per month | Unlimited seats",
    ):
        assert not code_like(prose), prose
    html = """<html><head><title>Docs</title></head><body><h1>Filtering</h1>
    <p>Filter points by payload.</p><pre>[ { "id": 1, "city": "London", "color": "green" } ]</pre>
    <h1>About</h1><p>The company is based in Berlin.</p></body></html>"""
    title, text = visible_text(html)
    doc = build_document(
        url="https://x.test/docs/", snapshot_id="s", kind="page", body=html, text=text, title=title, headers={}
    )
    index = SectionIndex([doc])
    assert all("London" not in line for s in index.sections for line in s.lines)
    assert index.score({"city": 1.0}) == []


def test_a_urls_site_is_its_lowercased_host_without_www_and_a_page_key_builds_on_it():
    assert site_of("https://WWW.Acme.test:8443/About?x=1#team") == "acme.test"
    assert site_of("http://blog.acme.test/") == "blog.acme.test"  # only a leading "www." is the same site
    assert site_of("https://wwwacme.test/") == "wwwacme.test"
    assert site_of("/relative/path") == site_of("") == ""
    assert page_key("http://www.acme.test/about/") == page_key("https://acme.test/about") == "acme.test/about"
    assert page_key("https://acme.test") == "acme.test/"


def test_a_line_labelled_by_a_query_term_lifts_its_long_section_over_a_passing_mention() -> None:
    from dossier.research.index import SectionIndex, line_label

    assert line_label("Users: Pigment, Frontify, Alphawatch") == "Users"
    assert line_label("Adresse : 12 rue de la Paix") == "Adresse"
    for unlabelled in ("10:30 am every day", "https://acme.test/users", "A long sentence that runs on: users first"):
        assert line_label(unlabelled) == "", unlabelled
    filler = "".join(
        f"<p>Acme ships feature number {i} for builders of large language model apps.</p>" for i in range(20)
    )
    home = f"""<html><head><title>Acme</title></head><body><h1>Acme</h1>{filler}
    <p>Teams rely on Acme</p><p>Users: Pigment, Frontify, Alphawatch</p></body></html>"""
    docs_page = """<html><head><title>Tracing</title></head><body><h1>Tracing</h1>
    <p>Group traces by session and see which users hit errors.</p></body></html>"""
    docs = []
    for url, html in (("https://acme.test/", home), ("https://acme.test/docs/tracing/", docs_page)):
        title, text = visible_text(html)
        docs.append(
            build_document(url=url, snapshot_id=url, kind="page", body=html, text=text, title=title, headers={})
        )
    ranked = SectionIndex(docs).score({"user": 1.0})
    assert ranked[0][1].doc.url == "https://acme.test/"
