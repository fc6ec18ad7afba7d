"""The offline reader's open-text answers and records on small pages: who holds a title the question asks by a
verb, the company's own registered name wherever the site states it, what a record's property names."""

from __future__ import annotations

from dossier.research.analysis import Analysis
from dossier.research.document import Document, build_document, visible_text
from dossier.research.read.question import entity_named_by, parse
from dossier.research.read.reader import OfflineReader, _property_question, _title_held_elsewhere

HOME = """<html><head><title>Kestrel | Flight logs for drones</title></head><body>
<h1>Flight logs for drone fleets</h1>
<p>Kestrel keeps every flight of every drone in one searchable log.</p>
<footer><p>© 2025 • Kestrel is a registered trademark of Harrier Systems, Inc.</p></footer>
</body></html>"""

GOVERNANCE = """<html><head><title>How Kestrel is run | Kestrel</title></head><body>
<h1>How Kestrel is run</h1>
<h2>Raising a concern</h2>
<p>Write to the board if something worries you.</p>
<p>Contact: Ada Moss (independent chair), Tom Reyes (Kestrel founder), Lena Park (employee trustee)</p>
</body></html>"""

BLOG = """<html><head><title>Scaling the log store | Kestrel</title></head><body>
<h1>Scaling the log store</h1>
<p>The log store is written in Rust. Take a deep dive into it with Kestrel Co-Founder, Nina Albers.</p>
</body></html>"""


def _doc(url: str, html: str) -> Document:
    title, text = visible_text(html)
    return build_document(url=url, snapshot_id=url, kind="page", body=html, text=text, title=title, headers={})


def _analysis(*pages: tuple[str, str]) -> Analysis:
    return Analysis("kestrel.test", [_doc(f"https://kestrel.test{path}", html) for path, html in pages]).warm()


def test_who_founded_it_is_answered_by_the_person_the_site_calls_its_founder():
    analysis = _analysis(("/", HOME), ("/about/how-kestrel-is-run/", GOVERNANCE))
    draft = OfflineReader().answer("Who founded Kestrel?", "open_text", None, analysis, "strict")
    assert draft.value is not None, draft.reasoning
    assert "Tom Reyes" in str(draft.value)


def test_a_title_followed_by_a_name_is_held_by_that_person_not_at_another_organisation():
    q = parse("Who is one of Kestrel's co-founders?", "open_text", "kestrel.test")
    assert not _title_held_elsewhere(q, "Take a deep dive into it with Kestrel Co-Founder, Nina Albers.")
    assert not _title_held_elsewhere(q, "Contact: Ada Moss (chair), Tom Reyes (co-founder), Lena Park (trustee)")
    # An employer after the comma still holds the title elsewhere.
    assert _title_held_elsewhere(q, "Jon Vale, Co-Founder, Osprey Works")
    analysis = _analysis(("/", HOME), ("/blog/scaling/", BLOG))
    draft = OfflineReader().answer("Who is one of Kestrel's co-founders?", "open_text", None, analysis, "strict")
    assert draft.value == "Nina Albers", draft.reasoning


def test_the_registered_name_is_read_from_the_footer_that_states_it():
    analysis = _analysis(("/", HOME), ("/about/how-kestrel-is-run/", GOVERNANCE))
    draft = OfflineReader().answer(
        "What is the legal name of the company behind Kestrel?", "open_text", None, analysis, "strict"
    )
    assert draft.value is not None, draft.reasoning
    assert "Harrier Systems" in str(draft.value)
    assert draft.evidence and "Harrier Systems, Inc." in draft.evidence[0].quote


def test_words_that_frame_a_question_are_not_what_it_is_about():
    assert parse("Who is one of Kestrel's co-founders?", "open_text", "kestrel.test").terms == ["founder"]
    assert parse("What is the legal name of the company behind Kestrel?", "open_text", "kestrel.test").terms == [
        "legal"
    ]


def test_a_property_names_the_kind_of_value_it_holds():
    assert entity_named_by(["legal", "entity"]) == "legal"
    assert entity_named_by(["register", "number"]) == "identifier"
    assert entity_named_by(["contact", "email"]) == "email"
    assert entity_named_by(["email", "provider"]) != "email"  # a tool, not an address
    assert entity_named_by(["office", "city"]) == "place"
    assert entity_named_by(["ceo"]) == "person"


def test_a_property_question_keeps_a_dotted_name_whole():
    props = {"contact_email": {"type": "string"}, "city": {"type": "string"}}
    asked = _property_question(
        "What is beta.gouv.fr's general contact email and in which city is it based?", "contact_email", {}, props
    )
    assert "beta.gouv.fr's" in asked
    assert "city" not in asked


CLIENTS = """<html><head><title>Clients | Kestrel</title></head><body>
<h1>Clients for programming languages</h1>
<p>Use the ready-made client for Python or other programming languages to send flight logs.</p>
</body></html>"""

ENGINEERING = """<html><head><title>Engineering | Kestrel</title></head><body>
<h1>Engineering at Kestrel</h1>
<h2>Our language</h2>
<p>The log store is written in Rust.</p>
<p>Our ingest path is written in Rust too, for the same reasons.</p>
<p>The query engine, also written in Rust, reads the logs back.</p>
</body></html>"""


def test_a_technology_question_takes_what_the_site_says_again_and_again():
    analysis = _analysis(("/", HOME), ("/docs/clients/", CLIENTS), ("/blog/rust/", ENGINEERING))
    draft = OfflineReader().answer(
        "In which programming language is Kestrel written?", "open_text", None, analysis, "strict"
    )
    assert draft.value is not None, draft.reasoning
    assert "Rust" in str(draft.value)


def test_a_headline_names_the_organisation_right_before_a_title():
    q = parse("Who founded Kestrel?", "open_text", "kestrel.test")
    assert _title_held_elsewhere(q, "Elon Musk Drives Even Some Twitter Founders to Kestrel")
    assert not _title_held_elsewhere(q, "Meet the Kestrel Founders at the Spring Meetup")


def test_a_country_is_read_from_a_city_and_country_run():
    from dossier.research.read.reader import _answer_span

    q = parse("In which country is Kestrel based?", "open_text", "kestrel.test")
    assert _answer_span(q, "We are based in Malmö, Sweden, and we love drones.", frozenset()) == "Sweden"


def test_a_property_value_is_looked_for_after_the_property_words():
    from dossier.research.read.reader import _span

    q = parse("Under what stock ticker does Kestrel trade?", "open_text", "kestrel.test")
    sentence = 'Kestrel began trading on the Nasdaq on October 14, 2021 under the ticker symbol "KSTL."'
    assert _span(sentence, q, frozenset()) == "KSTL"


TIMELINE = """<html><head><title>Timeline | Kestrel</title></head><body>
<h1>Our timeline</h1>
<h2>2021</h2><p>Kestrel spins out of Harrier.</p>
<h2>2022</h2><p>Read the yearly letter by our CEO Ada Moss.</p>
</body></html>"""


def test_a_which_company_property_is_an_organisation_beside_a_who_clause():
    analysis = _analysis(("/", HOME), ("/timeline/", TIMELINE))
    props = {"ceo": {"type": "string"}, "spun_out_of": {"type": "string"}}
    draft = OfflineReader().answer(
        "Who is Kestrel's CEO, and which company did Kestrel spin out of?",
        "json_schema",
        {"type": "object", "properties": props},
        analysis,
        "strict",
    )
    assert isinstance(draft.value, dict), draft.reasoning
    assert draft.value.get("spun_out_of") == "Harrier"
    assert draft.value.get("ceo") != "Harrier"


def test_an_aside_naming_an_organisation_after_the_title_holds_it_elsewhere():
    q = parse("Who is Kestrel's CTO?", "open_text", "kestrel.test")
    assert _title_held_elsewhere(q, "We brought on board Jon Vale (CTO Harrier) as an investor.")
    assert not _title_held_elsewhere(q, "Nina Albers (CTO Kestrel) leads engineering.")


def test_a_board_officer_is_a_position_people_hold():
    for question in ("Who is Kestrel's treasurer?", "Who is Kestrel's data protection officer?"):
        q = parse(question, "open_text", "kestrel.test")
        assert q.entity == "person" and q.titles, question


def test_a_title_modifier_is_no_organisation():
    q = parse("Who is Kestrel's managing director?", "open_text", "kestrel.test")
    assert not _title_held_elsewhere(q, "Managing Director")
    assert _title_held_elsewhere(q, "Harrier Director")


CONTACT = """<html><head><title>Contact | Kestrel</title></head><body>
<h1>Contact us</h1>
<h2>Kestrel team</h2>
<p>The team is made of many people around the world.</p>
<h3>Lead Developer:</h3><p>Tom Reyes (treyes)</p>
<h3>Project Manager:</h3><p>Lena Park (lpark)</p>
</body></html>"""


def test_a_label_heading_names_the_position_of_the_line_under_it():
    analysis = _analysis(("/", HOME), ("/contact/", CONTACT))
    props = {"lead_developer": {"type": "string"}, "project_manager": {"type": "string"}}
    draft = OfflineReader().answer(
        "Who are Kestrel's lead developer and project manager?",
        "json_schema",
        {"type": "object", "properties": props},
        analysis,
        "strict",
    )
    assert isinstance(draft.value, dict), draft.reasoning
    assert draft.value.get("project_manager") == "Lena Park"


ABOUT = """<html><head><title>About | Kestrel</title></head><body>
<h1>About Kestrel</h1>
<p>We are based in Malmö, Sweden, and we fly drones over the Öresund every week.</p>
<p>Kestrel is open source. Unlike Zen, a closed-source fork maintained by Harrier, it is free.</p>
<h2>Licence</h2><p>Free Apache-2.0 license for the self-hosted edition.</p>
</body></html>"""


def test_where_the_company_says_it_is_answers_which_country_as_surely_as_which_city():
    analysis = _analysis(("/about/", ABOUT))
    reader = OfflineReader()
    city = reader.answer("In which city is Kestrel based?", "open_text", None, analysis, "strict")
    country = reader.answer("In which country is Kestrel registered?", "open_text", None, analysis, "strict")
    assert "Malmö" in str(city.value) and country.value == "Sweden", (city.reasoning, country.reasoning)
    # The sentence names a place of the kind asked, in none of the country question's words: as sure an answer.
    assert abs(country.score - city.score) < 0.05, (country.score, city.score)


def test_a_licence_question_is_answered_by_a_licence_name_or_not_at_all():
    from dossier.research.read.entities import licences

    assert licences("released under the permissive MIT license") == ["MIT"]
    assert licences("Free Apache-2.0 license") == ["Apache-2.0"]
    assert licences("the Elastic License 2.0, or the Apache License, Version 2.0") == [
        "Elastic License 2.0",
        "Apache License, Version 2.0",
    ]
    assert licences("GNU Affero General Public License v3 or the BSD-3-Clause") == [
        "GNU Affero General Public License v3",
        "BSD-3-Clause",
    ]
    assert licences("Apache Kafka and the Apache Software Foundation") == []
    assert (
        parse("Under which open-source licence is Kestrel released?", "open_text", "kestrel.test").entity == "licence"
    )
    reader = OfflineReader()
    draft = reader.answer(
        "Under which open-source licence is Kestrel released?",
        "open_text",
        None,
        _analysis(("/about/", ABOUT)),
        "lenient",
    )
    assert draft.value == "Apache-2.0", draft.reasoning
    bare = ABOUT.replace("<h2>Licence</h2><p>Free Apache-2.0 license for the self-hosted edition.</p>", "")
    draft = reader.answer(
        "Under which licence is Kestrel released?", "open_text", None, _analysis(("/about/", bare)), "lenient"
    )
    assert draft.value is None, draft.value  # "open source", "a closed-source fork" name no licence
