"""Structural extractors (tables, definition lists, stat blocks) and the answers built on them."""

from __future__ import annotations

from dossier.research import plan
from dossier.research.analyze import facts, quantities, structure
from dossier.research.answer import Context, answer_family, answer_json
from dossier.research.document import Document, build_document, visible_text


def _page(url: str, html: str) -> Document:
    title, text = visible_text(html)
    return build_document(url=url, snapshot_id=url, kind="page", body=html, text=text, title=title, headers={})


PRICING = """<html><head><title>Plans | Acme</title></head><body><main><h1>Plans</h1>
<table><thead><tr><th></th><th>Basic</th><th>Pro</th></tr></thead><tbody>
<tr><td>Billed yearly</td><td>&euro;10 / seat / month</td><td>&euro;20 / seat / month</td></tr>
<tr><td>Billed monthly</td><td>&euro;14 / seat / month</td><td>&euro;26 / seat / month</td></tr>
<tr><td>Seats</td><td>1&ndash;5 seats</td><td>Up to 50</td></tr>
<tr><td>Revenue share</td><td>10%</td><td>12.5%</td></tr>
</tbody></table>
<h2>Add-ons</h2><dl><dt>Audit log</dt><dd>&euro;30 per workspace per month.</dd></dl>
</main></body></html>"""


def _ctx(*docs: Document) -> Context:
    return Context(domain="acme.test", docs=list(docs), mode="strict")


def test_table_cells_keep_row_and_column_labels_and_quote_the_row() -> None:
    doc = _page("https://acme.test/plans", PRICING)
    cells = [e for e in structure.entries(doc) if e.column == "Pro" and e.label == "Billed monthly"]
    assert len(cells) == 1
    assert cells[0].value == "€26 / seat / month"
    assert cells[0].quote in doc.text and "Billed monthly" in cells[0].quote


def test_price_of_a_named_plan_comes_from_its_column_and_the_row_the_question_names() -> None:
    ctx = _ctx(_page("https://acme.test/plans", PRICING))
    r = answer_family("What does the Pro plan cost per seat if you pay monthly?", "currency", ctx)
    assert r.value == {"value": 26.0, "currency": "EUR"}
    r = answer_family("What does the Basic plan cost per seat per month, billed yearly?", "currency", ctx)
    assert r.value == {"value": 10.0, "currency": "EUR"}


def test_plan_json_reads_ranges_limits_percentages_and_add_ons() -> None:
    ctx = _ctx(_page("https://acme.test/plans", PRICING))
    schema = {
        "type": "object",
        "properties": {
            "max_seats": {"type": "integer"},
            "revenue_share_percent": {"type": "number"},
            "audit_log_eur_per_month": {"type": "number"},
        },
        "required": ["max_seats", "revenue_share_percent", "audit_log_eur_per_month"],
    }
    r = answer_json("Describe the Basic plan as JSON", schema, ctx)
    assert r.value == {"max_seats": 5, "revenue_share_percent": 10, "audit_log_eur_per_month": 30}


def test_a_cell_is_not_used_when_the_question_names_no_column() -> None:
    found = structure.entries(_page("https://acme.test/plans", PRICING))
    assert structure.lookup("monthly price per seat", found, "money") is None


def test_label_above_its_figure_is_a_stat_block() -> None:
    doc = _page(
        "https://acme.test/customers/kite",
        "<html><head><title>Kite Bank | Acme</title></head><body><main><h1>Kite Bank</h1>"
        "<p>Review time down</p><p>43%</p><p>9 in 10</p></main></body></html>",
    )
    stats = quantities.stat_blocks(doc)
    assert [(s.value, s.unit, s.sentence) for s in stats] == [(43.0, "%", "Review time down")]


def test_compliance_label_line_reads_its_value_line() -> None:
    doc = _page(
        "https://acme.test/security",
        "<html><body><ul><li><b>SOC 2 Type II:</b> not yet, expected in 2026.</li></ul></body></html>",
    )
    claims = facts.compliance([doc])
    assert claims and claims[0].value[1] is False


def test_careers_link_found_by_its_words_when_the_path_is_unusual() -> None:
    home = _page("https://acme.test/", '<html><body><footer><a href="/join">Join us</a></footer></body></html>')
    r = answer_family("Link to the careers page?", "url", _ctx(home))
    assert r.value == "https://acme.test/join"


def test_page_found_by_its_path_and_title() -> None:
    page = _page(
        "https://acme.test/complaints",
        "<html><head><title>Complaints | Acme</title></head><body><h1>Making a complaint</h1></body></html>",
    )
    other = _page("https://acme.test/about", "<html><head><title>About | Acme</title></head><body>x</body></html>")
    r = answer_family("Where's the page explaining how to make a complaint?", "url", _ctx(page, other))
    assert r.value == "https://acme.test/complaints"


def test_founders_named_in_prose_and_role_by_function() -> None:
    about = _page(
        "https://acme.test/about",
        "<html><body><p>Acme was founded in 2015 by Ana de Souza and Ben Okoro.</p>"
        "<p>Cara Lind</p><p>Chief Underwriting Officer</p><p>Dan Moe</p><p>Head of Sales</p></body></html>",
    )
    assert plan.classify("Who founded Acme?") == "people"
    r = answer_family("Who founded Acme?", "list", _ctx(about))
    assert r.value == ["Ana de Souza", "Ben Okoro"]
    r = answer_family("Who heads underwriting at Acme?", "open_text", _ctx(about))
    assert isinstance(r.value, str) and r.value.startswith("Cara Lind") and "Dan Moe" not in r.value


def test_standards_listed_by_number() -> None:
    doc = _page(
        "https://acme.test/trust",
        "<html><body><p>The robot conforms to the following safety standards:</p>"
        "<ul><li>ISO 3691-4 — driverless trucks</li><li>UL 3100 — mobile platforms</li></ul>"
        "<p>Our plant is ISO 9001 certified.</p></body></html>",
    )
    r = answer_family("Which safety standards does the robot conform to?", "list", _ctx(doc))
    assert r.value == ["ISO 3691-4", "UL 3100"]


def test_enumerated_names_under_a_matching_label() -> None:
    doc = _page(
        "https://acme.test/developers",
        "<html><body><h2>Integrations</h2><dl><dt>Premium collection</dt><dd>Stripe, GoCardless</dd>"
        "<dt>Accounting</dt><dd>Xero, QuickBooks</dd></dl></body></html>",
    )
    r = answer_family("Which providers can premiums be collected through?", "list", _ctx(doc))
    assert r.value == ["Stripe", "GoCardless"]


def test_funding_rounds_from_a_table() -> None:
    doc = _page(
        "https://acme.test/company",
        "<html><body><table><thead><tr><th>Round</th><th>Year</th><th>Amount</th><th>Led by</th></tr></thead>"
        "<tbody><tr><td>Seed</td><td>2015</td><td>$4.5M</td><td>First Fund</td></tr>"
        "<tr><td>Series A</td><td>2018</td><td>$18M</td><td>Second Capital</td></tr></tbody></table></body></html>",
    )
    rounds = {f.value["stage"]: f.value for f in facts.funding([doc])}
    assert rounds["Series A"]["value"] == 18_000_000 and rounds["Series A"]["year"] == 2018
    assert rounds["Seed"]["lead"] == "First Fund"


def test_discount_question_does_not_take_an_unrelated_percentage() -> None:
    doc = _page(
        "https://acme.test/product",
        "<html><body><p>Battery charges from 0–80% in 35 minutes.</p></body></html>",
    )
    r = answer_family("What percentage discount do they give for paying a year up front?", "percentage", _ctx(doc))
    assert r.value is None
