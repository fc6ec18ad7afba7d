"""The research engine end to end: fixture sites over real HTTP(S) through a local proxy, a local DNS server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from dossier.config import Settings
from dossier.kit.db import Database
from dossier.kit.dns import Resolver
from dossier.kit.http import GuardedClient
from dossier.research import repository
from dossier.research.engine import ResearchEngine, policy_from
from tests.conftest import Backend
from tests.fixtures.servers import FixtureDNS, SiteProxy


@pytest.fixture(scope="module")
def proxy() -> Iterator[SiteProxy]:
    with SiteProxy() as p:
        yield p


@pytest.fixture(scope="module")
def dns() -> Iterator[FixtureDNS]:
    with FixtureDNS() as d:
        yield d


def _settings(backend: Backend, dns: FixtureDNS, **overrides: object) -> Settings:
    base = backend.settings.model_copy(
        update={
            "dns_nameservers": dns.nameserver,
            "allow_private_networks": dns.site_network,
            "fetch_timeout_seconds": 3.0,
            "crawl_max_delay_seconds": 0.05,
        }
    )
    return base.model_copy(update=overrides)


@pytest.fixture
async def engine(backend: Backend, db: Database, proxy: SiteProxy, dns: FixtureDNS) -> AsyncIterator[ResearchEngine]:
    settings = _settings(backend, dns, crawl_ttl_seconds=0.0)  # a fresh crawl per test, on each backend
    resolver = Resolver.from_setting(dns.nameserver)
    eng = ResearchEngine(
        db, settings, client=GuardedClient(policy_from(settings), resolver, env=proxy.env()), resolver=resolver
    )
    yield eng
    await eng.aclose()


@pytest.mark.parametrize(
    ("domain", "question", "answer_type", "expected"),
    [
        (
            "brightpath.test",
            "Is their marketing site built with Next.js?",
            "boolean",
            {"type": "boolean", "boolean": {"value": True}},
        ),
        (
            "brightpath.test",
            "Are they hiring SDRs right now?",
            "boolean",
            {"type": "boolean", "boolean": {"value": True}},
        ),
        (
            "brightpath.test",
            "How many employees does BrightPath have?",
            "number",
            {"type": "number", "number": {"value": 140}},
        ),
        (
            "brightpath.test",
            "How much did they raise in their most recent funding round?",
            "currency",
            {"type": "currency", "currency": {"value": 42000000.0, "currency": "USD"}},
        ),
        (
            "brightpath.test",
            "Is BrightPath HIPAA compliant?",
            "boolean",
            {"type": "boolean", "boolean": {"value": False}},
        ),
        (
            "brightpath.test",
            "Where is their careers page?",
            "url",
            {"type": "url", "url": {"value": "https://brightpath.test/careers"}},
        ),
        (
            "brightpath.test",
            "By what percentage did Kestrel Bank cut its mean time to resolution with BrightPath?",
            "percentage",
            {"type": "percentage", "percentage": {"value": 45}},
        ),
        ("harborline.test", "Who provides Harborline's corporate email?", "open_text", None),
        ("copperleaf.test", "Do they take payments through Stripe?", "boolean", None),
    ],
)
async def test_answers_with_verified_evidence(engine, db, domain, question, answer_type, expected):
    result = await engine.ask(domain, question, answer_type)
    if expected is not None:
        assert result.answer == expected, result.reasoning
    assert result.crawl_id
    if result.answer is None:
        return
    assert 0 < result.confidence <= 1 and result.reasoning
    assert result.sources and result.evidence
    snapshots = {s["id"]: s for s in await db.read(lambda c: repository.crawl_snapshots(c, result.crawl_id))}
    for ev in result.evidence:
        snap = snapshots[ev["snapshotId"]]  # every source is a stored snapshot...
        rendered = "\n".join(f"{k}: {v}" for k, v in sorted((snap["headers"] or {}).items()))
        assert (
            ev["quote"] in snap["text"] or ev["quote"] in snap["body"] or ev["quote"] in rendered
        )  # ...quoted verbatim
        assert ev["url"] == snap["final_url"]


async def test_open_text_and_list_and_json_schema(engine):
    email = await engine.ask(
        "harborline.test", "Who provides Harborline's corporate email?", "open_text", mode="lenient"
    )
    assert "Microsoft" in email.answer["openText"]["value"]
    tools = await engine.ask(
        "brightpath.test", "What analytics and tracking tools are installed on brightpath.test?", "list"
    )
    assert {"Segment", "Hotjar", "Google Tag Manager"} <= set(tools.answer["list"]["value"])
    schema = {
        "type": "object",
        "properties": {"headquarters_city": {"type": "string"}, "founded_year": {"type": "integer"}},
        "required": ["headquarters_city", "founded_year"],
    }
    facts = await engine.ask(
        "brightpath.test",
        "Give me BrightPath's headquarters city and the year it was founded.",
        "json_schema",
        output_schema=schema,
    )
    assert facts.answer is not None
    assert facts.answer["jsonSchema"]["headquarters_city"] == "Austin"
    # The founding year is found (2017, on /about) but scores under the number threshold fitted on real sites,
    # so the property is left out rather than guessed.
    assert facts.answer["jsonSchema"].get("founded_year") in (None, 2017)


async def test_strict_says_null_and_lenient_infers(engine):
    strict = await engine.ask("brightpath.test", "Do they use Salesforce?", "boolean")
    assert strict.answer is None and strict.confidence is None
    assert "pages of brightpath.test" in strict.reasoning and not strict.evidence
    lenient = await engine.ask("brightpath.test", "Do they use Salesforce?", "boolean", mode="lenient")
    assert lenient.answer == {"type": "boolean", "boolean": {"value": False}}
    assert lenient.confidence <= 0.4 and lenient.reasoning.startswith("Inferred")
    revenue = await engine.ask("brightpath.test", "What is BrightPath's annual revenue?", "currency")
    assert revenue.answer is None  # the site states no revenue (only funding totals)


async def test_strict_answers_only_above_the_calibrated_bar(engine):
    """Strict mode returns the lenient reading exactly when its calibrated confidence reaches the bar."""
    bar = engine.settings.strict_min_confidence
    asked = [
        ("harborline.test", "Who provides Harborline's corporate email?", "open_text"),
        ("brightpath.test", "What analytics and tracking tools are installed on brightpath.test?", "list"),
    ]
    seen_below = False
    for domain, question, answer_type in asked:
        lenient = await engine.ask(domain, question, answer_type, mode="lenient")
        strict = await engine.ask(domain, question, answer_type)
        assert lenient.answer is not None, lenient.reasoning
        if lenient.confidence >= bar:
            assert strict.answer == lenient.answer and strict.confidence == lenient.confidence
        else:
            seen_below = True
            assert strict.answer is None and strict.confidence is None and not strict.evidence
            assert f"below strict mode's {bar:.2f}" in strict.reasoning
    assert seen_below or bar == 0.0


async def test_json_records_are_calibrated_property_by_property(engine):
    """Each property is calibrated as the typed answer it was read as: strict mode keeps those at or above
    its bar, and the record's confidence is the product of the kept properties' probabilities."""
    schema = {
        "type": "object",
        "properties": {"headquarters_city": {"type": "string"}, "founded_year": {"type": "integer"}},
    }
    question = "Give me BrightPath's headquarters city and the year it was founded."
    lenient = await engine.ask("brightpath.test", question, "json_schema", output_schema=schema, mode="lenient")
    strict = await engine.ask("brightpath.test", question, "json_schema", output_schema=schema)
    assert lenient.answer is not None and lenient.answer["jsonSchema"]["headquarters_city"] == "Austin"
    bar = engine.settings.strict_min_confidence
    draft = engine.answerer.answer(
        question, "json_schema", schema, (await engine._analysis(lenient.crawl_id, "brightpath.test"))[0], "strict"
    )
    probabilities = {name: engine.calibrator.probability(kind, part) for name, (kind, part) in draft.parts.items()}
    kept = {name for name, p in probabilities.items() if p >= bar}
    if not kept:
        assert strict.answer is None and "below strict mode's" in strict.reasoning
        return
    assert set(strict.answer["jsonSchema"]) == kept
    expected = 1.0
    for name in kept:
        expected *= probabilities[name]
    assert strict.confidence == round(expected, 3)
    assert all(ev["quote"] for ev in strict.evidence)


async def test_robots_disallow_is_honoured(engine, proxy):
    proxy.reset_counts()
    price = await engine.ask("tinyforge.test", "How much is the Pro plan per month?", "currency")
    fetched = [p for _, h, p in proxy.requests if h == "tinyforge.test"]
    assert "/robots.txt" in fetched
    assert not any(p.startswith("/pricing") for p in fetched)
    assert price.answer is None  # the only page that states it may not be read
    await engine.ask("harborline.test", "How many employees does Harborline have?", "number")
    assert not any(p.startswith("/internal") for _, h, p in proxy.requests if h == "harborline.test")


async def test_one_crawl_serves_many_questions(backend, db, proxy, dns):
    settings = _settings(backend, dns)  # default TTL: the crawl is reused
    resolver = Resolver.from_setting(dns.nameserver)
    eng = ResearchEngine(
        db, settings, client=GuardedClient(policy_from(settings), resolver, env=proxy.env()), resolver=resolver
    )
    try:
        proxy.reset_counts()
        first = await eng.ask("veritasiq.test", "Do they use Drift?", "boolean", force_refresh=True)
        second = await eng.ask("veritasiq.test", "Where is VeritasIQ headquartered?", "open_text")
        third = await eng.ask("veritasiq.test", "Is VeritasIQ SOC 2 compliant?", "boolean")
        assert first.crawl_id == second.crawl_id == third.crawl_id
        assert proxy.hits("veritasiq.test", "/") == 1
    finally:
        await eng.aclose()


async def test_hostile_and_broken_sites(backend, db, proxy, dns):
    settings = _settings(backend, dns, crawl_ttl_seconds=0.0, fetch_max_bytes=200_000, fetch_timeout_seconds=1.0)
    resolver = Resolver.from_setting(dns.nameserver)
    eng = ResearchEngine(
        db, settings, client=GuardedClient(policy_from(settings), resolver, env=proxy.env()), resolver=resolver
    )
    home = (
        b"<html><head><title>Edge</title></head><body><a href='/about'>About</a><a href='/pricing'>Pricing</a>"
        b"<a href='/careers'>Careers</a><a href='/team'>Team</a><p>Edge Co is headquartered in Oslo, Norway.</p></body></html>"
    )
    proxy.add_host("edge.test", {"/": home, "/robots.txt": b"User-agent: *\nAllow: /\n"})
    proxy.add_route(
        "edge.test",
        "/about",
        body=b"<html><body>" + b"<p>filler text</p>" * 60_000 + b"</body></html>",
        headers={"Content-Type": "text/html"},
    )
    proxy.add_route(
        "edge.test",
        "/pricing",
        body=b"<html><body>Pro $10/month</body></html>",
        delay=3.0,
        headers={"Content-Type": "text/html"},
    )
    proxy.add_route("edge.test", "/careers", body=b"%PDF-1.7 fake", headers={"Content-Type": "application/pdf"})
    proxy.add_route("edge.test", "/team", status=302, headers={"Location": "http://10.0.0.5/team"})
    proxy.add_host("private-redirect.test", {})
    proxy.add_route("private-redirect.test", "/", status=301, headers={"Location": "http://127.0.0.1:9/"})
    proxy.add_host("down.test", {"/": b"<html></html>"})
    proxy.set_down("down.test")
    try:
        hq = await eng.ask("edge.test", "Where is Edge Co headquartered?", "open_text")
        assert "Oslo, Norway" in hq.answer["openText"]["value"]
        crawl = await db.read(lambda c: repository.crawl_row(c, hq.crawl_id))
        notes = "\n".join(crawl["notes"])
        assert "/pricing: timeout" in notes  # the slow page is given up on
        assert "application/pdf" in notes  # non-HTML is skipped
        assert "/team: blocked" in notes  # the redirect into a private network is refused
        snaps = await db.read(lambda c: repository.crawl_snapshots(c, hq.crawl_id))
        about = [s for s in snaps if s["url"].endswith("/about")]
        assert about and len(about[0]["body"]) <= 200_000  # the oversized page is capped

        blocked = await eng.ask("private-redirect.test", "What do they sell?", "open_text")
        assert blocked.answer is None and "could not read" in blocked.reasoning.lower()
        down = await eng.ask("down.test", "What do they sell?", "open_text")
        assert down.answer is None and "could not read" in down.reasoning.lower()
    finally:
        await eng.aclose()


def test_dossier_ask_command(tmp_path: Path, proxy: SiteProxy, dns: FixtureDNS):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
    env.update(proxy.env())
    env.update(
        DOSSIER_DATA_DIR=str(tmp_path),
        DOSSIER_DNS_NAMESERVERS=dns.nameserver,
        DOSSIER_ALLOW_PRIVATE_NETWORKS=dns.site_network,
    )
    result = subprocess.run(
        [sys.executable, "-m", "dossier.cli", "ask", "brightpath.test", "Who is the CEO of BrightPath?", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    body = json.loads(result.stdout)
    assert "Maya Okafor" in body["answer"]["openText"]["value"]
    assert body["sources"][0]["url"].startswith("https://brightpath.test/")
    bad = subprocess.run(
        [sys.executable, "-m", "dossier.cli", "ask", "https://x.com", "q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2


async def test_same_document_under_two_urls_is_stored_once(backend, db, proxy, dns):
    settings = _settings(backend, dns, crawl_ttl_seconds=0.0)
    resolver = Resolver.from_setting(dns.nameserver)
    eng = ResearchEngine(
        db, settings, client=GuardedClient(policy_from(settings), resolver, env=proxy.env()), resolver=resolver
    )
    page = (
        b"<html><head><title>Twin</title></head><body><p>Twin Co is headquartered in Graz, Austria.</p></body></html>"
    )
    proxy.add_host(
        "twins.test",
        {
            "/robots.txt": b"User-agent: *\nAllow: /\n",
            "/": page.replace(b"Twin Co", b"Home"),
            "/about": page,
            "/company": page,
        },
    )
    proxy.add_route(
        "twins.test",
        "/",
        body=b"<html><body><a href='/about'>About</a><a href='/company'>Company</a></body></html>",
        headers={"Content-Type": "text/html"},
    )
    try:
        result = await eng.ask("twins.test", "Where is Twin Co headquartered?", "open_text")
        assert "Graz, Austria" in result.answer["openText"]["value"]
        snaps = await db.read(lambda c: repository.crawl_snapshots(c, result.crawl_id))
        pages = [s for s in snaps if s["kind"] == "page"]
        assert len({s["content_hash"] for s in pages}) == len(pages) == 2  # home + one of the twins
    finally:
        await eng.aclose()


async def test_retry_after_is_honoured_once(backend, db, proxy, dns):
    settings = _settings(backend, dns, crawl_ttl_seconds=0.0)
    resolver = Resolver.from_setting(dns.nameserver)
    eng = ResearchEngine(
        db, settings, client=GuardedClient(policy_from(settings), resolver, env=proxy.env()), resolver=resolver
    )
    proxy.add_host(
        "busy.test",
        {"/robots.txt": b"User-agent: *\nAllow: /\n", "/": b"<html><body><a href='/about'>About</a></body></html>"},
    )
    proxy.add_route("busy.test", "/about", status=503, headers={"Retry-After": "1"}, body=b"busy")
    proxy.reset_counts()
    try:
        started = time.monotonic()
        result = await eng.ask("busy.test", "Where are they based?", "open_text")
        crawl = await db.read(lambda c: repository.crawl_row(c, result.crawl_id))
        assert "retrying after 1s as asked" in "\n".join(crawl["notes"])
        assert proxy.hits("busy.test", "/about") == 2
        assert time.monotonic() - started >= 1.0
    finally:
        await eng.aclose()


@pytest.mark.parametrize(
    ("domain", "question", "answer_type", "check"),
    [
        # pricing
        (
            "brightpath.test",
            "What does their cheapest paid plan cost per month?",
            "currency",
            lambda a: a["currency"] == {"value": 49, "currency": "USD"},
        ),
        ("brightpath.test", "Do they have a free plan?", "boolean", lambda a: a["boolean"]["value"] is True),
        # customers: one heading per customer on /customers, against the pricing page's plan headings (a
        # question about customers asks for names: the items are typed as names or not)
        (
            "brightpath.test",
            "Name the customers featured on their website.",
            "list",
            lambda a: {"Kestrel Bank", "Parcelwise"} <= set(a["list"]["value"]),
        ),
        # integrations
        (
            "brightpath.test",
            "Which tools does BrightPath integrate with?",
            "list",
            lambda a: {"Slack", "PagerDuty", "Jira"} <= set(a["list"]["value"]),
        ),
        # product: the homepage's lead says it without the word "product"
        pytest.param(
            "brightpath.test",
            "What does BrightPath's product do?",
            "open_text",
            lambda a: "API" in a["openText"]["value"],
            marks=pytest.mark.xfail(
                strict=True,
                reason="known gap of the general reader (Reader issue note): the homepage lead loses to a line that says product",
            ),
        ),
        # people
        (
            "brightpath.test",
            "Who is the CEO of BrightPath?",
            "open_text",
            lambda a: "Maya Okafor" in a["openText"]["value"],
        ),
        # hiring: a count
        (
            "brightpath.test",
            "How many open engineering roles do they have?",
            "number",
            lambda a: a["number"]["value"] == 3,
        ),
        # funding: a stage as text
        (
            "tinyforge.test",
            "What stage was their last funding round?",
            "open_text",
            lambda a: "seed" in a["openText"]["value"].lower(),
        ),
    ],
)
async def test_general_reader_on_fixture_questions(engine, domain, question, answer_type, check):
    # What the reader finds, whatever its confidence: strict mode's bar is tested on its own above.
    result = await engine.ask(domain, question, answer_type, mode="lenient")
    assert result.answer is not None, result.reasoning
    assert check(result.answer), result.answer
    assert result.evidence and all(e["quote"] for e in result.evidence)


async def test_open_roles_are_read_off_the_job_postings_in_strict_mode(engine):
    # The careers page's postings are records the site lists, like its people: they answer "which roles are open"
    # with confidence, over the headings of one job ad ("About the role", "What we offer").
    result = await engine.ask("lumencare.test", "What roles do they currently have open?", "list", mode="strict")
    assert result.answer is not None, result.reasoning
    assert {"Clinical Success Manager", "Senior iOS Engineer", "Security Engineer"} <= set(
        result.answer["list"]["value"]
    )
