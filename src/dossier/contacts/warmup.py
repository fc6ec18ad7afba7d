"""The search warm-up: the structures contact search reads, read once in the background when the server starts
and after bulk imports, so that the first searches after a restart find them in memory.

A search at a million people reads a few pages of several indexes and, for each row of its page, the row's role,
person, company and sources. Read from a cold disk, page by page, that was 60-740 ms for the first searches of
a shape (bench/contacts.py --cache cold), against 5-40 ms once the pages are in memory. Reading the same
structures in one pass per structure takes seconds, in a thread of its own: the server answers meanwhile.

PostgreSQL: `pg_prewarm` (installed here when the server ships it and the role may create it), into shared
buffers while they fill at most half of them, the rest into the OS page cache; without the extension (some
managed servers), each table is read by a sequential scan and each b-tree index by a scan in its order.
SQLite: each b-tree is walked once through the dbstat table (every page of it read, into the OS page cache).

Bounded: structures are read in order of use while their total stays within `contact_search_warmup_share` of the
machine's (or container's) memory; what does not fit is skipped (on SQLite a b-tree's size is known once read, so the warm-up
stops at the first structure past the bound). Logged at the start and the end; a failure is logged and never
reaches the server, which only answers a little slower until the pages are read by the searches themselves.
Each API process runs its own (`dossier serve --processes N`): the later ones find the pages already read."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from dossier.contacts import repository
from dossier.kit.db import Database, make_engine
from dossier.runtime import Runtime

log = logging.getLogger("dossier.contacts")

# Rows imported since the last warm-up past which the index is read again: fewer evict too little to matter.
BULK_ROWS = 1000
_CHUNK_BLOCKS = 2048  # blocks per pg_prewarm call (16 MB): a stop waits for one call at most
# The warm-up gives way: a table locked by someone else (a migration, a vacuum full) for longer than this is left
# unread (PostgreSQL's lock_timeout per statement; SQLite's busy timeout for the file).
LOCK_WAIT_SECONDS = 5


def physical_memory() -> int:
    """The machine's memory, or the container's where a cgroup limit is lower (the kernel reports the host's)."""
    total = int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    for limit in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            value = Path(limit).read_text().strip()
        except OSError:
            continue
        if value.isdigit():
            total = min(total, int(value))
    return total


@dataclass
class WarmupReport:
    method: str  # pg_prewarm | plain reads | dbstat
    budget: int  # bytes
    read: list[tuple[str, int, str]] = field(default_factory=list)  # (structure, bytes, how: buffer | read | walk)
    skipped: list[str] = field(default_factory=list)  # past the budget, or not readable by the method
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(size for _, size, _ in self.read)


class SearchWarmup:
    """Runs the warm-up in a thread of its own: once when started, and again after bulk imports."""

    def __init__(self, db: Database, share: float, import_delay_seconds: float = 30.0) -> None:
        self.db = db
        self.share = share
        self.import_delay_seconds = import_delay_seconds
        self.runs = 0  # warm-ups finished (or failed)
        self.last: WarmupReport | None = None
        self._cond = threading.Condition()
        self._due: float | None = None  # when the next warm-up should start (monotonic)
        self._stopping = False
        self._imported = 0
        self._thread: threading.Thread | None = None
        self._raw: Any = None  # the DBAPI connection reading now (to interrupt it on stop)

    @property
    def enabled(self) -> bool:
        return self.share > 0

    def start(self) -> None:
        if not self.enabled:
            log.info("search warm-up off (contact_search_warmup_share = 0)")
            return
        with self._cond:
            self._due = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name="dossier-search-warmup", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            raw = self._raw
        if raw is not None:
            try:  # the statement reading now ends at once (SQLite) or is cancelled on the server (PostgreSQL)
                raw.interrupt() if self.db.is_sqlite else raw.cancel()
            except Exception:
                log.debug("could not interrupt the search warm-up's read", exc_info=True)
        if self._thread is not None:
            self._thread.join(timeout=10)

    def after_import(self, rows: int) -> None:
        """Rows were imported: once BULK_ROWS have come in, a warm-up follows when imports pause."""
        if self._thread is None or rows <= 0:
            return
        with self._cond:
            self._imported += rows
            if self._imported >= BULK_ROWS:
                self._due = time.monotonic() + self.import_delay_seconds
                self._cond.notify_all()

    def wait(self, runs: int, timeout: float) -> bool:
        """Whether `runs` warm-ups have finished within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.runs < runs:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stopping and self._due is None:
                    self._cond.wait()
                if self._stopping:
                    return
                assert self._due is not None
                left = self._due - time.monotonic()
                if left > 0:
                    self._cond.wait(left)  # an import that comes in meanwhile moves the time on
                    continue
                self._due = None
                self._imported = 0
            report = None
            try:
                report = self._warm()
            except Exception:
                log.warning("search warm-up failed; searches read what they need as they go", exc_info=True)
            with self._cond:
                self.runs += 1
                self.last = report
                self._raw = None
                self._cond.notify_all()

    def _stopped(self) -> bool:
        with self._cond:
            return self._stopping

    def _warm(self) -> WarmupReport:
        started = time.monotonic()
        budget = int(self.share * physical_memory())
        engine = make_engine(
            self.db.url,
            pool_size=1,
            prepared_statements=self.db.prepared_statements,
            begin=False,
            busy_timeout_ms=LOCK_WAIT_SECONDS * 1000,
        )
        try:
            with engine.connect() as conn:
                with self._cond:
                    self._raw = conn.connection.dbapi_connection
                if self.db.is_sqlite:
                    report = self._warm_sqlite(conn, budget)
                else:
                    report = self._warm_postgres(conn, budget)
        finally:
            engine.dispose()
        report.seconds = time.monotonic() - started
        tail = "".join(
            f"; {label}: {', '.join(names)}"
            for label, names in (("skipped", report.skipped), ("failed", report.failed))
            if names
        )
        log.info(
            "search warm-up done: read %.0f MB of %d structures in %.1f s (%s)%s",
            report.total / 2**20, len(report.read), report.seconds, report.method, tail,
        )  # fmt: skip
        return report

    def _announce(self, method: str, count: int, known: int | None, budget: int) -> None:
        size = f", {known / 2**20:.0f} MB" if known is not None else ""
        log.info(
            "search warm-up started (%s): %d structures%s, within %.0f MB (%.2f of %.0f MB of memory)",
            method, count, size, budget / 2**20, self.share, physical_memory() / 2**20,
        )  # fmt: skip

    def _warm_postgres(self, conn: Connection, budget: int) -> WarmupReport:
        with conn.begin():
            repository.pg_give_way(conn, LOCK_WAIT_SECONDS)
            structures = repository.search_structures(conn)
            prewarm = repository.pg_prewarm_available(conn)
            in_buffers = repository.pg_shared_buffers_bytes(conn) // 2
            block = repository.pg_block_size(conn)
        report = WarmupReport("pg_prewarm" if prewarm else "plain reads", budget)
        self._announce(report.method, len(structures), sum(s.bytes or 0 for s in structures), budget)
        used = buffered = 0
        for s in structures:
            size = s.bytes or 0
            if self._stopped():
                break
            if used + size > budget:
                report.skipped.append(s.name)
                continue
            try:
                if prewarm:
                    how = "buffer" if buffered + size <= in_buffers else "read"
                    blocks = size // block
                    for first in range(0, blocks, _CHUNK_BLOCKS):
                        if self._stopped():
                            break
                        with conn.begin():
                            repository.pg_give_way(conn, LOCK_WAIT_SECONDS)
                            repository.pg_prewarm(conn, s.name, how, first, min(first + _CHUNK_BLOCKS, blocks) - 1)
                    if how == "buffer":
                        buffered += size
                else:
                    how = "scan"
                    with conn.begin():
                        repository.pg_give_way(conn, LOCK_WAIT_SECONDS)
                        if not repository.read_plainly(conn, s):
                            report.skipped.append(s.name)
                            continue
            except Exception as exc:
                if self._stopped():
                    break
                log.warning("search warm-up could not read %s: %s", s.name, exc)
                report.failed.append(s.name)
                continue
            used += size
            report.read.append((s.name, size, how))
        return report

    def _warm_sqlite(self, conn: Connection, budget: int) -> WarmupReport:
        structures = repository.search_structures(conn)
        conn.rollback()
        report = WarmupReport("dbstat", budget)
        self._announce(report.method, len(structures), None, budget)
        for s in structures:
            if self._stopped():
                break
            if report.total >= budget:
                report.skipped.append(s.name)
                continue
            try:
                size = repository.sqlite_read_btree(conn, s.name)
                conn.rollback()
            except Exception as exc:
                if self._stopped():
                    break
                log.warning("search warm-up could not read %s: %s", s.name, exc)
                report.failed.append(s.name)
                conn.rollback()
                continue
            report.read.append((s.name, size, "walk"))
        return report


def register(rt: Runtime) -> SearchWarmup:
    """The server's warm-up, started and stopped with it (see Runtime.background)."""
    warmup = SearchWarmup(
        rt.db, rt.settings.contact_search_warmup_share, rt.settings.contact_search_warmup_import_delay_seconds
    )
    rt.background.append(warmup)
    return warmup


def of(rt: Runtime) -> SearchWarmup | None:
    """The warm-up registered on a runtime, if any."""
    return next((b for b in rt.background if isinstance(b, SearchWarmup)), None)
