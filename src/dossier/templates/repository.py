"""SQL for signal templates (every version is a row; the newest version is the template)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from dossier.templates.models import SignalTemplate

_COLUMNS = tuple(SignalTemplate.__table__.columns)


def _latest_versions(organization_id: str):  # type: ignore[no-untyped-def]
    return (
        select(SignalTemplate.id, func.max(SignalTemplate.version).label("version"))
        .where(SignalTemplate.organization_id == organization_id)
        .group_by(SignalTemplate.id)
        .subquery()
    )


def latest(conn: Connection, organization_id: str, template_id: str) -> dict[str, Any] | None:
    row = (
        conn.execute(
            select(*_COLUMNS)
            .where(SignalTemplate.organization_id == organization_id, SignalTemplate.id == template_id)
            .order_by(SignalTemplate.version.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def list_latest(
    conn: Connection, organization_id: str, *, include_deleted: bool, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    lv = _latest_versions(organization_id)
    base = select(*_COLUMNS).join(lv, (lv.c.id == SignalTemplate.id) & (lv.c.version == SignalTemplate.version))
    if not include_deleted:
        base = base.where(SignalTemplate.deleted_at.is_(None))
    total = int(conn.execute(select(func.count()).select_from(base.subquery())).scalar_one())
    rows = conn.execute(
        base.order_by(SignalTemplate.created_at.desc(), SignalTemplate.id).limit(limit).offset(offset)
    ).mappings()
    return [dict(r) for r in rows], total


def insert_version(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(SignalTemplate).values(**row))


def soft_delete(conn: Connection, organization_id: str, template_id: str, now: datetime) -> int:
    result = conn.execute(
        update(SignalTemplate)
        .where(
            SignalTemplate.organization_id == organization_id,
            SignalTemplate.id == template_id,
            SignalTemplate.deleted_at.is_(None),
        )
        .values(deleted_at=now)
    )
    return int(result.rowcount)
