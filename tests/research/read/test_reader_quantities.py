"""The offline reader's numbers, money and percentages on small pages: what is no quantity, which unit a value
has, which clause and table column it belongs to, and what a total is."""

from __future__ import annotations

from dossier.research.analysis import Analysis
from dossier.research.document import Document, build_document, visible_text
from dossier.research.read.question import parse
from dossier.research.read.reader import OfflineReader
from dossier.research.read.values import values


def _doc(url: str, html: str) -> Document:
    title, text = visible_text(html)
    return build_document(url=url, snapshot_id=url, kind="page", body=html, text=text, title=title, headers={})


def _analysis(*pages: tuple[str, str]) -> Analysis:
    return Analysis("kestrel.test", [_doc(f"https://kestrel.test{path}", html) for path, html in pages]).warm()


def _page(title: str, body: str) -> str:
    return f"<html><head><title>{title} | Kestrel</title></head><body>{body}</body></html>"


def _numbers(line: str) -> list[float]:
    return [v.value for v in values(line) if v.kind == "number"]


def test_a_time_of_day_an_ordinal_or_the_day_of_a_date_is_no_quantity():
    assert _numbers("We answer from 6am to 6pm, or 8 AM to 8 PM on weekends.") == []
    assert _numbers("The 1st of May, our 3rd party auditors and the 4th quarter.") == []
    assert _numbers("The very start of Kestrel on October 8, 2011, and a contract from 14 June 2020.") == []
    # Counts stay counts, with their units next to them.
    assert _numbers("An initial response within 2 business days, and 25 days of holiday.") == [2.0, 25.0]
    money = [v for v in values("Hobby costs $5/month.") if v.kind == "money"]
    assert [(v.value, v.period) for v in money] == [(5.0, "month")]


def test_a_number_the_question_writes_is_not_its_answer():
    faq = _page(
        "FAQ",
        "<h1>FAQ</h1><h2>Flight time</h2>"
        "<p>The Skylark 2.1 flies longer, with an expected flight time of 10 minutes.</p>",
    )
    question = "What is the flight time, in minutes, of the Skylark 2.1?"
    draft = OfflineReader().answer(question, "number", None, _analysis(("/faq/", faq)), "lenient")
    assert draft.value == 10, draft.reasoning
    assert parse(question, "number").stated == {2.1}


def test_a_duration_is_read_in_either_form_of_its_word():
    # "minutes" and "minute" stem apart ("minut", "minute"): both are the unit a question in minutes asks for.
    page = _page(
        "Battery",
        "<h1>Battery</h1><h2>Battery life</h2><p>With 2 batteries in rotation, each battery lasts 45 minutes of "
        "flight.</p>",
    )
    draft = OfflineReader().answer(
        "How long does a Kestrel battery last, in minutes?", "number", None, _analysis(("/battery/", page)), "lenient"
    )
    assert draft.value == 45, draft.reasoning


def test_a_percentage_in_a_sentence_about_something_else_is_no_guarantee():
    privacy = _page(
        "Privacy",
        "<h1>Privacy policy</h1><h2>Security of your data</h2>"
        "<p>The security of your data is important to us. Remember that no method of transmission over the "
        "Internet is 100% secure. While we strive to protect your data, we cannot guarantee its absolute "
        "security.</p>",
    )
    draft = OfflineReader().answer(
        "What uptime percentage does Kestrel guarantee in its SLA?",
        "percentage",
        None,
        _analysis(("/privacy/", privacy)),
        "strict",
    )
    assert draft.value is None, (draft.value, draft.reasoning)


def test_an_amount_asked_as_a_number_is_read_with_its_scale():
    # "How much did they raise?" asked for a number: "7.5M" beside "seed funding" is the amount, not the "2"
    # co-founders beside it.
    post = _page(
        "Seed round",
        "<h1>Announcing our seed round</h1>"
        "<p>Our 7.5M seed funding, led by Unusual Ventures, will help us bring these innovations to engineers.</p>"
        "<p>The 2 founders started the company in Berlin.</p>",
    )
    draft = OfflineReader().answer(
        "How much did Kestrel raise in its seed round?", "number", None, _analysis(("/blog/seed/", post)), "strict"
    )
    assert draft.value == 7500000, (draft.value, draft.reasoning)
    assert draft.features.get("unit") == 1.0


def test_a_service_level_agreement_is_not_any_help():
    # "SLA" is an agreement on uptime: "financial help" in a sentence with a percentage does not put it on topic.
    about = _page(
        "About",
        "<h1>About us</h1><h2>Objectives and results</h2>"
        "<p>In 2012, up to 80 % of citizens eligible for financial help with health insurance did not request it.</p>",
    )
    draft = OfflineReader().answer(
        "What uptime SLA percentage do Kestrel's services guarantee?",
        "percentage",
        None,
        _analysis(("/about/", about)),
        "strict",
    )
    assert draft.value is None, (draft.value, draft.reasoning)


def test_a_year_near_a_word_related_to_the_question_is_not_nearer_than_one_near_its_own_word():
    about = _page(
        "About",
        "<h1>About</h1><h2>History</h2>"
        "<p>In 2025, the team began moving the project to a new foundation. The project was officially "
        "incorporated as a non-profit company with a board in 2021.</p>",
    )
    draft = OfflineReader().answer(
        "In what year was Kestrel incorporated as a company?", "number", None, _analysis(("/about/", about)), "lenient"
    )
    assert draft.value == 2021, draft.reasoning


def test_a_total_is_the_largest_of_the_amounts_it_adds_up():
    news = _page(
        "Series B",
        "<h1>Kestrel raises a Series B</h1><p>Kestrel raised $80M in May, bringing our total funding to $116M.</p>",
    )
    draft = OfflineReader().answer(
        "How much funding has Kestrel raised in total?",
        "currency",
        None,
        _analysis(("/blog/series-b/", news)),
        "lenient",
    )
    assert draft.value == {"value": 116000000, "currency": "USD"}, draft.reasoning


def test_a_table_column_headed_by_another_tier_is_that_tiers():
    sla = _page(
        "SLA",
        "<h1>Service Level Agreement</h1><h2>Availability</h2>"
        "<p>The details for each tier are as follows:</p>"
        "<table><tr><th>Parameter</th><th>Standard</th><th>Enterprise</th></tr>"
        "<tr><td>Availability per Quarter</td><td>99.5%</td><td>99.9%</td></tr></table>",
    )
    draft = OfflineReader().answer(
        "What availability percentage per quarter does Kestrel's SLA commit to for the Enterprise tier?",
        "percentage",
        None,
        _analysis(("/sla/", sla)),
        "lenient",
    )
    assert draft.value == 99.9, draft.reasoning


def test_values_of_one_sentence_belong_to_the_clause_that_names_what_is_asked():
    docs = _page(
        "Insights",
        "<h1>Insights</h1><h2>Data retention</h2>"
        "<p>Team plans can access the last 7 days of data, while Business plans can access the last 90 days.</p>",
    )
    draft = OfflineReader().answer(
        "How many days of data can a Business-plan customer look back over in Kestrel's Insights?",
        "number",
        None,
        _analysis(("/insights/", docs)),
        "lenient",
    )
    assert draft.value == 90, draft.reasoning
    benefits = _page(
        "Benefits",
        "<h1>Benefits</h1><h2>Health</h2>"
        "<p>We cover 100% of health insurance coverage cost for employees and 50% of dependents.</p>"
        "<p>Additionally we cover 99% for dental and 50% for dependants.</p>",
    )
    draft = OfflineReader().answer(
        "What percentage of an employee's health insurance cost does Kestrel cover?",
        "percentage",
        None,
        _analysis(("/benefits/", benefits)),
        "lenient",
    )
    assert draft.value == 100, draft.reasoning


def test_spelled_numbers_are_read_whole_and_once():
    assert _numbers("We are twenty-five people, forty two contractors and a dozen interns.") == [25.0, 42.0, 12.0]
    # The figure in brackets restates the word: one value, whose unit is the word after the figure.
    assert _numbers("Pay within ten (10) business days.") == [10.0]


def test_the_question_parser_reads_caps_products_and_beginnings():
    # "Up to what percentage" echoes the page's "up to 4%": no maximum over every percentage on the page.
    assert (
        parse("Up to what percentage does Kestrel match 401k contributions?", "percentage", "kestrel.test").aggregate
        is None
    )
    assert parse("What is the maximum flight time?", "number").aggregate == "max"
    # "Kestrel Cloud" names which product: "cloud" says nothing more of the topic than the company's name.
    assert (
        "cloud" not in parse("What uptime percentage does Kestrel Cloud guarantee?", "percentage", "kestrel.test").topic
    )
    # When something began is the earliest of the years that read as well.
    assert parse("In what year was Kestrel founded?", "number", "kestrel.test").aggregate == "first"
    assert parse("How far back can a Business-plan customer look?", "open_text", "kestrel.test").plans == ["Business"]


def test_a_count_is_what_the_noun_after_it_counts_and_never_a_limit():
    handbook = _page(
        "Handbook",
        "<h1>Handbook</h1><h2>Payments</h2>"
        "<p>If a customer fails to pay within 10 business days, we send a reminder.</p>"
        "<h2>Plans</h2><p>The Community plan is free for companies with fewer than 10 employees.</p>",
    )
    analysis = _analysis(("/handbook/", handbook))
    reader = OfflineReader()
    reader.traces = []
    reader.answer("How many paying customers does Kestrel have?", "number", None, analysis, "strict")
    # "10 business days" counts days: another unit than customers, though "business" is one of their words.
    assert {value: features["unit"] for _, value, features, _ in reader.traces} == {10.0: -1.0}
    reader.traces = []
    draft = reader.answer("How many employees does Kestrel have?", "number", None, analysis, "strict")
    # "fewer than 10 employees" sets a limit: no count of the company's people.
    assert draft.value is None and reader.traces == [], (draft.value, reader.traces)


def test_a_year_question_asks_for_the_earliest_of_the_years_that_read_as_well():
    history = _page(
        "History",
        "<h1>History</h1><h2>Beginnings</h2><p>This commit was the very start of Kestrel on October 8, 2011.</p>",
    )
    learning = _page(
        "Learning",
        "<h1>Learning platform</h1><h2>Access</h2><p>All Kestrel people managers will receive unlimited access "
        "to the platform for the year, starting February 13th, 2025.</p>",
    )
    analysis = _analysis(("/handbook/company/history/", history), ("/handbook/learning/", learning))
    draft = OfflineReader().answer("In what year was Kestrel started?", "number", None, analysis, "lenient")
    assert draft.value == 2011, draft.reasoning


def test_a_unit_word_that_modifies_another_noun_or_ends_another_clause_is_not_what_is_counted():
    governance = _page(
        "Governance",
        "<h1>How Kestrel is run</h1><h2>Employee ownership</h2>"
        "<p>There are 5 trustee positions: 2 employee trustees elected by staff, 2 independent trustees and our "
        "founder.</p>",
    )
    reader = OfflineReader()
    reader.traces = []
    reader.answer(
        "How many employees does Kestrel have?", "number", None, _analysis(("/governance/", governance)), "strict"
    )
    # Each 2 counts trustees: "employee" modifies them, and "staff" ends the clause before the second.
    assert reader.traces and all(f["unit"] < 1 for _, value, f, _ in reader.traces if value == 2.0), reader.traces


def test_people_of_another_company_are_not_the_companys():
    blog = _page(
        "Testing",
        "<h1>Local testing</h1><h2>A conversation</h2>"
        "<p>The post is a conversation between two employees at Zephyr, a developer and a tester.</p>",
    )
    reader = OfflineReader()
    reader.traces = []
    reader.answer("How many employees does Kestrel have?", "number", None, _analysis(("/blog/", blog)), "strict")
    assert {value: f["unit"] for _, value, f, _ in reader.traces} == {2.0: -1.0}, reader.traces


def test_a_values_part_of_its_sentence_runs_over_the_clauses_that_hold_no_other_value():
    people = _page(
        "People",
        "<h1>People</h1><h2>Working time</h2>"
        "<p>Our full time customer work is 80%, so we have 20% of working hours, usually Friday, to work together "
        "on internal projects or professional development.</p>",
    )
    draft = OfflineReader().answer(
        "What percentage of working time does Kestrel set aside for internal projects and development?",
        "percentage",
        None,
        _analysis(("/people/", people)),
        "lenient",
    )
    assert draft.value == 20, (draft.value, draft.reasoning)
    billing = _page(
        "Billing",
        "<h1>Billing</h1><h2>Allowances</h2>"
        "<p>This is under the 300 compute hours (1,200 active hours)/month allowance for the Launch plan and 750 "
        "compute hours (3000 active hours)/month for the Scale plan.</p>",
    )
    draft = OfflineReader().answer(
        "How many compute hours per month are included in Kestrel's Scale plan?",
        "number",
        None,
        _analysis(("/billing/", billing)),
        "lenient",
    )
    assert draft.value == 750, (draft.value, draft.reasoning)


CONTACT = """<html><head><title>Contact | Kestrel</title></head><body>
<h1>Contact</h1>
<h2>Project Founders:</h2><ul><li>Nina Albers (nalbers)</li><li>Tom Reyes (treyes)</li></ul>
<h2>Team</h2><ul><li>Ada Moss</li><li>Lena Park</li><li>Jon Vale</li></ul>
</body></html>"""


def test_a_heading_that_names_what_is_counted_says_how_many_its_list_holds():
    from dossier.config import Settings
    from dossier.research.calibrate import IsotonicCalibrator

    analysis = _analysis(("/contact/", CONTACT))
    reader, calibrator = OfflineReader(), IsotonicCalibrator.load()
    bar = Settings().strict_min_confidence
    founders = reader.answer("How many founders does Kestrel have?", "number", None, analysis, "strict")
    assert founders.value == 2, founders.reasoning
    assert calibrator.probability("number", founders) >= bar, founders.score  # strict mode keeps it
    # Three names under "Team" are some of the people, not a headcount.
    staff = reader.answer("How many employees does Kestrel have?", "number", None, analysis, "strict")
    assert staff.value is None or calibrator.probability("number", staff) < bar, (staff.value, staff.score)
