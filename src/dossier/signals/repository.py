"""SQL for signals. Every query is scoped to one organisation here, never by the caller's goodwill."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, Text, cast, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dossier.kit.driver import Statement
from dossier.signals.models import Signal, SignalCounter, SignalDayCounter, SignalSubjectCounter
from dossier.signals.schemas import SignalStatus

DONE_CHANNEL = "dossier_signal_done"

# JSON columns are read as their stored text and passed through to the response untouched: parsing
# and re-serialising them was most of a list request's cost.
JSON_TEXT_COLUMNS = frozenset({"output_schema", "answer", "sources", "evidence"})
WIRE_NAMES = (
    "id", "kind", "status", "domain", "contact_profile_url", "question", "answer_type", "output_schema", "weight",
    "verification_mode", "signal_template_id", "subscription_id", "company_id", "answer", "confidence",
    "reasoning", "sources", "evidence", "qualification", "error", "cost_usd", "as_of", "created_at",
    "completed_at",
)  # fmt: skip
WIRE_COLUMNS = tuple(
    cast(Signal.__table__.c[name], Text).label(name) if name in JSON_TEXT_COLUMNS else Signal.__table__.c[name]
    for name in WIRE_NAMES
)


@dataclass
class SignalFilter:
    kind: str
    domain: str | None = None
    company_id: str | None = None
    profile_key: str | None = None
    statuses: Sequence[str] = field(default_factory=tuple)
    completed_from: datetime | None = None
    completed_to: datetime | None = None
    subscription_id: str | None = None

    def shape(self) -> tuple[bool, ...]:
        return (
            self.domain is not None,
            self.company_id is not None,
            self.profile_key is not None,
            bool(self.statuses),
            self.completed_from is not None,
            self.completed_to is not None,
            self.subscription_id is not None,
        )


# --- the hot reads (get and list), on the driver itself: see kit/driver.py -----------------------------------

# Timestamps come back as text too (see kit.driver.wire_time): cheaper than building datetimes only to format them.
_TIME_COLUMNS = frozenset({"as_of", "created_at", "completed_at"})
# Renamed, so that ORDER BY created_at means the column and not this text.
_WIRE_SQL = ", ".join(
    f"CAST({c} AS TEXT) AS {c}_text" if c in JSON_TEXT_COLUMNS | _TIME_COLUMNS else c for c in WIRE_NAMES
)
_GET_SQL = f"SELECT {_WIRE_SQL} FROM signals WHERE id = ? AND organization_id = ? AND kind = ?"
_GET_ANY_SQL = f"SELECT {_WIRE_SQL} FROM signals WHERE id = ? AND organization_id = ?"
_ORDER = "ORDER BY created_at DESC, id DESC"


def get_signal_statement(organization_id: str, signal_id: str, kind: str | None = None) -> Statement:
    """One signal by id; of either kind when `kind` is None."""
    if kind is None:
        return _GET_ANY_SQL, (signal_id, organization_id)
    return _GET_SQL, (signal_id, organization_id, kind)


# Up to this offset, a page that an index returns in order is read straight from that index; past it, the
# deferred join skips the offset inside the index instead of reading every skipped row.
DIRECT_PAGE_MAX_OFFSET = 100
# One condition per SignalFilter.shape() entry, in that order (list_signals_statements binds in it too).
_FILTER_CONDITIONS = (
    "domain = ?",
    "company_id = ?",
    "profile_key = ?",
    "status IN ({statuses})",
    "completed_at >= ?",
    "completed_at <= ?",
    "subscription_id = ?",
)


@cache
def _filter_sql(shape: tuple[bool, ...], n_statuses: int, sqlite: bool, direct: bool) -> tuple[str, str, str]:
    """(count, page, counters) SQL for one combination of filters, built once."""
    statuses = shape[3]
    where = ["organization_id = ?", "kind = ?"]
    for present, condition in zip(shape, _FILTER_CONDITIONS, strict=True):
        if present:
            where.append(condition.format(statuses=", ".join("?" * n_statuses)))
    clause = " AND ".join(where)
    count = f"SELECT COUNT(*) FROM signals WHERE {clause}"
    if direct:
        page = f"SELECT {_WIRE_SQL} FROM signals WHERE {clause} {_ORDER} LIMIT ? OFFSET ?"
    else:
        # Deferred join: the page's keys come from an index alone, then only those rows are read.
        # Sorting whole rows for a filtered page cost a table lookup for every match, not just the 25
        # returned. On SQLite the join goes through the rowid every index entry carries: by `id` it
        # would probe the id index at 25 random places (UUIDs), most of a page's cost at a million rows.
        key = "rowid" if sqlite else "id"
        page = (
            f"SELECT {_WIRE_SQL} FROM signals WHERE {key} IN "
            f"(SELECT {key} FROM signals WHERE {clause} {_ORDER} LIMIT ? OFFSET ?) {_ORDER}"
        )
    counted = "SELECT COALESCE(SUM(count), 0) FROM signal_counters WHERE organization_id = ? AND kind = ?"
    if statuses:
        counted += f" AND status IN ({', '.join('?' * n_statuses)})"
    return count, page, counted


@cache
def _subject_count_sql(n_statuses: int) -> str:
    """The total of a domain or profile list (optionally by status), from the subject counters."""
    sql = "SELECT COALESCE(SUM(count), 0) FROM signal_subject_counters WHERE organization_id = ? AND kind = ? AND subject = ?"
    if n_statuses:
        sql += f" AND status IN ({', '.join('?' * n_statuses)})"
    return sql


def _index_ordered(shape: tuple[bool, ...], n_statuses: int) -> bool:
    """Whether one index holds every filter and gives the newest-first order (see models.Signal's indexes)."""
    domain, company, profile, statuses, from_, to, subscription = shape
    if company or from_ or to or subscription or n_statuses > 1:
        return False
    return domain + profile + statuses <= 1


@dataclass(frozen=True)
class ListStatements:
    """`page` returns the page's rows, each led by the total number of matches; when the page is empty (an
    offset past the end, no matches) `total` gives that number alone."""

    page: Statement
    total: Statement


def list_signals_statements(
    organization_id: str, f: SignalFilter, *, limit: int, offset: int, sqlite: bool
) -> ListStatements:
    """Totals of unfiltered (or only status-filtered) lists, and of domain or profile lists (optionally by
    status), come from the counters every write keeps in step; others are counted over the matching index
    range. The total rides along with the page as an uncorrelated subquery, evaluated once: one statement,
    one round trip, one snapshot."""
    shape = f.shape()
    domain, company, profile, statuses, from_, to, subscription = shape
    if (from_ or to) and not (domain or company or profile or subscription):
        return _window_statements(organization_id, f, limit=limit, offset=offset, sqlite=sqlite)
    # On PostgreSQL the deferred join costs 25 probes of the primary key; where an index already yields the
    # page in order, reading it straight (index scan, then the 25 rows) is cheaper. On SQLite the rowid join
    # is the same work as the straight read.
    direct = not sqlite and offset <= DIRECT_PAGE_MAX_OFFSET and _index_ordered(shape, len(f.statuses))
    count, page, counted = _filter_sql(shape, len(f.statuses), sqlite, direct)
    # Same order as the placeholders of _filter_sql.
    candidates = (
        f.domain,
        f.company_id,
        f.profile_key,
        *f.statuses,
        f.completed_from,
        f.completed_to,
        f.subscription_id,
    )
    present = (domain, company, profile, *([statuses] * len(f.statuses)), from_, to, subscription)
    params: list[Any] = [organization_id, f.kind, *(v for v, p in zip(candidates, present, strict=True) if p)]
    subject = f.domain if domain else f.profile_key
    if company or from_ or to or subscription or (domain and profile):
        total: Statement = (count, params)
    elif subject is not None:
        total = (_subject_count_sql(len(f.statuses)), [organization_id, f.kind, subject, *f.statuses])
    else:
        total = (counted, [organization_id, f.kind, *f.statuses])
    with_total = page.replace("SELECT ", f"SELECT ({total[0]}) AS total_matches, ", 1)
    return ListStatements(page=(with_total, [*total[1], *params, limit, offset]), total=total)


# --- completion windows (fromDate/toDate, optionally with statuses) -------------------------------------------

ALL_STATUSES = tuple(s.value for s in SignalStatus)


def _whole_days(start: datetime | None, end: datetime | None) -> tuple[datetime | None, datetime | None] | None:
    """The span [L, R) of whole UTC days inside the window [start, end] (None for an open side), or None when
    a bound sits at the very end of time, where the next midnight cannot be written.

    When no whole day fits, L = R = start: the counters' range is empty and [R, end] is the whole window.
    """
    one_day, tick = timedelta(days=1), timedelta(microseconds=1)
    low = high = None
    try:
        if start is not None:
            midnight = datetime.combine(start.date(), datetime.min.time())
            low = midnight if midnight == start else midnight + one_day
        if end is not None:
            high = datetime.combine((end + tick).date(), datetime.min.time())  # completed_at <= end < end + tick
    except OverflowError:
        return None
    if low is not None and high is not None and low >= high:
        low = high = start
    return low, high


@dataclass(frozen=True)
class _Counting:
    """How a window's total is read. With `days`, the whole days' counters plus the partial days counted in
    the index: `left` is [start, first midnight), `right` is [last midnight, end], each included only when it
    holds an instant (a bound on a midnight, or a date's last microsecond, leaves its side empty). Without
    `days`, every match counted in the index."""

    days: bool
    left: bool = False
    right: bool = False


def _counting(
    start: datetime | None, end: datetime | None
) -> tuple[_Counting, tuple[datetime | None, datetime | None]]:
    days = _whole_days(start, end)
    if days is None:
        return _Counting(days=False), (None, None)
    low, high = days
    left = start is not None and low is not None and low > start
    right = end is not None and high is not None and high <= end
    return _Counting(days=True, left=left, right=right), days


@cache
def _window_count_sql(statuses: str, has_from: bool, has_to: bool, counting: _Counting) -> str:
    """The window's total (see _Counting)."""
    scope = f"organization_id = ? AND kind = ? AND status IN ({statuses})"
    if not counting.days:
        window = [c for c, present in (("completed_at >= ?", has_from), ("completed_at <= ?", has_to)) if present]
        return f"SELECT COUNT(*) FROM signals WHERE {' AND '.join([scope, *window])}"
    whole = [c for c, present in (("day >= ?", has_from), ("day < ?", has_to)) if present]
    parts = [f"(SELECT COALESCE(SUM(count), 0) FROM signal_day_counters WHERE {' AND '.join([scope, *whole])})"]
    if counting.left:
        parts.append(f"(SELECT COUNT(*) FROM signals WHERE {scope} AND completed_at >= ? AND completed_at < ?)")
    if counting.right:
        parts.append(f"(SELECT COUNT(*) FROM signals WHERE {scope} AND completed_at >= ? AND completed_at <= ?)")
    return "SELECT " + " + ".join(parts)


def _window_count_params(
    organization_id: str, kind: str, statuses: Sequence[str], start: datetime | None, end: datetime | None,
    counting: _Counting, days: tuple[datetime | None, datetime | None],
) -> list[Any]:  # fmt: skip
    """In the order of _window_count_sql's placeholders."""
    scope: list[Any] = [organization_id, kind, *statuses]
    if not counting.days:
        return [*scope, *(v for v in (start, end) if v is not None)]
    low, high = days
    # Days are bound as ISO text: SQLite compares it with the stored text, PostgreSQL reads it as a date.
    params: list[Any] = [*scope, *(d.date().isoformat() for d in (low, high) if d is not None)]
    if counting.left:
        params += [*scope, start, low]
    if counting.right:
        params += [*scope, high, end]
    return params


@cache
def _window_sql(
    n_statuses: int, has_from: bool, has_to: bool, sqlite: bool, direct: bool, counting: _Counting
) -> tuple[str, str]:
    """(count, page) SQL for a completion window over `n_statuses` statuses, built once.

    The page needs the window's newest `offset + limit` signals by creation time, but the window is held in
    completion order (ix_signals_org_completed, one range per status). Sorting every match by creation time
    (hundreds for a month) was most of such a list's cost. Instead the window's start is moved up first:

    no signal completes before it was created (ck_signals_completed_after_created). Walk each status's range
    back from the window's end for N = offset + limit entries. If the walks found N or more, let T be the
    N-th newest creation time among them: N matches were created at T or later, so the N newest were too.
    If they found fewer, they found every match; let T be the earliest creation among them. Either way each
    of the N newest was created, and so completed, at T or later: the window can start at T. The walks read
    N entries per status and the sort only the matches left in [T, end]; the page is the same.
    """
    window = [c for c, present in (("completed_at >= ?", has_from), ("completed_at <= ?", has_to)) if present]
    statuses = ", ".join("?" * n_statuses)
    count = _window_count_sql(statuses, has_from, has_to, counting)
    walk = " AND ".join(["organization_id = ?", "kind = ?", "status = ?", *window])
    newest = " UNION ALL ".join(
        f"SELECT created_at FROM (SELECT created_at FROM signals WHERE {walk} ORDER BY completed_at DESC LIMIT ?) AS s{i}"
        for i in range(n_statuses)
    )
    # T: the earliest of the N newest creations among the walked entries (the N-th newest, or the earliest
    # of all when they are fewer).
    t = f"(SELECT MIN(created_at) FROM (SELECT created_at FROM ({newest}) AS walked ORDER BY created_at DESC LIMIT ?) AS top)"
    # Never before the requested start. (A NULL T means nothing matches; either way the range is then empty.)
    greatest = "max" if sqlite else "GREATEST"
    start = f"{greatest}(?, {t})" if has_from else t
    narrowed = ["organization_id = ?", "kind = ?", f"status IN ({statuses})"]
    if has_to:
        narrowed.append("completed_at <= ?")
    narrowed.append(f"completed_at >= {start}")
    total = f"({count}) AS total_matches"
    if direct:
        # What is left of the window is about a page: reading its rows whole is cheaper than joining back.
        page = f"SELECT {total}, {_WIRE_SQL} FROM signals WHERE {' AND '.join(narrowed)} {_ORDER} LIMIT ? OFFSET ?"
    else:
        key = "rowid" if sqlite else "id"
        keys = f"SELECT {key} FROM signals WHERE {' AND '.join(narrowed)} {_ORDER} LIMIT ? OFFSET ?"
        page = f"SELECT {total}, {_WIRE_SQL} FROM signals WHERE {key} IN ({keys}) {_ORDER}"
    return count, page


def _window_statements(
    organization_id: str, f: SignalFilter, *, limit: int, offset: int, sqlite: bool
) -> ListStatements:
    # Without a status filter the window is read per status: only status-led ranges are in completion order.
    # The statuses are all there are (ck_signals_status), so the matches are the same.
    # Each once: a status walked twice would count its entries twice towards N.
    statuses = tuple(dict.fromkeys(f.statuses)) or ALL_STATUSES
    from_, to = f.completed_from, f.completed_to
    # As for other lists: on SQLite the rowid join costs what reading straight does.
    direct = not sqlite and offset <= DIRECT_PAGE_MAX_OFFSET
    counting, days = _counting(from_, to)
    count, page = _window_sql(len(statuses), from_ is not None, to is not None, sqlite, direct, counting)
    window = [v for v in (from_, to) if v is not None]
    # Bound in the order of _window_sql's placeholders.
    counted = _window_count_params(organization_id, f.kind, statuses, from_, to, counting, days)
    start: list[Any] = [from_] if from_ is not None else []
    for status in statuses:
        start += [organization_id, f.kind, status, *window, offset + limit]
    start.append(offset + limit)
    narrowed = [organization_id, f.kind, *statuses, *([to] if to is not None else []), *start]
    return ListStatements(
        page=(page, [*counted, *narrowed, limit, offset]),
        total=(count, counted),
    )


def insert_signals(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert fully formed rows (column name -> value); one executemany for a batch."""
    if not rows:
        return
    conn.execute(insert(Signal), list(rows))
    deltas: Counter[tuple[str, str, str]] = Counter((r["organization_id"], r["kind"], r["status"]) for r in rows)
    bump_counters(conn, deltas)
    bump_subject_counters(
        conn,
        Counter(
            (r["organization_id"], r["kind"], subject, r["status"])
            for r in rows
            if (subject := subject_of(r["kind"], r.get("domain"), r.get("profile_key"))) is not None
        ),
    )
    finished = (r for r in rows if r.get("completed_at") is not None)
    bump_day_counters(
        conn, Counter((r["organization_id"], r["kind"], r["status"], r["completed_at"].date()) for r in finished)
    )


def bump_counters(conn: Connection, deltas: Counter[tuple[str, str, str]]) -> None:
    """Add to the per (organisation, kind, status) counters; call in the transaction that changed the rows."""
    _add_counts(conn, SignalCounter, ("organization_id", "kind", "status"), deltas)


def subject_of(kind: str, domain: str | None, profile_key: str | None) -> str | None:
    """What lists of this kind filter by: a company signal's domain, a contact signal's profile key."""
    return domain if kind == "company" else profile_key


def bump_subject_counters(conn: Connection, deltas: Counter[tuple[str, str, str, str]]) -> None:
    """Add to the per (organisation, kind, subject, status) counters; in the changing transaction."""
    _add_counts(conn, SignalSubjectCounter, ("organization_id", "kind", "subject", "status"), deltas)


def bump_day_counters(conn: Connection, deltas: Counter[tuple[str, str, str, date]]) -> None:
    """Add to the per (organisation, kind, status, day of completion) counters; in the changing transaction."""
    _add_counts(conn, SignalDayCounter, ("organization_id", "kind", "status", "day"), deltas)


def _add_counts(
    conn: Connection,
    table: type[SignalCounter] | type[SignalDayCounter] | type[SignalSubjectCounter],
    keys: tuple[str, ...],
    deltas: Counter[Any],
) -> None:
    """Upsert `count += n` for each key tuple of `deltas` (its primary key, in `keys` order)."""
    items = [{**dict(zip(keys, key, strict=True)), "count": n} for key, n in deltas.items() if n]
    if not items:
        return
    upsert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = upsert(table)
    stmt = stmt.on_conflict_do_update(index_elements=list(keys), set_={"count": table.count + stmt.excluded.count})
    conn.execute(stmt, items)


def subject_counters(conn: Connection, organization_id: str, kind: str) -> dict[tuple[str, str], int]:
    return _read_counts(conn, SignalSubjectCounter, ("subject", "status"), organization_id, kind)


def _read_counts(
    conn: Connection,
    table: type[SignalCounter] | type[SignalDayCounter] | type[SignalSubjectCounter],
    keys: tuple[str, ...],
    organization_id: str,
    kind: str,
) -> dict[Any, int]:
    """One organisation and kind's non-zero counters, by the tuple of `keys` columns."""
    columns = [getattr(table, k) for k in keys]
    rows = conn.execute(
        select(*columns, table.count).where(table.organization_id == organization_id, table.kind == kind)
    )
    return {tuple(row[:-1]): int(row[-1]) for row in rows if row[-1]}


def count_signals_by_subject(conn: Connection, organization_id: str, kind: str) -> dict[tuple[str, str], int]:
    """Counted from the signals themselves (for checks against the subject counters)."""
    rows = conn.execute(
        select(Signal.domain, Signal.profile_key, Signal.status).where(
            Signal.organization_id == organization_id, Signal.kind == kind
        )
    )
    counted: Counter[tuple[str, str]] = Counter(
        (subject, status) for domain, key, status in rows if (subject := subject_of(kind, domain, key)) is not None
    )
    return dict(counted)


def day_counters(conn: Connection, organization_id: str, kind: str) -> dict[tuple[str, date], int]:
    return _read_counts(conn, SignalDayCounter, ("status", "day"), organization_id, kind)


def count_signals_by_day(conn: Connection, organization_id: str, kind: str) -> dict[tuple[str, date], int]:
    """Counted from the signals themselves (for checks against the day counters)."""
    rows = conn.execute(
        select(Signal.status, Signal.completed_at).where(
            Signal.organization_id == organization_id, Signal.kind == kind, Signal.completed_at.is_not(None)
        )
    )
    counted: Counter[tuple[str, date]] = Counter((status, done.date()) for status, done in rows if done is not None)
    return dict(counted)


def count_signals(conn: Connection, organization_id: str, kind: str) -> dict[str, int]:
    """Counted from the signals themselves (for checks against the counters)."""
    rows = conn.execute(
        select(Signal.status, func.count())
        .where(Signal.organization_id == organization_id, Signal.kind == kind)
        .group_by(Signal.status)
    )
    return {status: int(n) for status, n in rows}


def counters(conn: Connection, organization_id: str, kind: str) -> dict[str, int]:
    return {status: n for (status,), n in _read_counts(conn, SignalCounter, ("status",), organization_id, kind).items()}


def _wire_one(conn: Connection, stmt: Select[Any]) -> dict[str, Any] | None:
    row = conn.execute(stmt).mappings().first()
    return dict(row) if row else None


def find_cached(conn: Connection, organization_id: str, cache_key: str, since: datetime) -> dict[str, Any] | None:
    """The newest completed signal with this cache key finished at or after `since`."""
    return _wire_one(
        conn,
        select(*WIRE_COLUMNS)
        .where(
            Signal.organization_id == organization_id,
            Signal.cache_key == cache_key,
            Signal.status == "completed",
            Signal.completed_at >= since,
        )
        .order_by(Signal.completed_at.desc())
        .limit(1),
    )


def find_cached_many(
    conn: Connection, organization_id: str, cache_keys: list[str], since: datetime
) -> dict[str, dict[str, Any]]:
    """The newest fresh completed signal per cache key, for many keys at once (batches)."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(cache_keys), 500):
        chunk = cache_keys[start : start + 500]
        rows = conn.execute(
            select(Signal.id, Signal.status, Signal.created_at, Signal.cache_key, Signal.completed_at)
            .where(
                Signal.organization_id == organization_id,
                Signal.cache_key.in_(chunk),
                Signal.status == "completed",
                Signal.completed_at >= since,
            )
            .order_by(Signal.completed_at)
        ).mappings()
        for r in rows:
            found[r["cache_key"]] = dict(r)  # ascending order: the newest wins
    return found


def find_in_flight(conn: Connection, organization_id: str, cache_key: str) -> dict[str, Any] | None:
    return _wire_one(
        conn,
        select(*WIRE_COLUMNS)
        .where(Signal.organization_id == organization_id, Signal.cache_key == cache_key, Signal.status == "processing")
        .order_by(Signal.created_at.desc())
        .limit(1),
    )


def wire_row(conn: Connection, signal_id: str) -> dict[str, Any] | None:
    return _wire_one(conn, select(*WIRE_COLUMNS).where(Signal.id == signal_id))


def run_row(conn: Connection, signal_id: str) -> dict[str, Any] | None:
    """Everything a worker needs to run a signal."""
    row = conn.execute(select(*Signal.__table__.columns).where(Signal.id == signal_id)).mappings().first()
    return dict(row) if row else None


def mark_started(conn: Connection, signal_id: str, worker: str, now: datetime) -> None:
    conn.execute(
        update(Signal)
        .where(Signal.id == signal_id, Signal.status == "processing")
        .values(attempt=Signal.attempt + 1, worker=worker, updated_at=now)
    )


def finish(conn: Connection, signal_id: str, status: str, values: dict[str, Any]) -> dict[str, Any] | None:
    """Move a processing signal to `status`; None if it was already finished (a signal completes once)."""
    row = conn.execute(
        select(Signal.organization_id, Signal.kind, Signal.domain, Signal.profile_key, Signal.created_at).where(
            Signal.id == signal_id, Signal.status == "processing"
        )
    ).first()
    if row is None:
        return None
    completed = values.get("completed_at")
    if completed is not None and completed < row.created_at:
        # A worker's clock may run behind the API server's that stamped created_at; a signal still does not
        # complete before it was created (ck_signals_completed_after_created: completion-window pages rely on it).
        values = {**values, "completed_at": row.created_at}
    result = conn.execute(
        update(Signal).where(Signal.id == signal_id, Signal.status == "processing").values(status=status, **values)
    )
    if not result.rowcount:
        return None
    bump_counters(
        conn, Counter({(row.organization_id, row.kind, "processing"): -1, (row.organization_id, row.kind, status): 1})
    )
    subject = subject_of(row.kind, row.domain, row.profile_key)
    if subject is not None:
        org, kind = row.organization_id, row.kind
        bump_subject_counters(conn, Counter({(org, kind, subject, "processing"): -1, (org, kind, subject, status): 1}))
    if values.get("completed_at") is not None:
        bump_day_counters(conn, Counter({(row.organization_id, row.kind, status, values["completed_at"].date()): 1}))
    if conn.dialect.name == "postgresql":
        # Delivered at commit to every API process LISTENing: their sync requests wake at once.
        conn.execute(text("SELECT pg_notify(:channel, :id)"), {"channel": DONE_CHANNEL, "id": signal_id})
    return wire_row(conn, signal_id)
