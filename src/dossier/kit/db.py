"""Database access: one `Database` for SQLite (embedded default) and PostgreSQL.

SQLite rules (after Prefect's server database layer): WAL journal, a busy timeout, foreign keys on,
and `BEGIN IMMEDIATE` for every transaction that writes, so two writers queue on the lock instead of
failing with "database is locked" when a deferred read transaction tries to upgrade. Reads get their
own engine with plain deferred transactions so they never wait for the write lock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import JSON, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON on SQLite, JSONB on PostgreSQL.
JSONType = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Autocommit at the driver level: SQLAlchemy's begin event below emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _make_engine(url: str, *, immediate: bool, pool_size: int) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, pool_size=pool_size, max_overflow=pool_size)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        begin_sql = "BEGIN IMMEDIATE" if immediate else "BEGIN"

        def _begin(conn: Any) -> None:
            conn.exec_driver_sql(begin_sql)

        event.listen(engine.sync_engine, "begin", _begin)
        return engine
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size * 2, pool_pre_ping=True)


class Database:
    """Owns the engines; hands out connections whose transaction commits on success."""

    def __init__(self, url: str, *, pool_size: int = 8) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.read_engine = _make_engine(url, immediate=False, pool_size=pool_size)
        # One writer at a time is all SQLite allows; a small pool avoids queueing connections on the lock.
        self.write_engine = _make_engine(url, immediate=True, pool_size=2) if self.is_sqlite else self.read_engine

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.read_engine.connect() as conn:
            yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        async with self.write_engine.begin() as conn:
            yield conn

    async def dispose(self) -> None:
        await self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            await self.write_engine.dispose()


def sync_url(url: str) -> str:
    """The synchronous driver URL Alembic runs migrations with."""
    return url.replace("sqlite+aiosqlite", "sqlite").replace("postgresql+asyncpg", "postgresql+psycopg")
