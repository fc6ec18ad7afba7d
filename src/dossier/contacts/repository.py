"""SQL for contact research, scoped to one organisation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from dossier.contacts.models import ContactResearch

_COLUMNS = tuple(c for c in ContactResearch.__table__.columns if c.name not in ("organization_id", "webhook_url"))


def get_research(conn: Connection, organization_id: str, research_id: str) -> dict[str, Any] | None:
    row = (
        (
            conn.execute(
                select(*_COLUMNS).where(
                    ContactResearch.id == research_id, ContactResearch.organization_id == organization_id
                )
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def latest_by_external_id(
    conn: Connection, organization_id: str, external_id: str, external_source: str
) -> dict[str, Any] | None:
    row = (
        (
            conn.execute(
                select(*_COLUMNS)
                .where(
                    ContactResearch.organization_id == organization_id,
                    ContactResearch.external_source == external_source,
                    ContactResearch.external_id == external_id,
                )
                .order_by(ContactResearch.created_at.desc(), ContactResearch.id.desc())
                .limit(1)
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def insert_research(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(ContactResearch).values(**row))
