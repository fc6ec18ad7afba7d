"""Reading contact research; importing people."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from dossier.contacts import imports, repository
from dossier.contacts.schemas import CreateContactResearch
from dossier.kit.auth import Principal
from dossier.kit.db import Database
from dossier.kit.errors import ApiError, FieldError, not_found
from dossier.kit.ids import is_contact_research_id, new_contact_research_id, new_uuid
from dossier.kit.jsonbody import parse_json_body
from dossier.kit.problems import Problems
from dossier.kit.time import format_rfc3339, utcnow
from dossier.kit.validation import DOMAIN_MESSAGE, MAX_HOST_LENGTH, is_domain, is_http_url
from dossier.runtime import Runtime
from dossier.signals.validation import check_webhook_url

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


RESEARCH_KIND = "contact_research.run"


def _text(p: Problems, name: str, value: str | None, *, required: bool) -> str | None:
    if value is None or not value.strip():
        if required or value is not None:
            p.add(name, "is required" if value is None else "must not be empty")
        return None
    if "\x00" in value:
        p.add(name, "must not contain NUL characters")
        return None
    return " ".join(value.split())


async def create_research(rt: Runtime, principal: Principal, body: CreateContactResearch) -> dict[str, Any]:
    """Validate, record the report as `processing` and queue it, in one transaction; 400 for every bad field."""
    p = Problems()
    first = _text(p, "firstName", body.firstName, required=True)
    last = _text(p, "lastName", body.lastName, required=True)
    company = _text(p, "companyName", body.companyName, required=True)
    domain = body.companyDomain.strip()
    if not is_domain(domain):
        p.add("companyDomain", DOMAIN_MESSAGE)
    for name in ("contactProfileUrl", "linkedInSalesNavigatorUrl"):
        url = getattr(body, name)
        if url is not None and not is_http_url(url, max_host=MAX_HOST_LENGTH):
            p.add(name, "must be an http or https profile URL")
    check_webhook_url(p, body.webhookUrl, rt.client.policy)
    external_id = _text(p, "externalId", body.externalId, required=False)
    external_source = _text(p, "externalSource", body.externalSource, required=False)
    if (body.externalId is None) != (body.externalSource is None):
        given, missing = (
            ("externalId", "externalSource") if body.externalSource is None else ("externalSource", "externalId")
        )
        p.add(missing, f"is required when '{given}' is given (both or neither)")
    # A CRM export's empty title is no title.
    job_title = " ".join(body.jobTitle.split()) or None if body.jobTitle is not None else None
    p.raise_if_any()
    now = utcnow()
    row = {
        "id": new_contact_research_id(),
        "organization_id": principal.organization_id,
        "status": "processing",
        "first_name": first,
        "last_name": last,
        "company_name": company,
        "company_domain": domain.lower(),
        "contact_profile_url": body.contactProfileUrl.strip() if body.contactProfileUrl else None,
        "linkedin_sales_navigator_url": body.linkedInSalesNavigatorUrl.strip()
        if body.linkedInSalesNavigatorUrl
        else None,
        "job_title": job_title,
        "external_id": external_id,
        "external_source": external_source,
        "webhook_url": body.webhookUrl.strip() if body.webhookUrl else None,
        "research": None,
        "sources": None,
        "error": None,
        "created_at": now,
        "updated_at": now,
        "completed_at": None,
    }

    research_id = str(row["id"])

    def work(c: Connection) -> dict[str, Any]:
        repository.insert_research(c, row)
        rt.jobs.enqueue_in(c, RESEARCH_KIND, {"researchId": research_id})
        stored = repository.get_research_row(c, research_id)
        assert stored is not None
        return stored

    stored = await rt.db.write(work)
    rt.jobs.notify()
    return to_wire(stored)


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
