"""SQL for organisations and API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, func, insert, select, update

from dossier.accounts.models import ApiKey, Organization
from dossier.kit.db import Database


@dataclass(frozen=True)
class ActiveKey:
    key_id: str
    organization_id: str


@dataclass(frozen=True)
class KeyListing:
    id: str
    organization: str
    prefix: str
    last_four: str
    name: str | None
    created_at: datetime
    revoked_at: datetime | None


# Built once: authentication runs on every request.
_ACTIVE_KEY = select(ApiKey.id, ApiKey.organization_id).where(
    ApiKey.key_hash == bindparam("key_hash"), ApiKey.revoked_at.is_(None)
)
_LISTING = select(
    ApiKey.id,
    Organization.name.label("organization"),
    ApiKey.prefix,
    ApiKey.last_four,
    ApiKey.name,
    ApiKey.created_at,
    ApiKey.revoked_at,
).join(Organization, Organization.id == ApiKey.organization_id)


async def find_active_key(db: Database, key_hash: str) -> ActiveKey | None:
    rows = await db.fetch(_ACTIVE_KEY, {"key_hash": key_hash})
    return ActiveKey(rows[0][0], rows[0][1]) if rows else None


def count_organizations(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(Organization)).scalar_one())


def organization_id_by_name(conn: Connection, name: str) -> str | None:
    return conn.execute(select(Organization.id).where(Organization.name == name)).scalar_one_or_none()


def insert_organization(
    conn: Connection, *, id: str, name: str, credits: int, webhook_secret: str, now: datetime
) -> None:
    conn.execute(
        insert(Organization).values(id=id, name=name, credits=credits, webhook_secret=webhook_secret, created_at=now)
    )


def organization_credits(conn: Connection, organization_id: str) -> int | None:
    return conn.execute(select(Organization.credits).where(Organization.id == organization_id)).scalar_one_or_none()


def organization_webhook_secret(conn: Connection, organization_id: str) -> str | None:
    return conn.execute(
        select(Organization.webhook_secret).where(Organization.id == organization_id)
    ).scalar_one_or_none()


def insert_api_key(
    conn: Connection,
    *,
    id: str,
    organization_id: str,
    key_hash: str,
    prefix: str,
    last_four: str,
    name: str | None,
    now: datetime,
) -> None:
    conn.execute(
        insert(ApiKey).values(
            id=id,
            organization_id=organization_id,
            key_hash=key_hash,
            prefix=prefix,
            last_four=last_four,
            name=name,
            created_at=now,
        )
    )


def list_api_keys(conn: Connection) -> list[KeyListing]:
    rows = conn.execute(_LISTING.order_by(Organization.name, ApiKey.created_at))
    return [KeyListing(**row._mapping) for row in rows]


def keys_with_prefix(conn: Connection, prefix: str) -> list[KeyListing]:
    rows = conn.execute(_LISTING.where(ApiKey.prefix.startswith(prefix, autoescape=True)))
    return [KeyListing(**row._mapping) for row in rows]


def revoke_api_key(conn: Connection, key_id: str, now: datetime) -> None:
    conn.execute(update(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None)).values(revoked_at=now))


def organization_names(conn: Connection) -> list[tuple[str, str]]:
    return [
        (r.id, r.name) for r in conn.execute(select(Organization.id, Organization.name).order_by(Organization.name))
    ]
