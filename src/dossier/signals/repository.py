"""SQL for signals. Every query is scoped to one organisation here, never by the caller's goodwill."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from dossier.signals.models import Signal

# The columns the wire object is built from (everything but lifecycle bookkeeping).
WIRE_COLUMNS = (
    Signal.id,
    Signal.kind,
    Signal.status,
    Signal.domain,
    Signal.contact_profile_url,
    Signal.question,
    Signal.answer_type,
    Signal.output_schema,
    Signal.weight,
    Signal.verification_mode,
    Signal.signal_template_id,
    Signal.subscription_id,
    Signal.company_id,
    Signal.answer,
    Signal.confidence,
    Signal.reasoning,
    Signal.sources,
    Signal.evidence,
    Signal.qualification,
    Signal.error,
    Signal.cost_usd,
    Signal.as_of,
    Signal.created_at,
    Signal.completed_at,
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


def _where(stmt: Select[Any], organization_id: str, f: SignalFilter) -> Select[Any]:
    stmt = stmt.where(Signal.organization_id == organization_id, Signal.kind == f.kind)
    if f.domain is not None:
        stmt = stmt.where(Signal.domain == f.domain)
    if f.company_id is not None:
        stmt = stmt.where(Signal.company_id == f.company_id)
    if f.profile_key is not None:
        stmt = stmt.where(Signal.profile_key == f.profile_key)
    if f.statuses:
        stmt = stmt.where(Signal.status.in_(list(f.statuses)))
    if f.completed_from is not None:
        stmt = stmt.where(Signal.completed_at >= f.completed_from)
    if f.completed_to is not None:
        stmt = stmt.where(Signal.completed_at <= f.completed_to)
    if f.subscription_id is not None:
        stmt = stmt.where(Signal.subscription_id == f.subscription_id)
    return stmt


async def list_signals(
    conn: AsyncConnection, organization_id: str, f: SignalFilter, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page, newest first, and the total number of matches."""
    total = (await conn.execute(_where(select(func.count()).select_from(Signal), organization_id, f))).scalar_one()
    if total == 0 or offset >= total:
        return [], int(total)
    page = _where(select(*WIRE_COLUMNS), organization_id, f)
    page = page.order_by(Signal.created_at.desc(), Signal.id.desc()).limit(limit).offset(offset)
    rows = (await conn.execute(page)).mappings().all()
    return [dict(r) for r in rows], int(total)


async def get_signal(conn: AsyncConnection, organization_id: str, signal_id: str, kind: str) -> dict[str, Any] | None:
    row = (
        (
            await conn.execute(
                select(*WIRE_COLUMNS).where(
                    Signal.id == signal_id, Signal.organization_id == organization_id, Signal.kind == kind
                )
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


async def insert_signals(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert fully formed rows (column name -> value); one executemany for a batch."""
    if rows:
        await conn.execute(insert(Signal), list(rows))
