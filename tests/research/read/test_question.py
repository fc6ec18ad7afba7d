"""The question parser: unit, constraints, aggregates, entity and subject, read from a question's form."""

from __future__ import annotations

import pytest

from dossier.research.read.question import parse


@pytest.mark.parametrize(
    ("text", "answer_type", "unit", "noun"),
    [
        ("How many employees does Acme have?", "number", "people", "employe"),
        ("How many open engineering roles do they have?", "number", "count", "rol"),
        ("How many weeks of parental leave do employees get?", "number", "week", "week"),
        ("In what year was the company founded?", "number", "year", None),
        ("Give me the founded year", "number", "year", None),
        ("What share of revenue comes from Europe?", "percentage", "percent", None),
        ("What does the Pro plan cost?", "currency", "money", None),
        ("How many countries do they operate in?", "number", "country", "country"),
        # The counted noun is the phrase's plural, not the verb after it.
        ("How many members sit on the board?", "number", "people", "member"),
        ("How many people work at Acme?", "number", "people", "people"),
        # A record's property asked in a currency ("pro_usd_per_month") is money, not a bare number.
        ("Pro plan usd per month", "number", "money", None),
        ("What is the price in euros of the Team plan?", "number", "money", None),
        # The counted noun ends where a name starts the clause after it; a name before the noun is part of it.
        ("What is the minimum number of days off Acme expects people to take each year?", "number", "day", "day"),
        ("How many GitHub stars does the project have?", "number", "count", "star"),
        ("How much did Acme raise in its seed round?", "number", "money", None),
    ],
)
def test_units(text: str, answer_type: str, unit: str, noun: str | None) -> None:
    q = parse(text, answer_type, "acme.com")
    assert (q.unit, q.unit_noun) == (unit, noun)


def test_constraints_aggregates_and_periods() -> None:
    q = parse("What does their cheapest paid plan cost per month in 2024?", "currency", "acme.com")
    assert q.aggregate == "min" and q.period == "month" and q.years == [2024]
    assert "paid" in q.terms
    assert parse("What was the latest funding round?", "open_text").aggregate == "latest"
    assert parse("Price per seat per year of the Team plan", "currency").per_unit == "seat"
    assert parse("Price per seat per year of the Team plan", "currency").period == "year"


def test_named_things_are_the_focus_and_the_company_name_is_not() -> None:
    q = parse("Is Acme SOC 2 Type II certified?", "boolean", "acme.com")
    assert "acme" not in q.terms
    assert "SOC 2" in q.names and "soc" in q.focus
    assert q.weights["soc"] > q.weights["certifi"]


def test_entity_and_subject() -> None:
    assert parse("Who is the CEO of Acme?", "open_text", "acme.com").entity == "person"
    assert parse("Which countries are their team members in?", "list").entity == "place"
    assert parse("Which database do they run on?", "list").entity == "technology"
    assert parse("What is their refund window?", "open_text").entity is None
    assert parse("What is Acme's registered company name?", "open_text", "acme.com").entity == "legal"
    assert parse("What is the legal entity behind Acme?", "open_text", "acme.com").entity == "legal"
    assert parse("In which city is Acme's registered office?", "open_text", "acme.com").entity == "place"
    assert parse("What is their general contact email?", "open_text").entity == "email"
    assert parse("What does Acme's product do?", "open_text", "acme.com").subject == "company"
    assert parse("What does the Pro plan include?", "open_text", "acme.com").subject is None


def test_related_terms_widen_retrieval_but_count_half() -> None:
    q = parse("How many employees are there?", "number")
    assert q.weights["staff"] < q.weights["employe"]
    assert q.mentions({"staff"}) == pytest.approx(0.5)
    assert q.mentions({"employe"}) == 1.0


def test_the_company_name_as_the_question_spells_it_is_not_a_focus_term() -> None:
    # Domains run names together ("hackclub"), add words ("ziglang", "joinmastodon"); the question spells
    # the name its own way, and that name is no evidence of anything on the company's own site.
    q = parse("Does Hack Club sell its users' personal data?", "boolean", "hackclub.com")
    assert "hack" not in q.terms and "club" not in q.terms and "sell" in q.focus
    q = parse("Is Zig's main source code repository hosted on GitHub?", "boolean", "ziglang.org")
    assert "zig" not in q.terms and q.focus == ["github"]
    q = parse("Does Mastodon accept donations from arms manufacturers?", "boolean", "joinmastodon.org")
    assert not {"mastodon", "mastodo"} & set(q.terms)
    # A capitalised word that merely occurs inside the domain's name is not taken for it.
    q = parse("Is Lab work paid?", "boolean", "osiolabs.com")
    assert "work" in q.terms


def test_positions_asked_about_including_as_verbs() -> None:
    assert parse("Who founded dxw?", "open_text", "dxw.com").titles == ["founder"]
    assert parse("Who sits on the board of directors?", "list").titles[0] == "board"
    assert parse("Who are the co-founders of Bitcraze?", "list", "bitcraze.io").titles == ["founder"]
    assert parse("Which countries do they sell in?", "list").titles == []


def test_registry_labels_are_not_the_name_and_nav_words_cross_languages() -> None:
    from dossier.research.lexicon import related, stem
    from dossier.research.read.question import name_labels

    assert name_labels("beta.gouv.fr") == ["beta", "gouv"]
    assert name_labels("acme.co.uk") == ["acme", "co"]
    assert name_labels("docs.railway.com") == ["railway"]
    q = parse("What is the URL of beta.gouv.fr's recruitment page?", "url", "beta.gouv.fr")
    assert "beta" not in q.terms and "gouv" not in q.terms
    # A French site's "recrutement" and "tarifs" answer an English question's "recruitment" and "pricing".
    assert stem("recrutement") in related(stem("recruitment"))
    assert stem("tarifs") in related(stem("pricing"))


def test_what_the_question_negates_and_the_numbers_of_named_standards():
    q = parse("Is Acme a fully remote company without offices?", "boolean", "acme.com")
    assert q.denied == ["offic"] and "without" not in q.terms
    assert parse("Do they offer a free plan with no credit card required?", "boolean").denied == [
        "credit",
        "card",
        "requir",
    ]
    assert parse("Is Acme SOC 2 certified or not?", "boolean", "acme.com").denied == []
    q = parse("Is Acme SOC 2 or ISO 27001 certified?", "boolean", "acme.com")
    assert {"soc", "2", "iso", "27001"} <= set(q.focus)
    assert "3" not in parse("How many of the 3 plans include SSO?", "number").terms


def test_founded_is_not_the_found_of_can_be_found():
    from dossier.research.lexicon import tokens

    assert set(tokens("The policy can be found in the vault")).isdisjoint(tokens("When was Acme founded?"))
    assert "founded" in tokens("Acme was founded in 2018; its founding team")
    assert parse("Who founded Acme?", "open_text", "acme.com").titles == ["founder"]


def test_the_words_that_make_the_company_an_organisation_are_its_name_not_the_topic() -> None:
    q = parse("Is the Matrix.org Foundation currently hiring?", "boolean", "matrix.org")
    assert q.focus == ["hir"] and "foundat" in q.own
    q = parse("Who is the Zig Software Foundation's treasurer?", "open_text", "ziglang.org")
    assert q.terms == ["treasur"]
    # A product named after the company keeps its own word.
    q = parse("Is Qdrant Cloud available on Microsoft Azure?", "boolean", "qdrant.tech")
    assert "cloud" in q.focus


def test_the_word_year_names_the_unit_of_a_year_question_not_what_it_is_about() -> None:
    # A sentence about "the year 2023" is no closer to the founding year for sharing the word "year".
    assert parse("In what year was Acme founded?", "number", "acme.com").terms == ["founded"]
    assert "year" in parse("How many days of paid holiday per year?", "number", "acme.com").terms


def test_an_email_address_is_asked_for_not_who_provides_email() -> None:
    assert parse("What is Acme's general contact email?", "open_text", "acme.com").entity == "email"
    assert parse("What email address should customers write to?", "open_text", "acme.com").entity == "email"
    assert parse("Who provides Acme's corporate email?", "open_text", "acme.com").entity != "email"


def test_the_kind_of_service_a_technology_question_names() -> None:
    def kinds(text: str) -> set[str]:
        return set(parse(text, "list").tech_kinds)

    assert kinds("Which third-party web analytics tools does Acme use on its website?") == {"analytics"}
    assert kinds("Which monitoring, error-tracking and alerting tools do they use?") == {
        "monitoring",
        "error tracking",
        "alerting",
    }
    # "support" and "self-hosted" are the question's verbs and qualifiers, not the kinds it asks for.
    assert kinds("Which single sign-on methods does self-hosted Acme support?") == {"single sign-on"}
    assert kinds("Which live-chat tools are on their site?") == {"chat support"}
    assert kinds("What technologies does the service use?") == set()
    # A phrase about something else that happens to start with a kind's word names no kind.
    assert parse("What support coverage comes with the Enterprise plan?", "open_text").entity is None
    q = parse("Which operating systems can Acme manage?", "list")
    assert q.entity == "technology" and q.tech_kinds == {"operating system"}


def test_the_noun_a_which_question_ends_on_decides_over_a_role_word() -> None:
    assert parse("Which venture firms are represented on Acme's board?", "list").entity == "name"
    assert parse("Which venture capital firms have invested in Acme?", "list").entity == "name"
    assert parse("Which company acquired the original startup?", "open_text").entity == "name"
    assert parse("Which board members are independent?", "list").entity == "person"


def test_the_first_duration_named_is_the_one_counted_and_a_yes_no_question_asks_no_place() -> None:
    # Iterating a set of durations had picked "month" or "hour" by the run's hash seed.
    q = parse("How many compute hours per month does the Launch plan include?", "number")
    assert (q.unit, q.unit_noun) == ("hour", "hour")
    assert parse("Is Acme a remote company or office-based?", "open_text").entity is None
    assert parse("In which city is Acme's office?", "open_text").entity == "place"


def test_the_company_s_domain_written_as_its_name_is_no_term():
    # "beta.gouv.fr's services": the "fr" is part of the name, not a word an answer must say.
    q = parse("What uptime SLA percentage do beta.gouv.fr's services guarantee?", "percentage", "beta.gouv.fr")
    assert "fr" not in q.terms and "sla" in q.terms
    # Written without the subdomain the site is served under, too.
    assert "org" not in parse("Who is the Matrix.org Foundation's CFO?", "open_text", "docs.matrix.org").terms
    # A domain the question does not write leaves its words alone.
    assert "org" in parse("Which org chart tool do they use?", "open_text", "matrix.org").terms


def test_how_the_site_names_a_thing_and_how_well_known_it_is_are_not_what_the_question_is_about() -> None:
    q = parse("Which well-known companies are named as Acme users?", "list", "acme.com")
    assert q.terms == ["user"]
    q = parse("Which notable customers does Acme list?", "list", "acme.com")
    assert q.terms == ["custome"]
