"""SQL for organisations and API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from dossier.accounts.models import ApiKey, Organization


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


async def find_active_key(conn: AsyncConnection, key_hash: str) -> ActiveKey | None:
    row = (
        await conn.execute(
            select(ApiKey.id, ApiKey.organization_id).where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
        )
    ).first()
    return ActiveKey(row.id, row.organization_id) if row else None


async def count_organizations(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(Organization))).scalar_one())


async def organization_id_by_name(conn: AsyncConnection, name: str) -> str | None:
    return (await conn.execute(select(Organization.id).where(Organization.name == name))).scalar_one_or_none()


async def insert_organization(
    conn: AsyncConnection, *, id: str, name: str, credits: int, webhook_secret: str, now: datetime
) -> None:
    await conn.execute(
        insert(Organization).values(id=id, name=name, credits=credits, webhook_secret=webhook_secret, created_at=now)
    )


async def organization_credits(conn: AsyncConnection, organization_id: str) -> int | None:
    return (
        await conn.execute(select(Organization.credits).where(Organization.id == organization_id))
    ).scalar_one_or_none()


async def organization_webhook_secret(conn: AsyncConnection, organization_id: str) -> str | None:
    return (
        await conn.execute(select(Organization.webhook_secret).where(Organization.id == organization_id))
    ).scalar_one_or_none()


async def insert_api_key(
    conn: AsyncConnection,
    *,
    id: str,
    organization_id: str,
    key_hash: str,
    prefix: str,
    last_four: str,
    name: str | None,
    now: datetime,
) -> None:
    await conn.execute(
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


def _listing_query():  # type: ignore[no-untyped-def]
    return select(
        ApiKey.id,
        Organization.name.label("organization"),
        ApiKey.prefix,
        ApiKey.last_four,
        ApiKey.name,
        ApiKey.created_at,
        ApiKey.revoked_at,
    ).join(Organization, Organization.id == ApiKey.organization_id)


async def list_api_keys(conn: AsyncConnection) -> list[KeyListing]:
    rows = await conn.execute(_listing_query().order_by(Organization.name, ApiKey.created_at))
    return [KeyListing(**row._mapping) for row in rows]


async def keys_with_prefix(conn: AsyncConnection, prefix: str) -> list[KeyListing]:
    rows = await conn.execute(_listing_query().where(ApiKey.prefix.startswith(prefix, autoescape=True)))
    return [KeyListing(**row._mapping) for row in rows]


async def revoke_api_key(conn: AsyncConnection, key_id: str, now: datetime) -> None:
    await conn.execute(update(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None)).values(revoked_at=now))
