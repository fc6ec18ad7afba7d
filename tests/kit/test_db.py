"""Database.fetch: single read statements on standard components (SQLAlchemy Core; psycopg's async
connections on PostgreSQL, the read threads on SQLite)."""

from __future__ import annotations

import threading

import psycopg
import pytest
from sqlalchemy import event, literal_column, select, text

from dossier.jobs.distributed import libpq_url
from dossier.kit.db import Database
from tests.conftest import Backend


async def test_sqlite_reads_run_off_the_event_loop(backend: Backend) -> None:
    if backend.name != "sqlite":
        pytest.skip("SQLite only")
    db = Database(backend.url)
    seen: list[str] = []
    try:
        # Where the statement runs: on one of the read threads, not on the loop's.
        event.listen(db._statement_engine, "before_execute", lambda *_: seen.append(threading.current_thread().name))
        rows = await db.fetch(select(literal_column("1")))
        assert rows[0][0] == 1
        assert seen and seen[0] != threading.current_thread().name and seen[0].startswith("dossier-db-read")
    finally:
        await db.aclose()
        db.dispose()


async def test_postgres_reads_survive_dropped_connections_and_can_turn_preparing_off(backend: Backend) -> None:
    if backend.name != "postgres":
        pytest.skip("PostgreSQL only")
    statement = select(text("current_setting('application_name')"))
    for prepared in (True, False):
        db = Database(backend.url, prepared_statements=prepared)
        try:
            for _ in range(8):  # past psycopg's prepare_threshold (5)
                await db.fetch(statement)
            prepared_names = (await db.fetch(select(text("count(*) FROM pg_prepared_statements"))))[0][0]
            assert (prepared_names > 0) == prepared
            # The server drops every other connection to this database (a restart, an idle timeout would too).
            with psycopg.connect(libpq_url(backend.url), autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            rows = await db.fetch(select(literal_column("41") + 1))
            assert rows[0][0] == 42
        finally:
            await db.aclose()
            db.dispose()
