"""Database access: one `Database` for SQLite (embedded default) and PostgreSQL.

Every unit of work is a plain function over a synchronous SQLAlchemy connection, run on a small
thread pool: one thread hop per unit instead of one per statement, and a transaction can never be
held open across network I/O because the function cannot await anything.

SQLite rules (after Prefect's server database layer): WAL journal, a busy timeout, foreign keys on,
and `BEGIN IMMEDIATE` for every transaction that writes, so writers queue on the lock instead of failing
when a deferred read transaction tries to upgrade. Writes go through a single writer thread; reads have
their own connections with plain deferred transactions and never wait for the write lock.

Single-statement reads on the request path (`fetch`) take a Core statement and its parameters. On
PostgreSQL the statement is compiled once by SQLAlchemy (kept by statement) and run on psycopg's async
connections from a psycopg_pool pool, one per event loop: no thread hop, the loop never blocks, and none
of the execution layer around the driver, which cost more than the query. On SQLite they run on the event
loop's thread with a busy timeout of zero: in WAL mode a reader is almost never refused, and an indexed
read takes less than the hop to a thread would; when it is refused (SQLITE_BUSY: a checkpoint restarting
the log, a connection holding an exclusive lock) the read is sent again on the read threads, where the
usual busy timeout may wait without stalling the loop.

PostgreSQL and PgBouncer: no startup `options` are sent (PgBouncer refuses them). psycopg prepares a
statement server-side after it ran `prepare_threshold` (5) times on a connection, with protocol-level
Parse/Bind messages, which PgBouncer >= 1.21 supports in transaction mode when `max_prepared_statements`
is set; with libpq >= 17 psycopg also releases them with protocol-level Close messages (older libpq sends
`DEALLOCATE name`, which PgBouncer refuses). `prepared_statements=False` (DOSSIER_DB_PREPARED_STATEMENTS)
turns preparing off (`prepare_threshold=None`) for poolers that cannot track them. No session settings
are needed (a pooler would not keep them per client anyway): timestamps are read as typed values, so the
server's DateStyle does not matter, and plans are left to PostgreSQL's own choice between custom and
generic plans for prepared statements.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from psycopg import AsyncConnection
from psycopg import OperationalError as PsycopgOperationalError
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import JSON, ClauseElement, Connection, Engine, Executable, MetaData, create_engine, event, make_url
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.compiler import Compiled

T = TypeVar("T")
log = logging.getLogger("dossier.db")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON on SQLite, JSONB on PostgreSQL; Python None is SQL NULL, not the JSON literal null.
JSONType = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")

# For documents that reads hand to clients as they were written (a signal's answer, sources, evidence):
# PostgreSQL's `json` keeps the text as written, so reading it back is a copy, while `jsonb` is rebuilt
# into text on every read (30 of the 230 µs a 25-signal page took at the bench's sizes; more as evidence
# grows). `json` also keeps the writer's key order, so both databases return the same bytes. Nothing
# compares or indexes these columns, which `json` could not do.
VerbatimJSON = JSON(none_as_null=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def sync_url(url: str) -> str:
    """Accept async driver names in URLs (`sqlite+aiosqlite`, `postgresql+asyncpg`) and use the sync ones."""
    url = url.replace("sqlite+aiosqlite:", "sqlite:").replace("postgresql+asyncpg:", "postgresql+psycopg:")
    if url.startswith("postgresql:") or url.startswith("postgres:"):
        url = "postgresql+psycopg:" + url.split(":", 1)[1]
    return url


SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, ConnectionPoolEntry], None]:
    def on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        _set_pragmas(dbapi_connection, busy_timeout_ms)
        record.info["optimized_at"] = time.monotonic()

    return on_connect


SQLITE_OPTIMIZE_EVERY_S = 3600.0
# Rows ANALYZE reads per index when PRAGMA optimize decides to run it: bounds its time on a large file (an
# unbounded ANALYZE reads every row of the table, minutes at a million people) at the price of estimated counts.
SQLITE_ANALYSIS_LIMIT = 1000


def sqlite_optimize(dbapi_connection: Any) -> None:
    """SQLite's upkeep of the planner's statistics: `PRAGMA optimize` re-analyses the tables this connection's
    queries used whose statistics are missing or out of date (usually nothing: then it costs next to nothing).

    SQLite's documentation recommends running it just before closing each connection, and on long-lived
    connections also periodically (every few hours, or daily). Best effort: a connection that cannot get the
    write lock right now (another writer, a busy timeout of zero) leaves it to the next time."""
    cursor = dbapi_connection.cursor()
    try:
        timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout={min(int(timeout), 1000)}")  # never a request's 30 s wait
        try:
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("PRAGMA optimize")
        finally:
            cursor.execute(f"PRAGMA busy_timeout={int(timeout)}")
    except sqlite3.Error as exc:
        if not str(getattr(exc, "sqlite_errorname", "")).startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            log.warning("PRAGMA optimize failed: %s", exc)  # statistics only: the connection stays usable
    finally:
        cursor.close()


def _sqlite_optimize_on_close(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    sqlite_optimize(dbapi_connection)


def _sqlite_optimize_periodically(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    # On check-in, after the connection's transaction ended: never inside a unit of work.
    if dbapi_connection is None:
        return
    now = time.monotonic()
    if now - record.info.get("optimized_at", now) >= SQLITE_OPTIMIZE_EVERY_S:
        record.info["optimized_at"] = now
        sqlite_optimize(dbapi_connection)


def _set_pragmas(dbapi_connection: Any, busy_timeout_ms: int) -> None:
    # Autocommit at the driver level: the begin event below emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # First: switching to WAL takes a lock too.
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _refused_for_a_lock(exc: OperationalError) -> bool:
    name = str(getattr(exc.orig, "sqlite_errorname", ""))
    return name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED")


def _connect_args(url: str, prepared_statements: bool) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"check_same_thread": False}
    return {} if prepared_statements else {"prepare_threshold": None}


def make_engine(
    url: str,
    *,
    immediate: bool = False,
    pool_size: int = 8,
    prepared_statements: bool = True,
    begin: bool = True,
    busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
) -> Engine:
    """`begin=False` (SQLite): no BEGIN is sent, each statement is its own transaction (for single reads)."""
    url = sync_url(url)
    args = _connect_args(url, prepared_statements)
    if url.startswith("sqlite"):
        engine = create_engine(url, pool_size=pool_size, max_overflow=0, connect_args=args)
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        event.listen(engine, "close", _sqlite_optimize_on_close)
        event.listen(engine, "checkin", _sqlite_optimize_periodically)
        if not begin:
            return engine
        begin_sql = "BEGIN IMMEDIATE" if immediate else "BEGIN"

        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql(begin_sql)

        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=0, pool_pre_ping=True, connect_args=args)


class Database:
    """Runs units of work: `await db.read(fn)` and `await db.write(fn)` with `fn(conn) -> result`, and
    single read statements: `await db.fetch(statement, params)`."""

    def __init__(self, url: str, *, pool_size: int = 8, prepared_statements: bool = True) -> None:
        self.url = sync_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database {self.dialect!r}: use SQLite or PostgreSQL")
        self.is_sqlite = self.dialect == "sqlite"
        if self.is_sqlite and make_url(self.url).database in (None, "", ":memory:"):
            # Every pooled connection would open its own empty database.
            raise ValueError("Dossier keeps SQLite data in a file; an in-memory database is not supported")
        self.pool_size = pool_size
        self.prepared_statements = prepared_statements
        self.read_engine = make_engine(self.url, pool_size=pool_size, prepared_statements=prepared_statements)
        self._read_pool = ThreadPoolExecutor(pool_size, thread_name_prefix="dossier-db-read")
        if self.is_sqlite:
            # SQLite has one writer at a time: one thread and one connection, no lock contention in-process.
            self.write_engine = make_engine(self.url, immediate=True, pool_size=1)
            self._write_pool = ThreadPoolExecutor(1, thread_name_prefix="dossier-db-write")
            # Single read statements need no BEGIN and ROLLBACK around them: a statement is its own snapshot.
            self._statement_engine = make_engine(self.url, pool_size=pool_size, begin=False)
            self._loop_engine = make_engine(self.url, pool_size=2, begin=False, busy_timeout_ms=0)
        else:
            self.write_engine = self.read_engine
            self._write_pool = self._read_pool
            self._statement_engine = self._loop_engine = self.read_engine
        # An async connection belongs to the event loop that opened it: one pool per loop.
        self._pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncConnectionPool[AsyncConnection[Any]]] = (
            weakref.WeakKeyDictionary()
        )

    def read_sync(self, fn: Callable[[Connection], T]) -> T:
        with self.read_engine.connect() as conn:
            return fn(conn)

    def write_sync(self, fn: Callable[[Connection], T]) -> T:
        with self.write_engine.begin() as conn:
            return fn(conn)

    async def read(self, fn: Callable[[Connection], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._read_pool, self.read_sync, fn)

    async def fetch(self, statement: Executable, params: Mapping[str, Any] | None = None) -> Sequence[Sequence[Any]]:
        """The rows of one bounded read-only statement (a key lookup, one page of a list)."""
        if self.is_sqlite:
            try:
                with self._loop_engine.connect() as conn:
                    return conn.execute(statement, params).all()
            except OperationalError as exc:
                if not _refused_for_a_lock(exc):
                    raise
            return await asyncio.get_running_loop().run_in_executor(
                self._read_pool, self._fetch_sync, statement, params
            )
        pool = await self._pool()
        sql, compiled = _compiled(statement)
        values = compiled.construct_params(params)
        try:
            async with pool.connection() as conn:
                return await (await conn.execute(sql, values)).fetchall()
        except PsycopgOperationalError:
            # A connection the server dropped (a restart, an idle timeout) is seen on its next use; the pool
            # discards it when it comes back. The idle ones are checked (dropping the dead) and the read, safe
            # to send again, gets a sound one.
            await pool.check()
        async with pool.connection() as conn:
            return await (await conn.execute(sql, values)).fetchall()

    def _fetch_sync(self, statement: Executable, params: Mapping[str, Any] | None) -> Sequence[Sequence[Any]]:
        with self._statement_engine.connect() as conn:
            return conn.execute(statement, params).all()

    async def _pool(self) -> AsyncConnectionPool[AsyncConnection[Any]]:
        loop = asyncio.get_running_loop()
        pool = self._pools.get(loop)
        if pool is None:
            pool = AsyncConnectionPool(
                _libpq_conninfo(self.url),
                min_size=1,
                max_size=self.pool_size,
                open=False,
                # Single statements: no BEGIN/ROLLBACK around each one.
                kwargs={"autocommit": True, **_connect_args(self.url, self.prepared_statements)},
            )
            self._pools[loop] = pool
            await pool.open(wait=True)
        return pool

    async def aclose(self) -> None:
        """Release what belongs to the running event loop (async connections); call before the loop ends."""
        pool = self._pools.pop(asyncio.get_running_loop(), None)
        if pool is not None:
            await pool.close()

    async def write(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn` in one transaction (BEGIN IMMEDIATE on SQLite); commits if it returns, rolls back if it raises."""
        return await asyncio.get_running_loop().run_in_executor(self._write_pool, self.write_sync, fn)

    def dispose(self) -> None:
        # Pools of loops that ended without aclose() are dropped with their loop.
        self._pools.clear()
        self._read_pool.shutdown(wait=True)
        if self._write_pool is not self._read_pool:
            self._write_pool.shutdown(wait=True)
        self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            self.write_engine.dispose()
        if self._statement_engine is not self.read_engine:
            self._statement_engine.dispose()
            self._loop_engine.dispose()


_PG = PGDialect_psycopg()


@lru_cache(maxsize=512)
def _compiled(statement: Executable) -> tuple[str, Compiled]:
    """A statement compiled for psycopg once (the statements of the request path are built once per shape,
    so they are found here again by identity)."""
    assert isinstance(statement, ClauseElement)
    compiled = statement.compile(dialect=_PG)
    return str(compiled), compiled


def _libpq_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def current_database(request: Request) -> Database:
    # async: FastAPI runs a plain function dependency on its thread pool, a hop per request.
    db: Database = request.app.state.db
    return db


CurrentDatabase = Annotated[Database, Depends(current_database)]
