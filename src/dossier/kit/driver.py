"""Reads on the database driver itself, for the endpoints clients poll (getting and listing signals).

On those paths SQLAlchemy's execution layer (pool checkout, autobegin events, result processing) cost
more than the queries, and on PostgreSQL every read also paid a hop to a thread pool and back. Here a
read is a few calls on the driver:

- SQLite: a per-thread `sqlite3` connection, used inline on the event loop. In WAL mode a reader never
  waits for a writer, and an indexed lookup takes microseconds, less than any hop would.
- PostgreSQL: a few libpq connections per event loop (opened by psycopg), in autocommit, each statement
  prepared once per connection and then one round trip. The query protocol is driven here (see
  `_Session`): psycopg's async wait registered and unregistered the socket with the event loop and set
  a timer for every wait, more work than the rest of a read.

SQL is written once with `?` placeholders (PostgreSQL's `$n` are derived from it) and must stay portable.
Datetime parameters are given as naive-UTC `datetime`s; timestamps are selected as text (see `wire_time`).
"""

from __future__ import annotations

import asyncio
import os
import select
import sqlite3
import threading
import weakref
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from sqlalchemy.engine import make_url

from dossier.kit.time import format_rfc3339

Row = tuple[Any, ...]
Statement = tuple[str, Sequence[Any]]


class DriverReads(Protocol):
    async def fetch(self, statement: Statement) -> list[Row]:
        """Run one read-only statement and return its rows."""
        ...

    async def aclose(self) -> None: ...

    def close(self) -> None: ...


def sqlite_time(value: datetime) -> str:
    """A naive-UTC datetime as SQLAlchemy stores it in SQLite, so text comparisons order correctly."""
    if value.tzinfo is not None:  # "+00:00" on the text would break every comparison with stored times
        raise ValueError("timestamps are bound as naive UTC")
    # isoformat pads the year to four digits (strftime's %Y does not on every platform) and is 4x faster.
    return value.isoformat(" ", "microseconds")


def wire_time(value: str | datetime | None) -> str | None:
    """A stored naive-UTC timestamp as RFC 3339 ("2025-01-01T00:00:00Z", microseconds only when non-zero).

    Takes a `datetime`, or a timestamp cast to text by either database: SQLite holds SQLAlchemy's
    "YYYY-MM-DD HH:MM:SS.ffffff"; PostgreSQL (DateStyle ISO) writes "YYYY-MM-DD HH:MM:SS[.f...]" with
    trailing zeros dropped.
    """
    if value is None or isinstance(value, datetime):
        return format_rfc3339(value)
    fraction = value[20:26]
    if not fraction.strip("0"):
        return f"{value[:10]}T{value[11:19]}Z"
    return f"{value[:10]}T{value[11:19]}.{fraction:0<6}Z"


class SQLiteReads:
    """One read-only connection per thread; in practice the event loop's thread."""

    def __init__(self, path: str, *, uri: bool = False) -> None:
        self.path = path
        self.uri = uri
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, cached_statements=256, uri=self.uri
            )
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA query_only=ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    async def fetch(self, statement: Statement) -> list[Row]:
        sql, params = statement
        return self._connection().execute(sql, sqlite_params(params)).fetchall()

    async def aclose(self) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        self._local = threading.local()


def sqlite_params(params: Sequence[Any]) -> Sequence[Any]:
    if any(isinstance(p, datetime) for p in params):
        return [sqlite_time(p) if isinstance(p, datetime) else p for p in params]
    return params


@cache
def _numbered(sql: str) -> bytes:
    """`?` placeholders as PostgreSQL's `$1, $2, ...` (the hot SQL has no `?` inside literals)."""
    parts = sql.split("?")
    return "".join(f"{part}${i}" for i, part in enumerate(parts[:-1], 1)).encode() + parts[-1].encode()


def _pg_datetime(value: datetime) -> bytes:
    if value.tzinfo is not None:
        raise ValueError("timestamps are bound as naive UTC")
    return value.isoformat(" ").encode()


# By exact type: a window list binds some thirty parameters, and a chain of isinstance checks showed.
_PG_TEXT: dict[type, Any] = {
    str: str.encode,
    int: lambda v: str(v).encode(),
    float: lambda v: repr(v).encode(),
    bool: lambda v: b"t" if v else b"f",
    datetime: _pg_datetime,
}


def _pg_param(value: Any) -> bytes | None:
    """A parameter in PostgreSQL's text format; the prepared statement's context gives its type."""
    if value is None:
        return None
    encode = _PG_TEXT.get(type(value))
    if encode is None:  # a subclass (a StrEnum member, say): the first base type it is an instance of
        encode = next((f for t, f in _PG_TEXT.items() if t is not bool and isinstance(value, t)), None)
        if encode is None:
            raise TypeError(f"cannot bind {type(value).__name__}")
    result: bytes = encode(value)
    return result


# The longest the loop is held for the end of a reply whose first result has arrived (then it waits on the
# loop like any other read).
_TAIL_WAIT = 0.002


class _Session:
    """One connection, driven at the protocol level with its socket registered with the loop once.

    Each statement is prepared once (named by its position in this connection's cache) and then sent as
    Bind/Execute/Sync; the reply is read as it arrives by the permanent reader callback.
    """

    def __init__(self, conn: Any) -> None:
        from psycopg.adapt import Transformer

        self.conn = conn  # the psycopg AsyncConnection that opened it (and closes it)
        self.pg = conn.pgconn
        self.fd: int = self.pg.socket
        self.prepared: dict[str, bytes] = {}
        self.rows = Transformer(conn)
        self.broken = False
        # What a pending I/O waits on: the reply (readable) or room in the socket (writable).
        self._waiter: asyncio.Future[None] | None = None
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self.fd, self._readable)

    def _readable(self) -> None:
        try:
            self.pg.consume_input()
        except Exception as exc:  # the server closed the connection (restart, idle timeout, terminated)
            self._fail(exc)
            return
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _fail(self, exc: BaseException) -> None:
        """Stop watching the socket (libpq may have closed it already) and fail whatever waits on it."""
        self.broken = True
        for remove in (self._loop.remove_reader, self._loop.remove_writer):
            try:
                remove(self.fd)
            except (OSError, ValueError):  # a socket libpq closed: the loop has dropped it, or drops it now
                pass
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)

    def _lost(self) -> Exception:
        from psycopg import errors

        return errors.OperationalError(self.pg.get_error_message() or "the connection to the server was lost")

    def _usable(self) -> None:
        from psycopg import pq

        if self.broken or self.pg.status != pq.ConnStatus.OK:
            raise self._lost()

    def idle(self) -> bool:
        """Ready for the next statement: nothing in flight, no transaction open."""
        from psycopg import pq

        return (
            not self.broken
            and self.pg.status == pq.ConnStatus.OK
            and not self.pg.is_busy()
            and self.pg.transaction_status == pq.TransactionStatus.IDLE
        )

    async def _wait(self) -> None:
        self._waiter = self._loop.create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None
        self._usable()

    def _tail_arrived(self) -> bool:
        """After a result, the rest of the reply (its end marker) follows on the server's heels: a short
        bounded poll reads it without a round of the event loop, which cost more than the wait itself."""
        try:
            readable, _, _ = select.select([self.fd], [], [], _TAIL_WAIT)
            if readable:
                self.pg.consume_input()
        except Exception as exc:
            self._fail(exc)
            raise self._lost() from exc
        return bool(readable)

    async def _results(self) -> list[Any]:
        """Wait for the whole reply to what was just sent: every result, up to libpq's end of it.

        libpq's get_result() blocks on the socket while the reply is incomplete, so it is only called once
        is_busy() says the next result is all there (as psycopg's own fetch does).
        """
        while self.pg.flush():  # nearly always 0 at once: a few hundred bytes into an idle socket
            self._loop.add_writer(self.fd, self._wake)
            try:
                await self._wait()
            finally:
                if not self.broken:
                    self._loop.remove_writer(self.fd)
        results: list[Any] = []
        while True:
            while self.pg.is_busy():
                if results and self._tail_arrived():
                    continue
                await self._wait()
            self._usable()
            result = self.pg.get_result()
            if result is None:
                return results
            results.append(result)

    async def query(self, sql: str, params: Sequence[Any]) -> list[Row]:
        from psycopg import pq

        values = [_pg_param(p) for p in params]  # a parameter that cannot be bound leaves the connection as it was
        self._usable()
        name = self.prepared.get(sql)
        if name is None:
            name = f"d{len(self.prepared)}".encode()
            self.pg.send_prepare(name, _numbered(sql))
            self._check(await self._results(), pq.ExecStatus.COMMAND_OK)
            self.prepared[sql] = name
        self.pg.send_query_prepared(name, values)
        result = self._check(await self._results(), pq.ExecStatus.TUPLES_OK)
        # psycopg's loaders (C) turn the text values into Python ones, as its cursors would.
        self.rows.set_pgresult(result)
        try:
            rows: list[Row] = self.rows.load_rows(0, result.ntuples, tuple)
        finally:
            self.rows.set_pgresult(None)
        return rows

    def _check(self, results: list[Any], expected: Any) -> Any:
        """The last result, or the server's error raised as psycopg would (its class for the SQLSTATE, with
        its diagnostics); a reply cut short by a lost connection is an OperationalError."""
        from psycopg import errors, pq

        if not results:
            raise self._lost()
        for result in results:
            if result.status != expected:
                if not result.error_field(pq.DiagnosticField.SQLSTATE):
                    self._usable()  # libpq's own error for a connection gone bad has no SQLSTATE
                raise errors.error_from_result(result, encoding=self.conn.info.encoding)
        return results[-1]

    async def close(self) -> None:
        if not self.broken:
            self._fail(self._lost())
        await _close_quietly(self.conn)


class PostgresReads:
    """A few connections per event loop (a connection belongs to the loop that opened it)."""

    def __init__(self, conninfo: str, max_connections: int = 8) -> None:
        self.conninfo = conninfo
        self.max_connections = max_connections
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopConnections] = (
            weakref.WeakKeyDictionary()
        )

    def _for_loop(self) -> _LoopConnections:
        loop = asyncio.get_running_loop()
        pool = self._loops.get(loop)
        if pool is None:
            pool = _LoopConnections(self.conninfo, self.max_connections)
            self._loops[loop] = pool
        return pool

    async def fetch(self, statement: Statement) -> list[Row]:
        import psycopg

        sql, params = statement
        pool = self._for_loop()
        for attempt in (1, 2):
            # The retry gets a new connection: when the server dropped one (restart, idle timeout) it
            # dropped the idle others too, and that is only seen on the next I/O.
            session = await pool.acquire(fresh=attempt == 2)
            try:
                rows = await session.query(sql, params)
            except psycopg.OperationalError:
                await pool.discard(session)
                if attempt == 2:
                    raise
                await pool.discard_idle()
                continue
            except (psycopg.Error, ValueError, TypeError):
                # A statement the server refused, or a parameter that could not be bound: the connection
                # itself is fine when it is idle again.
                await (pool.release(session) if session.idle() else pool.discard(session))
                raise
            except BaseException:  # cancelled mid-reply: what is still on the wire is unknown
                await pool.discard(session)
                raise
            await pool.release(session)
            return rows
        raise AssertionError("unreachable")

    async def aclose(self) -> None:
        """Close the connections that belong to the running loop (call before the loop ends)."""
        pool = self._loops.pop(asyncio.get_running_loop(), None)
        if pool is not None:
            await pool.close()

    def close(self) -> None:
        # Connections of loops that ended without aclose() are dropped with their loop.
        self._loops.clear()


class _LoopConnections:
    def __init__(self, conninfo: str, max_connections: int) -> None:
        from psycopg.conninfo import conninfo_to_dict

        self.conninfo = conninfo
        # Passing options= replaces PGOPTIONS, so what the environment or the URL asks for is kept in front.
        given = " ".join(
            part
            for part in (os.environ.get("PGOPTIONS", ""), str(conninfo_to_dict(conninfo).get("options") or ""))
            if part
        )
        # Generic plans: these few statements are planned once per connection, not on every call (planning
        # a page query cost more than running it). DateStyle ISO: timestamps cast to text must read as
        # wire_time expects, whatever the server's default.
        self.options = f"{given} -c plan_cache_mode=force_generic_plan -c DateStyle=ISO".strip()
        self._idle: list[_Session] = []
        self._slots = asyncio.Semaphore(max_connections)
        self._closed = False

    async def acquire(self, *, fresh: bool = False) -> _Session:
        import psycopg

        await self._slots.acquire()
        try:
            while self._idle and not fresh:
                session = self._idle.pop()
                if not session.broken and not session.conn.closed:
                    return session
                await session.close()
            conn = await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True, options=self.options)
            return _Session(conn)
        except BaseException:
            self._slots.release()
            raise

    async def release(self, session: _Session) -> None:
        self._slots.release()
        if self._closed:  # the pool was closed while this connection was in use
            await session.close()
        else:
            self._idle.append(session)

    async def discard(self, session: _Session) -> None:
        self._slots.release()
        await session.close()

    async def discard_idle(self) -> None:
        idle, self._idle = self._idle, []
        for session in idle:
            await session.close()

    async def close(self) -> None:
        self._closed = True
        await self.discard_idle()


async def _close_quietly(conn: Any) -> None:
    try:
        await conn.close()
    except Exception:  # already gone: nothing to give back
        pass


def driver_reads_for(url: str) -> DriverReads:
    """Driver-level reads for a SQLAlchemy URL: a SQLite file or a PostgreSQL server."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not database or database == ":memory:":
            # Every pooled connection would open its own empty database.
            raise ValueError("Dossier keeps SQLite data in a file; an in-memory database is not supported")
        return SQLiteReads(database, uri=parsed.query.get("uri") == "true")
    if parsed.get_backend_name() == "postgresql":
        return PostgresReads(parsed.set(drivername="postgresql").render_as_string(hide_password=False))
    raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")
