"""SQL for crawls and snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from dossier.research.models import Crawl, Snapshot


def latest_completed_crawl(conn: Connection, domain: str, since: datetime) -> str | None:
    return conn.execute(
        select(Crawl.id)
        .where(Crawl.domain == domain, Crawl.status == "completed", Crawl.finished_at >= since)
        .order_by(Crawl.finished_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def insert_crawl(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(Crawl).values(**row))


def finish_crawl(conn: Connection, crawl_id: str, values: dict[str, Any]) -> None:
    conn.execute(update(Crawl).where(Crawl.id == crawl_id).values(**values))


def insert_snapshots(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(Snapshot), rows)


def crawl_snapshots(conn: Connection, crawl_id: str) -> list[dict[str, Any]]:
    stmt = select(*Snapshot.__table__.columns).where(Snapshot.crawl_id == crawl_id).order_by(Snapshot.fetched_at)
    rows = conn.execute(stmt).mappings()
    return [dict(r) for r in rows]


def crawl_row(conn: Connection, crawl_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(*Crawl.__table__.columns).where(Crawl.id == crawl_id)).mappings().first()
    return dict(row) if row else None
