"""The offline reader on small pages: what a question negates, names read whole, the company not taken for a
person."""

from __future__ import annotations

from urllib.parse import urlsplit

from dossier.research.analysis import Analysis
from dossier.research.document import Document, build_document, visible_text
from dossier.research.lexicon import tokens
from dossier.research.read.question import parse
from dossier.research.read.reader import OfflineReader, _series

HANDBOOK = """<html><head><title>Handbook | Osprey Works</title></head><body>
<h1>How we work</h1>
<h2>All-remote</h2>
<p>Osprey Works is fully remote, which means we don't have any offices and people work from home.</p>
<h2>Documents</h2>
<p>Update the title of the doc to include the ISO dates.</p>
<p>The annual report is a 2024PDF, 4.2 MB download.</p>
<h2>Security</h2>
<p>To keep SOC2 compliance, Osprey Works uses Vanta.</p>
<h2>Donations</h2>
<p>To protect our independence, these are the criteria to reject any form of support:</p>
<ul><li>Tobacco companies and weapons manufacturers</li><li>Anyone asking for control of the roadmap</li></ul>
<p>We gladly take donations from:</p><ul><li>Individuals and small businesses</li></ul>
<h2>Policies</h2>
<p>Handbook policies may be changed at any time by Osprey Works; changes need a written agreement with the CEO.</p>
</body></html>"""

TEAM = """<html><head><title>Team | Osprey Works</title></head><body>
<h1>Team</h1><ul><li>Mira Holt, CEO</li><li>Jon Vale, CTO</li></ul></body></html>"""


def _doc(url: str, html: str) -> Document:
    title, text = visible_text(html)
    return build_document(url=url, snapshot_id=url, kind="page", body=html, text=text, title=title, headers={})


def _one_page(path: str, html: str) -> Analysis:
    """Osprey Works' site as the one page at `path`."""
    return Analysis("ospreyworks.test", [_doc(f"https://ospreyworks.test{path}", html)]).warm()


def _analysis() -> Analysis:
    docs = [_doc("https://ospreyworks.test/handbook/", HANDBOOK), _doc("https://ospreyworks.test/team/", TEAM)]
    return Analysis("ospreyworks.test", docs).warm()


def test_a_question_that_negates_is_answered_by_a_sentence_that_denies_the_same_thing():
    draft = OfflineReader().answer(
        "Is Osprey Works a fully remote company without offices?", "boolean", None, _analysis(), "lenient"
    )
    assert draft.value is True, draft.reasoning
    assert "offices" in draft.evidence[0].quote


def test_a_named_standard_counts_only_whole():
    reader = OfflineReader()
    analysis = _analysis()
    # "ISO dates" is not ISO 27001 and the "2" of "4.2 MB" is not SOC 2: nothing on the site says either.
    for question in ("Is Osprey Works ISO 27001 certified?", "Is Osprey Works SOC 1 audited?"):
        draft = reader.answer(question, "boolean", None, analysis, "strict")
        assert draft.value is None, (question, draft.reasoning)
    # "SOC2" run together is the same name as "SOC 2".
    draft = reader.answer("Is Osprey Works SOC 2 compliant?", "boolean", None, analysis, "lenient")
    assert draft.value is True, draft.reasoning
    assert tokens("SOC2 and ISO27001") == tokens("SOC 2 and ISO 27001")
    # A standard's name and number count written together: a chip's "SoC" and a "2.4GHz" radio are not SOC 2.
    radio = """<html><head><title>Radio | Osprey Works</title></head><body><h1>Radio dongle</h1>
    <p>The 2.4GHz radio dongle is certified and based on the nRF24LU1+ SoC.</p></body></html>"""
    chip = Analysis("ospreyworks.test", [_doc("https://ospreyworks.test/radio/", radio)]).warm()
    draft = reader.answer("Is Osprey Works SOC 2 certified?", "boolean", None, chip, "strict")
    assert draft.value is None, (draft.value, draft.reasoning)
    iso = radio.replace("based on the nRF24LU1+ SoC", "Osprey Works holds ISO/IEC 27001")
    draft = reader.answer(
        "Is Osprey Works ISO 27001 certified?",
        "boolean",
        None,
        Analysis("ospreyworks.test", [_doc("https://ospreyworks.test/radio/", iso)]).warm(),
        "lenient",
    )
    assert draft.value is True, (draft.value, draft.reasoning)


def test_the_company_name_is_not_the_person_who_holds_a_position():
    draft = OfflineReader().answer("Who is Osprey Works' CEO?", "open_text", None, _analysis(), "lenient")
    assert draft.value == "Mira Holt", draft.reasoning


def test_a_list_item_says_what_its_introduction_says_of_it():
    reader = OfflineReader()
    analysis = _analysis()
    draft = reader.answer(
        "Does Osprey Works take support from tobacco companies or weapons manufacturers?",
        "boolean",
        None,
        analysis,
        "lenient",
    )
    assert draft.value is False, draft.reasoning
    assert "listed under" in draft.reasoning
    draft = reader.answer(
        "Does Osprey Works take donations from small businesses?", "boolean", None, analysis, "lenient"
    )
    assert draft.value is True, draft.reasoning


def test_a_tool_written_in_another_case_is_still_that_tool():
    from dossier.research.read.entities import technologies_in

    assert technologies_in("We track leads in our Hubspot CRM and code on Github; cut some slack") == [
        "HubSpot",
        "GitHub",
    ]


IMPRINT = """<html><head><title>Imprint | Osprey Works</title></head><body>
<h1>Imprint</h1>
<p>Registered company: Osprey Works Software GmbH, Hafenstraße 4, 20457 Hamburg, Germany.</p>
<p>Commercial register: Amtsgericht Hamburg, HRB 123456.</p>
<p>Email: hello@ospreyworks.test</p>
<h2>Leadership</h2>
<p>Our founder Mira Holt leads the company; the board appointed Tove Lund as COO in 2023.</p>
</body></html>"""

PRICING = """<html><head><title>Pricing | Osprey Works</title></head><body>
<h1>Pricing</h1>
<h2>Starter</h2><p>$9 per month, billed monthly.</p>
<h2>Growth</h2><p>$49 per month for the whole team.</p>
<h2>Add-ons</h2><p>Extra storage costs $2 per month per 10 GB.</p>
</body></html>"""


def _company() -> Analysis:
    docs = [
        _doc("https://ospreyworks.test/imprint/", IMPRINT),
        _doc("https://ospreyworks.test/pricing/", PRICING),
        _doc("https://ospreyworks.test/team/", TEAM),
    ]
    return Analysis("ospreyworks.test", docs).warm()


def _record(question: str, properties: dict[str, dict[str, str]]) -> dict[str, object]:
    draft = OfflineReader().answer(
        question, "json_schema", {"type": "object", "properties": properties}, _company(), "strict"
    )
    assert isinstance(draft.value, dict), draft.reasoning
    return draft.value


def test_each_property_of_a_record_is_read_from_its_own_part_of_the_question():
    # "founder" and "COO" share one sentence: each property asks its own role, not its sibling's.
    value = _record(
        "Who is Osprey Works' founder and who is its COO?", {"founder": {"type": "string"}, "coo": {"type": "string"}}
    )
    assert value == {"founder": "Mira Holt", "coo": "Tove Lund"}


def test_a_property_named_in_a_currency_is_read_as_money_for_its_plan():
    value = _record(
        "What are the monthly prices of Osprey Works' Starter and Growth plans?",
        {"starter_usd_per_month": {"type": "number"}, "growth_usd_per_month": {"type": "number"}},
    )
    assert value == {"starter_usd_per_month": 9, "growth_usd_per_month": 49}
    # Read, scored and calibrated as prices, not as bare numbers.
    draft = OfflineReader().answer(
        "What is the monthly price of Osprey Works' Starter plan?",
        "json_schema",
        {"type": "object", "properties": {"starter_usd_per_month": {"type": "number"}}},
        _company(),
        "strict",
    )
    assert draft.parts["starter_usd_per_month"][0] == "currency"


def test_a_legal_name_and_an_email_are_read_as_what_they_are_even_when_they_hold_the_company_name():
    value = _record(
        "What is Osprey Works' registered company name and its contact email?",
        {"legal_name": {"type": "string"}, "contact_email": {"type": "string"}},
    )
    assert value == {"legal_name": "Osprey Works Software GmbH", "contact_email": "hello@ospreyworks.test"}


def test_legal_names_are_capitalised_words_ending_in_a_legal_form():
    from dossier.research.read.entities import legal_entities

    assert legal_entities("Langfuse is operated by Finto Technologies GmbH, Berlin.") == ["Finto Technologies GmbH"]
    assert legal_entities("Copyright Acme, Inc. All rights reserved.") == ["Copyright Acme, Inc."]
    assert legal_entities("We are a small team in Malmö.") == []


def test_a_capitalised_phrase_of_words_the_site_writes_in_lower_case_is_no_person():
    from dossier.research.read.entities import persons

    html = """<html><head><title>Board | Osprey Works</title></head><body><h1>Foundation</h1>
    <p>The board meets each quarter; the legal system of each member's country and every bank fee are reviewed,
    and each expense name is checked by the legal team against the bank statement and the expense report.</p>
    <h2>Board of directors</h2>
    <p>Legal System, Mira Holt, Expense Name, Will Hartley, Bank Fees and Jon Vale sit on the board.</p>
    <p>The board will meet again in May.</p></body></html>"""
    analysis = _one_page("/board/", html)
    line = "Legal System, Mira Holt, Expense Name, Will Hartley, Bank Fees and Jon Vale sit on the board."
    # Without the site's vocabulary every capitalised pair looks like a name.
    assert "Legal System" in persons(line)
    # "will" is written in lower case here too, but it is a known first name.
    assert persons(line, analysis.common_words) == ["Mira Holt", "Will Hartley", "Jon Vale"]
    draft = OfflineReader().answer("Who sits on Osprey Works' board?", "list", None, analysis, "lenient")
    assert draft.value == ["Mira Holt", "Will Hartley", "Jon Vale"], draft.reasoning


def test_the_items_of_a_list_are_read_without_the_emoji_they_are_decorated_with():
    html = """<html><head><title>Company | Osprey Works</title></head><body><h1>Company</h1>
    <h2>Purpose</h2><p>We build tools for field biologists.</p>
    <h2>Values</h2><p>Osprey Works' values are the five ideals everyone on the team adopts.</p>
    <h3>🔴 Empathy</h3><p>Take an interest in what people are going through.</p>
    <h3>🟠 Ownership</h3><p>Think like an owner of the company.</p>
    <h3>🟢 Results</h3><p>Aim to deliver results daily.</p>
    <h2>History</h2><p>Founded in 2019.</p></body></html>"""
    analysis = _one_page("/company/", html)
    draft = OfflineReader().answer("What are Osprey Works' company values?", "list", None, analysis, "lenient")
    assert draft.value == ["Empathy", "Ownership", "Results"], draft.reasoning


def test_a_quoted_customers_position_and_a_leadership_list_are_told_apart():
    html = """<html><head><title>About | Osprey Works</title></head><body><h1>What customers say</h1>
    <p>“Osprey Works halved our survey time.”</p><p>—Janet Smith, Company X, CEO</p>
    <p>“The best field kit we have used.” Lior Harel, CTO &amp; Co-Founder, Staircase.ai</p>
    <h1>Leadership</h1><ul><li>CEO (Mike McNeil)</li><li>Head of Operations (Ada Lind)</li>
    <li>CTO (Sean O'Brien)</li></ul></body></html>"""
    analysis = _one_page("/about/", html)
    reader = OfflineReader()
    assert reader.answer("Who is Osprey Works' CEO?", "open_text", None, analysis, "lenient").value == "Mike McNeil"
    assert reader.answer("Who is Osprey Works' CTO?", "open_text", None, analysis, "lenient").value == "Sean O'Brien"


def test_names_with_inner_capitals_and_titles_are_told_apart():
    from dossier.research.read.entities import persons

    assert persons("Mike McNeil met Anna DeVries and Sean O'Brien") == ["Mike McNeil", "Anna DeVries", "Sean O'Brien"]
    # A position is no name, however it is capitalised.
    assert persons("He volunteered as Accounting Clerk and as Development Director.") == []


def test_a_register_number_is_read_as_an_identifier_beside_the_legal_name():
    value = _record(
        "What is Osprey Works' legal entity and its commercial register number?",
        {"legal_entity": {"type": "string"}, "register_number": {"type": "string"}},
    )
    assert value == {"legal_entity": "Osprey Works Software GmbH", "register_number": "HRB 123456"}
    draft = OfflineReader().answer(
        "What is Osprey Works' commercial register number?", "open_text", None, _company(), "lenient"
    )
    assert draft.value == "HRB 123456", draft.reasoning


def test_identifiers_are_registry_numbers_not_versions_phones_or_years():
    from dossier.research.read.entities import identifiers

    assert identifiers("HRB 235335 B, USt-IdNr DE 123 456 789 and EIN 12-3456789.") == [
        "HRB 235335 B",
        "DE 123 456 789",
        "EIN 12-3456789",
    ]
    assert identifiers("Firmware 2014.08.1, call +49 30 1234, founded 2021.") == []


def test_a_price_per_unit_asked_for_beats_a_close_reading_without_that_unit():
    html = """<html><head><title>Pricing | Osprey Works</title></head><body><h1>Pricing</h1>
    <h2>Osprey Premium</h2><p>Osprey Premium starting price: $3,500 per month for the base fleet.</p>
    <p>Each tracker costs $7 per device per month.</p></body></html>"""
    analysis = _one_page("/pricing/", html)
    draft = OfflineReader().answer(
        "What is the price of Osprey Premium per device per month?", "currency", None, analysis, "lenient"
    )
    assert draft.value == {"value": 7, "currency": "USD"}, draft.reasoning


def test_who_holds_a_position_is_not_answered_by_a_passage_that_names_nobody():
    html = """<html><head><title>Jobs | Osprey Works</title></head><body><h1>Engineering lead</h1>
    <p>Like a CTO, you'll work directly with our users to define the roadmap of Osprey Works' platform.</p>
    </body></html>"""
    analysis = _one_page("/jobs/", html)
    draft = OfflineReader().answer("Who is Osprey Works' CTO?", "open_text", None, analysis, "strict")
    assert draft.value is None, draft.reasoning


def test_a_count_reads_the_list_under_a_heading_that_names_what_the_question_is_about():
    html = """<html><head><title>Contact | Osprey Works</title></head><body><h1>Contact</h1>
    <h2>Project Steering Committee</h2><p>It is currently composed of:</p>
    <ul><li>Mira Holt</li><li>Jon Vale</li><li>Tove Lund</li></ul>
    <h2>Press</h2><p>Write to press@ospreyworks.test.</p></body></html>"""
    analysis = _one_page("/contact/", html)
    draft = OfflineReader().answer(
        "How many members sit on Osprey Works' steering committee?", "number", None, analysis, "lenient"
    )
    assert draft.value == 3, draft.reasoning


def test_names_of_organisations_are_told_from_capitalised_phrases_by_the_sites_own_vocabulary():
    from dossier.research.read.entities import is_proper_name, proper_names
    from dossier.research.read.question import parse

    html = """<html><head><title>Announcing our seed round | Osprey Works</title></head><body>
    <h1>Announcing our seed round</h1>
    <p>We raised a seed round to grow the team. Osprey Works is backed by Lightfoot, La Brava and Y Kestrel.</p>
    <h2>Why now</h2><p>Now is the time: why wait, when what comes next is clear and where we are at is good?</p>
    <h2>Where we are at</h2><p>We know where we are at and why it matters now, and what is next for us.</p>
    <h2>What comes next</h2><p>What comes next is more of what works now; that is why we hire now.</p>
    </body></html>"""
    analysis = _one_page("/blog/seed/", html)
    common = analysis.common_words
    assert parse("Which companies back Osprey Works?", "list", "ospreyworks.test").entity == "name"
    assert [is_proper_name(t, common) for t in ("Why now", "Where we are at", "La Brava", "Y Kestrel")] == [
        False,
        False,
        True,
        True,
    ]
    assert not is_proper_name("Series B - March 2021", common)  # a dated heading
    # A sentence's first word is capitalised for other reasons than being a name.
    assert proper_names("Furthermore, the team met Lightfoot.", common) == ["Lightfoot"]
    draft = OfflineReader().answer("Which companies back Osprey Works?", "list", None, analysis, "lenient")
    assert draft.value == ["Lightfoot", "La Brava", "Y Kestrel"], draft.reasoning


def test_which_firm_or_licence_is_answered_by_the_name_the_passage_gives():
    from dossier.research.read.question import parse

    html = """<html><head><title>About | Osprey Works</title></head><body><h1>About Osprey Works</h1>
    <h2>Licence</h2><p>The Osprey toolkit is free software, released under the permissive Apache license.</p>
    <h2>Governance</h2><p>The project is legally represented by the Software Freedom Conservancy, a charity
    that helps free software projects; the software is written by volunteers.</p>
    <h2>Funding</h2><p>Our seed round was led by Kestrel Capital, with angels from the free software world.</p>
    </body></html>"""
    analysis = _one_page("/about/", html)
    assert parse("Which firm led Osprey Works' seed round?", "open_text", "ospreyworks.test").entity == "name"
    assert parse("Which investors have backed Osprey Works?", "list", "ospreyworks.test").entity == "name"
    assert parse("Who are Osprey Works' investors?", "list", "ospreyworks.test").entity == "person"
    assert parse("Which CRM does Osprey Works use?", "open_text", "ospreyworks.test").entity == "technology"
    reader = OfflineReader()
    cases = {
        "Under which licence is the Osprey toolkit released?": "Apache",
        "Which organisation legally represents the Osprey project?": "Software Freedom Conservancy",
        "Which firm led Osprey Works' seed round?": "Kestrel Capital",
    }
    for question, expected in cases.items():
        draft = reader.answer(question, "open_text", None, analysis, "lenient")
        assert draft.value == expected, (question, draft.value, draft.reasoning)


def test_a_hyphenated_word_of_the_question_is_not_said_by_another_hyphenated_word():
    html = """<html><head><title>About | Osprey Works</title></head><body><h1>About Osprey Works</h1>
    <h2>Status</h2><p>Osprey Works is a non-profit association registered in Lyon.</p>
    <h2>Team</h2><p>The team builds tools for field biologists and runs workshops each spring.</p>
    <h2>Contact</h2><p>Write to us for press, education, non-profit or business inquiries.</p>
    </body></html>"""
    analysis = _one_page("/about/", html)
    reader = OfflineReader()
    # "for-profit" shares "profit" with "non-profit": the page does not say it is one.
    draft = reader.answer("Is Osprey Works a for-profit business?", "boolean", None, analysis, "strict")
    assert draft.value is None, draft.reasoning
    draft = reader.answer("Is Osprey Works a nonprofit?", "boolean", None, analysis, "lenient")
    assert draft.value is True, draft.reasoning


def test_the_cheapest_price_is_read_among_the_prices_of_the_best_page_not_every_amount_on_the_site():
    pricing = """<html><head><title>Pricing | Osprey Works</title></head><body><h1>Pricing</h1>
    <h2>Paid plans</h2><ul><li>Starter plan: $29 per month</li><li>Team plan: $99 per month</li></ul>
    <p>Every paid plan includes support.</p></body></html>"""
    credits = """<html><head><title>Add-ons | Osprey Works</title></head><body><h1>Add-ons</h1>
    <h2>Monthly credit</h2><p>Each paid plan comes with a $2 monthly credit for add-ons, and the cheapest
    add-on costs $1 per month.</p></body></html>"""
    docs = [_doc("https://ospreyworks.test/pricing/", pricing), _doc("https://ospreyworks.test/add-ons/", credits)]
    analysis = Analysis("ospreyworks.test", docs).warm()
    draft = OfflineReader().answer(
        "What does Osprey Works' cheapest paid plan cost per month?", "currency", None, analysis, "lenient"
    )
    assert draft.value == {"value": 29, "currency": "USD"}, (draft.value, draft.reasoning)


def test_a_city_question_is_not_answered_by_a_country_a_legal_form_or_a_technology():
    from dossier.research.read.entities import is_legal_form, proper_names
    from dossier.research.read.question import parse

    assert parse("In which city is Osprey Works based?", "open_text", "ospreyworks.test").place_kind == "city"
    assert parse("In which US state is their office?", "open_text").place_kind == "region"
    assert parse("Where is Osprey Works headquartered?", "open_text", "ospreyworks.test").place_kind is None
    assert parse("In which locations (city, state or country) are its regions?", "list").place_kind is None
    from dossier.research.read.entities import place_kind

    assert [place_kind(p) for p in ("England", "Democratic Republic of Congo", "Bavaria")] == [
        "country",
        "country",
        "region",
    ]
    assert is_legal_form("Inc") and is_legal_form("GmbH") and not is_legal_form("Inca")
    # A place or a legal form left over from "Acme, Inc." is no organisation's name.
    assert proper_names("It was bought by Dropbox, Inc. of San Francisco, Massachusetts.") == ["Dropbox"]
    html = """<html><head><title>About | Osprey Works</title></head><body><h1>About Osprey Works</h1>
    <h2>Offices</h2><p>Osprey Works B.V. is based in the Netherlands, in the city of Utrecht.</p>
    </body></html>"""
    analysis = _one_page("/about/", html)
    draft = OfflineReader().answer("In which city is Osprey Works based?", "open_text", None, analysis, "lenient")
    assert draft.value == "Utrecht", (draft.value, draft.reasoning)


def test_a_technology_of_another_kind_is_not_what_a_kind_asks_for():
    from dossier.research.read.entities import technologies_in

    text = "We sell through Shopify and take payments with Stripe; the site measures visits with Google Analytics and Hotjar."
    assert technologies_in(text) == ["Shopify", "Stripe", "Google Analytics", "Hotjar"]
    assert technologies_in(text, frozenset({"analytics"})) == ["Google Analytics", "Hotjar"]


def test_questions_are_not_names():
    from dossier.research.read.entities import is_proper_name

    assert not is_proper_name("Why now") and not is_proper_name("What’s next")
    assert is_proper_name("La Famiglia")


CAREERS = """<html><head><title>Careers | Osprey Works</title></head><body>
<h1>Join us</h1>
<p>Osprey Works builds model-based evaluation tools. We are based in Hamburg, Germany and work in person.</p>
<h2>Evaluations</h2>
<p>Model-based evaluations score a trace. Name the city of the user's country in one word.</p>
<p>Our pricing is based on the market rate in Berlin.</p>
</body></html>"""

LEGAL = """<html><head><title>Legal notice | Osprey Works</title></head><body>
<h1>Legal notice</h1><p>Osprey Works GmbH</p><p>Hafenstraße 4</p><p>20457 Hamburg</p></body></html>"""


def test_a_where_question_reads_where_the_company_says_it_is_in_whatever_words():
    docs = [
        _doc("https://ospreyworks.test/careers/", CAREERS),
        _doc("https://ospreyworks.test/evals/", CAREERS.replace("We are based in Hamburg, Germany", "We ship")),
    ]
    analysis = Analysis("ospreyworks.test", docs).warm()
    draft = OfflineReader().answer("In which city is Osprey Works based?", "open_text", None, analysis, "lenient")
    # Not the sentence full of the question's words that names no place, nor "based on the market rate in".
    assert draft.value.startswith("Hamburg"), draft.reasoning
    assert draft.evidence[0].quote.startswith("We are based in Hamburg")


def test_an_imprint_address_answers_where_without_the_question_words():
    docs = [
        _doc("https://ospreyworks.test/evals/", CAREERS.replace("We are based in Hamburg, Germany", "We ship")),
        _doc("https://ospreyworks.test/legal-notice/", LEGAL),
    ]
    analysis = Analysis("ospreyworks.test", docs).warm()
    draft = OfflineReader().answer(
        "In which city is Osprey Works headquartered?", "open_text", None, analysis, "lenient"
    )
    assert draft.value == "Hamburg", (draft.value, draft.reasoning)


STORY = """<html><head><title>Case study: Menta | Osprey Works</title></head><body>
<h1>How Menta ships faster</h1>
<p>Menta cut its release time in half with Osprey Works' CTO-grade tooling.</p>
<blockquote>We deploy ten times a day now.</blockquote><p>--- Rosa Ibarra, CTO</p>
</body></html>"""

SPEAKERS = """<html><head><title>Speakers | Osprey Works Summit</title></head><body>
<h1>Speakers</h1><p>Talks from engineering leaders.</p>
<p>Beyang Liu</p><p>Sourcegraph CTO</p>
<ul><li>Jon Vale, CTO, Osprey Works</li><li>Ada Brun, VP Engineering, Menta</li></ul>
</body></html>"""


def test_a_position_held_at_another_organisation_is_not_the_companys():
    docs = [
        _doc("https://ospreyworks.test/case-studies/menta/", STORY),
        _doc("https://ospreyworks.test/blog/summit-speakers/", SPEAKERS),
    ]
    analysis = Analysis("ospreyworks.test", docs).warm()
    draft = OfflineReader().answer("Who is Osprey Works' CTO?", "open_text", None, analysis, "lenient")
    # Not the customer quoted on a case study, nor "Sourcegraph CTO" on a speakers' list.
    assert draft.value == "Jon Vale", (draft.value, draft.reasoning)


PLANS = """<html><head><title>Plans | Osprey Works</title></head><body>
<h1>Plans</h1>
<p>Osprey Works plans are billed on two meters, <a href="/storage/">Storage</a> and <a href="/compute/">Compute</a>.</p>
<table><tr><th>Feature</th><th>Plan</th></tr>
<tr><td>Branches</td><td>Hobby</td></tr><tr><td>Autoscaling</td><td>Launch</td></tr>
<tr><td>Read replicas</td><td>Scale</td></tr></table>
</body></html>"""

BILLING = """<html><head><title>Billing | Osprey Works</title></head><body>
<h1>Billing</h1>
<p>The Hobby plan is free. Move to the Launch plan when you outgrow it.</p>
<p>The Launch plan includes 300 compute hours; the Scale plan includes 750.</p>
<p>Every Hobby plan project can be upgraded to the Scale plan at any time.</p>
</body></html>"""


def test_the_names_a_site_gives_the_asked_kind_type_a_lists_items():
    docs = [_doc("https://ospreyworks.test/plans/", PLANS), _doc("https://ospreyworks.test/billing/", BILLING)]
    analysis = Analysis("ospreyworks.test", docs).warm()
    draft = OfflineReader().answer("What plans does Osprey Works offer?", "list", None, analysis, "lenient")
    # "the Launch plan", "the Scale plan": the plan column, not the two meters every plan is billed on.
    assert draft.value == ["Hobby", "Launch", "Scale"], (draft.value, draft.reasoning)


def test_a_customer_storys_facts_are_the_customers():
    story = STORY.replace(
        "<h1>How Menta ships faster</h1>",
        "<h1>How Menta ships faster</h1><p>Founded in 2007, Menta sells insurance online.</p>",
    )
    analysis = _one_page("/case-studies/menta/", story)
    draft = OfflineReader().answer("In what year was Osprey Works founded?", "number", None, analysis, "strict")
    assert draft.value is None, (draft.value, draft.reasoning)


def test_a_value_on_a_line_about_nothing_asked_is_no_answer():
    html = """<html><head><title>Planning | Osprey Works</title></head><body><h1>Planning</h1>
    <p>Our goal is to keep the revenue variance percentage within 2% each quarter.</p>
    </body></html>"""
    analysis = _one_page("/finance/planning/", html)
    draft = OfflineReader().answer("What uptime percentage does Osprey Works guarantee?", "percentage", None, analysis)
    assert draft.value is None, (draft.value, draft.reasoning)


def test_a_denial_of_other_named_things_says_nothing_of_the_company():
    compare = """<html><head><title>Open source alternatives | Osprey Works</title></head><body>
    <h1>Open source</h1><p>Airplane and Superblocks have comparable features, but they are not open source.</p>
    </body></html>"""
    about = """<html><head><title>About | Osprey Works</title></head><body><h1>About</h1>
    <p>Osprey Works is built in the open and released under the AGPL: an open source project.</p></body></html>"""
    docs = [_doc("https://ospreyworks.test/compare/", compare), _doc("https://ospreyworks.test/about/", about)]
    analysis = Analysis("ospreyworks.test", docs).warm()
    draft = OfflineReader().answer("Is Osprey Works open source?", "boolean", None, analysis, "strict")
    assert draft.value is True, (draft.value, draft.reasoning)
    only = Analysis("ospreyworks.test", docs[:1]).warm()
    assert OfflineReader().answer("Is Osprey Works open source?", "boolean", None, only, "strict").value is None


def test_a_yes_for_a_plan_needs_a_sentence_about_that_plan():
    html = """<html><head><title>Single sign-on | Osprey Works</title></head><body><h1>Single sign-on</h1>
    <p>Osprey Works supports SAML single sign-on with Okta and Azure Active Directory.</p>
    <p>SAML single sign-on is included in the Enterprise plan.</p></body></html>"""
    # "Team" is a word this site uses everywhere: the plan's name alone would not weigh enough to be required.
    teams = "".join(f"<h2>Team {i}</h2><p>Our team {i} works with every team.</p>" for i in range(8))
    docs = [
        _doc("https://ospreyworks.test/sso/", html),
        _doc("https://ospreyworks.test/team/", f"<html><head><title>Team</title></head><body>{teams}</body></html>"),
    ]
    analysis = Analysis("ospreyworks.test", docs).warm()
    reader = OfflineReader()
    team = reader.answer("Can we use SAML single sign-on on Osprey Works' Team plan?", "boolean", None, analysis)
    assert team.value is None, (team.value, team.reasoning)
    enterprise = reader.answer("Is SAML single sign-on on the Enterprise plan?", "boolean", None, analysis)
    assert enterprise.value is True, (enterprise.value, enterprise.reasoning)


def test_a_record_does_not_give_a_persons_name_for_its_company():
    html = """<html><head><title>History | Zulip</title></head><body><h1>History</h1>
    <p>Zulip was started in 2012 by Tim Abbott as a small startup.</p>
    <p>Tim Abbott then founded Kandra Labs, the company that develops Zulip today.</p></body></html>"""
    analysis = Analysis("zulip.test", [_doc("https://zulip.test/history/", html)]).warm()
    schema = {"type": "object", "properties": {"founder": {"type": "string"}, "company": {"type": "string"}}}
    draft = OfflineReader().answer(
        "Who founded Kandra Labs, and what is the company's name?", "json_schema", schema, analysis
    )
    assert isinstance(draft.value, dict) and draft.value.get("founder") == "Tim Abbott", draft.reasoning
    assert draft.value.get("company") != "Tim Abbott", draft.value
    # A founder who is also the CEO is one person asked twice: both properties keep the name.
    schema = {"type": "object", "properties": {"ceo": {"type": "string"}, "founder": {"type": "string"}}}
    both = OfflineReader().answer("Who is Osprey Works' CEO and who is its founder?", "json_schema", schema, _company())
    assert both.value == {"ceo": "Mira Holt", "founder": "Mira Holt"}, both.value


def test_a_series_keeps_the_one_of_its_kind_its_sentence_names_before_it():
    html = """<html><head><title>Pricing | Osprey Works</title></head><body><h1>Pricing</h1>
    <p>Osprey Works has one free Hobby plan and three paid plans: Launch, Scale, and Enterprise.</p>
    </body></html>"""
    analysis = _one_page("/pricing/", html)
    draft = OfflineReader().answer("Which plans does Osprey Works offer?", "list", None, analysis, "lenient")
    assert draft.value == ["Hobby", "Launch", "Scale", "Enterprise"], (draft.value, draft.reasoning)


def test_sibling_headings_are_one_list_until_a_heading_that_reads_as_a_sentence():
    values = ["Customers First", "Dream Big", "Play to Win, as a Team", "Bias for Action", "Be an Owner"]
    body = "".join(f"<h3>{v}</h3><p>We live this value every day at work.</p>" for v in values)
    html = f"""<html><head><title>About | Osprey Works</title></head><body><h1>About</h1>
    <h2>Our values</h2>{body}<h3>Like what we stand for? Join us.</h3><p>We are hiring.</p>
    <h3>Osprey Works is about community</h3><p>Our community inspires us.</p>
    <h3>Our journey</h3><p>Founded in a garage.</p></body></html>"""
    analysis = _one_page("/about/", html)
    draft = OfflineReader().answer("What are Osprey Works' company values?", "list", None, analysis, "lenient")
    assert draft.value == values, (draft.value, draft.reasoning)


def test_a_short_technology_name_counts_as_an_item_among_its_kind_only():
    html = """<html><head><title>Scripts | Osprey Works</title></head><body><h1>Scripts</h1>
    <p>Osprey Works supports scripts in five programming languages: TypeScript, Python, Go, Bash and Rust.</p>
    <h2>Settings</h2><p>Go to the settings page, then Go.</p></body></html>"""
    analysis = _one_page("/scripts/", html)
    reader = OfflineReader()
    draft = reader.answer("Which programming languages does Osprey Works support?", "list", None, analysis, "lenient")
    assert draft.value == ["TypeScript", "Python", "Go", "Bash", "Rust"], (draft.value, draft.reasoning)


def test_a_technology_list_keeps_the_names_the_gazetteer_does_not_know_and_drops_its_phrases():
    html = """<html><head><title>Single sign-on | Osprey Works</title></head><body><h1>Single sign-on</h1>
    <h2>SAML identity providers</h2><p>Osprey Works has ready-made SAML support for these identity providers:</p>
    <ul><li>Okta</li><li>Rippling</li><li>OneLogin</li><li>Custom SAML integration</li></ul>
    <p>A custom integration takes any other provider: ask us for a custom setup.</p></body></html>"""
    analysis = _one_page("/sso/", html)
    question = "Which identity providers does Osprey Works support for SAML single sign-on?"
    draft = OfflineReader().answer(question, "list", None, analysis, "lenient")
    assert draft.value == ["Okta", "Rippling", "OneLogin"], (draft.value, draft.reasoning)


def test_a_place_list_reads_each_rows_most_specific_place_of_the_asked_kind():
    regions = """<html><head><title>Regions | Osprey Works</title></head><body><h1>Regions</h1>
    <p>Osprey Works databases can be deployed in these regions:</p>
    <ul><li>US East (Ohio) — us-east-2</li><li>US West (Oregon) — us-west-2</li>
    <li>Europe (Frankfurt) — eu-central-1</li></ul>
    <h2>Deployment locations</h2><table><tr><th>Name</th><th>Location</th><th>Code</th></tr>
    <tr><td>US West Metal</td><td>California, USA</td><td>usw</td></tr>
    <tr><td>EU West Metal</td><td>Amsterdam, Netherlands</td><td>euw</td></tr>
    <tr><td>Southeast Asia Metal</td><td>Singapore</td><td>sea</td></tr></table></body></html>"""
    offices = """<html><head><title>Offices | Osprey Works</title></head><body><h1>Offices</h1>
    <p>Osprey Works has offices in these cities:</p><ul><li>Leeds, United Kingdom</li><li>London</li></ul>
    </body></html>"""
    docs = [_doc("https://ospreyworks.test/regions/", regions), _doc("https://ospreyworks.test/offices/", offices)]
    analysis = Analysis("ospreyworks.test", docs).warm()
    reader = OfflineReader()
    draft = reader.answer("In which regions can Osprey Works databases be deployed?", "list", None, analysis, "lenient")
    assert draft.value == ["Ohio", "Oregon", "Frankfurt"], (draft.value, draft.reasoning)
    # A table column's items are its own cells; "city, state or country" asks for any kind.
    question = "In which deployment locations (city, state or country) does Osprey Works run its metal regions?"
    draft = reader.answer(question, "list", None, analysis, "lenient")
    assert draft.value == ["California", "Amsterdam", "Singapore"], (draft.value, draft.reasoning)
    draft = reader.answer("In which cities does Osprey Works have offices?", "list", None, analysis, "lenient")
    assert draft.value == ["Leeds", "London"], (draft.value, draft.reasoning)


def test_a_question_for_organisations_reads_the_firms_of_a_list_of_people_and_their_roles():
    cards = "".join(
        f"<div><p>{name}</p><p>{title}</p><p>{firm}</p></div>"
        for name, title, firm in [
            ("S. Somasegar", "Managing Director", "Madrona Venture Group"),
            ("Sheila Gulati", "Managing Director", "Tola Capital"),
            ("Aseem Datar", "Partner", "NEA"),
        ]
    )
    board = f"""<html><head><title>Board | Osprey Works</title></head><body><h1>About</h1>
    <h2>Board of directors</h2>{cards}</body></html>"""
    customers = """<html><head><title>Customers | Osprey Works</title></head><body><h1>Customers</h1>
    <p>Companies that trust Osprey Works:</p><ul><li>Marlow Whitcombe</li><li>Castellan Pharmaceuticals</li>
    <li>Brightwater Insurance Group</li></ul></body></html>"""
    docs = [_doc("https://ospreyworks.test/about/", board), _doc("https://ospreyworks.test/customers/", customers)]
    analysis = Analysis("ospreyworks.test", docs).warm()
    reader = OfflineReader()
    question = "Which venture firms are represented on Osprey Works' board of directors?"
    draft = reader.answer(question, "list", None, analysis, "lenient")
    assert draft.value == ["Madrona Venture Group", "Tola Capital", "NEA"], (draft.value, draft.reasoning)
    # A list with no roles in it is not a list of people: names that sound personal stay.
    draft = reader.answer("Which companies are Osprey Works customers?", "list", None, analysis, "lenient")
    assert draft.value == ["Marlow Whitcombe", "Castellan Pharmaceuticals", "Brightwater Insurance Group"], draft.value


def test_a_question_for_organisations_reads_the_companies_of_quoted_people():
    quotes = "".join(
        f"<h3>{name}</h3><p>{name}, {role} - {firm}</p><p>Osprey Works made our {what} twice as fast.</p>"
        for name, role, firm, what in [
            ("Rick Timmis", "VP Engineering", "Xiatech", "builds"),
            ("Kevin Breton", "VP of Engineering", "KnowBe4", "tests"),
            ("Paul Tipper", "Senior Software Engineer", "3M", "deploys"),
        ]
    )
    html = f"""<html><head><title>Pricing | Osprey Works</title></head><body><h1>Pricing</h1>
    <h2>Reviews</h2>{quotes}</body></html>"""
    analysis = _one_page("/pricing/", html)
    question = "Which customer companies are quoted in Osprey Works' customer reviews?"
    draft = OfflineReader().answer(question, "list", None, analysis, "lenient")
    assert draft.value == ["Xiatech", "KnowBe4", "3M"], (draft.value, draft.reasoning)
    # Asked for the people, the same reviews give the people.
    draft = OfflineReader().answer("Who is quoted in Osprey Works' reviews?", "list", None, analysis, "lenient")
    assert draft.value == ["Rick Timmis", "Kevin Breton", "Paul Tipper"], (draft.value, draft.reasoning)


def test_sibling_headings_stand_under_their_parent_heading_not_under_the_page():
    parts = {
        "Collaboration": ["Kindness", "Share", "Say thanks", "Get to know each other", "Assume good intent"],
        "Efficiency": ["Write things down", "Boring solutions", "Managers of one", "Frugality", "Be respectful"],
        "Iteration": ["Reduce cycle time", "Make a proposal", "Ship small", "Low level of shame", "Cut scope"],
    }
    body = "".join(
        f"<h3>{value}</h3><p>Why {value.lower()} matters here.</p>"
        + "".join(f"<h4>{p}</h4><p>We do this daily.</p>" for p in subs)
        for value, subs in parts.items()
    )
    html = f"""<html><head><title>Values | Osprey Works</title></head><body><h1>Values</h1>
    <h2>Our values</h2>{body}</body></html>"""
    analysis = _one_page("/values/", html)
    draft = OfflineReader().answer("What are Osprey Works' company values?", "list", None, analysis, "lenient")
    assert draft.value == list(parts), (draft.value, draft.reasoning)


def test_a_page_whose_title_has_markup_escapes_is_still_a_url_answer_cited_by_its_heading():
    pricing = """<html><head><title>Pricing &amp; Billing | Osprey Works</title></head><body>
    <h1>Pricing &amp; Billing</h1><p>How plans and invoices work.</p></body></html>"""
    quotas = """<html><head><title>Billing Quota Management | Osprey Works</title></head><body>
    <h1>Billing Quota Management</h1><p>Manage the quota your plan includes.</p></body></html>"""
    docs = [
        _doc("https://ospreyworks.test/pricing/", pricing),
        _doc("https://ospreyworks.test/pricing/quotas/", quotas),
    ]
    analysis = Analysis("ospreyworks.test", docs).warm()
    question = "Where can I find Osprey Works' pricing and billing documentation?"
    draft = OfflineReader().answer(question, "url", None, analysis, "strict")
    assert draft.value == "https://ospreyworks.test/pricing/", (draft.value, draft.reasoning)
    assert draft.evidence[0].quote in docs[0].text


def test_the_fuller_of_two_readings_of_one_enumeration_is_the_list():
    from dossier.research.read.reader import FULLER_MARGIN, _fuller_reading

    typed = {"typed": 1.0}
    part = (0.62, ["George Kartalis", "Sultan Al-Maari"], [], "series", {**typed, "series": 1.0})
    whole = (0.58, ["Matt Jones", "George Kartalis", "Sultan Al-Maari", "Rachel Quartararo"], [], "list", typed)
    assert _fuller_reading(part, [part, whole]) is whole
    # Too far below, less typed, or a site's whole stack of facts: the best stays.
    far = (part[0] - FULLER_MARGIN - 0.01, whole[1], [], "list", typed)
    loose = (0.6, [*whole[1], "Our team"], [], "list", {"typed": 0.8})
    stack = (0.6, [*whole[1], "Cloudflare"], [], "technologies", {**typed, "fact": 1.0})
    other = (0.61, ["Matt Jones", "Rachel Quartararo", "Jane Roe"], [], "list", typed)
    for reading in (far, loose, stack, other):
        assert _fuller_reading(part, [part, reading]) is part, reading


def test_a_page_the_site_links_to_from_many_pages_ranks_before_one_linked_once():
    # Two sections that match the question alike: the careers page every page links to is where a reader looks
    # first, not a blog post linked from one other post.
    nav = '<nav><a href="/careers/">Careers</a><a href="/blog/offsite/">Offsite</a></nav>'
    nav_hub = '<nav><a href="/careers/">Careers</a></nav>'
    pages = [
        (
            "/blog/offsite/",
            f"<html><head><title>Offsite</title></head><body>{nav_hub}<h1>Offsite</h1>"
            "<p>We are hiring engineers in Lisbon.</p></body></html>",
        ),
        (
            "/careers/",
            f"<html><head><title>Jobs</title></head><body>{nav_hub}<h1>Jobs</h1>"
            "<p>We are hiring engineers in Lisbon.</p></body></html>",
        ),
        ("/", f"<html><head><title>Home</title></head><body>{nav}<h1>Home</h1><p>Welcome.</p></body></html>"),
        ("/about/", f"<html><head><title>About</title></head><body>{nav_hub}<h1>About</h1><p>Hi.</p></body></html>"),
        ("/press/", f"<html><head><title>Press</title></head><body>{nav_hub}<h1>Press</h1><p>News.</p></body></html>"),
    ]
    analysis = Analysis("ospreyworks.test", [_doc(f"https://ospreyworks.test{p}", h) for p, h in pages]).warm()
    assert analysis.inlinks["ospreyworks.test/careers"] == 4  # every other page; its own link is no vote
    assert analysis.inlinks["ospreyworks.test/blog/offsite"] == 1
    hits = OfflineReader().retrieve(
        parse("Are they hiring engineers in Lisbon?", "boolean", "ospreyworks.test"), analysis
    )
    assert [urlsplit(h.section.doc.url).path for h in hits[:2]] == ["/careers/", "/blog/offsite/"]


def test_a_labelled_series_keeps_every_item_after_its_label():
    # "Users: …" labels the names after it (one written in lower case), and other languages' "and" joins a series.
    assert _series("Users: Pigment, frontify, Alphawatch, Berry, Mava") == [
        "Pigment",
        "frontify",
        "Alphawatch",
        "Berry",
        "Mava",
    ]
    assert _series("Geschäftsführer: Maximilian Deichmann, Marc Klingen und Clemens Rawert") == [
        "Maximilian Deichmann",
        "Marc Klingen",
        "Clemens Rawert",
    ]
    # Without a label, a word in lower case still ends a run of names: prose is full of them.
    assert _series("We use Python, and tests, Go and Rust") == ["Go", "Rust"]
    home = """<html><head><title>Osprey Works</title></head><body><h1>Teams rely on Osprey Works</h1>
    <p>Customers: Pigment, frontify, Alphawatch, Berry, Mava</p><h2>Tracing</h2><p>See every call.</p></body></html>"""
    analysis = _one_page("/", home)
    draft = OfflineReader().answer("Which companies are named as customers?", "list", None, analysis, "lenient")
    assert draft.value == ["Pigment", "frontify", "Alphawatch", "Berry", "Mava"], draft.reasoning


def test_a_series_can_start_after_a_clause_and_its_people_are_read_as_their_firms():
    sentence = (
        "Today, we are thrilled to announce that Osprey Works has raised $3M in new funding led by Glenn Solomon of"
        " GGV Capital, Guillermo Rauch of Vercel, and GitHub founder, Tom Preston-Werner, with continued"
        " participation from Afore Capital and Comma Capital."
    )
    # The sentence's first words are no item; the series starts at the name its long lead-in ends with.
    assert _series(sentence) == [
        "Glenn Solomon of GGV Capital",
        "Guillermo Rauch of Vercel",
        "GitHub founder",
        "Tom Preston-Werner",
        "Afore Capital",
        "Comma Capital",
    ]
    # A clause about an item ("who works at …") is still no item of its own.
    assert _series("It was founded by Juan Linietsky, who works at Google, and Ariel Manzur.") == []
    html = f"""<html><head><title>Seed round | Osprey Works</title></head><body><h1>Our seed round</h1>
    <p>{sentence}</p></body></html>"""
    analysis = _one_page("/blog/seed/", html)
    question = "Which venture capital firms have invested in Osprey Works?"
    draft = OfflineReader().answer(question, "list", None, analysis, "lenient")
    assert draft.value == ["GGV Capital", "Vercel", "Afore Capital", "Comma Capital"], (draft.value, draft.reasoning)


def test_an_acronym_the_question_names_is_said_by_the_words_it_stands_for():
    html = """<html><head><title>Support and SLA | Osprey Works</title></head><body><h1>Support and SLA</h1>
    <h2>Data Processing Addendum for the Team plan</h2>
    <p>For the Team plan, we have a Data Processing Addendum that outlines our data processing practices.</p>
    <h2>Accounts</h2><p>New users will be automatically added to the default project.</p>
    </body></html>"""
    analysis = _one_page("/docs/sla/", html)
    reader = OfflineReader()
    draft = reader.answer("Does Osprey Works offer a data processing agreement (DPA)?", "boolean", None, analysis)
    assert draft.value is True, draft.reasoning
    assert "Data Processing Addendum" in draft.evidence[0].quote
    # Three words whose letters happen to spell it ("will be automatically added") are not the words it stands for.
    draft = reader.answer("Will Osprey Works sign a BAA?", "boolean", None, analysis)
    assert draft.value is None, draft.reasoning


def test_a_title_someone_holds_says_the_company_has_one_but_not_that_it_is_hiring():
    html = """<html><head><title>About | Osprey Works</title></head><body><h1>About us</h1>
    <h2>Our team</h2><ul><li>Denise Almeida, Data Protection Officer</li><li>Jon Vale, CTO</li></ul>
    </body></html>"""
    analysis = _one_page("/about/", html)
    reader = OfflineReader()
    draft = reader.answer("Does Osprey Works have a data protection officer?", "boolean", None, analysis)
    assert draft.value is True, draft.reasoning
    assert "Denise Almeida" in draft.evidence[0].quote
    draft = reader.answer("Is Osprey Works hiring a data protection officer?", "boolean", None, analysis)
    assert draft.value is None, draft.reasoning
    # The people the site names with their titles stand as facts wherever the page is in the ranking, the way
    # its job postings do: a title held on a team page far down the retrieval still answers.
    asked = parse("Does Osprey Works have a data protection officer?", "boolean", "ospreyworks.test")
    facts = [ln.text for ln in reader._fact_lines(asked, analysis)]
    assert "has a Data Protection Officer: Denise Almeida" in facts, facts
    hiring = parse("Is Osprey Works hiring a data protection officer?", "boolean", "ospreyworks.test")
    assert not any("Denise" in ln.text for ln in reader._fact_lines(hiring, analysis))


def test_a_registered_name_carrying_the_companys_name_is_read_with_strict_modes_confidence():
    from dossier.research.calibrate import IsotonicCalibrator

    html = """<html><head><title>Contact | Osprey Works</title></head><body><h1>Contact</h1>
    <h2>Visit us</h2><p>Osprey Works AB</p><p>Nordenskiöldsgatan 24</p><p>211 19 Malmö</p></body></html>"""
    analysis = _one_page("/contact/", html)
    schema = {"type": "object", "properties": {"legal_name": {"type": "string"}, "city": {"type": "string"}}}
    question = "What is Osprey Works' registered company name and in which city is it?"
    draft = OfflineReader().answer(question, "json_schema", schema, analysis, "strict")
    kind, part = draft.parts["legal_name"]
    assert part.value == "Osprey Works AB", draft.reasoning
    # The line says nothing of "registered company name" in words, yet it is all the property asks: strict mode
    # keeps it.
    assert IsotonicCalibrator.load().probability(kind, part) >= 0.5, part.score


def test_a_labelled_postal_address_says_where_the_company_is_in_other_languages_too():
    html = """<html><head><title>Accessibilité | Osprey Works</title></head><body><h1>Déclaration d'accessibilité</h1>
    <h2>Voies de recours</h2><p>Écrire un message au responsable du site.</p>
    <p>Adresse : DINUM 20 avenue de Ségur 75007 Paris</p></body></html>"""
    home = """<html><head><title>Osprey Works</title></head><body><h1>Osprey Works</h1>
    <p>Des services publics numériques.</p></body></html>"""
    docs = [_doc("https://ospreyworks.test/", home), _doc("https://ospreyworks.test/accessibilite/", html)]
    analysis = Analysis("ospreyworks.test", docs).warm()
    draft = OfflineReader().answer("In which city is Osprey Works based?", "open_text", None, analysis, "lenient")
    assert draft.value == "Paris", draft.reasoning


def test_a_posts_byline_gives_no_year_of_the_companys_founding():
    html = """<html><head><title>AI flow builder | Osprey Works</title></head><body><h1>AI flow builder</h1>
    <p>2023-11-20 \u2014 Hugo Casademont, Founding Engineer</p>
    <p>Today we ship a builder that writes flows for you.</p></body></html>"""
    analysis = _one_page("/blog/ai-flow/", html)
    draft = OfflineReader().answer("In what year was Osprey Works founded?", "number", None, analysis, "lenient")
    assert draft.value is None, (draft.value, draft.reasoning)


def test_a_comparison_table_is_read_in_the_asked_plans_column():
    pricing = """<html><head><title>Pricing | Osprey Works</title></head><body><h1>Pricing</h1>
    <h2>Compare plans</h2>
    <table><tr><th></th><th>Hobby tier</th><th>Pro tier</th><th>Team tier</th></tr>
    <tr><td>SSO</td><td>Yes</td><td>Yes</td><td>Yes</td></tr>
    <tr><td>SSO enforcement</td><td>No</td><td>No</td><td>Yes</td></tr>
    <tr><td>Audit logs</td><td>—</td><td>✓</td><td>✓</td></tr>
    </table></body></html>"""
    analysis = _one_page("/pricing/", pricing)
    reader = OfflineReader()
    draft = reader.answer("Is SSO enforcement available on the Pro plan?", "boolean", None, analysis, "lenient")
    # The row says yes of Team; the Pro column says no (the header row, which names the tiers, says nothing).
    assert draft.value is False, draft.reasoning
    assert draft.evidence[0].quote == "SSO enforcement | No | No | Yes"
    draft = reader.answer("Is SSO enforcement available on the Team plan?", "boolean", None, analysis, "lenient")
    assert draft.value is True, draft.reasoning
    draft = reader.answer("Do they offer audit logs on the Hobby plan?", "boolean", None, analysis, "lenient")
    assert draft.value is False, draft.reasoning
    draft = reader.answer("Do they offer audit logs on the Pro plan?", "boolean", None, analysis, "lenient")
    assert draft.value is True, draft.reasoning


def test_a_title_is_held_by_the_name_written_against_it_not_by_another_name_in_the_sentence():
    press = """<html><head><title>About | Osprey Works</title></head><body><h1>In the press</h1>
    <p>Osprey Works’ 29-year-old CEO wants to replace its rival some day, but takes an anti–Elon Musk approach.</p>
    </body></html>"""
    reader = OfflineReader()
    analysis = _one_page("/about/", press)
    draft = reader.answer("Who is Osprey Works' CEO?", "open_text", None, analysis, "lenient")
    assert draft.value != "Elon Musk", draft.reasoning
    post = press.replace(
        "</body>",
        "<h2>Queues</h2><p>In this post Mira Holt, our CEO, explains how the queue works.</p></body>",
    )
    analysis = _one_page("/about/", post)
    draft = reader.answer("Who is Osprey Works' CEO?", "open_text", None, analysis, "lenient")
    assert draft.value == "Mira Holt", draft.reasoning


def test_a_name_counts_in_the_short_form_the_gazetteer_knows_it_by():
    cloud = """<html><head><title>Cloud | Osprey Works</title></head><body><h1>Osprey Cloud</h1>
    <p>Offered on AWS and GCP, with Azure currently in development.</p></body></html>"""
    analysis = _one_page("/cloud/", cloud)
    reader = OfflineReader()
    # "Azure" is Microsoft Azure (the gazetteer's shorter name of the same kind), and it is not there yet.
    draft = reader.answer("Is Osprey Cloud available on Microsoft Azure today?", "boolean", None, analysis, "strict")
    assert draft.value is False, draft.reasoning
    assert draft.evidence[0].quote == "Offered on AWS and GCP, with Azure currently in development."


def test_a_faq_question_is_answered_by_the_reply_after_it():
    faq = """<html><head><title>Pricing | Osprey Works</title></head><body><h1>Pricing</h1><h2>FAQ</h2>
    <p>Can I select a region for my data?</p><p>Not yet, but it's on our roadmap.</p>
    <p>Do you charge for events?</p><p>Nope. We only charge for the steps your code runs.</p>
    <p>Can I pay by invoice?</p><p>Yes, on annual plans.</p>
    <p>Is there a free trial?</p><p>Every plan starts with a trial of the full product.</p>
    <p>Do you offer a money-back guarantee?</p><p>No credit card is needed to start.</p></body></html>"""
    analysis = _one_page("/pricing/", faq)
    reader = OfflineReader()
    draft = reader.answer("Can I select a region for my data?", "boolean", None, analysis, "lenient")
    assert draft.value is False, draft.reasoning
    assert draft.evidence[0].quote == "Can I select a region for my data?\nNot yet, but it's on our roadmap."
    draft = reader.answer("Does Osprey Works charge for events?", "boolean", None, analysis, "lenient")
    assert draft.value is False, draft.reasoning
    draft = reader.answer("Can we pay by invoice?", "boolean", None, analysis, "lenient")
    assert draft.value is True, draft.reasoning
    # A reply that opens with neither a yes nor a no is not read as either; the question alone asserts nothing.
    draft = reader.answer("Is there a free trial?", "boolean", None, analysis, "strict")
    assert draft.value is None or draft.evidence[0].quote != "Is there a free trial?", draft.reasoning
    # "No credit card…" opens with a "no" that answers nothing.
    draft = reader.answer("Do they offer a money-back guarantee?", "boolean", None, analysis, "strict")
    assert draft.value is None, draft.reasoning


def test_a_standard_run_together_with_its_number_is_read_where_it_is_written():
    # "ISO27001" is found in the sentence that hedges it, not read from the line's first sentence.
    html = """<html><head><title>Security | Osprey Works</title></head><body><h1>Security</h1>
    <h2>Compliance</h2><p>This page covers SOC 2, GDPR and HIPAA compliance. In future, we may consider obtaining
    ISO27001 certification.</p></body></html>"""
    analysis = _one_page("/security/", html)
    draft = OfflineReader().answer(
        "Does Osprey Works hold an ISO 27001 certification?", "boolean", None, analysis, "lenient"
    )
    assert draft.value is False, draft.reasoning
    assert "ISO27001" in draft.evidence[0].quote


def test_a_credit_or_discount_is_no_price():
    # The cheapest amount on the page is a credit the plan gives, not what it costs.
    html = """<html><head><title>Plans | Osprey Works</title></head><body><h1>Plans</h1>
    <h2>Paid plans</h2><p>The Hobby plan costs $5 per month and the Pro plan costs $20 per month.</p>
    <p>Every paid plan comes with a $1 monthly credit, and new accounts get $2 in free credits.</p>
    </body></html>"""
    analysis = _one_page("/plans/", html)
    reader = OfflineReader()
    draft = reader.answer(
        "What is the monthly price of Osprey Works' cheapest paid plan?", "currency", None, analysis, "lenient"
    )
    assert draft.value == {"value": 5, "currency": "USD"}, draft.reasoning
    # ...but a question about the credit is answered by it.
    draft = reader.answer("How much monthly credit does each paid plan include?", "currency", None, analysis, "lenient")
    assert draft.value == {"value": 1, "currency": "USD"}, draft.reasoning


def test_a_customer_story_says_nothing_of_the_company_in_a_yes_or_no():
    story = """<html><head><title>Case study: Heron Foods | Osprey Works</title></head><body><h1>Heron Foods</h1>
    <h2>The challenge</h2><p>Heron Foods is hiring engineers across Europe this year, and its new team needed
    tooling from day one.</p></body></html>"""
    analysis = _one_page("/case-studies/heron-foods/", story)
    draft = OfflineReader().answer("Is Osprey Works hiring engineers?", "boolean", None, analysis, "strict")
    assert draft.value is None, draft.reasoning


def _titled_pages(pages: dict[str, str]) -> Analysis:
    """A site of pages that say nothing but their titles: what a URL question reads them by."""
    docs = [
        _doc(url, f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>Field tools.</p></body></html>")
        for url, title in pages.items()
    ]
    return Analysis("ospreyworks.test", docs).warm()


def test_a_page_named_in_another_form_of_the_questions_word_is_found():
    # "donation page": the page calls itself "Donate".
    analysis = _titled_pages(
        {
            "https://ospreyworks.test/": "Osprey Works",
            "https://ospreyworks.test/donate/": "Donate",
            "https://ospreyworks.test/contact/": "Contact",
        }
    )
    draft = OfflineReader().answer("What is the URL of Osprey Works' donation page?", "url", None, analysis, "strict")
    assert draft.value == "https://ospreyworks.test/donate/", draft.reasoning


def test_a_word_that_only_starts_like_the_questions_names_no_page():
    # "compliance" and "completion" start alike; only the compliance page is about compliance.
    analysis = _titled_pages(
        {
            "https://ospreyworks.test/cli/completion/": "osprey completion",
            "https://ospreyworks.test/enterprise/compliance/": "Compliance",
            "https://ospreyworks.test/contact/": "Contact",
        }
    )
    q = "What is the URL of Osprey Works' page on its compliance certifications?"
    draft = OfflineReader().answer(q, "url", None, analysis, "strict")
    assert draft.value == "https://ospreyworks.test/enterprise/compliance/", draft.reasoning


def test_a_cards_price_is_read_with_the_words_under_it():
    # "$35" over "per user per month": the card's words are the price's, as a prose amount's are its sentence's.
    html = """<html><head><title>Pricing | Osprey Works</title></head><body><h1>Pricing</h1>
    <h2>Pro</h2><p>$35</p><p>per user per month</p><p>Unlimited projects</p>
    <h2>Enterprise</h2><p>Custom pricing</p><p>Talk to sales</p>
    <h2>Add-ons</h2><p>Priority onboarding for your first users is a one-off $900 fee, whatever plan or month you
    start in.</p></body></html>"""
    analysis = _one_page("/pricing/", html)
    draft = OfflineReader().answer(
        "What is the price of Osprey Works' cheapest paid plan, per user per month?", "currency", None, analysis
    )
    assert draft.value == {"value": 35, "currency": "USD"}, draft.reasoning
    # ...and the question's "per user per month" stands right by it, as near as in a sentence.
    assert draft.features["near"] > 0.5, draft.features
