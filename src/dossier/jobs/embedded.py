"""The embedded job backend: asyncio workers inside `dossier serve`, jobs in the application database.

A worker claims a due job in a write transaction and holds it with a lease that a heartbeat keeps
extending. A crashed process stops heartbeating, its leases expire, and the sweep puts those jobs back
in the queue; handlers are idempotent, so a job that ran partly before a crash can run again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from dossier.jobs import repository
from dossier.jobs.port import PermanentFailure, TaskSpec, jittered
from dossier.kit.db import Database
from dossier.kit.time import utcnow

log = logging.getLogger("dossier.jobs")


class EmbeddedJobs:
    def __init__(
        self,
        db: Database,
        *,
        concurrency: int = 4,
        lease_seconds: float = 60.0,
        poll_seconds: float = 1.0,
        sweep_seconds: float = 30.0,
        exclusive: bool = True,
    ) -> None:
        self.db = db
        self.concurrency = concurrency
        self.lease = timedelta(seconds=lease_seconds)
        self.poll_seconds = poll_seconds
        self.sweep_seconds = sweep_seconds
        # Embedded mode has one server per database (a file lock ensures it), so at start every job still
        # marked running belongs to a dead process and can be taken back at once.
        self.exclusive = exclusive
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.specs: dict[str, TaskSpec] = {}
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._running: set[asyncio.Task[None]] = set()

    def register(self, kind: str, spec: TaskSpec) -> None:
        self.specs[kind] = spec

    def enqueue_in(self, conn: Connection, kind: str, payload: dict[str, Any], *, delay: float = 0.0) -> str:
        return self.enqueue_many_in(conn, kind, [payload], delay=delay)[0]

    def enqueue_many_in(
        self, conn: Connection, kind: str, payloads: list[dict[str, Any]], *, delay: float = 0.0
    ) -> list[str]:
        """Queue jobs inside the caller's transaction (one executemany for a batch)."""
        spec = self.specs[kind]
        now = utcnow()
        run_at = now + timedelta(seconds=delay)
        rows: list[dict[str, Any]] = [
            {
                "id": str(uuid.uuid4()),
                "kind": kind,
                "payload": payload,
                "status": "queued",
                "attempts": 0,
                "max_attempts": spec.max_attempts,
                "run_at": run_at,
                "lease_until": None,
                "worker": None,
                "last_error": None,
                "created_at": now,
                "updated_at": now,
            }
            for payload in payloads
        ]
        repository.insert_jobs(conn, rows)
        return [str(r["id"]) for r in rows]

    def notify(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        await self.sweep(take_all=self.exclusive)
        self._tasks = [asyncio.create_task(self._worker(i)) for i in range(self.concurrency)]
        self._tasks.append(asyncio.create_task(self._sweeper()))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def sweep(self, *, take_all: bool = False) -> int:
        """Requeue jobs whose lease expired (all running jobs when `take_all`); bury those out of attempts."""
        now = utcnow()
        far = now + timedelta(days=36500)
        stale = await self.db.write(lambda c: repository.expired(c, far if take_all else now))
        for job in stale:
            if job["attempts"] >= job["max_attempts"]:
                await self._give_up(job, None, "the worker stopped while running it, and no attempts are left")
            else:
                await self.db.write(_requeue(job["id"], now))
        if stale:
            log.warning("requeued %d job(s) whose worker stopped", len(stale))
            self._wake.set()
        return len(stale)

    async def _sweeper(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_seconds)
            try:
                await self.sweep()
            except Exception:
                log.exception("job sweep failed")

    async def _worker(self, index: int) -> None:
        while True:
            try:
                job = await self.db.write(lambda c: repository.claim(c, self.worker_id, utcnow(), self.lease))
            except Exception:
                log.exception("claiming a job failed")
                await asyncio.sleep(self.poll_seconds)
                continue
            if job is None:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
                continue
            # More work may be waiting: let another idle worker look too.
            self._wake.set()
            await self._run(job)

    async def _run(self, job: dict[str, Any]) -> None:
        spec = self.specs.get(job["kind"])
        if spec is None:
            await self._give_up(job, self.worker_id, f"no handler for job kind {job['kind']!r}")
            return
        beat = asyncio.create_task(self._heartbeat(job["id"]))
        try:
            await spec.handler(job["payload"])
        except asyncio.CancelledError:
            raise  # shutting down: the lease expires and the job is taken again
        except PermanentFailure as exc:
            await self._give_up(job, self.worker_id, str(exc) or type(exc).__name__)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            if job["attempts"] >= job["max_attempts"]:
                log.warning("job %s (%s) failed for good: %s", job["id"], job["kind"], error)
                await self._give_up(job, self.worker_id, error)
            else:
                now = utcnow()
                run_at = now + jittered(spec.backoff(job["attempts"]))
                await self.db.write(lambda c: repository.retry(c, job["id"], self.worker_id, run_at, error, now))
        else:
            await self.db.write(lambda c: repository.finish(c, job["id"], self.worker_id, utcnow()))
        finally:
            beat.cancel()

    async def _heartbeat(self, job_id: str) -> None:
        interval = self.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            try:
                await self.db.write(lambda c: repository.heartbeat(c, job_id, self.worker_id, utcnow() + self.lease))
            except Exception:
                log.exception("heartbeat for job %s failed", job_id)

    async def _give_up(self, job: dict[str, Any], worker: str | None, error: str) -> None:
        await self.db.write(lambda c: repository.bury(c, job["id"], worker, error, utcnow()))
        spec = self.specs.get(job["kind"])
        if spec is not None and spec.on_dead is not None:
            try:
                await spec.on_dead(job["payload"], error)
            except Exception:
                log.exception("on_dead of job %s failed", job["id"])


def _requeue(job_id: str, now: datetime) -> Callable[[Connection], None]:
    def work(c: Connection) -> None:
        repository.requeue(c, job_id, now, now)

    return work
