"""Filling the people index from crawls: after a company signal's crawl, the people its pages name are recorded
for the organisation that asked (a job of its own, so a slow or failing index never holds up the signal)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import Connection

from dossier.contacts import harvest, repository
from dossier.jobs.port import TaskSpec
from dossier.kit.db import Database
from dossier.kit.time import utcnow
from dossier.research.engine import ResearchEngine
from dossier.runtime import Runtime

KIND = "contacts.index_crawl"


def register(rt: Runtime) -> None:
    async def run(payload: dict[str, Any]) -> None:
        await index_crawl(rt.db, rt.engine, payload["organizationId"], payload["domain"], payload["crawlId"])

    async def crawled(organization_id: str, domain: str, crawl_id: str) -> None:
        await queue_crawl(rt, organization_id, domain, crawl_id)

    rt.jobs.register(KIND, TaskSpec(run, max_attempts=3, backoff=lambda n: 10.0 * n))
    rt.crawl_listeners.append(crawled)


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
