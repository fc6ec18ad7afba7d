"""Database access: one `Database` for SQLite (embedded default) and PostgreSQL.

Every unit of work is a plain function over a synchronous SQLAlchemy connection, run on a small
thread pool: one thread hop per unit instead of one per statement, and a transaction can never be
held open across network I/O because the function cannot await anything.

SQLite rules (after Prefect's server database layer): WAL journal, a busy timeout, foreign keys on,
and `BEGIN IMMEDIATE` for every transaction that writes, so writers queue on the lock instead of failing
when a deferred read transaction tries to upgrade. Writes go through a single writer thread; reads have
their own connections with plain deferred transactions and never wait for the write lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import JSON, Connection, Engine, MetaData, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry

from dossier.kit.driver import DriverReads, Row, Statement, driver_reads_for

T = TypeVar("T")

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


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Autocommit at the driver level: the begin event below emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, *, immediate: bool = False, pool_size: int = 8) -> Engine:
    url = sync_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, pool_size=pool_size, max_overflow=0, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        begin_sql = "BEGIN IMMEDIATE" if immediate else "BEGIN"

        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql(begin_sql)

        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=0, pool_pre_ping=True)


class Database:
    """Runs units of work: `await db.read(fn)` and `await db.write(fn)` with `fn(conn) -> result`."""

    def __init__(self, url: str, *, pool_size: int = 8) -> None:
        self.url = sync_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        self.driver_reads: DriverReads = driver_reads_for(self.url)
        self.read_engine = make_engine(self.url, pool_size=pool_size)
        self._read_pool = ThreadPoolExecutor(pool_size, thread_name_prefix="dossier-db-read")
        if self.is_sqlite:
            # SQLite has one writer at a time: one thread and one connection, no lock contention in-process.
            self.write_engine = make_engine(self.url, immediate=True, pool_size=1)
            self._write_pool = ThreadPoolExecutor(1, thread_name_prefix="dossier-db-write")
        else:
            self.write_engine = self.read_engine
            self._write_pool = self._read_pool

    def read_sync(self, fn: Callable[[Connection], T]) -> T:
        with self.read_engine.connect() as conn:
            return fn(conn)

    def write_sync(self, fn: Callable[[Connection], T]) -> T:
        with self.write_engine.begin() as conn:
            return fn(conn)

    async def read(self, fn: Callable[[Connection], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._read_pool, self.read_sync, fn)

    async def quick_read(self, fn: Callable[[Connection], T]) -> T:
        """A bounded read (a key lookup, one page of a list): inline on SQLite, on the pool elsewhere.

        In WAL mode a SQLite reader never waits for a writer, and these statements take tens of
        microseconds, less than the thread hop they would otherwise cost on every request.
        """
        if self.is_sqlite:
            return self.read_sync(fn)
        return await self.read(fn)

    async def fetch(self, statement: Statement) -> list[Row]:
        """One bounded read-only statement on the driver itself (see kit/driver.py): the hot read paths."""
        return await self.driver_reads.fetch(statement)

    async def aclose(self) -> None:
        """Release what belongs to the running event loop (driver connections); call before the loop ends."""
        await self.driver_reads.aclose()

    async def write(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn` in one transaction (BEGIN IMMEDIATE on SQLite); commits if it returns, rolls back if it raises."""
        return await asyncio.get_running_loop().run_in_executor(self._write_pool, self.write_sync, fn)

    def dispose(self) -> None:
        self.driver_reads.close()
        self._read_pool.shutdown(wait=True)
        if self._write_pool is not self._read_pool:
            self._write_pool.shutdown(wait=True)
        self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            self.write_engine.dispose()
