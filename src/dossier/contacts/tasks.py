"""Contact research reports, and filling the people index from crawls: after a company signal's crawl, the people its pages name are recorded
for the organisation that asked (a job of its own, so a slow or failing index never holds up the signal)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from dossier.contacts import harvest, report, repository, service, warmup
from dossier.jobs.port import TaskSpec
from dossier.kit.db import Database
from dossier.kit.time import utcnow
from dossier.kit.validation import is_linkedin, sales_navigator_lead
from dossier.research import repository as research_repository
from dossier.research.analysis import Analysis
from dossier.research.analyze.names import PersonName, first_name_forms, fold
from dossier.research.document import Document
from dossier.research.engine import ResearchEngine
from dossier.research.llm.meter import BudgetExceeded, Ledger
from dossier.runtime import Runtime
from dossier.signals.spend import model_ledger
from dossier.webhooks.service import enqueue_event

KIND = "contacts.index_crawl"


def register(rt: Runtime) -> None:
    async def run(payload: dict[str, Any]) -> None:
        await index_crawl(rt.db, rt.engine, payload["organizationId"], payload["domain"], payload["crawlId"])

    async def crawled(organization_id: str, domain: str, crawl_id: str) -> None:
        await queue_crawl(rt, organization_id, domain, crawl_id)

    rt.jobs.register(KIND, TaskSpec(run, max_attempts=3, backoff=lambda n: 10.0 * n))
    rt.crawl_listeners.append(crawled)
    register_research(rt)
    warmup.register(rt)


async def queue_crawl(rt: Runtime, organization_id: str, domain: str, crawl_id: str) -> None:
    def work(conn: Connection) -> None:
        rt.jobs.enqueue_in(conn, KIND, {"organizationId": organization_id, "domain": domain, "crawlId": crawl_id})

    await rt.db.write(work)
    rt.jobs.notify()


async def index_crawl(db: Database, engine: ResearchEngine, organization_id: str, domain: str, crawl_id: str) -> None:
    """Record the company profile and the people of one crawl; a crawl already read for this organisation is skipped."""
    known = await db.read(lambda c: repository.company_by_domain(c, organization_id, domain))
    if known is not None and known["indexed_crawl_id"] == crawl_id:
        return
    analysis = await engine.analysis(crawl_id, domain)
    if not analysis.pages:
        return
    company, people = await asyncio.to_thread(harvest.people_of, analysis, domain)
    now = utcnow()

    def record(conn: Connection) -> None:
        ids = repository.upsert_companies(conn, organization_id, [company], now)
        repository.upsert_people(conn, organization_id, people, now)
        repository.mark_company_indexed(conn, ids[company.key], crawl_id)

    await db.write(record)


# --- contact research ----------------------------------------------------------------------------------------

# What the Reader is asked about the company for a report's company context: (field, question, answer type).
_CONTEXT_QUESTIONS = (
    ("description", "What does {company} do?", "open_text"),
    ("industry", "What industry is {company} in?", "open_text"),
    ("size", "How many employees does {company} have?", "number"),
    ("headquarters", "Where is {company} headquartered?", "open_text"),
)
_NEWS_PATH = re.compile(r"/(news|press|announcements?|newsroom)/.", re.I)


def register_research(rt: Runtime) -> None:
    async def run(payload: dict[str, Any]) -> None:
        await run_research(rt, payload["researchId"])

    async def dead(payload: dict[str, Any], error: str) -> None:
        await finish_research(rt, payload["researchId"], "failed", {"error": f"Research failed: {error}"[:2000]})

    rt.jobs.register(service.RESEARCH_KIND, TaskSpec(run, max_attempts=3, backoff=lambda n: 5.0 * n, on_dead=dead))


async def company_context(
    engine: ResearchEngine,
    analysis: Analysis,
    domain: str,
    company: str,
    ledger: Ledger | None = None,
    budget_usd: float | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]], str | None]:
    """The company's description, industry, size and headquarters as the Reader answers them in strict mode
    (null where the site does not say), and its dated news pages; with the evidence of each. `ledger`: where
    the model's spend on them is held and recorded (the organisation's day, under its daily cap); `budget_usd`:
    the most the model may spend on all of them (the report's cap).

    A model call a budget refuses ends the model's part: that question and the ones after it are answered by
    the offline reader alone, and the refusal ("LLM budget exceeded: ...") is returned as the third item (None
    when the model was never refused)."""
    context: dict[str, Any] = {"description": None, "industry": None, "size": None, "headquarters": None}
    evidence: list[dict[str, Any]] = []
    spent, cut = 0.0, None
    for name, question, answer_type in _CONTEXT_QUESTIONS:
        q = question.format(company=company)
        answer = None
        if cut is None:
            left = None if budget_usd is None else max(0.0, budget_usd - spent)
            try:
                answer = await engine.ask(domain, q, answer_type, mode="strict", ledger=ledger, budget_usd=left,
                                          budget_label="what is left of the report's model budget")  # fmt: skip
                spent += answer.cost_usd
            except BudgetExceeded as exc:
                spent += exc.cost_usd
                cut = str(exc)
        if answer is None:
            answer = await engine.ask(domain, q, answer_type, mode="strict", model=False)
        if answer.answer is None:
            continue
        value = next(v for k, v in answer.answer.items() if k != "type")["value"]
        context[name] = str(value) if name == "size" else value
        titles = {s["url"]: s.get("title") for s in answer.sources}
        evidence += [{"field": f"companyContext.{name}", "title": titles.get(e["url"]), **e} for e in answer.evidence]
    home = next((d for d in analysis.pages if d.path == "/"), None)
    said = (home.meta.get("og:description") or home.meta.get("description") or "").strip() if home else ""
    if context["description"] is None and home is not None and 20 <= len(said) <= 500:
        # The Reader found no sentence to answer with; the company's own summary of itself, stored with its page.
        context["description"] = said
        evidence.append({"field": "companyContext.description", "url": home.url, "quote": said, "title": home.title,
                         "snapshotId": home.snapshot_id, "fetchedAt": home.fetched_at})  # fmt: skip
    news = []
    for doc in analysis.pages:
        if not _NEWS_PATH.search(doc.path):
            continue
        dated = report.page_date(doc)
        if dated is None:
            continue
        title = re.split(r"\s+[|\u2013\u2014]\s+", doc.title or "")[0].strip() or doc.url
        news.append({"date": dated[0], "title": title, "url": doc.url})
        evidence.append({"field": "companyContext.recentNews", "url": doc.url, "quote": dated[1], "title": doc.title,
                         "snapshotId": doc.snapshot_id, "fetchedAt": doc.fetched_at})  # fmt: skip
    news.sort(key=lambda n: n["date"], reverse=True)
    context["recentNews"] = news[:5]
    return context, evidence, cut


async def crawl_company_context(
    rt: Runtime,
    crawl_id: str,
    analysis: Analysis,
    domain: str,
    company: str,
    ledger: Ledger | None = None,
    budget_usd: float | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]], str | None]:
    """`company_context` once per crawl and company name: the first report on a crawl asks the Reader and stores
    it, later ones on the same crawl read it (a newer crawl asks again). A context the model's budget cut short
    is not stored: a later report, with budget left, asks again."""
    key = fold(company)[:300]
    stored = await rt.db.read(lambda c: research_repository.company_context(c, crawl_id, key))
    if stored is not None:
        return stored["context"], stored["evidence"], None
    context, evidence, cut = await company_context(rt.engine, analysis, domain, company, ledger, budget_usd)
    if cut is None:
        now = utcnow()
        await rt.db.write(lambda c: research_repository.save_company_context(c, crawl_id, key, context, evidence, now))
    return context, evidence, cut


async def run_research(rt: Runtime, research_id: str) -> None:
    row = await rt.db.read(lambda c: repository.research_run_row(c, research_id))
    if row is None or row["status"] != "processing":
        return  # finished already (a retry after a crash, or a duplicate job)
    deadline = rt.settings.signal_deadline_seconds
    try:
        await asyncio.wait_for(_research(rt, research_id, row), timeout=deadline)
    except TimeoutError:
        await finish_research(
            rt, research_id, "failed", {"error": f"Research did not finish within {deadline:g} seconds"}
        )


async def _research(rt: Runtime, research_id: str, row: dict[str, Any]) -> None:
    org, domain = row["organization_id"], row["company_domain"]
    person = PersonName(row["first_name"], row["last_name"])
    crawl_id = await rt.engine.crawl(domain)
    analysis = await rt.engine.analysis(crawl_id, domain)
    await index_crawl(rt.db, rt.engine, org, domain, crawl_id)
    profiles: list[Document] = []
    notes: list[str] = []
    url = row["contact_profile_url"]
    if url and not is_linkedin(url):
        pages, why = await rt.engine.fetch_profile(url)
        profiles += pages
        if why:
            notes.append(f"profile {url} could not be read: {why}")  # a dead profile is not a failed report
    context: dict[str, Any] | None = None
    evidence: list[dict[str, Any]] = []
    cut: str | None = None
    if analysis.pages:
        # The model's spend on the report's questions is held on the organisation's day under its daily cap, and
        # the report has a cap of its own; either refusing a call ends the model's part of the report, which
        # then keeps what the offline reader found and says so in `error` (it is not failed for it).
        context, evidence, cut = await crawl_company_context(
            rt, crawl_id, analysis, domain, row["company_name"], model_ledger(rt.db, rt.settings, org, None),
            rt.settings.llm_report_budget_usd or None,
        )  # fmt: skip
    built = await asyncio.to_thread(
        report.build, person, row["company_name"], domain, analysis, profiles, context, evidence
    )
    now = utcnow()
    note = None if cut is None else f"{cut}. The report was completed without the language model from there on."

    given = [u for u in (url, row["linkedin_sales_navigator_url"]) if u]

    def record(conn: Connection) -> None:
        # Both URLs the request gave identify the person from now on; only a public profile (not a Sales
        # Navigator lead, which only its subscriber can open) becomes their LinkedIn profile.
        for profile in dict.fromkeys(given):
            repository.record_profile(
                conn, org, first_name=row["first_name"], last_name=row["last_name"],
                first_keys=sorted(first_name_forms(row["first_name"])), domain=domain, url=profile,
                linkedin=is_linkedin(profile) and sales_navigator_lead(profile) is None, now=now,
            )  # fmt: skip

    await finish_research(
        rt, research_id, "completed", {"research": built.research, "sources": built.sources, "error": note}, record
    )


async def finish_research(
    rt: Runtime,
    research_id: str,
    status: str,
    values: dict[str, Any],
    also: Callable[[Connection], None] | None = None,
) -> None:
    """Record the outcome once, with what it teaches the people index, and queue the webhook: one transaction."""
    now = utcnow()

    def work(conn: Connection) -> None:
        done = repository.finish_research(
            conn, research_id, {"status": status, **values, "completed_at": now, "updated_at": now}
        )
        if done is None:
            return
        if also is not None:
            also(conn)
        hook = repository.research_run_row(conn, research_id)
        if hook and hook["webhook_url"]:
            enqueue_event(
                conn, rt.jobs, organization_id=hook["organization_id"], url=hook["webhook_url"],
                event_type=f"contact_research.{status}", obj=service.to_wire(done),
            )  # fmt: skip

    await rt.db.write(work)
    rt.jobs.notify()
