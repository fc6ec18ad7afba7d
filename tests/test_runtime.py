"""Where a PostgreSQL runtime's connections go: behind a transaction-mode pooler, LISTEN needs its own session."""

from __future__ import annotations

import asyncio
import time

import psycopg
import pytest

from dossier.jobs.distributed import DistributedJobs, libpq_url
from dossier.kit.db import Database
from dossier.wiring import build_runtime
from tests.conftest import Backend


def _named(url: str, application_name: str) -> str:
    return f"{url}&application_name={application_name}" if "?" in url else f"{url}?application_name={application_name}"


def _sessions(url: str) -> list[tuple[str, str]]:
    """(application_name, last statement) of the other sessions on this database."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT application_name, query FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [(str(name), str(query)) for name, query in rows]


async def test_listen_and_procrastinate_take_the_direct_url(backend: Backend) -> None:
    """With DOSSIER_DIRECT_DATABASE_URL set (here: the same server under another application name, so the
    sessions can be told apart), the completion listener and procrastinate's connections use it, and the
    request path keeps the usual URL."""
    if backend.name != "postgres":
        pytest.skip("LISTEN and procrastinate are PostgreSQL's")
    pooled, direct = _named(backend.url, "dossier-pooled"), _named(backend.url, "dossier-direct")
    settings = backend.settings.model_copy(update={"database_url": pooled, "direct_database_url": direct})
    db = Database(settings.effective_database_url, prepared_statements=settings.db_prepared_statements)
    runtime = build_runtime(settings, db)
    await runtime.start(workers=False)
    try:
        await db.read(lambda conn: conn.exec_driver_sql("SELECT 1").scalar())
        deadline = time.monotonic() + 20
        while True:
            sessions = await asyncio.to_thread(_sessions, backend.url)
            # Other servers of the test session may listen on this database too, under no name.
            listening = {name for name, query in sessions if query.upper().startswith("LISTEN")}
            if "dossier-direct" in listening or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        assert "dossier-direct" in listening and "dossier-pooled" not in listening, sessions
        names = {name for name, _ in sessions}
        assert "dossier-pooled" in names  # the database's own pools
        assert isinstance(runtime.jobs, DistributedJobs)
        async with runtime.jobs.app.connector.pool.connection() as conn:
            row = await (await conn.execute("SELECT current_setting('application_name')")).fetchone()
        assert row == ("dossier-direct",)
    finally:
        await runtime.stop()
        await db.aclose()
        db.dispose()


async def test_procrastinate_prepares_nothing_when_prepared_statements_are_off(backend: Backend) -> None:
    """A pooler without max_prepared_statements fails on psycopg's prepared statements; procrastinate's
    queries go through psycopg too, so the setting reaches its pool."""
    if backend.name != "postgres":
        pytest.skip("procrastinate is PostgreSQL's")
    db = Database(backend.url, prepared_statements=False)
    jobs = DistributedJobs(db, prepared_statements=False)
    await jobs.open()
    try:
        pool = jobs.app.connector.pool
        async with pool.connection() as conn:
            for _ in range(8):  # psycopg prepares a query from its 5th run on a connection by default
                await conn.execute("SELECT count(*) FROM procrastinate_jobs WHERE status = %s", ["todo"])
            row = await (await conn.execute("SELECT count(*) FROM pg_prepared_statements")).fetchone()
        assert row == (0,)
    finally:
        await jobs.close()
        db.dispose()
