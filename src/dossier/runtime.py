"""Everything long-lived a running server holds: database, job backend, research engine, waiters."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass

from dossier.config import Settings
from dossier.jobs.embedded import EmbeddedJobs
from dossier.kit.db import Database
from dossier.kit.dns import Resolver
from dossier.kit.http import GuardedClient
from dossier.research.engine import ResearchEngine, policy_from
from dossier.signals.waiters import Waiters


@dataclass
class Runtime:
    settings: Settings
    db: Database
    jobs: EmbeddedJobs
    engine: ResearchEngine
    client: GuardedClient
    waiters: Waiters
    _listener: asyncio.Task[None] | None = None

    @classmethod
    def build(cls, settings: Settings, db: Database, *, outbound_env: Mapping[str, str] | None = None) -> Runtime:
        resolver = Resolver.from_setting(settings.dns_nameservers)
        client = GuardedClient(policy_from(settings), resolver, env=outbound_env)
        engine = ResearchEngine(db, settings, client=client, resolver=resolver)
        jobs: EmbeddedJobs
        if settings.distributed:
            from dossier.jobs.distributed import DistributedJobs

            jobs = DistributedJobs(
                db, concurrency=settings.worker_concurrency, lease_seconds=settings.job_lease_seconds
            )
        else:
            jobs = EmbeddedJobs(db, concurrency=settings.worker_concurrency, lease_seconds=settings.job_lease_seconds)
        runtime = cls(settings, db, jobs, engine, client, Waiters())
        from dossier.signals.tasks import register as register_signal_tasks
        from dossier.webhooks.service import KIND, delivery_spec

        register_signal_tasks(runtime)
        from dossier.contacts.tasks import register as register_contact_tasks

        register_contact_tasks(runtime)
        jobs.register(KIND, delivery_spec(db, client, settings.webhook_retry_scale))
        return runtime

    async def start(self, *, workers: bool) -> None:
        from dossier.jobs.distributed import DistributedJobs, libpq_url
        from dossier.signals.repository import DONE_CHANNEL
        from dossier.signals.waiters import listen_for_completions

        if not self.db.is_sqlite:
            self._listener = asyncio.create_task(
                listen_for_completions(libpq_url(self.db.url), self.waiters, DONE_CHANNEL)
            )

        if isinstance(self.jobs, DistributedJobs):
            await self.jobs.start()  # dispatching only
            if workers:
                self.jobs.start_worker_task()
        elif workers:
            await self.jobs.start()

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self.jobs.stop()
        await self.engine.aclose()
