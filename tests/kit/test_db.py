"""Database.fetch: single read statements on standard components (SQLAlchemy Core; psycopg's async
connections on PostgreSQL, the read threads on SQLite)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import literal_column, select, text

from dossier.jobs.distributed import libpq_url
from dossier.kit.db import Database
from tests.conftest import Backend


async def test_a_sqlite_read_refused_for_a_lock_waits_off_the_event_loop(tmp_path: Path) -> None:
    """Reads run on the loop with no busy timeout; one refused for a lock waits on a read thread, and the loop
    keeps running meanwhile."""
    path = tmp_path / "locked.db"
    locker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    locker.execute("CREATE TABLE t (n INTEGER)")
    locker.execute("INSERT INTO t VALUES (1)")
    # An exclusive transaction in a database not yet in WAL mode keeps every other connection out (even the
    # switch to WAL mode that a new connection makes) until it ends.
    locker.execute("BEGIN EXCLUSIVE")
    locker.execute("INSERT INTO t VALUES (2)")
    db = Database(f"sqlite:///{path}")
    count = select(text("count(*) FROM t"))
    try:
        loop = asyncio.get_running_loop()
        loop.call_later(0.3, lambda: (locker.execute("COMMIT"), locker.close()))
        ticks = 0
        read = asyncio.ensure_future(db.fetch(count))
        while not read.done():
            await asyncio.sleep(0.01)
            ticks += 1
        assert (await read)[0][0] == 2
        assert ticks >= 10, ticks  # the loop ran all along (a read stuck on it would have held it 0.3 s)
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


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_sqlite_must_be_a_file(url: str) -> None:
    with pytest.raises(ValueError, match="in-memory"):
        Database(url)


async def test_reads_see_committed_writes(backend: Backend) -> None:
    db = Database(backend.url)
    try:
        before = (await db.fetch(select(text("count(*) FROM organizations"))))[0][0]
        await db.write(
            lambda c: c.execute(
                text(
                    "INSERT INTO organizations (id, name, credits, webhook_secret, created_at) "
                    "VALUES (:id, :name, 0, 'whsec_x', CURRENT_TIMESTAMP)"
                ),
                {"id": f"org-seen-{backend.name}", "name": f"seen-{backend.name}"},
            )
        )
        assert (await db.fetch(select(text("count(*) FROM organizations"))))[0][0] == before + 1
    finally:
        await db.aclose()
        db.dispose()


async def test_sqlite_connections_optimize_statistics_on_close_and_periodically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PRAGMA optimize (as SQLite's documentation recommends: before a connection closes, and periodically on a
    long-lived one) analyses a table the connection's queries used without statistics; answers stay the same."""
    path = tmp_path / "optimize.db"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("CREATE TABLE t (n INTEGER, k TEXT)")
    setup.execute("CREATE INDEX ix_t_k ON t (k)")
    setup.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"k{i % 50}") for i in range(5000)])
    setup.close()
    query = select(text("n FROM t WHERE k = 'k7' ORDER BY n"))

    def stats() -> list[tuple[str, str]]:
        with sqlite3.connect(path) as conn:
            present = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0]
            return conn.execute("SELECT tbl, idx FROM sqlite_stat1").fetchall() if present else []

    db = Database(f"sqlite:///{path}")
    try:
        before = [row[0] for row in db.read_sync(lambda conn: conn.execute(query).all())]
        assert stats() == []  # nothing analysed while the connection lives
    finally:
        db.dispose()
    assert ("t", "ix_t_k") in stats()  # analysed when the pooled connection closed

    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE sqlite_stat1")
    monkeypatch.setattr("dossier.kit.db.SQLITE_OPTIMIZE_EVERY_S", 0.0)
    db = Database(f"sqlite:///{path}")
    try:
        after = [row[0] for row in db.read_sync(lambda conn: conn.execute(query).all())]
        assert ("t", "ix_t_k") in stats()  # analysed when the connection went back to the pool, still open
        again = [row[0] for row in db.read_sync(lambda conn: conn.execute(query).all())]
    finally:
        db.dispose()
    assert before == after == again == list(range(7, 5000, 50))
