"""Focused tests of the list, quantity, funding and product extractors on small inline documents."""

from __future__ import annotations

from dossier.research.analyze import facts, lists, quantities
from dossier.research.document import Document, build_document, visible_text


def _page(url: str, html: str) -> Document:
    title, text = visible_text(html)
    return build_document(url=url, snapshot_id=url, kind="page", body=html, text=text, title=title, headers={})


CUSTOMERS = """<html><head><title>Customers | Acme</title></head><body>
<header><a href="/"><img src="/logo.svg" alt="Acme"/></a></header>
<main><h1>Teams that trust Acme</h1><p>More than 300 teams use Acme.</p>
<div class="grid">
<article class="case"><h2>Kite Bank</h2><p>Kite Bank cut incident time by 45%.</p><a href="/c/kite">Read the case study</a></article>
<article class="case"><h2>Parcel Co.</h2><p>Parcel Co. ships faster with Acme.</p></article>
<article class="case"><h2>Acme</h2><p>We use our own product.</p></article>
</div>
<section class="cta"><h2>Want results like these?</h2><p><a href="/contact">Talk to our team</a></p></section>
</main></body></html>"""

INTEGRATIONS = """<html><body><main><h1>Integrations</h1>
<h2>EHR integrations</h2><ul><li><strong>Epic</strong> — orders and results.</li><li><strong>athenahealth</strong> — charts.</li></ul>
<h2>Device integrations</h2><ul><li><strong>Dexcom</strong> — glucose data.</li></ul>
</main></body></html>"""


def test_listed_items_are_card_headings_without_ctas_sections_or_own_name() -> None:
    doc = _page("https://acme.test/customers", CUSTOMERS)
    names = [f.value for f in lists.listed_items([doc], r"customer", "acme.test")]
    assert names == ["Kite Bank", "Parcel Co."]


def test_listed_items_narrow_to_the_section_the_question_names() -> None:
    doc = _page("https://acme.test/integrations", INTEGRATIONS)
    all_items = [f.value for f in lists.listed_items([doc], r"integrat", "acme.test")]
    assert all_items == ["Epic", "athenahealth", "Dexcom"]
    ehr = [
        f.value
        for f in lists.listed_items([doc], r"integrat", "acme.test", "Which EHR systems does Acme integrate with?")
    ]
    assert ehr == ["Epic", "athenahealth"]


def test_quantity_is_the_number_next_to_the_asked_noun() -> None:
    html = """<html><body><main><p>Today Acme employs more than 2,300 people in 18 countries.</p>
    <p>We run 42 warehouses and a fleet of 650 trucks.</p><div>95%</div><div>patient adherence</div>
    <p>Acme cuts processing costs by 80% for its customers.</p></main></body></html>"""
    docs = [_page("https://acme.test/about", html)]
    qs = quantities.all_quantities(docs)
    countries = quantities.best("In how many countries does Acme operate?", qs, "", {"acme"})
    warehouses = quantities.best("warehouses", qs, "")
    adherence = quantities.best("What patient adherence rate do they claim?", qs, "%")
    assert countries is not None and countries[0].value == 18
    assert warehouses is not None and warehouses[0].value == 42
    assert adherence is not None and adherence[0].value == 95 and "patient adherence" in adherence[0].quote
    assert quantities.best("What net revenue retention rate does Acme report?", qs, "%", {"acme"}) is None


def test_minimum_prefers_the_bound_phrase() -> None:
    html = """<html><body><main><p>Minimum of 20 enrolled patients.</p>
    <p>Our platform monitors more than 18,000 patients for over 140 clinics.</p></main></body></html>"""
    qs = quantities.all_quantities([_page("https://acme.test/pricing", html)])
    found = quantities.best("What's the minimum number of patients a clinic has to enroll?", qs, "")
    assert found is not None and found[0].value == 20


def test_funding_separates_total_from_latest_round() -> None:
    html = (
        "<html><body><main><p>We have raised $22 million to date, most recently an $18 million Series A in 2023 "
        "led by Greyline Ventures.</p><p>The company previously raised a $42 million Series B in 2021 and a "
        "$3.5 million seed round in 2016.</p></main></body></html>"
    )
    rounds = facts.funding([_page("https://acme.test/about", html)])
    by_value = {f.value["value"]: f.value for f in rounds}
    assert by_value[22_000_000]["total"] is True
    assert by_value[18_000_000]["stage"] == "Series A"
    assert by_value[18_000_000]["year"] == 2023
    assert by_value[18_000_000]["lead"] == "Greyline Ventures"
    assert by_value[42_000_000]["year"] == 2021 and by_value[3_500_000]["stage"] == "Seed"


def test_product_price_and_addon_price_are_not_plan_prices() -> None:
    product = """<html><head><title>Cast Iron Pan | Shop</title></head><body><main><h1>Cast Iron Pan</h1>
    <div>Regular price</div><div>$89.00 USD</div><p>Or 4 payments of $22.25.</p></main></body></html>"""
    found = facts.products([_page("https://shop.test/products/cast-iron-pan", product)])
    assert [(f.value["name"], f.value["value"]) for f in found] == [("Cast Iron Pan", 89.0)]
    pricing = """<html><body><main><h2>Team</h2><div>$49</div><div>per month</div>
    <p>Team customers can add monitors in packs of 50 for $20 per month.</p></main></body></html>"""
    prices = facts.pricing([_page("https://acme.test/pricing", pricing)])
    standalone = [f.value for f in prices if f.value["standalone"]]
    assert [(p["plan"], p["value"]) for p in standalone] == [("Team", 49.0)]


def test_incorporation_state() -> None:
    html = "<html><body><p>Acme, Inc. is a Delaware corporation.</p></body></html>"
    found = facts.incorporation([_page("https://acme.test/privacy", html)])
    assert [f.value for f in found] == ["Delaware"]


def test_compliance_negations_with_contractions():
    from dossier.research.analyze.facts import compliance
    from dossier.research.document import build_document

    text = "We don't currently hold a SOC 2 report.\nWe are ISO 27001 certified.\nWe aren’t HIPAA compliant."
    doc = build_document(
        url="https://x.test/trust", snapshot_id="s", kind="page", body=text, text=text, title="T", headers={}
    )
    claims = {f.value[0]: f.value[1] for f in compliance([doc])}
    assert claims == {"SOC 2": False, "ISO 27001": True, "HIPAA": False}
