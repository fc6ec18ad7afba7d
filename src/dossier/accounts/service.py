"""Organisations and API keys: creation, listing, revocation, first-start bootstrap, credits."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection

from dossier.accounts import repository
from dossier.accounts.repository import KeyListing
from dossier.config import Settings
from dossier.kit.auth import Principal, display_prefix, generate_key, hash_key
from dossier.kit.db import Database
from dossier.kit.ids import new_uuid
from dossier.kit.time import utcnow

DEFAULT_ORGANIZATION = "default"


class AccountError(Exception):
    """A CLI-facing error (ambiguous prefix, unknown key...)."""


@dataclass(frozen=True)
class CreatedKey:
    key: str
    organization_id: str
    organization: str
    organization_created: bool


def new_webhook_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


async def create_key(db: Database, settings: Settings, organization: str, name: str | None = None) -> CreatedKey:
    """Create an API key for an organisation, creating the organisation if it does not exist."""
    key = generate_key()
    key_hash = hash_key(settings.hmac_key, key)
    now = utcnow()

    def work(conn: Connection) -> CreatedKey:
        org_id = repository.organization_id_by_name(conn, organization)
        created = org_id is None
        if org_id is None:
            org_id = new_uuid()
            repository.insert_organization(
                conn,
                id=org_id,
                name=organization,
                credits=settings.default_credits,
                webhook_secret=new_webhook_secret(),
                now=now,
            )
        repository.insert_api_key(
            conn,
            id=new_uuid(),
            organization_id=org_id,
            key_hash=key_hash,
            prefix=display_prefix(key),
            last_four=key[-4:],
            name=name,
            now=now,
        )
        return CreatedKey(key, org_id, organization, created)

    return await db.write(work)


async def bootstrap(db: Database, settings: Settings) -> CreatedKey | None:
    """On a database without organisations, create the default one and return its first key."""
    if await db.read(repository.count_organizations) > 0:
        return None
    return await create_key(db, settings, DEFAULT_ORGANIZATION, name="first key")


async def list_keys(db: Database) -> list[KeyListing]:
    return await db.read(repository.list_api_keys)


async def revoke_key(db: Database, prefix: str) -> KeyListing:
    if len(prefix) < 10:
        raise AccountError("give at least the first 10 characters of the key (as `dossier keys list` shows)")

    def work(conn: Connection) -> KeyListing:
        matches = [k for k in repository.keys_with_prefix(conn, prefix) if k.revoked_at is None]
        if not matches:
            raise AccountError(f"no active key starts with {prefix!r}")
        if len(matches) > 1:
            raise AccountError(f"{len(matches)} active keys start with {prefix!r}; give a longer prefix")
        repository.revoke_api_key(conn, matches[0].id, utcnow())
        return matches[0]

    return await db.write(work)


async def credits(db: Database, principal: Principal) -> int:
    value = await db.read(lambda conn: repository.organization_credits(conn, principal.organization_id))
    return int(value or 0)


async def webhook_secret(db: Database, organization_id: str) -> str | None:
    return await db.read(lambda conn: repository.organization_webhook_secret(conn, organization_id))
