"""The distributed job backend: procrastinate on PostgreSQL dispatches, Dossier's own table keeps state.

Jobs are written to Dossier's `jobs` table in the transaction that creates them (so a job exists if and
only if its signal does), then handed to procrastinate, whose workers (`dossier worker`) take the job by
id with the same lease and heartbeat as the embedded backend. procrastinate only dispatches: a periodic
task re-dispatches anything whose dispatch was lost, requeues expired leases, and retries procrastinate
jobs of workers that stopped heartbeating. A queueing lock per job keeps one dispatch in the queue.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from datetime import timedelta
from typing import Any

import procrastinate
from procrastinate import exceptions as pexc

from dossier.jobs import repository
from dossier.jobs.embedded import EmbeddedJobs
from dossier.kit.db import Database, sync_url
from dossier.kit.time import utcnow

log = logging.getLogger("dossier.jobs")
RUN_TASK = "dossier.run_job"
SWEEP_TASK = "dossier.sweep"


def libpq_url(url: str) -> str:
    return sync_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


class DistributedJobs(EmbeddedJobs):
    def __init__(
        self,
        db: Database,
        *,
        concurrency: int = 4,
        lease_seconds: float = 60.0,
        url: str | None = None,
        prepared_statements: bool = True,
    ) -> None:
        """`url`: where procrastinate connects (default the database's). Its workers LISTEN for new jobs, which
        a transaction-mode pooler cannot carry: behind one, give the server's own address (Settings'
        direct_database_url). `prepared_statements=False` keeps psycopg from preparing procrastinate's
        queries too, for a pooler that cannot track them."""
        super().__init__(db, concurrency=concurrency, lease_seconds=lease_seconds, exclusive=False)
        self.worker_id = f"dossier-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        pool_kwargs: dict[str, Any] = {} if prepared_statements else {"kwargs": {"prepare_threshold": None}}
        connector = procrastinate.PsycopgConnector(conninfo=libpq_url(url or db.url), **pool_kwargs)
        self.app = procrastinate.App(connector=connector)
        self._opened = False
        self._dispatching: asyncio.Task[int] | None = None
        self._worker_task: asyncio.Task[None] | None = None
        self._again = False
        self._define_tasks()

    def _define_tasks(self) -> None:
        @self.app.task(name=RUN_TASK, pass_context=False)
        async def run_job(job_id: str) -> None:
            job = await self.db.write(lambda c: repository.claim_by_id(c, job_id, self.worker_id, utcnow(), self.lease))
            if job is not None:
                await self._run(job)
                await self.dispatch()  # a retry it scheduled goes out now, not at the next sweep

        @self.app.periodic(cron="* * * * *", periodic_id="dossier-sweep")
        @self.app.task(name=SWEEP_TASK, queueing_lock="dossier-sweep", pass_context=False)
        async def sweep_task(timestamp: int) -> None:
            await self.maintenance()

        self._run_task = run_job

    async def open(self) -> None:
        if not self._opened:
            await self.app.open_async()
            self._opened = True

    async def close(self) -> None:
        if self._opened:
            await self.app.close_async()
            self._opened = False

    def notify(self) -> None:
        # Jobs committed while a dispatch pass is already reading must not wait for the periodic sweep:
        # the running pass is asked to go round once more.
        self._again = True
        if self._dispatching is None or self._dispatching.done():
            self._dispatching = asyncio.create_task(self._dispatch_until_quiet())

    async def _dispatch_until_quiet(self) -> int:
        sent = 0
        while self._again:
            self._again = False
            sent += await self.dispatch()
        return sent

    async def dispatch(self) -> int:
        """Hand every queued job to procrastinate (scheduled at its run time), once."""
        await self.open()
        now = utcnow()
        pending = await self.db.read(lambda c: repository.undispatched(c, now - timedelta(minutes=2)))
        sent = []
        for job in pending:
            schedule_at = job["run_at"].replace(tzinfo=None)
            try:
                await self._run_task.configure(queueing_lock=job["id"], schedule_at=_aware(schedule_at)).defer_async(
                    job_id=job["id"]
                )
            except pexc.AlreadyEnqueued:
                pass
            sent.append(job["id"])
        await self.db.write(lambda c: repository.mark_dispatched(c, sent, utcnow()))
        return len(sent)

    async def maintenance(self) -> None:
        await self.sweep()
        stalled = await self.app.job_manager.get_stalled_jobs(seconds_since_heartbeat=self.lease.total_seconds())
        for job in stalled:
            try:
                await self.app.job_manager.retry_job(job)
            except Exception:  # another worker may have retried it first; the next sweep looks again
                log.warning("could not retry stalled procrastinate job %s", job.id, exc_info=True)
        await self.dispatch()

    async def start(self) -> None:
        """In an API process: no workers, only dispatch (plus an initial catch-up)."""
        await self.open()
        await self.dispatch()

    async def stop(self) -> None:
        if self._worker_task is not None:
            self._worker_task.cancel()
            try:
                await self._worker_task
            except asyncio.CancelledError:
                pass
            except Exception:
                log.exception("the in-process worker ended with an error")
        if self._dispatching is not None:
            try:
                await self._dispatching
            except Exception:
                log.exception("dispatching jobs failed; the periodic sweep dispatches them again")
        await self.close()

    def start_worker_task(self) -> None:
        """Run a worker inside this process too (`dossier serve` on PostgreSQL without --no-workers)."""
        self._worker_task = asyncio.create_task(self.run_worker(install_signal_handlers=False))

    async def run_worker(self, *, concurrency: int | None = None, install_signal_handlers: bool = True) -> None:
        """`dossier worker`: run procrastinate's worker with a unique name until cancelled."""
        await self.open()
        await self.maintenance()
        await self.app.run_worker_async(
            name=self.worker_id,
            concurrency=concurrency or self.concurrency,
            queues=["default"],
            install_signal_handlers=install_signal_handlers,
            update_heartbeat_interval=max(1.0, self.lease.total_seconds() / 3),
            stalled_worker_timeout=self.lease.total_seconds(),
        )


def _aware(naive_utc: Any) -> Any:
    from datetime import UTC

    return naive_utc.replace(tzinfo=UTC)
