"""Rows for tests, written through the project's own repositories and services."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from dossier.accounts.service import CreatedKey, create_key
from dossier.config import Settings
from dossier.contacts import repository as contacts_repository
from dossier.kit.db import Database
from dossier.kit.ids import new_contact_research_id, new_uuid
from dossier.kit.validation import profile_key
from dossier.signals import repository as signals_repository

_counter = itertools.count()
BASE_TIME = datetime(2024, 6, 1, 12, 0, 0)


async def new_org(db: Database, settings: Settings) -> CreatedKey:
    return await create_key(db, settings, f"org-{new_uuid()[:8]}")


def signal_row(organization_id: str, **overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    created = overrides.pop("created_at", BASE_TIME + timedelta(minutes=n))
    kind = overrides.get("kind", "company")
    row: dict[str, Any] = {
        "id": new_uuid(),
        "organization_id": organization_id,
        "kind": kind,
        "status": "completed",
        "domain": "acme.com" if kind == "company" else None,
        "contact_profile_url": "https://linkedin.com/in/johndoe" if kind == "contact" else None,
        "question": "Which CRM does this company use?",
        "answer_type": "list",
        "output_schema": None,
        "weight": "important",
        "verification_mode": "strict",
        "qualification_criteria": None,
        "signal_template_id": None,
        "subscription_id": None,
        "company_id": None,
        "webhook_url": None,
        "connectors": None,
        "batch_id": None,
        "answer": {"type": "list", "list": {"value": ["Salesforce", "HubSpot"]}},
        "confidence": 0.87,
        "reasoning": "The site loads HubSpot's tracking script and posts forms to Salesforce.",
        "sources": [{"url": "https://acme.com/", "title": "Acme", "snippet": "js.hs-scripts.com"}],
        "evidence": [
            {"url": "https://acme.com/", "quote": "js.hs-scripts.com", "fetchedAt": "2024-06-01T11:59:00Z",
             "snapshotId": new_uuid()}
        ],
        "qualification": None,
        "error": None,
        "cost_usd": 0.0,
        "as_of": created,
        "cache_key": None,
        "force_refresh": False,
        "attempt": 1,
        "lease_until": None,
        "worker": None,
        "created_at": created,
        "updated_at": created,
        "completed_at": created + timedelta(seconds=30),
    }
    row.update(overrides)
    if row["status"] == "processing":
        row.update(answer=None, confidence=None, reasoning=None, sources=[], evidence=[], completed_at=None)
    if row["contact_profile_url"]:
        row["profile_key"] = profile_key(row["contact_profile_url"])
    else:
        row["profile_key"] = None
    return row


async def seed_signals(db: Database, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    await db.write(lambda conn: signals_repository.insert_signals(conn, rows))
    return rows


def research_row(organization_id: str, **overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    created = overrides.pop("created_at", BASE_TIME + timedelta(minutes=n))
    row: dict[str, Any] = {
        "id": new_contact_research_id(),
        "organization_id": organization_id,
        "status": "completed",
        "first_name": "John",
        "last_name": "Doe",
        "company_name": "Acme Corp",
        "company_domain": "acme.com",
        "contact_profile_url": "https://linkedin.com/in/johndoe",
        "linkedin_sales_navigator_url": None,
        "job_title": "VP of Sales",
        "external_id": None,
        "external_source": None,
        "webhook_url": None,
        "research": {"summary": "VP of Sales at Acme Corp.", "currentRole": {"title": "VP of Sales",
                     "company": "Acme Corp", "since": None}, "confidence": 0.8},
        "sources": [{"url": "https://acme.com/team", "title": "Team", "snippet": "John Doe, VP of Sales"}],
        "error": None,
        "created_at": created,
        "updated_at": created,
        "completed_at": created + timedelta(seconds=45),
    }
    row.update(overrides)
    return row


async def seed_research(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    await db.write(lambda conn: contacts_repository.insert_research(conn, row))
    return row


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
