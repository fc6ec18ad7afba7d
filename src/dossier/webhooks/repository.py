"""SQL for webhook delivery attempts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from dossier.webhooks.models import WebhookAttempt


def record_attempt(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(WebhookAttempt).values(**row))


def recent_attempts(conn: Connection, organization_id: str | None, limit: int) -> list[dict[str, Any]]:
    stmt = select(*WebhookAttempt.__table__.columns).order_by(WebhookAttempt.created_at.desc()).limit(limit)
    if organization_id is not None:
        stmt = stmt.where(WebhookAttempt.organization_id == organization_id)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def attempts_for_message(conn: Connection, message_id: str) -> list[dict[str, Any]]:
    stmt = select(*WebhookAttempt.__table__.columns).where(WebhookAttempt.message_id == message_id)
    return [dict(r) for r in conn.execute(stmt.order_by(WebhookAttempt.attempt)).mappings()]
