"""SQL for the embedded job queue."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update

from dossier.jobs.models import Job


def insert_jobs(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(Job), rows)


def claim(conn: Connection, worker: str, now: datetime, lease: timedelta) -> dict[str, Any] | None:
    """Take the next due job (run in a write transaction: BEGIN IMMEDIATE on SQLite, SKIP LOCKED on PostgreSQL)."""
    pick = select(Job.id).where(Job.status == "queued", Job.run_at <= now).order_by(Job.run_at, Job.id).limit(1)
    if conn.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    job_id = conn.execute(pick).scalar_one_or_none()
    if job_id is None:
        return None
    conn.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status="running", worker=worker, lease_until=now + lease, attempts=Job.attempts + 1, updated_at=now)
    )
    row = conn.execute(select(*Job.__table__.columns).where(Job.id == job_id)).mappings().first()
    return dict(row) if row else None


def heartbeat(conn: Connection, job_id: str, worker: str, until: datetime) -> bool:
    result = conn.execute(
        update(Job).where(Job.id == job_id, Job.worker == worker, Job.status == "running").values(lease_until=until)
    )
    return bool(result.rowcount)


def finish(conn: Connection, job_id: str, worker: str, now: datetime) -> None:
    conn.execute(delete(Job).where(Job.id == job_id, Job.worker == worker))


def retry(conn: Connection, job_id: str, worker: str, run_at: datetime, error: str, now: datetime) -> None:
    conn.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker == worker)
        .values(status="queued", run_at=run_at, lease_until=None, worker=None, last_error=error[:2000], updated_at=now)
    )


def bury(conn: Connection, job_id: str, worker: str | None, error: str, now: datetime) -> None:
    stmt = update(Job).where(Job.id == job_id)
    if worker is not None:
        stmt = stmt.where(Job.worker == worker)
    conn.execute(stmt.values(status="dead", lease_until=None, last_error=error[:2000], updated_at=now))


def expired(conn: Connection, now: datetime) -> list[dict[str, Any]]:
    """Running jobs whose worker stopped heartbeating (crashed or hung)."""
    rows = conn.execute(
        select(*Job.__table__.columns).where(and_(Job.status == "running", Job.lease_until < now))
    ).mappings()
    return [dict(r) for r in rows]


def requeue(conn: Connection, job_id: str, run_at: datetime, now: datetime) -> None:
    conn.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running")
        .values(status="queued", run_at=run_at, lease_until=None, worker=None, updated_at=now)
    )


def claim_by_id(conn: Connection, job_id: str, worker: str, now: datetime, lease: timedelta) -> dict[str, Any] | None:
    """Take one specific job (the distributed backend delivers ids); None if it is not due or already taken."""
    result = conn.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(("queued", "dispatched")), Job.run_at <= now)
        .values(status="running", worker=worker, lease_until=now + lease, attempts=Job.attempts + 1, updated_at=now)
    )
    if not result.rowcount:
        return None
    row = conn.execute(select(*Job.__table__.columns).where(Job.id == job_id)).mappings().first()
    return dict(row) if row else None


def undispatched(conn: Connection, stale_before: datetime, limit: int = 1000) -> list[dict[str, Any]]:
    """Queued jobs, and dispatched ones no worker took for a while (their dispatch may have been lost)."""
    rows = conn.execute(
        select(Job.id, Job.run_at)
        .where((Job.status == "queued") | ((Job.status == "dispatched") & (Job.updated_at < stale_before)))
        .order_by(Job.run_at)
        .limit(limit)
    ).mappings()
    return [dict(r) for r in rows]


def mark_dispatched(conn: Connection, job_ids: list[str], now: datetime) -> None:
    if job_ids:
        conn.execute(
            update(Job)
            .where(Job.id.in_(job_ids), Job.status.in_(("queued", "dispatched")))
            .values(status="dispatched", updated_at=now)
        )
