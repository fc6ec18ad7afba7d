"""SQL for signals. Every query is scoped to one organisation here, never by the caller's goodwill."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    BindParameter,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Executable,
    Select,
    String,
    Text,
    any_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dossier.kit.time import utcnow
from dossier.signals.models import (
    ModelSpendDay,
    ModelSpendHold,
    Signal,
    SignalCounter,
    SignalDayCounter,
    SignalSubjectCounter,
)
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


# --- reads clients poll (get and list) ----------------------------------------------------------------------------
#
# Each is a Core statement built once per shape of request with named bind parameters, so SQLAlchemy compiles
# it once (its compiled-statement cache) and the database sees the same SQL text, which psycopg prepares
# after a few executions. What differs between the databases is in the dialect classes at the end.

Query = tuple[Executable, dict[str, Any]]
_T = Signal.__table__
ORDER = (_T.c.created_at.desc(), _T.c.id.desc())
# Up to this offset, a page that an index returns in order is read straight from that index (where that is
# cheaper than the deferred join: see the dialect classes); past it, the deferred join skips the offset inside
# the index instead of reading every skipped row.
DIRECT_PAGE_MAX_OFFSET = 100
ALL_STATUSES = tuple(s.value for s in SignalStatus)


def _p(name: str, type_: Any = None) -> BindParameter[Any]:
    return bindparam(name, type_=type_)


_ORG, _KIND = _T.c.organization_id == _p("organization_id"), _T.c.kind == _p("kind")
# One condition per SignalFilter.shape() entry, in that order (None: the dialect's status condition).
_FILTER_CONDITIONS = (
    _T.c.domain == _p("domain"),
    _T.c.company_id == _p("company_id"),
    _T.c.profile_key == _p("profile_key"),
    None,
    _T.c.completed_at >= _p("completed_from", DateTime()),
    _T.c.completed_at <= _p("completed_to", DateTime()),
    _T.c.subscription_id == _p("subscription_id"),
)


def _index_ordered(shape: tuple[bool, ...], n_statuses: int) -> bool:
    """Whether one index holds every filter and gives the newest-first order (see models.Signal's indexes)."""
    domain, company, profile, statuses, from_, to, subscription = shape
    if company or from_ or to or subscription or n_statuses > 1:
        return False
    return domain + profile + statuses <= 1


@dataclass(frozen=True)
class ListQueries:
    """`page` returns the page's rows, each led by the total number of matches; when the page is empty (an
    offset past the end, no matches) `total` gives that number alone."""

    page: Query
    total: Query


class SignalReads:
    """The get and list statements. Totals of unfiltered (or only status-filtered) lists, and of domain or
    profile lists (optionally by status), come from the counters every write keeps in step; others are
    counted over the matching index range. The total rides along with the page as an uncorrelated subquery,
    evaluated once: one statement, one round trip, one snapshot."""

    def __init__(self) -> None:
        self._get = select(*WIRE_COLUMNS).where(_T.c.id == _p("id"), _ORG, _KIND)
        self._get_any = select(*WIRE_COLUMNS).where(_T.c.id == _p("id"), _ORG)
        self._lists: dict[tuple[Any, ...], tuple[Select[Any], Select[Any]]] = {}

    # What the dialects decide.
    def deferred_key(self) -> ColumnElement[Any]:
        """The key a deferred join goes through (from the page's index entries back to their rows)."""
        raise NotImplementedError

    def reads_straight(self, shape: tuple[bool, ...], n_statuses: int, offset: int) -> bool:
        """Whether the page is read straight in index order instead of through the deferred join."""
        raise NotImplementedError

    def greatest(self, a: ColumnElement[Any], b: ColumnElement[Any]) -> ColumnElement[Any]:
        raise NotImplementedError

    def status_in(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        """`column` is one of the statuses bound as the list `statuses`."""
        raise NotImplementedError

    # The statements.
    def get(self, organization_id: str, signal_id: str, kind: str | None = None) -> Query:
        """One signal by id; of either kind when `kind` is None."""
        if kind is None:
            return self._get_any, {"id": signal_id, "organization_id": organization_id}
        return self._get, {"id": signal_id, "organization_id": organization_id, "kind": kind}

    def list(self, organization_id: str, f: SignalFilter, *, limit: int, offset: int) -> ListQueries:
        shape = f.shape()
        domain, company, profile, _, from_, to, subscription = shape
        if (from_ or to) and not (domain or company or profile or subscription):
            return self._window(organization_id, f, limit=limit, offset=offset)
        direct = self.reads_straight(shape, len(f.statuses), offset)
        params: dict[str, Any] = {
            "organization_id": organization_id,
            "kind": f.kind,
            "domain": f.domain,
            "company_id": f.company_id,
            "profile_key": f.profile_key,
            "statuses": list(f.statuses),
            "completed_from": f.completed_from,
            "completed_to": f.completed_to,
            "subscription_id": f.subscription_id,
            "subject": f.domain if domain else f.profile_key,
            "limit": limit,
            "offset": offset,
        }
        page, total = self._filtered(shape, direct)
        return ListQueries(page=(page, params), total=(total, params))

    def _filtered(self, shape: tuple[bool, ...], direct: bool) -> tuple[Select[Any], Select[Any]]:
        key = ("filtered", shape, direct)
        built = self._lists.get(key)
        if built is None:
            built = self._lists[key] = self._build_filtered(shape, direct)
        return built

    def _build_filtered(self, shape: tuple[bool, ...], direct: bool) -> tuple[Select[Any], Select[Any]]:
        domain, company, profile, statuses, from_, to, subscription = shape
        where = [
            _ORG,
            _KIND,
            *(
                self.status_in(_T.c.status) if c is None else c
                for present, c in zip(shape, _FILTER_CONDITIONS, strict=True)
                if present
            ),
        ]
        total: Select[Any]
        if company or from_ or to or subscription or (domain and profile):
            total = select(func.count()).select_from(_T).where(*where)
        elif domain or profile:
            c = SignalSubjectCounter.__table__.c
            total = select(func.coalesce(func.sum(c.count), 0)).where(
                c.organization_id == _p("organization_id"), c.kind == _p("kind"), c.subject == _p("subject"),
                *([self.status_in(c.status)] if statuses else []),
            )  # fmt: skip
        else:
            c = SignalCounter.__table__.c
            total = select(func.coalesce(func.sum(c.count), 0)).where(
                c.organization_id == _p("organization_id"), c.kind == _p("kind"),
                *([self.status_in(c.status)] if statuses else []),
            )  # fmt: skip
        return self._page(total, where, direct), total

    def _page(self, total: Select[Any], where: Sequence[ColumnElement[bool]], direct: bool) -> Select[Any]:
        counted = total.scalar_subquery().label("total_matches")
        limit, offset = _p("limit", BigInteger()), _p("offset", BigInteger())
        if direct:
            return select(counted, *WIRE_COLUMNS).where(*where).order_by(*ORDER).limit(limit).offset(offset)
        # Deferred join: the page's keys come from an index alone, then only those rows are read. Sorting
        # whole rows for a filtered page cost a table lookup for every match, not just the 25 returned.
        key = self.deferred_key()
        keys = select(key).where(*where).order_by(*ORDER).limit(limit).offset(offset)
        return select(counted, *WIRE_COLUMNS).where(key.in_(keys)).order_by(*ORDER)

    # --- completion windows (fromDate/toDate, optionally with statuses) ---

    def _window(self, organization_id: str, f: SignalFilter, *, limit: int, offset: int) -> ListQueries:
        # Without a status filter the window is read per status: only status-led ranges are in completion
        # order. The statuses are all there are (ck_signals_status), so the matches are the same. Each once: a
        # status walked twice would count its entries twice towards N.
        statuses = tuple(dict.fromkeys(f.statuses)) or ALL_STATUSES
        from_, to = f.completed_from, f.completed_to
        counting, (low, high) = _counting(from_, to)
        direct = self.reads_straight((False,) * 7, 1, offset)
        page, total = self._windowed(len(statuses), from_ is not None, to is not None, direct, counting)
        params: dict[str, Any] = {
            "organization_id": organization_id,
            "kind": f.kind,
            "statuses": list(statuses),
            **{f"status_{i}": s for i, s in enumerate(statuses)},
            "completed_from": from_,
            "completed_to": to,
            "low": low,
            "high": high,
            "low_day": low.date() if low is not None else None,
            "high_day": high.date() if high is not None else None,
            "walk": offset + limit,
            "limit": limit,
            "offset": offset,
        }
        return ListQueries(page=(page, params), total=(total, params))

    def _windowed(
        self, n_statuses: int, has_from: bool, has_to: bool, direct: bool, counting: _Counting
    ) -> tuple[Select[Any], Select[Any]]:
        key = ("window", n_statuses, has_from, has_to, direct, counting)
        built = self._lists.get(key)
        if built is None:
            built = self._lists[key] = self._build_window(n_statuses, has_from, has_to, direct, counting)
        return built

    def _build_window(
        self, n_statuses: int, has_from: bool, has_to: bool, direct: bool, counting: _Counting
    ) -> tuple[Select[Any], Select[Any]]:
        """(page, total) for a completion window over `n_statuses` statuses.

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
        start_at, end_at = _p("completed_from", DateTime()), _p("completed_to", DateTime())
        window = [
            c
            for c, present in ((_T.c.completed_at >= start_at, has_from), (_T.c.completed_at <= end_at, has_to))
            if present
        ]
        total = self._window_total(has_from, has_to, counting)
        walk = _p("walk", BigInteger())
        walks = [
            select(_T.c.created_at)
            .where(_ORG, _KIND, _T.c.status == _p(f"status_{i}"), *window)
            .order_by(_T.c.completed_at.desc())
            .limit(walk)
            .subquery(f"s{i}")
            for i in range(n_statuses)
        ]
        newest = union_all(*(select(w.c.created_at) for w in walks)).subquery("walked")
        top = select(newest.c.created_at).order_by(newest.c.created_at.desc()).limit(walk).subquery("top")
        # T: the earliest of the N newest creations among the walked entries (the N-th newest, or the earliest
        # of all when they are fewer). Never before the requested start. (A NULL T means nothing matches; either
        # way the range is then empty.)
        t: ColumnElement[Any] = select(func.min(top.c.created_at)).scalar_subquery()
        start = self.greatest(start_at, t) if has_from else t
        narrowed = [_ORG, _KIND, self.status_in(_T.c.status)]
        if has_to:
            narrowed.append(_T.c.completed_at <= end_at)
        narrowed.append(_T.c.completed_at >= start)
        return self._page(total, narrowed, direct), total

    def _window_total(self, has_from: bool, has_to: bool, counting: _Counting) -> Select[Any]:
        """The window's total (see _Counting)."""
        scope = [_ORG, _KIND, self.status_in(_T.c.status)]
        start_at, end_at = _p("completed_from", DateTime()), _p("completed_to", DateTime())
        if not counting.days:
            window = [
                c
                for c, present in ((_T.c.completed_at >= start_at, has_from), (_T.c.completed_at <= end_at, has_to))
                if present
            ]
            return select(func.count()).select_from(_T).where(*scope, *window)
        d = SignalDayCounter.__table__.c
        whole = [
            c
            for c, present in ((d.day >= _p("low_day", Date()), has_from), (d.day < _p("high_day", Date()), has_to))
            if present
        ]
        days = select(func.coalesce(func.sum(d.count), 0)).where(
            d.organization_id == _p("organization_id"), d.kind == _p("kind"), self.status_in(d.status), *whole
        )
        parts: list[ColumnElement[Any]] = [days.scalar_subquery()]
        low_at, high_at = _p("low", DateTime()), _p("high", DateTime())
        if counting.left:
            parts.append(
                select(func.count()).select_from(_T)
                .where(*scope, _T.c.completed_at >= start_at, _T.c.completed_at < low_at).scalar_subquery()
            )  # fmt: skip
        if counting.right:
            parts.append(
                select(func.count()).select_from(_T)
                .where(*scope, _T.c.completed_at >= high_at, _T.c.completed_at <= end_at).scalar_subquery()
            )  # fmt: skip
        summed = parts[0]
        for part in parts[1:]:
            summed = summed + part
        return select(summed)


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


class SQLiteSignalReads(SignalReads):
    def deferred_key(self) -> ColumnElement[Any]:
        # The rowid every index entry carries: joining by `id` would probe the id index at 25 random places
        # (UUIDs), most of a page's cost at a million rows.
        return literal_column("signals.rowid")

    def reads_straight(self, shape: tuple[bool, ...], n_statuses: int, offset: int) -> bool:
        # The rowid join is the same work as the straight read.
        return False

    def greatest(self, a: ColumnElement[Any], b: ColumnElement[Any]) -> ColumnElement[Any]:
        return func.max(a, b, type_=DateTime())  # SQLite's scalar max() of several arguments

    def status_in(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        return column.in_(bindparam("statuses", expanding=True))


class PostgresSignalReads(SignalReads):
    def deferred_key(self) -> ColumnElement[Any]:
        return _T.c.id

    def reads_straight(self, shape: tuple[bool, ...], n_statuses: int, offset: int) -> bool:
        # The deferred join costs 25 probes of the primary key; where an index already yields the page in
        # order, reading it straight (index scan, then the 25 rows) is cheaper.
        return offset <= DIRECT_PAGE_MAX_OFFSET and _index_ordered(shape, n_statuses)

    def greatest(self, a: ColumnElement[Any], b: ColumnElement[Any]) -> ColumnElement[Any]:
        return func.greatest(a, b, type_=DateTime())

    def status_in(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        # One array parameter, not one per status: the SQL text is the same for any number of them.
        return column == any_(bindparam("statuses", type_=ARRAY(String())))


_READS: dict[str, SignalReads] = {"sqlite": SQLiteSignalReads(), "postgresql": PostgresSignalReads()}


def reads_for(dialect: str) -> SignalReads:
    """The signal reads for a database dialect ("sqlite" or "postgresql")."""
    return _READS[dialect]


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


SWEEP_BATCH = 100  # expired holds one hold deletes at most, keeping its transaction short


def reserve_model_spend(
    conn: Connection,
    organization_id: str,
    day: date,
    nano: int,
    cap_nano: int | None,
    *,
    hold_id: str,
    now: datetime,
    expires_at: datetime,
) -> int | None:
    """Hold `nano` (billionths of a dollar) of an organisation's model spend for `day` as the hold `hold_id`,
    which stops counting at `expires_at`, unless what was spent and the live holds would then pass `cap_nano`
    (None: no cap). None when held; otherwise what is left under the cap.

    Every hold of the day first locks the day's row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite writers are
    serialised by BEGIN IMMEDIATE), so holds made at once are decided one after the other, each counting the
    holds committed before it (READ COMMITTED takes a new snapshot per statement). The lock lasts the
    transaction only: no session state (PgBouncer in transaction mode), any number of processes.

    Each hold also sweeps up to SWEEP_BATCH expired holds (their worker died between hold and settle), of any
    organisation and day: an expired hold no longer counts, but its row would otherwise stay for good on a day
    (or an organisation) that sees no later hold. The sweep skips rows another transaction has locked (FOR
    UPDATE SKIP LOCKED on PostgreSQL; SQLite has one writer), so a hold never waits on another day's rows and
    two days' holds cannot deadlock."""
    upsert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    t, h = ModelSpendDay, ModelSpendHold
    conn.execute(
        upsert(t)
        .values(organization_id=organization_id, day=day, spent_nano=0, tokens=0, calls=0)
        .on_conflict_do_nothing(index_elements=["organization_id", "day"])
    )
    spent = conn.execute(
        select(t.spent_nano).where(t.organization_id == organization_id, t.day == day).with_for_update()
    ).scalar_one()
    expired = select(h.id).where(h.expires_at <= now).limit(SWEEP_BATCH).with_for_update(skip_locked=True)
    conn.execute(delete(h).where(h.id.in_(expired)))
    of_day = (h.organization_id == organization_id, h.day == day)
    held = conn.execute(select(func.coalesce(func.sum(h.nano), 0)).where(*of_day, h.expires_at > now)).scalar_one()
    if cap_nano is not None and int(spent) + int(held) + nano > cap_nano:
        return max(0, cap_nano - int(spent) - int(held))
    conn.execute(
        insert(h).values(id=hold_id, organization_id=organization_id, day=day, nano=nano, expires_at=expires_at)
    )
    return None


def settle_model_spend(
    conn: Connection, organization_id: str, day: date, hold_id: str, cost_nano: int, tokens: int
) -> None:
    """A model call is over: its hold on `day` is dropped (if it has not expired and been swept already) and
    what it cost is added to the day."""
    t = ModelSpendDay
    conn.execute(delete(ModelSpendHold).where(ModelSpendHold.id == hold_id))
    conn.execute(
        update(t)
        .where(t.organization_id == organization_id, t.day == day)
        .values(spent_nano=t.spent_nano + cost_nano, tokens=t.tokens + tokens, calls=t.calls + 1)
    )


def add_signal_cost(conn: Connection, organization_id: str, signal_id: str, usd: float) -> None:
    """Add a model call's cost to its signal (whatever its status: a call cut at the deadline ends after the
    signal has failed); nothing when the signal is gone."""
    conn.execute(
        update(Signal)
        .where(Signal.id == signal_id, Signal.organization_id == organization_id)
        .values(cost_usd=Signal.cost_usd + usd)
    )


def model_spend_day(
    conn: Connection, organization_id: str, day: date, now: datetime | None = None
) -> dict[str, int] | None:
    """An organisation's model spend on `day`: reserved_nano (the holds still live at `now`, default the
    current time), spent_nano, tokens, calls (None: nothing yet)."""
    t, h = ModelSpendDay, ModelSpendHold
    row = conn.execute(
        select(t.spent_nano, t.tokens, t.calls).where(t.organization_id == organization_id, t.day == day)
    ).first()
    if row is None:
        return None
    at = utcnow() if now is None else now
    held = conn.execute(
        select(func.coalesce(func.sum(h.nano), 0)).where(
            h.organization_id == organization_id, h.day == day, h.expires_at > at
        )
    ).scalar_one()
    return {"reserved_nano": int(held), **row._mapping}


def model_spend_holds(conn: Connection, organization_id: str) -> list[dict[str, Any]]:
    """Every hold row of an organisation, live or expired and not yet swept (oldest expiry first). For inspection
    (tests, bench/model_spend.py): the wire has no spend endpoint, and the holds that decide a call are read
    by `reserve_model_spend` under the day's lock."""
    h = ModelSpendHold
    rows = conn.execute(
        select(h.id, h.day, h.nano, h.expires_at).where(h.organization_id == organization_id).order_by(h.expires_at)
    )
    return [dict(r._mapping) for r in rows]
