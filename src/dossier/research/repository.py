"""SQL for crawls, snapshots and what is derived from one crawl (a company's context for contact reports)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dossier.research.models import CompanyContext, Crawl, Snapshot


def latest_completed_crawl(conn: Connection, domain: str, since: datetime) -> str | None:
    return conn.execute(
        select(Crawl.id)
        .where(Crawl.domain == domain, Crawl.kind == "site", Crawl.status == "completed", Crawl.finished_at >= since)
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


def crawl_page_urls(conn: Connection, crawl_id: str) -> list[str]:
    stmt = select(Snapshot.final_url).where(Snapshot.crawl_id == crawl_id, Snapshot.kind == "page")
    return list(conn.execute(stmt).scalars())


def snapshot_text(conn: Connection, snapshot_id: str | None) -> tuple[str, str, str] | None:
    """(text, body, headers as `name: value` lines) of a stored snapshot: what a quote may be found in."""
    if snapshot_id is None:
        return None
    row = conn.execute(select(Snapshot.text, Snapshot.body, Snapshot.headers).where(Snapshot.id == snapshot_id)).first()
    if row is None:
        return None
    headers = "\n".join(f"{k}: {v}" for k, v in sorted((row.headers or {}).items()))
    return row.text, row.body, headers


def company_context(conn: Connection, crawl_id: str, company_key: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(CompanyContext.context, CompanyContext.evidence).where(
            CompanyContext.crawl_id == crawl_id, CompanyContext.company_key == company_key
        )
    ).first()
    return {"context": row.context, "evidence": row.evidence} if row else None


def save_company_context(
    conn: Connection,
    crawl_id: str,
    company_key: str,
    context: dict[str, Any],
    evidence: list[dict[str, Any]],
    now: datetime,
) -> None:
    """Keep the first context stored for a crawl and company: two reports that asked at once wrote the same."""
    upsert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = upsert(CompanyContext).values(
        crawl_id=crawl_id, company_key=company_key, context=context, evidence=evidence, created_at=now
    )
    conn.execute(stmt.on_conflict_do_nothing(index_elements=["crawl_id", "company_key"]))
