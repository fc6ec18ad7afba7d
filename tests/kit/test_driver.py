"""Driver-level reads: timestamps as both databases write them, and PostgreSQL sessions set up for them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest

from dossier.kit.db import Database
from dossier.kit.driver import sqlite_time, wire_time
from tests.support import create_postgres_database


@pytest.mark.parametrize(
    ("stored", "wire"),
    [
        ("2024-06-02 17:00:00.000000", "2024-06-02T17:00:00Z"),  # SQLite, whole second
        ("2024-06-02 17:00:00.123450", "2024-06-02T17:00:00.123450Z"),  # SQLite
        ("2024-06-02 17:00:00", "2024-06-02T17:00:00Z"),  # PostgreSQL, whole second
        ("2024-06-02 17:00:00.12345", "2024-06-02T17:00:00.123450Z"),  # PostgreSQL drops trailing zeros
        ("2024-06-02 17:00:00.5", "2024-06-02T17:00:00.500000Z"),
        ("2024-06-02 17:00:00.000001", "2024-06-02T17:00:00.000001Z"),
        (datetime(2024, 6, 2, 17, 0, 0), "2024-06-02T17:00:00Z"),
        (datetime(2024, 6, 2, 17, 0, 0, 120000), "2024-06-02T17:00:00.120000Z"),
        (datetime(2024, 6, 2, 19, 0, 0, tzinfo=timezone(timedelta(hours=2))), "2024-06-02T17:00:00Z"),
        (None, None),
    ],
)
def test_wire_time(stored: str | datetime | None, wire: str | None) -> None:
    assert wire_time(stored) == wire


def test_sqlite_time_sorts_like_the_stored_text() -> None:
    earlier, later = datetime(2024, 6, 2, 17, 0, 0), datetime(2024, 6, 2, 17, 0, 0, 1)
    assert sqlite_time(earlier) == "2024-06-02 17:00:00.000000"
    assert sqlite_time(datetime(999, 1, 2, 3, 4, 5)) == "0999-01-02 03:04:05.000000"
    assert sqlite_time(earlier) < sqlite_time(later)
    assert wire_time(sqlite_time(later)) == "2024-06-02T17:00:00.000001Z"


async def test_postgres_reads_ignore_a_server_datestyle_and_survive_a_dropped_connection() -> None:
    url = create_postgres_database("driver_datestyle")
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("ALTER DATABASE driver_datestyle SET DateStyle = 'SQL, DMY'")
        # The server's own default for this database really is different.
        with psycopg.connect(conninfo) as fresh:
            assert fresh.execute("SELECT CAST(TIMESTAMP '2024-06-02 17:00:00.5' AS TEXT)").fetchone() == (
                "02/06/2024 17:00:00.5",
            )
    db = Database(url)
    try:
        sql = "SELECT CAST(CAST(? AS TIMESTAMP) AS TEXT), pg_backend_pid()"
        [(text, pid)] = await db.fetch((sql, [datetime(2024, 6, 2, 17, 0, 0, 500000)]))
        assert wire_time(text) == "2024-06-02T17:00:00.500000Z"
        # Terminate the server side of the pooled connection: the next read reconnects and succeeds.
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        [(text, new_pid)] = await db.fetch((sql, [datetime(2024, 6, 2, 17, 0, 0)]))
        assert text == "2024-06-02 17:00:00" and new_pid != pid
        # Several pooled connections, all dropped (a server restart): the next read still succeeds.
        slow = ("SELECT pg_backend_pid() FROM pg_sleep(0.2)", [])
        pids = {rows[0][0] for rows in await asyncio.gather(*(db.fetch(slow) for _ in range(4)))}
        assert len(pids) == 4
        with psycopg.connect(conninfo, autocommit=True) as admin:
            for backend_pid in pids:
                admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
        [(alive,)] = await db.fetch(("SELECT pg_backend_pid()", []))
        assert alive not in pids
        # `?` placeholders bind on psycopg too, and a literal % is not taken for one.
        assert await db.fetch(("SELECT ?, '100%'", ["two"])) == [("two", "100%")]
        assert await db.fetch(("SELECT 3 WHERE false", [])) == []
    finally:
        await db.aclose()
        db.dispose()



async def test_postgres_reads_bind_decode_and_report_errors_like_psycopg() -> None:
    """The protocol-level session: parameters of every bound type, a request larger than the socket buffer
    (sent in several writes), results decoded by psycopg's loaders, and a failing statement raised as
    psycopg's class for its SQLSTATE on a connection that stays usable."""
    db = Database(create_postgres_database("driver_session"))
    try:
        sql = "SELECT CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS DOUBLE PRECISION), CAST(? AS BOOLEAN), ?"
        assert await db.fetch((sql, ["é ✓", 2**40, 0.1 + 0.2, True, None])) == [
            ("é ✓", 2**40, 0.30000000000000004, True, None)
        ]
        big = "x" * 5_000_000
        assert await db.fetch(("SELECT length(CAST(? AS TEXT))", [big])) == [(5_000_000,)]
        with pytest.raises(psycopg.errors.DivisionByZero) as raised:
            await db.fetch(("SELECT 1 / CAST(? AS INTEGER)", [0]))
        assert raised.value.sqlstate == "22012" and raised.value.diag.message_primary == "division by zero"
        with pytest.raises(psycopg.errors.UndefinedTable):
            await db.fetch(("SELECT * FROM no_such_table", []))
        assert await db.fetch(("SELECT 1 / CAST(? AS INTEGER)", [1])) == [(1,)]
        with pytest.raises(ValueError, match="naive"):
            await db.fetch(("SELECT CAST(? AS TIMESTAMP)", [datetime(2024, 1, 1, tzinfo=UTC)]))
    finally:
        await db.aclose()
        db.dispose()


async def test_postgres_reads_keep_their_connections_through_errors_cancellations_and_losses() -> None:
    """Errors a statement raises and parameters that cannot be bound leave the connection in use; a cancelled
    read gives its connection slot back (more cancellations than slots, then a read still succeeds); a
    connection lost while a large request is being written fails that attempt and the retry succeeds,
    instead of waiting forever."""
    url = create_postgres_database("driver_losses")
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    db = Database(url)
    pid_sql = ("SELECT pg_backend_pid()", [])
    try:
        [(pid,)] = await db.fetch(pid_sql)
        with pytest.raises(psycopg.errors.DivisionByZero):
            await db.fetch(("SELECT 1 / 0", []))
        with pytest.raises(ValueError):
            await db.fetch(("SELECT ?", [datetime(2024, 1, 1, tzinfo=UTC)]))
        assert await db.fetch(pid_sql) == [(pid,)]

        for _ in range(10):  # the pool has 8 slots
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(db.fetch(("SELECT pg_sleep(5)", [])), 0.05)
        assert len(await asyncio.wait_for(db.fetch(pid_sql), 10)) == 1

        [(pid,)] = await db.fetch(pid_sql)
        big = "y" * 60_000_000  # far more than a socket buffer: written in many rounds
        task = asyncio.create_task(db.fetch(("SELECT length(CAST(? AS TEXT)), pg_backend_pid()", [big])))
        await asyncio.sleep(0.02)
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        [(length, new_pid)] = await asyncio.wait_for(task, 60)
        assert length == 60_000_000 and new_pid != pid
    finally:
        await db.aclose()
        db.dispose()

async def test_sqlite_reads_are_read_only_and_see_committed_writes(tmp_path) -> None:
    from dossier.kit.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'd.db'}"
    upgrade(url)
    db = Database(url)
    try:
        [(n,)] = await db.fetch(("SELECT COUNT(*) FROM organizations", []))
        await db.write(
            lambda c: c.exec_driver_sql(
                "INSERT INTO organizations (id, name, created_at, credits, webhook_secret) VALUES (?, ?, ?, ?, ?)",
                ("o1", "x", sqlite_time(datetime.now(UTC).replace(tzinfo=None)), 0, "whsec_x"),
            )
        )
        [(m,)] = await db.fetch(("SELECT COUNT(*) FROM organizations", []))
        assert m == n + 1
        with pytest.raises(Exception, match="readonly|read-only|query_only"):
            await db.fetch(("DELETE FROM organizations", []))
    finally:
        db.dispose()


def test_sqlite_must_be_a_file() -> None:
    # Each pooled connection would open its own empty in-memory database.
    with pytest.raises(ValueError, match="in-memory"):
        Database("sqlite://")
