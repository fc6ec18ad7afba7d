"""The dependency that authenticates a request by its API key and applies the key's rate limit."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, Request

from dossier.accounts.repository import find_active_key
from dossier.kit.auth import Principal, hash_key, is_well_formed
from dossier.kit.db import CurrentDatabase
from dossier.kit.errors import ApiError, RateLimitExceeded
from dossier.kit.ratelimit import CurrentRateLimiter
from dossier.runtime import CurrentSettings


class KeyCache:
    """Verified keys (by HMAC) for a few seconds: authentication is on every request's path."""

    def __init__(self, ttl_seconds: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, key_hash: str) -> Principal | None:
        entry = self._entries.get(key_hash)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            self._entries.pop(key_hash, None)
            return None
        return entry[1]

    def put(self, key_hash: str, principal: Principal) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key_hash] = (time.monotonic() + self.ttl, principal)


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})


async def current_key_cache(request: Request) -> KeyCache:
    cache: KeyCache = request.app.state.key_cache
    return cache


CurrentKeyCache = Annotated[KeyCache, Depends(current_key_cache)]


async def authenticate(
    request: Request,
    db: CurrentDatabase,
    settings: CurrentSettings,
    cache: CurrentKeyCache,
    limiter: CurrentRateLimiter,
) -> Principal:
    scope_state = request.scope.setdefault("state", {})
    known: Principal | None = scope_state.get("principal")
    if known is not None:
        # Already authenticated (and counted) for this request: the route class checks keys before bodies.
        return known
    header = request.headers.get("authorization")
    if not header:
        raise _unauthorized("Missing API key: send 'Authorization: Bearer sk_live_...'")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("Invalid authorization scheme: expected 'Bearer <API key>'")
    if not is_well_formed(token):
        raise _unauthorized("Invalid API key format: expected 'sk_live_' followed by 43 characters")
    key_hash = hash_key(settings.hmac_key, token)
    principal = cache.get(key_hash)
    if principal is None:
        found = await find_active_key(db, key_hash)
        if found is None:
            raise _unauthorized("Invalid or revoked API key")
        principal = Principal(organization_id=found.organization_id, key_id=found.key_id)
        cache.put(key_hash, principal)
    try:
        rate = await limiter.hit(principal.key_id, request.method)
    except RateLimitExceeded as exc:
        scope_state["ratelimit"] = (exc.limit, 0, exc.reset)
        raise
    scope_state["ratelimit"] = (rate.limit, rate.remaining, rate.reset)
    scope_state["principal"] = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]
