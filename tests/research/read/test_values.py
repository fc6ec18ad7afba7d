"""Typed values and enumerations read from lines of real-looking page text."""

from __future__ import annotations

from dossier.research.read.entities import persons, places
from dossier.research.read.reader import _lead, _series
from dossier.research.read.values import values


def _kinds(line: str) -> list[tuple[str, float, str | None, str | None]]:
    return [(v.kind, v.value, v.currency, v.period) for v in values(line)]


def test_money_with_periods_and_multipliers() -> None:
    assert _kinds("Pro | $20 /month per user") == [("money", 20.0, "USD", "month")]
    assert _kinds("We raised a $4M seed round in 2021.") == [
        ("money", 4_000_000.0, "USD", None),
        ("year", 2021.0, None, None),
    ]
    assert _kinds("a grant of 1.5 million EUR") == [("money", 1_500_000.0, "EUR", None)]
    assert _kinds("€36 Hetzner instance") == [("money", 36.0, "EUR", None)]
    # a monthly figure billed once a year is not the monthly price
    assert _kinds("or $39/month billed annually") == [("money", 39.0, "USD", "month-billed-yearly")]
    # A capital M or B against a number multiplies it without a money sign; "5 m" apart may be metres.
    assert _kinds("Fleet manages over 1.65M hosts") == [("number", 1_650_000.0, None, None)]
    assert _kinds("Our 7.5M seed funding") == [("number", 7_500_000.0, None, None)]
    assert _kinds("a 5 m cable, 2.5k stars") == [("number", 5.0, None, None), ("number", 2_500.0, None, None)]


def test_quantities_keep_the_words_around_them() -> None:
    (days, bank) = values("We offer 25 days of holiday plus 8 bank holidays")
    assert days.value == 25 and days.after[0] == "day"
    assert bank.after[:2] == ("bank", "holiday")
    (cycle, pct, people) = values("a 6-week cycle, 30% discount, twelve people")
    assert cycle.duration == "week" and pct.kind == "percent" and people.value == 12
    (k,) = values("around 2.5k customers")
    assert k.value == 2500 and k.after[0] == "custome"
    # "5 m" is five metres, not five million, without a money sign
    assert values("a 5 m cable")[0].value == 5


def test_series_in_prose() -> None:
    assert _series("We are backed by Index Ventures, Battery Ventures, New Enterprise Associates and Cortical.") == [
        "Index Ventures",
        "Battery Ventures",
        "New Enterprise Associates",
        "Cortical",
    ]
    assert _series("The websites are using Google Analytics and Hotjar .") == ["Google Analytics", "Hotjar"]
    assert _series(
        "Our team is distributed across the United States, Mexico, Canada, the Dominican Republic and Germany."
    ) == ["United States", "Mexico", "Canada", "Dominican Republic", "Germany"]
    assert _series("We like apples and oranges.") == []


def test_series_brought_in_by_joining_words() -> None:
    # "led by X, with participation from Y, Z and W": each item after the words that bring it in, a name that
    # starts with a number among them.
    assert _series(
        "We raised a $15m Series B round, led by Y Combinator's Continuity Fund, with participation from GV, "
        "1984 Ventures and Tapas Capital."
    ) == ["Y Combinator's Continuity Fund", "GV", "1984 Ventures", "Tapas Capital"]
    # A clause about an item is not another item.
    assert _series("It was started by Juan Linietsky, who works at Acme, and Ariel Manzur.") == []


def test_series_items_are_read_without_their_marks_and_labels() -> None:
    assert _series("Our values are 🤝 Collaboration, 📈 Results for Customers, ⏱️ Efficiency and 👁️ Transparency.") == [
        "Collaboration",
        "Results for Customers",
        "Efficiency",
        "Transparency",
    ]
    # The label's word before a colon is not part of the first name.
    assert _series("We share it with these providers: Segment, Auth0, Stripe and Amazon Web Services.") == [
        "Segment",
        "Auth0",
        "Stripe",
        "Amazon Web Services",
    ]
    # "the likes of Retool": the name starts at its capital; "n8n" is a brand though written in lower case.
    assert _series("It is an alternative to the likes of Retool, Superblocks, n8n, Airflow and Temporal.") == [
        "Retool",
        "Superblocks",
        "n8n",
        "Airflow",
        "Temporal",
    ]


def test_list_item_leads() -> None:
    assert _lead("Slack — alerts in your channels") == "Slack"
    assert _lead("SAML authentication: sign in with your IdP") == "SAML authentication"
    assert _lead("PagerDuty (incidents)") == "PagerDuty"


def test_people_and_places() -> None:
    text = (
        "Board of Directors Tom Preston-Werner Co-founder, GitHub Quinn Slack Co-founder. Bob van Luijt "
        "Co-founder and CEO. Felix Hlatky Executive Director."
    )
    assert persons(text) == ["Tom Preston-Werner", "Quinn Slack", "Bob van Luijt", "Felix Hlatky"]
    assert persons("Email\nCompany") == []
    assert places("Mühlenstraße 8a 14167 Berlin Germany") == ["Berlin", "Germany"]  # in the order named
    assert places("Team members in the US, UK, Mexico and the United States") == [
        "United States",
        "United Kingdom",
        "Mexico",
    ]  # countries by their names, once


def test_where_and_who_questions_are_answered_by_the_place_or_the_name() -> None:
    from dossier.research.read.question import parse
    from dossier.research.read.reader import _answer_span

    def span(question: str, passage: str, domain: str) -> str | None:
        return _answer_span(parse(question, "open_text", domain), passage, frozenset())

    assert span("Where are they headquartered?", "Slow Co is headquartered in Lima, Peru.", "slow.test") == "Lima, Peru"
    assert span("Where are they based?", "We are headquartered in Bergen, Norway.", "x.test") == "Bergen, Norway"
    assert span("Who is the CEO?", "Bob van Luijt is our CEO and co-founder.", "weaviate.io") == "Bob van Luijt"
    # A name holds the title written against it, with at most a word of whose title it is between them...
    assert span("Who is the CEO?", "In this post Tony Holdstock-Brown, our CEO, explains it.", "x.test") == (
        "Tony Holdstock-Brown"
    )
    contact = (
        "Contact: Campbell McDonald (independent chair), Harry Metcalfe (dxw founder), William Heath (shareholder)"
    )
    assert span("Who founded dxw?", contact, "dxw.com") == "Harry Metcalfe"
    # ...and a sentence whose only name stands apart from the title names no holder of it.
    assert span("Who is the CEO?", "Its 29-year-old CEO takes an anti-Elon Musk approach.", "x.test") is None
    assert span("What is their refund window?", "Refunds within 30 days.", "x.test") is None


def test_a_hyphenated_word_of_the_question_is_near_only_as_a_whole() -> None:
    from dossier.research.read.question import parse
    from dossier.research.read.reader import _nearness
    from dossier.research.read.values import values

    q = parse("How much is Acme's monthly stipend for full-time employees?", "currency", "acme.com")
    text = "Part-time: $100, paid out at the end of every quarter. Full-time: $200."
    near = {v.value: _nearness(q, text, v) for v in values(text)}
    assert near[200.0] > near[100.0]


def test_amounts_as_french_and_german_pages_write_them() -> None:
    from dossier.research.read.values import values

    (fast,) = values("Le cofinancement est limité à 300 000 € maximum par produit numérique par an.")
    assert (fast.value, fast.kind, fast.currency, fast.period) == (300000.0, "money", "EUR", "year")
    (price,) = values("Preis: 1 200 € pro Monat")
    assert (price.value, price.currency, price.period) == (1200.0, "EUR", "month")
    assert [v.value for v in values("raised 1,5 million")] == [1500000.0]
    # A year before a count stays a year; three-digit groups join only when they are groups.
    assert [(v.value, v.kind) for v in values("in 2019 100 people joined")] == [(2019.0, "year"), (100.0, "number")]
    assert [v.value for v in values("1,234,567 rows and 1,2,3")] == [1234567.0, 1.0, 2.0, 3.0]


def test_the_name_written_against_a_position_holds_it() -> None:
    from dossier.research.read.question import parse
    from dossier.research.read.reader import _answer_span

    def who(question: str, passage: str) -> str | None:
        return _answer_span(parse(question, "open_text", "acme.com"), passage, frozenset())

    passage = "— Mira Holt, COO, and Jon Vale, founder"
    assert who("Who is Acme's COO?", passage) == "Mira Holt"
    assert who("Who is Acme's founder?", passage) == "Jon Vale"
    assert who("Who is Acme's COO?", "Founder Jon Vale and COO Mira Holt run it") == "Mira Holt"


def test_the_lower_end_of_a_range_takes_the_scale_written_after_the_upper_end():
    assert [(v.kind, v.value) for v in values("a $5 to $7 million per year donor network")] == [
        ("money", 5e6),
        ("money", 7e6),
    ]
    assert [v.value for v in values("between 2 and 3 billion requests a day")] == [2e9, 3e9]
    assert [v.value for v in values("Salary: $120K - $140k")] == [120e3, 140e3]
    # Not a range: two amounts that only stand near each other keep their own scales.
    assert [v.value for v in values("We raised $5, then 3 million users came")] == [5, 3e6]
