"""Reading signals: filters from query parameters, and the wire form of a stored row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from dossier.kit.auth import Principal
from dossier.kit.db import Database
from dossier.kit.errors import ApiError, FieldError, not_found, validation_error
from dossier.kit.ids import is_uuid
from dossier.kit.time import format_rfc3339, parse_rfc3339
from dossier.kit.validation import profile_key
from dossier.signals import repository
from dossier.signals.repository import SignalFilter
from dossier.signals.schemas import SignalStatus

SIGNAL_NOT_FOUND = "Signal not found or access denied"
_STATUSES = {s.value for s in SignalStatus}


def _json(text: str | None, empty: Any) -> Any:
    # Stored JSON text goes into the response as is (orjson embeds a Fragment without re-parsing it).
    return orjson.Fragment(text) if text is not None else empty


def to_wire(row: dict[str, Any], *, cached: bool = False) -> dict[str, Any]:
    """The Signal object exactly as GET returns it (and as webhooks carry it); serialise it with orjson."""
    out: dict[str, Any] = {"id": row["id"], "signalType": row["kind"], "status": row["status"]}
    if row["kind"] == "company":
        out["domain"] = row["domain"]
    else:
        out["contactProfileUrl"] = row["contact_profile_url"]
    out.update(
        question=row["question"],
        answerType=row["answer_type"],
        outputSchema=_json(row["output_schema"], None),
        weight=row["weight"],
        verificationMode=row["verification_mode"],
        signalTemplateId=row["signal_template_id"],
        subscriptionId=row["subscription_id"],
        companyId=row["company_id"],
        answer=_json(row["answer"], None),
        confidence=row["confidence"],
        reasoning=row["reasoning"],
        sources=_json(row["sources"], []),
        qualification=row["qualification"],
        createdAt=format_rfc3339(row["created_at"]),
        completedAt=format_rfc3339(row["completed_at"]),
        error=row["error"],
        evidence=_json(row["evidence"], []),
        cached=cached,
        asOf=format_rfc3339(row["as_of"]),
        costUsd=row["cost_usd"] or 0.0,
    )
    return out


def parse_statuses(values: list[str] | None) -> list[str]:
    """`status` is repeatable (`?status=a&status=b`); comma-separated values are accepted too."""
    statuses: list[str] = []
    for value in values or []:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if part not in _STATUSES:
                raise validation_error("status", f"must be one of processing, completed, failed (got '{part[:50]}')")
            statuses.append(part)
    return statuses


def parse_date_range(from_date: str | None, to_date: str | None) -> tuple[datetime | None, datetime | None]:
    parsed: list[datetime | None] = []
    errors: list[FieldError] = []
    for name, value in (("fromDate", from_date), ("toDate", to_date)):
        if value is None:
            parsed.append(None)
            continue
        try:
            parsed.append(parse_rfc3339(value))
        except ValueError:
            errors.append(FieldError(name, f"'{name}' must be an RFC 3339 date-time (e.g., '2024-01-01T00:00:00Z')"))
            parsed.append(None)
    if errors:
        message = errors[0].message if len(errors) == 1 else "; ".join(e.message for e in errors)
        raise ApiError(400, message, fields=errors)
    if parsed[0] is not None and parsed[1] is not None and parsed[0] > parsed[1]:
        raise validation_error("fromDate", "must not be after 'toDate'")
    return parsed[0], parsed[1]


async def list_signals(
    db: Database, principal: Principal, f: SignalFilter, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    rows, total = await db.quick_read(
        lambda conn: repository.list_signals(conn, principal.organization_id, f, limit=limit, offset=offset)
    )
    return [to_wire(r) for r in rows], total


async def get_signal(db: Database, principal: Principal, signal_id: str, kind: str) -> dict[str, Any]:
    # A malformed id cannot name a stored signal; it is reported like any other missing one.
    if not is_uuid(signal_id):
        raise not_found(SIGNAL_NOT_FOUND)
    row = await db.quick_read(lambda conn: repository.get_signal(conn, principal.organization_id, signal_id, kind))
    if row is None:
        raise not_found(SIGNAL_NOT_FOUND)
    return to_wire(row)


def contact_filter(contact_profile_url: str | None) -> SignalFilter:
    return SignalFilter(kind="contact", profile_key=profile_key(contact_profile_url) if contact_profile_url else None)
