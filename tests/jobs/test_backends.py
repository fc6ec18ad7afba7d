"""One contract, two job backends: embedded (SQLite) and procrastinate (PostgreSQL)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from dossier.jobs import repository
from dossier.jobs.embedded import EmbeddedJobs
from dossier.jobs.port import PermanentFailure, TaskSpec
from dossier.kit.db import Database
from dossier.kit.time import utcnow
from tests.conftest import Backend


@pytest.fixture
async def jobs(backend: Backend, db: Database) -> AsyncIterator[EmbeddedJobs]:
    if backend.name == "postgres":
        from dossier.jobs.distributed import DistributedJobs

        backend_jobs: EmbeddedJobs = DistributedJobs(db, concurrency=4, lease_seconds=2.0)
    else:
        backend_jobs = EmbeddedJobs(db, concurrency=4, lease_seconds=2.0, poll_seconds=0.05, exclusive=False)
    yield backend_jobs


async def _start(jobs: EmbeddedJobs) -> asyncio.Task[None] | None:
    from dossier.jobs.distributed import DistributedJobs

    if isinstance(jobs, DistributedJobs):
        await jobs.start()
        return asyncio.create_task(jobs.run_worker(install_signal_handlers=False))
    await jobs.start()
    return None


async def _stop(jobs: EmbeddedJobs, task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        try:
            await task
        except BaseException:
            pass
    await jobs.stop()


async def _until(predicate: Any, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


def _kind() -> str:
    return f"test.{uuid.uuid4().hex[:8]}"


async def test_runs_each_committed_job_once_and_never_a_rolled_back_one(jobs, db):
    seen: list[str] = []
    kind = _kind()

    async def handler(payload: dict[str, Any]) -> None:
        seen.append(payload["n"])

    jobs.register(kind, TaskSpec(handler))
    await db.write(lambda c: [jobs.enqueue_in(c, kind, {"n": str(i)}) for i in range(20)])

    def rolled_back(c: Any) -> None:
        jobs.enqueue_in(c, kind, {"n": "ghost"})
        raise RuntimeError("the creating transaction fails")

    with pytest.raises(RuntimeError):
        await db.write(rolled_back)
    task = await _start(jobs)
    try:
        jobs.notify()
        await _until(lambda: len(seen) >= 20)
        await asyncio.sleep(0.5)
    finally:
        await _stop(jobs, task)
    assert sorted(seen, key=int) == [str(i) for i in range(20)]


async def test_retries_with_backoff_then_succeeds_and_buries_after_max_attempts(jobs, db):
    flaky_calls: list[float] = []
    dead: list[tuple[dict[str, Any], str]] = []
    kind_flaky, kind_doomed, kind_permanent = _kind(), _kind(), _kind()

    async def flaky(payload: dict[str, Any]) -> None:
        flaky_calls.append(time.monotonic())
        if len(flaky_calls) < 3:
            raise RuntimeError("not yet")

    async def doomed(payload: dict[str, Any]) -> None:
        raise RuntimeError("always broken")

    async def permanent(payload: dict[str, Any]) -> None:
        raise PermanentFailure("no point retrying")

    async def on_dead(payload: dict[str, Any], error: str) -> None:
        dead.append((payload, error))

    jobs.register(kind_flaky, TaskSpec(flaky, max_attempts=5, backoff=lambda n: 0.2))
    jobs.register(kind_doomed, TaskSpec(doomed, max_attempts=2, backoff=lambda n: 0.1, on_dead=on_dead))
    jobs.register(kind_permanent, TaskSpec(permanent, max_attempts=5, on_dead=on_dead))
    await db.write(
        lambda c: (
            jobs.enqueue_in(c, kind_flaky, {}),
            jobs.enqueue_in(c, kind_doomed, {"x": 1}),
            jobs.enqueue_in(c, kind_permanent, {"x": 2}),
        )
    )
    task = await _start(jobs)
    try:
        jobs.notify()
        await _until(lambda: len(flaky_calls) >= 3 and len(dead) >= 2)
    finally:
        await _stop(jobs, task)
    assert len(flaky_calls) == 3
    assert flaky_calls[1] - flaky_calls[0] >= 0.15  # backoff (0.2 s with jitter) was applied
    errors = {p["x"]: e for p, e in dead}
    assert "always broken" in errors[1] and errors[2] == "no point retrying"


async def test_expired_lease_is_requeued_and_run(jobs, db):
    ran: list[int] = []
    kind = _kind()

    async def handler(payload: dict[str, Any]) -> None:
        ran.append(1)

    jobs.register(kind, TaskSpec(handler))
    job_id = await db.write(lambda c: jobs.enqueue_in(c, kind, {}))
    # A worker that claimed the job and died: its lease ran out a while ago.
    await db.write(lambda c: repository.claim_by_id(c, job_id, "dead-worker", utcnow(), timedelta(seconds=-5)))
    task = await _start(jobs)
    try:
        await jobs.sweep()
        jobs.notify()
        await _until(lambda: len(ran) == 1)
    finally:
        await _stop(jobs, task)
    assert ran == [1]
