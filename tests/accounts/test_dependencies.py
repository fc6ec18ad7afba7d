"""`authenticate` takes the server's parts (database, settings, key cache, rate limiter) as dependencies."""

from __future__ import annotations

import httpx
from fastapi import Request

from dossier.accounts.dependencies import KeyCache, current_key_cache
from dossier.app import create_app
from dossier.kit.auth import hash_key
from dossier.kit.ratelimit import RateLimiter, current_rate_limiter
from tests.conftest import Backend
from tests.factories import auth, new_org
from tests.signals.test_read_endpoints import assert_error
from tests.support import serve_in_thread


async def test_the_key_check_uses_the_dependencies_it_is_given(db, backend: Backend):
    """Overrides reach both places a key is checked: the route class (before the body is read) and the
    handler's dependency. A cache and a limiter taken from anywhere else would not see these."""
    settings = backend.settings.model_copy(update={"auth_cache_seconds": 60.0})
    org = await new_org(db, settings)
    app = create_app(settings, workers=False)
    cache = KeyCache(60.0)
    one_write = RateLimiter(write_per_minute=1, write_burst=1, read_per_minute=1000, read_burst=1000)

    async def given_cache(request: Request) -> KeyCache:
        return cache

    async def given_limiter(request: Request) -> RateLimiter:
        return one_write

    app.dependency_overrides[current_key_cache] = given_cache
    app.dependency_overrides[current_rate_limiter] = given_limiter
    with serve_in_thread(app) as url:
        async with httpx.AsyncClient(base_url=url, headers=auth(org.key), timeout=30) as c:
            assert (await c.get("/v1/credits")).status_code == 200
            key_hash = hash_key(settings.hmac_key, org.key)
            assert cache.get(key_hash) is not None
            assert app.state.key_cache.get(key_hash) is None
            # The one write the given limiter allows is spent by a request refused for its body (keys and
            # limits come first); the next write is refused by that limiter.
            first = await c.post("/v1/companies/signals", json={})
            assert_error(first, 400, "VALIDATION", "VALIDATION_ERROR")
            assert first.headers["x-ratelimit-limit"] == "1"
            assert (await c.post("/v1/companies/signals", json={})).status_code == 429
