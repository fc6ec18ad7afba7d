"""Reading contact research; importing people."""

from __future__ import annotations

from typing import Any

from dossier.contacts import imports, repository
from dossier.kit.auth import Principal
from dossier.kit.db import Database
from dossier.kit.errors import ApiError, FieldError, not_found
from dossier.kit.ids import is_contact_research_id, new_uuid
from dossier.kit.jsonbody import parse_json_body
from dossier.kit.time import format_rfc3339, utcnow

RESEARCH_NOT_FOUND = "Contact research not found or access denied"


def to_wire(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "status": row["status"],
        "firstName": row["first_name"],
        "lastName": row["last_name"],
        "fullName": f"{row['first_name']} {row['last_name']}".strip(),
        "companyName": row["company_name"],
        "companyDomain": row["company_domain"],
        "contactProfileUrl": row["contact_profile_url"],
        "linkedInSalesNavigatorUrl": row["linkedin_sales_navigator_url"],
        "jobTitle": row["job_title"],
        "externalId": row["external_id"],
        "externalSource": row["external_source"],
        "research": row["research"],
        "sources": row["sources"] or [],
        "error": row["error"],
        "createdAt": format_rfc3339(row["created_at"]),
        "completedAt": format_rfc3339(row["completed_at"]),
    }


async def get_research(db: Database, principal: Principal, research_id: str) -> dict[str, Any]:
    if not is_contact_research_id(research_id):
        raise not_found(RESEARCH_NOT_FOUND)
    row = await db.read(lambda conn: repository.get_research(conn, principal.organization_id, research_id))
    if row is None:
        raise not_found(RESEARCH_NOT_FOUND)
    return to_wire(row)


async def get_by_external_id(
    db: Database, principal: Principal, external_id: str | None, external_source: str | None
) -> dict[str, Any]:
    missing = [
        FieldError(name, f"'{name}' is required")
        for name, value in (("externalId", external_id), ("externalSource", external_source))
        if not value or not value.strip()
    ]
    if missing:
        raise ApiError(400, "Missing required query parameters: externalId and externalSource", fields=missing)
    assert external_id is not None and external_source is not None
    eid, source = external_id.strip(), external_source.strip()
    row = await db.read(lambda conn: repository.latest_by_external_id(conn, principal.organization_id, eid, source))
    if row is None:
        raise not_found(RESEARCH_NOT_FOUND)
    return to_wire(row)


# --- people import (Dossier extension) ---------------------------------------------------------------------------


async def import_people(db: Database, principal: Principal, content_type: str, raw: bytes) -> dict[str, Any]:
    """Record every good row in one transaction and report every bad one by line; 400 when nothing can be read."""
    import_id = new_uuid()
    media = content_type.split(";", 1)[0].strip().lower()
    try:
        if media in ("text/csv", "application/csv", "text/plain"):
            rows = imports.csv_rows(raw)
            label = "CSV import"
        elif media == "application/json" or media.endswith("+json"):
            rows = imports.json_rows(parse_json_body(raw))
            label = "JSON import"
        else:
            raise ApiError(415, 'Send the rows as text/csv or as application/json ({"rows": [...]})')
        parsed = imports.parse_rows(rows, import_id, label)
    except imports.ImportRefused as exc:
        raise ApiError(400, f"Import refused: {exc}", fields=[FieldError("body", str(exc))]) from None
    now = utcnow()
    counts = await db.write(lambda conn: repository.upsert_people(conn, principal.organization_id, parsed.records, now))
    return {
        "received": parsed.received,
        "imported": len(parsed.records),
        "created": counts.created,
        "updated": counts.updated,
        "rejected": len({e.line for e in parsed.errors}),
        "errors": [e.as_dict() for e in parsed.errors],
    }
