"""Queueing and delivering webhook events.

The body is the object exactly as the matching GET returns it, fixed when the event is queued so every
retry carries the same bytes (and the same `webhook-id`), signed with the organisation's `whsec_` secret.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection
from standardwebhooks import Webhook

from dossier.accounts import repository as accounts_repository
from dossier.jobs.port import JobBackend, PermanentFailure, TaskSpec
from dossier.kit.db import Database
from dossier.kit.http import FetchError, GuardedClient
from dossier.kit.ids import new_uuid
from dossier.kit.time import utcnow
from dossier.webhooks import repository

KIND = "webhook.deliver"
# Seconds before each retry (after attempt 1, 2, ...): about three days in all, as Standard Webhooks suggests.
RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 36000, 72000, 86400)
TIMEOUT_SECONDS = 15.0
RESPONSE_KEEP = 2000
# Fetch failures no retry can fix (kit.http's reasons): a blocked destination, a malformed URL.
PERMANENT_REASONS = frozenset({"blocked", "bad_url"})


class DeliveryFailed(Exception):
    pass


def enqueue_event(
    conn: Connection, jobs: JobBackend, *, organization_id: str, url: str, event_type: str, obj: dict[str, Any]
) -> str:
    """Queue one event for delivery, inside the transaction that produced it."""
    message_id = f"msg_{uuid.uuid4().hex}"
    jobs.enqueue_in(
        conn,
        KIND,
        {
            "organizationId": organization_id,
            "url": url,
            "event": event_type,
            "messageId": message_id,
            "objectId": str(obj.get("id", "")),
            "body": orjson.dumps(obj).decode(),
        },
    )
    return message_id


def delivery_spec(db: Database, client: GuardedClient, retry_scale: float = 1.0) -> TaskSpec:
    async def deliver(payload: dict[str, Any]) -> None:
        secret = await db.read(lambda c: accounts_repository.organization_webhook_secret(c, payload["organizationId"]))
        if secret is None:
            raise PermanentFailure("the organisation no longer exists")
        body: str = payload["body"]
        now = datetime.now(UTC)
        signature = Webhook(secret).sign(payload["messageId"], now, body)
        headers = {
            "content-type": "application/json",
            "webhook-id": payload["messageId"],
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature,
            "dossier-event": payload["event"],
        }
        attempts = await db.read(lambda c: repository.attempts_for_message(c, payload["messageId"]))
        attempt = len(attempts) + 1
        started = time.monotonic()
        status: int | None = None
        error: str | None = None
        permanent = False
        response: str | None = None
        try:
            result = await client.fetch(
                payload["url"],
                method="POST",
                headers=headers,
                content=body.encode(),
                max_bytes=64_000,
                timeout=TIMEOUT_SECONDS,
                follow_redirects=False,
            )
            status = result.status
            response = result.text()[:RESPONSE_KEEP]
            if not 200 <= status < 300:
                error = f"HTTP {status}" + (" (redirects count as failures)" if 300 <= status < 400 else "")
        except FetchError as exc:
            error = f"{exc.reason}: {exc}"
            permanent = exc.reason in PERMANENT_REASONS
        duration = int((time.monotonic() - started) * 1000)
        await db.write(
            lambda c: repository.record_attempt(
                c,
                {
                    "id": new_uuid(),
                    "organization_id": payload["organizationId"],
                    "message_id": payload["messageId"],
                    "event_type": payload["event"],
                    "object_id": payload["objectId"],
                    "url": payload["url"],
                    "attempt": attempt,
                    "status_code": status,
                    "duration_ms": duration,
                    "success": error is None,
                    "error": error,
                    "response_body": response,
                    "created_at": utcnow(),
                },
            )
        )
        if permanent:
            # The destination is refused by policy or unusable as written: the next attempt would fail the
            # same way, so the delivery ends failed now instead of being retried for three days.
            raise PermanentFailure(error or "undeliverable")
        if error is not None:
            raise DeliveryFailed(error)

    def backoff(attempts: int) -> float:
        index = min(max(attempts - 1, 0), len(RETRY_SCHEDULE) - 1)
        return RETRY_SCHEDULE[index] * retry_scale

    return TaskSpec(deliver, max_attempts=len(RETRY_SCHEDULE) + 1, backoff=backoff)


async def recent(db: Database, organization_id: str | None, limit: int = 50) -> list[dict[str, Any]]:
    return await db.read(lambda c: repository.recent_attempts(c, organization_id, limit))
