"""Everything long-lived a running server holds: database, job backend, research engine, waiters.

The domains reach it through `CurrentRuntime` (endpoints) or as an argument (tasks); it knows none of them:
`dossier.wiring` registers their tasks and services on it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request

from dossier.config import Settings
from dossier.jobs.distributed import DistributedJobs, libpq_url
from dossier.jobs.embedded import EmbeddedJobs
from dossier.kit.auth import Principal
from dossier.kit.db import Database
from dossier.kit.dns import Resolver
from dossier.kit.http import GuardedClient
from dossier.kit.waiters import Waiters, listen_for_completions
from dossier.research.engine import ResearchEngine, policy_from

# An organisation's active signal template by id, in its wire form (404 when there is none).
TemplateFinder = Callable[[Database, Principal, str], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class KnownPerson:
    """Who a contact signal's profile URL names, as the people index knows them."""

    full_name: str
    company_domain: str | None
    profile_urls: tuple[str, ...]  # profile pages that may be read (never LinkedIn)
    how: str  # index | linkedin_slug | given


# (organisation id, profile URL, fullName, companyDomain) -> the person, or None when nobody is identified.
PersonResolver = Callable[[str, str, str | None, str | None], Awaitable[KnownPerson | None]]


async def _nobody(organization_id: str, url: str, full_name: str | None, domain: str | None) -> KnownPerson | None:
    return None


# Told of each company crawl a finished signal read: (organisation id, domain, crawl id).
CrawlListener = Callable[[str, str, str], Awaitable[None]]


class Background(Protocol):
    """Work of its own a server runs beside the requests (a thread), started with it and stopped with it."""

    def start(self) -> None: ...  # returns at once

    def stop(self) -> None: ...  # may wait a little for the work to end


async def _no_templates(db: Database, principal: Principal, template_id: str) -> dict[str, Any]:
    raise RuntimeError("no template finder is wired into this runtime (see dossier.wiring)")


@dataclass
class Runtime:
    settings: Settings
    db: Database
    jobs: EmbeddedJobs
    engine: ResearchEngine
    client: GuardedClient
    waiters: Waiters
    find_template: TemplateFinder = _no_templates
    # The PostgreSQL channel on which finished work is announced (its payload the id waiters wait on).
    wake_channel: str | None = None
    # Whoever else reads company crawls (the people index) subscribes here rather than being known by signals.
    crawl_listeners: list[CrawlListener] = field(default_factory=list)
    # Who a contact signal is about: the people index answers (dossier.wiring), so signals need not know it.
    resolve_person: PersonResolver = _nobody
    # Started after the job backend, stopped before it (the people index's search warm-up).
    background: list[Background] = field(default_factory=list)
    _listener: asyncio.Task[None] | None = None

    @classmethod
    def build(cls, settings: Settings, db: Database, *, outbound_env: Mapping[str, str] | None = None) -> Runtime:
        resolver = Resolver.from_setting(settings.dns_nameservers)
        client = GuardedClient(policy_from(settings), resolver, env=outbound_env)
        engine = ResearchEngine(db, settings, client=client, resolver=resolver)
        jobs: EmbeddedJobs
        if settings.distributed:
            jobs = DistributedJobs(
                db,
                concurrency=settings.worker_concurrency,
                lease_seconds=settings.job_lease_seconds,
                url=settings.direct_database_url or None,
                prepared_statements=settings.db_prepared_statements,
            )
        else:
            jobs = EmbeddedJobs(db, concurrency=settings.worker_concurrency, lease_seconds=settings.job_lease_seconds)
        return cls(settings, db, jobs, engine, client, Waiters())

    async def start(self, *, workers: bool) -> None:
        if not self.db.is_sqlite and self.wake_channel is not None:
            self._listener = asyncio.create_task(
                listen_for_completions(
                    libpq_url(self.settings.direct_database_url or self.db.url), self.waiters, self.wake_channel
                )
            )

        if isinstance(self.jobs, DistributedJobs):
            await self.jobs.start()  # dispatching only
            if workers:
                self.jobs.start_worker_task()
        elif workers:
            await self.jobs.start()
        for work in self.background:
            work.start()

    async def stop(self) -> None:
        for work in self.background:
            await asyncio.to_thread(work.stop)
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self.jobs.stop()
        await self.engine.aclose()


async def current_runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain function dependency on its thread pool, a hop per request.
    runtime: Runtime = request.app.state.runtime
    return runtime


CurrentRuntime = Annotated[Runtime, Depends(current_runtime)]


async def current_settings(request: Request) -> Settings:
    # Set when the app is made (before the lifespan builds the runtime), so it is there for every request.
    settings: Settings = request.app.state.settings
    return settings


CurrentSettings = Annotated[Settings, Depends(current_settings)]
