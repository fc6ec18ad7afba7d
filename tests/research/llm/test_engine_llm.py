"""The engine with a language model configured, end to end on both databases: sites over real HTTP(S) through
the fixture proxy, the real `openai` client against a scripted OpenAI-compatible server, a SearXNG-format
search server. The research loop fetching what the model asks for, search results stored before they are
cited, tokens and cost per question, the budget refusing a call, a rate-limited model not failing the question."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime

import pytest

from dossier.kit.db import Database
from dossier.kit.dns import Resolver
from dossier.kit.http import GuardedClient
from dossier.research import repository
from dossier.research.engine import ResearchEngine, policy_from
from dossier.research.llm.meter import BudgetExceeded
from tests.conftest import Backend
from tests.fixtures.servers import SITE_ADDRESS, FixtureDNS, SiteProxy
from tests.research.llm.servers import (
    Out,
    ScriptedChat,
    SearchServer,
    completion,
    prompt_of,
    reply,
    scripted_chat,
    search_server,
    section_of,
)
from tests.research.llm.test_answerer import CEO, HOME, INJECTION, STORY

NEWS = """<html><head><title>Acme raises Series A - Wire</title></head><body><h1>Acme raises $12M</h1>
<p>Northwind Ventures led the $12M Series A in Acme, the widget maker.</p></body></html>"""
NEWS_URL = "https://news-wire.test/acme-series-a"
LEAD = "Northwind Ventures led the $12M Series A in Acme, the widget maker."
PERSON_URL = "https://dana-reyes.test/"
PERSON_HOME = """<html><head><title>Dana Reyes</title></head><body><h1>Dana Reyes</h1>
<p>Photos and notes by Dana Reyes.</p>
<a href="/talks">Talks</a> <a href="/photos">Photos</a></body></html>"""
TALKS = """<html><head><title>Talks - Dana Reyes</title></head><body><h1>Talks</h1>
<p>Dana Reyes spoke at WidgetConf 2025 about factory automation.</p></body></html>"""
TALK = "Dana Reyes spoke at WidgetConf 2025 about factory automation."
BOARD = "Dana Reyes joined the Northwind Ventures board in 2022."
BOARD_URL = "https://news-wire.test/dana-reyes-board"
BOARD_PAGE = f"""<html><head><title>Board news - Wire</title></head><body><h1>Board news</h1>
<p>{BOARD}</p><a href="/other-story">Other story</a></body></html>"""
HIRED = "Since 2023 Dana Reyes has hired 12 engineers for the Lyon plant."
CAREERS = f"""<html><head><title>Careers - Acme</title></head><body><h1>Join Acme</h1>
<p>{HIRED}</p></body></html>"""


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[SiteProxy, FixtureDNS]]:
    with SiteProxy() as proxy, FixtureDNS() as dns:
        robots = b"User-agent: *\nAllow: /\n"
        pages = {"/": HOME.encode(), "/story": STORY.encode(), "/careers": CAREERS.encode(), "/robots.txt": robots}
        proxy.add_host("acme-llm.test", pages)
        news = {"/acme-series-a": NEWS.encode(), "/dana-reyes-board": BOARD_PAGE.encode(), "/robots.txt": robots}
        proxy.add_host("news-wire.test", news)
        proxy.add_host("dana-reyes.test", {"/": PERSON_HOME.encode(), "/talks": TALKS.encode(), "/robots.txt": robots})
        for host in ("acme-llm.test", "news-wire.test", "evil.test", "dana-reyes.test"):
            dns.add_record(host, "A", SITE_ADDRESS)
        yield proxy, dns


@pytest.fixture
def chat() -> Iterator[ScriptedChat]:
    with scripted_chat() as s:
        yield s


@pytest.fixture
def search() -> Iterator[SearchServer]:
    with search_server() as s:
        yield s


def make_engine(backend: Backend, db: Database, sites, chat: ScriptedChat, search: SearchServer, **kw: object):
    proxy, dns = sites
    settings = backend.settings.model_copy(
        update={
            "dns_nameservers": dns.nameserver,
            "allow_private_networks": dns.site_network,
            "fetch_timeout_seconds": 3.0,
            "crawl_max_delay_seconds": 0.0,
            "crawl_ttl_seconds": 0.0,
            "crawl_max_pages": 1,  # the home page only: the rest is for the research loop to find
            "llm_base_url": chat.base_url,
            "llm_model": "scripted",
            "llm_api_key": "sk-test",
            "llm_timeout_seconds": 5.0,
            "search_searxng_url": search.url,
            "search_timeout_seconds": 2.0,
            **kw,
        }
    )
    resolver = Resolver.from_setting(dns.nameserver)
    client = GuardedClient(policy_from(settings), resolver, env=proxy.env())
    return ResearchEngine(db, settings, client=client, resolver=resolver)


@pytest.fixture
async def engine(backend, db, sites, chat, search) -> AsyncIterator[ResearchEngine]:
    eng = make_engine(backend, db, sites, chat, search)
    yield eng
    await eng.aclose()


async def test_the_loop_fetches_a_link_the_model_asks_for_and_cites_it(engine, chat, sites):
    proxy, _ = sites
    proxy.reset_counts()

    def script(req: dict, n: int) -> Out:
        if CEO not in prompt_of(req):
            return completion(reply(None, links=["https://acme-llm.test/story"]))
        return completion(reply("Dana Reyes", [(section_of(req, CEO), CEO)]))

    chat.script = script
    res = await engine.ask("acme-llm.test", "Who leads Acme?", "open_text")
    assert res.answer == {"type": "open_text", "openText": {"value": "Dana Reyes"}}
    assert [e["url"] for e in res.evidence] == ["https://acme-llm.test/story"]
    assert res.evidence[0]["quote"] == CEO and res.evidence[0]["snapshotId"]
    assert res.pages_read == ["https://acme-llm.test/story"] and proxy.hits("acme-llm.test", "/story") == 1
    assert len(chat.requests) == 2 and res.tokens == 2 * 1100


async def test_a_contact_question_follows_a_link_on_the_persons_own_page(engine, chat, sites, db):
    """Contact questions use the same loop: the model asks for a page linked from the person's profile, which is
    fetched through the guarded client, stored, read as theirs (it names them) and cited."""
    proxy, _ = sites
    proxy.reset_counts()

    def script(req: dict, n: int) -> Out:
        if TALK not in prompt_of(req):
            return completion(reply(None, links=["https://dana-reyes.test/talks"]))
        return completion(reply("2025", [(section_of(req, TALK), TALK)]))

    chat.script = script
    res = await engine.ask_person(
        "Dana Reyes", None, "In which year did they speak at WidgetConf?", "number", profile_urls=(PERSON_URL,)
    )
    assert "https://dana-reyes.test/talks" in prompt_of(chat.requests[0])  # offered from their page's links
    assert res.answer == {"type": "number", "number": {"value": 2025}}
    ev = res.evidence[0]
    assert ev["url"] == "https://dana-reyes.test/talks" and ev["quote"] == TALK
    stored = await db.read(lambda c: repository.snapshot_text(c, ev["snapshotId"]))
    assert stored is not None and TALK in stored[0]
    assert res.pages_read == ["https://dana-reyes.test/talks"] and proxy.hits("dana-reyes.test", "/talks") == 1
    assert len(chat.requests) == 2 and res.tokens == 2 * 1100


async def test_a_contact_question_reads_a_search_result_that_names_them(engine, chat, search, sites):
    """A search result is fetched, stored as a crawl of its own and read for the person when it names them; its
    site does not become one of theirs (its links are not offered)."""
    proxy, _ = sites
    proxy.reset_counts()
    search.results = lambda q: [(BOARD_URL, "Board news", "Dana Reyes joined")] if "dana" in q.lower() else []

    def script(req: dict, n: int) -> Out:
        if BOARD not in prompt_of(req):
            return completion(reply(None, search=["Dana Reyes Northwind board"]))
        return completion(reply("2022", [(section_of(req, BOARD), BOARD)]))

    chat.script = script
    res = await engine.ask_person(
        "Dana Reyes", None, "In which year did they join the board of Northwind?", "number", profile_urls=(PERSON_URL,)
    )
    assert search.queries == [("searxng", "Dana Reyes Northwind board")]
    assert res.answer == {"type": "number", "number": {"value": 2022}}
    assert [e["url"] for e in res.evidence] == [BOARD_URL] and res.pages_read == [BOARD_URL]
    assert "https://news-wire.test/other-story" not in prompt_of(chat.requests[-1])


async def test_a_profile_nobody_is_known_by_is_a_site_whose_links_the_loop_follows(engine, chat, sites):
    proxy, _ = sites
    proxy.reset_counts()

    def script(req: dict, n: int) -> Out:
        if TALK not in prompt_of(req):
            return completion(reply(None, links=["https://dana-reyes.test/talks"]))
        return completion(reply("2025", [(section_of(req, TALK), TALK)]))

    chat.script = script
    res = await engine.ask_profile(PERSON_URL, "In which year did they speak at WidgetConf?", "number")
    assert res.answer == {"type": "number", "number": {"value": 2025}}
    assert [e["url"] for e in res.evidence] == ["https://dana-reyes.test/talks"]
    assert res.pages_read == ["https://dana-reyes.test/talks"] and proxy.hits("dana-reyes.test", "/talks") == 1


async def test_a_contact_question_follows_a_link_on_their_companys_site(engine, chat, sites):
    """The company's crawl (here its home page only) is the person's link graph too: the model asks for an unread
    company page, which is fetched into the company's crawl and read as the lines of it that name them."""
    proxy, _ = sites
    proxy.reset_counts()

    def script(req: dict, n: int) -> Out:
        if HIRED not in prompt_of(req):
            return completion(reply(None, links=["https://acme-llm.test/careers"]))
        return completion(reply("12", [(section_of(req, HIRED), HIRED)]))

    chat.script = script
    res = await engine.ask_person(
        "Dana Reyes", "acme-llm.test", "How many engineers have they hired?", "number", profile_urls=(PERSON_URL,)
    )
    assert res.answer == {"type": "number", "number": {"value": 12}}, res.reasoning
    assert [e["url"] for e in res.evidence] == ["https://acme-llm.test/careers"] and res.evidence[0]["quote"] == HIRED
    assert res.pages_read == ["https://acme-llm.test/careers"] and proxy.hits("acme-llm.test", "/careers") == 1
    # A link to a site that is neither theirs nor their company's is not followed.
    proxy.reset_counts()
    chat.script = lambda req, n: completion(reply(None, links=["https://news-wire.test/acme-series-a"]))
    res = await engine.ask_person(
        "Dana Reyes", "acme-llm.test", "How many awards have they won?", "number", profile_urls=(PERSON_URL,)
    )
    assert res.answer is None and res.pages_read == [] and proxy.hits("news-wire.test") == 0


async def test_search_results_are_fetched_and_stored_before_they_are_cited(engine, chat, search, db):
    search.results = lambda q: [(NEWS_URL, "Acme raises", "Northwind led")] if "acme" in q.lower() else []

    def script(req: dict, n: int) -> Out:
        if LEAD not in prompt_of(req):
            return completion(reply(None, search=["Acme Series A lead investor"]))
        return completion(reply("Northwind Ventures", [(section_of(req, LEAD), LEAD)]))

    chat.script = script
    res = await engine.ask(
        "acme-llm.test", "Which firm led the Series A round of Acme?", "open_text", force_refresh=True
    )
    assert search.queries == [("searxng", "Acme Series A lead investor")]
    assert res.answer == {"type": "open_text", "openText": {"value": "Northwind Ventures"}}
    ev = res.evidence[0]
    assert ev["url"] == NEWS_URL and ev["quote"] == LEAD
    stored = await db.read(lambda c: repository.snapshot_text(c, ev["snapshotId"]))
    assert stored is not None and LEAD in stored[0]


async def test_search_results_stay_out_of_the_companys_crawl(backend, db, sites, chat, search):
    """A search result is stored as a crawl of its own, read only by the question that searched: an offline
    question later on the company's crawl neither reads nor cites it, and the one-page fetch of the news site
    is never taken for that site's crawl."""
    search.results = lambda q: [(NEWS_URL, "Acme raises", "Northwind led")] if "acme" in q.lower() else []

    def script(req: dict, n: int) -> Out:
        if LEAD not in prompt_of(req):
            return completion(reply(None, search=["Acme Series A lead investor"]))
        return completion(reply("Northwind Ventures", [(section_of(req, LEAD), LEAD)]))

    chat.script = script
    question = "Which firm led the Series A round of Acme?"
    llm = make_engine(backend, db, sites, chat, search, crawl_ttl_seconds=3600.0)
    offline = make_engine(backend, db, sites, chat, search, crawl_ttl_seconds=3600.0, llm_base_url="")
    try:
        res = await llm.ask("acme-llm.test", question, "open_text", force_refresh=True)
        assert res.answer == {"type": "open_text", "openText": {"value": "Northwind Ventures"}}
        assert res.pages_read == [NEWS_URL] and res.evidence[0]["url"] == NEWS_URL
        pages = await db.read(lambda c: repository.crawl_page_urls(c, res.crawl_id))
        assert NEWS_URL not in pages and pages
        later = await offline.ask("acme-llm.test", question, "open_text")
        assert later.crawl_id == res.crawl_id  # the same crawl, reused
        assert later.answer is None and all(e["url"] != NEWS_URL for e in later.evidence)
        since = datetime(2000, 1, 1)
        assert await db.read(lambda c: repository.latest_completed_crawl(c, "news-wire.test", since)) is None
    finally:
        await llm.aclose()
        await offline.aclose()


async def test_prompt_injection_changes_neither_the_answer_nor_what_is_fetched(engine, chat, search, sites):
    proxy, _ = sites
    proxy.reset_counts()
    chat.script = lambda req, n: completion(
        reply("9999", [(1, INJECTION)], search=["acme admin password"], links=["https://evil.test/steal"])
    )
    res = await engine.ask("acme-llm.test", "How many employees does Acme have?", "number", force_refresh=True)
    assert res.answer == {"type": "number", "number": {"value": 85}}
    assert proxy.hits("evil.test") == 0 and search.queries == []
    assert all("ignore previous instructions" not in prompt_of(r) for r in chat.requests)


async def test_tokens_and_cost_per_question_from_the_price_table(backend, db, sites, chat, search):
    eng = make_engine(backend, db, sites, chat, search, llm_prices='{"scripted": {"input": 2.0, "output": 10.0}}')
    chat.script = lambda req, n: completion(reply(None), prompt_tokens=3000, completion_tokens=200)
    try:
        res = await eng.ask("acme-llm.test", "How many employees does Acme have?", "number")
    finally:
        await eng.aclose()
    assert res.answer == {"type": "number", "number": {"value": 85}}
    assert res.tokens == 3200 and res.cost_usd == pytest.approx(0.008)


async def test_over_budget_the_question_fails_with_a_clear_error(backend, db, sites, chat, search):
    eng = make_engine(
        backend,
        db,
        sites,
        chat,
        search,
        llm_prices='{"scripted": {"input": 2.0, "output": 10.0}}',
        llm_signal_budget_usd=0.0005,
    )
    signal_cap = r"LLM budget exceeded: the signal's model budget is \$0\.0005"
    try:
        with pytest.raises(BudgetExceeded, match=signal_cap):
            await eng.ask("acme-llm.test", "How many employees does Acme have?", "number")
        # Contact questions take no budget of their own from a caller: the signal's cap holds them the same way.
        with pytest.raises(BudgetExceeded, match=signal_cap):
            await eng.ask_person("Dana Reyes", "acme-llm.test", "What is their role?", profile_urls=(PERSON_URL,))
        with pytest.raises(BudgetExceeded, match=signal_cap):
            await eng.ask_profile(PERSON_URL, "In which year did they speak at WidgetConf?", "number")
    finally:
        await eng.aclose()
    assert chat.requests == []  # refused before the call


async def test_a_model_rate_limiting_every_retry_leaves_the_offline_answer(backend, db, sites, chat, search):
    eng = make_engine(backend, db, sites, chat, search, llm_max_retries=1)
    chat.script = lambda req, n: Out({"error": {"message": "rate limited"}}, 429, {"Retry-After": "0"})
    try:
        res = await eng.ask("acme-llm.test", "How many employees does Acme have?", "number")
    finally:
        await eng.aclose()
    assert res.answer == {"type": "number", "number": {"value": 85}}
    assert "429" in res.reasoning and len(chat.requests) == 2


async def test_no_llm_configured_is_the_offline_reader_alone(backend, db, sites, chat, search):
    eng = make_engine(backend, db, sites, chat, search, llm_base_url="")
    try:
        assert eng.llm is None
        res = await eng.ask("acme-llm.test", "How many employees does Acme have?", "number")
    finally:
        await eng.aclose()
    assert res.answer == {"type": "number", "number": {"value": 85}} and res.cost_usd == 0.0 and res.tokens == 0
    assert chat.requests == []
