"""SQL for signals. Every query is scoped to one organisation here, never by the caller's goodwill."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, Text, bindparam, cast, func, insert, select

from dossier.signals.models import Signal

# JSON columns are read as their stored text and passed through to the response untouched: parsing
# and re-serialising them was most of a list request's cost.
JSON_TEXT_COLUMNS = frozenset({"output_schema", "answer", "sources", "evidence"})
_WIRE = (
    "id", "kind", "status", "domain", "contact_profile_url", "question", "answer_type", "output_schema", "weight",
    "verification_mode", "signal_template_id", "subscription_id", "company_id", "answer", "confidence",
    "reasoning", "sources", "evidence", "qualification", "error", "cost_usd", "as_of", "created_at",
    "completed_at",
)  # fmt: skip
WIRE_COLUMNS = tuple(
    cast(Signal.__table__.c[name], Text).label(name) if name in JSON_TEXT_COLUMNS else Signal.__table__.c[name]
    for name in _WIRE
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

    def params(self, organization_id: str) -> dict[str, Any]:
        return {
            "org": organization_id,
            "kind": self.kind,
            "domain": self.domain,
            "company_id": self.company_id,
            "profile_key": self.profile_key,
            "statuses": list(self.statuses),
            "completed_from": self.completed_from,
            "completed_to": self.completed_to,
            "subscription_id": self.subscription_id,
        }


def _where(stmt: Select[Any], shape: tuple[bool, ...]) -> Select[Any]:
    domain, company, profile, statuses, from_, to, subscription = shape
    stmt = stmt.where(Signal.organization_id == bindparam("org"), Signal.kind == bindparam("kind"))
    if domain:
        stmt = stmt.where(Signal.domain == bindparam("domain"))
    if company:
        stmt = stmt.where(Signal.company_id == bindparam("company_id"))
    if profile:
        stmt = stmt.where(Signal.profile_key == bindparam("profile_key"))
    if statuses:
        stmt = stmt.where(Signal.status.in_(bindparam("statuses", expanding=True)))
    if from_:
        stmt = stmt.where(Signal.completed_at >= bindparam("completed_from"))
    if to:
        stmt = stmt.where(Signal.completed_at <= bindparam("completed_to"))
    if subscription:
        stmt = stmt.where(Signal.subscription_id == bindparam("subscription_id"))
    return stmt


@cache
def _list_statements(shape: tuple[bool, ...]) -> tuple[Select[Any], Select[Any]]:
    """Count and page statements for one combination of filters, built once and reused."""
    count = _where(select(func.count()).select_from(Signal), shape)
    page = (
        _where(select(*WIRE_COLUMNS), shape)
        .order_by(Signal.created_at.desc(), Signal.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return count, page


_GET = select(*WIRE_COLUMNS).where(
    Signal.id == bindparam("id"), Signal.organization_id == bindparam("org"), Signal.kind == bindparam("kind")
)


def list_signals(
    conn: Connection, organization_id: str, f: SignalFilter, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page, newest first, and the total number of matches."""
    count, page = _list_statements(f.shape())
    params = f.params(organization_id)
    total = int(conn.execute(count, params).scalar_one())
    if total == 0 or offset >= total:
        return [], total
    rows = conn.execute(page, {**params, "limit": limit, "offset": offset}).mappings().all()
    return [dict(r) for r in rows], total


def get_signal(conn: Connection, organization_id: str, signal_id: str, kind: str) -> dict[str, Any] | None:
    row = conn.execute(_GET, {"id": signal_id, "org": organization_id, "kind": kind}).mappings().first()
    return dict(row) if row else None


def insert_signals(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert fully formed rows (column name -> value); one executemany for a batch."""
    if rows:
        conn.execute(insert(Signal), list(rows))
