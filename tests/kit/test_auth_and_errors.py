"""Authentication, the error envelope on every failure path, rate limits — over real HTTP."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from dossier.accounts.service import revoke_key
from dossier.app import create_app
from dossier.config import Settings
from dossier.kit.auth import generate_key, is_well_formed
from tests.conftest import Backend
from tests.factories import auth, new_org
from tests.signals.test_read_endpoints import assert_error
from tests.support import serve_in_thread

PROTECTED = [
    "/v1/companies/signals",
    "/v1/companies/signals/00000000-0000-4000-8000-000000000000",
    "/v1/contacts/signals",
    "/v1/contacts/signals/00000000-0000-4000-8000-000000000000",
    "/v1/contacts/research/cr_abc123def456",
    "/v1/contacts/research?externalId=1&externalSource=hubspot",
    "/v1/credits",
]


def test_key_format():
    key = generate_key()
    assert key.startswith("sk_live_") and len(key) == 51 and is_well_formed(key)
    assert not is_well_formed(key[:-1]) and not is_well_formed(key + "x") and not is_well_formed("sk_test_" + key[8:])


@pytest.mark.parametrize("path", PROTECTED)
async def test_401_variants(client: httpx.AsyncClient, db, backend: Backend, path: str):
    org = await new_org(db, backend.settings)
    variants = {
        "missing": {},
        "wrong scheme": {"Authorization": f"Basic {org.key}"},
        "no token": {"Authorization": "Bearer"},
        "malformed": {"Authorization": "Bearer sk_live_short"},
        "unknown": {"Authorization": f"Bearer {generate_key()}"},
    }
    for name, headers in variants.items():
        resp = await client.get(path, headers=headers)
        assert_error(resp, 401, "UNAUTHORIZED", "UNAUTHORIZED")
        assert "x-ratelimit-limit" not in resp.headers, name


async def test_revoked_key_is_401_and_other_keys_keep_working(client, db, backend):
    org = await new_org(db, backend.settings)
    assert (await client.get("/v1/credits", headers=auth(org.key))).status_code == 200
    await revoke_key(db, org.key[:16])
    assert_error(await client.get("/v1/credits", headers=auth(org.key)), 401, "UNAUTHORIZED", "UNAUTHORIZED")


async def test_key_cache_keeps_a_revoked_key_only_until_its_ttl(db, backend: Backend):
    settings = backend.settings.model_copy(update={"auth_cache_seconds": 1.0})
    org = await new_org(db, settings)
    with serve_in_thread(create_app(settings, workers=False)) as url:
        async with httpx.AsyncClient(base_url=url, headers=auth(org.key)) as c:
            assert (await c.get("/v1/credits")).status_code == 200
            await revoke_key(db, org.key[:16])  # revoked by another process, as `dossier keys revoke` does
            assert (await c.get("/v1/credits")).status_code == 200  # still within the cache's second
            await asyncio.sleep(1.2)
            assert_error(await c.get("/v1/credits"), 401, "UNAUTHORIZED", "UNAUTHORIZED")


async def test_credits(client, db, backend):
    org = await new_org(db, backend.settings)
    resp = await client.get("/v1/credits", headers=auth(org.key))
    assert resp.status_code == 200
    assert resp.json() == {"remainingCredits": backend.settings.default_credits}


async def test_framework_errors_use_the_envelope(client, db, backend):
    org = await new_org(db, backend.settings)
    assert_error(await client.get("/v1/nope", headers=auth(org.key)), 404, "NOT_FOUND", "NOT_FOUND")
    assert_error(await client.get("/nope"), 404, "NOT_FOUND", "NOT_FOUND")
    assert_error(
        await client.delete("/v1/credits", headers=auth(org.key)), 405, "METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED"
    )
    assert_error(
        await client.put("/v1/companies/signals", headers=auth(org.key), content=b"{not json"),
        405,
        "METHOD_NOT_ALLOWED",
        "METHOD_NOT_ALLOWED",
    )


async def test_a_trailing_slash_is_not_a_route(client, db, backend):
    org = await new_org(db, backend.settings)
    for path in ("/v1/credits/", "/v1/companies/signals/", "/v1/contacts/signals/"):
        resp = await client.get(path, headers=auth(org.key))
        assert_error(resp, 404, "NOT_FOUND", "NOT_FOUND")
        assert "location" not in resp.headers


async def test_a_malformed_body_without_a_valid_key_is_401(client, db, backend):
    """The body is read before the route's dependencies run; the key still decides first."""
    bad = {"content": b'{"domain": ', "headers": {"content-type": "application/json"}}
    no_key = await client.post("/v1/companies/signals", **bad)
    assert_error(no_key, 401, "UNAUTHORIZED", "UNAUTHORIZED")
    wrong_key = await client.post(
        "/v1/companies/signals", content=bad["content"], headers={**bad["headers"], **auth("sk_live_" + "x" * 43)}
    )
    assert_error(wrong_key, 401, "UNAUTHORIZED", "UNAUTHORIZED")
    org = await new_org(db, backend.settings)
    with_key = await client.post(
        "/v1/companies/signals", content=bad["content"], headers={**bad["headers"], **auth(org.key)}
    )
    err = assert_error(with_key, 400, "VALIDATION", "VALIDATION_ERROR")
    assert err["message"] == "Request body is not valid JSON"
    assert with_key.headers["x-ratelimit-remaining"]  # counted against the key like any request


async def test_healthz_and_openapi(client):
    health = await client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    spec = (await client.get("/v1/openapi.json")).json()
    assert "/v1/companies/signals" in spec["paths"]
    # Bad input is a 400 in the error envelope, never FastAPI's 422 {"detail": [...]}; the one 422 is the
    # contract's own (contact search: "Could not process LinkedIn URL", in the error envelope).
    for item in spec["paths"].values():
        for op in item.values():
            if op.get("operationId") == "searchContacts":
                assert op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")
                continue
            assert "422" not in op.get("responses", {}), op.get("operationId")
    listing = spec["paths"]["/v1/companies/signals"]["get"]["responses"]["400"]
    assert listing["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")
    assert "HTTPValidationError" not in spec["components"]["schemas"]


class Body(BaseModel):
    name: str
    size: int


def _app_with_failing_routes(settings: Settings) -> FastAPI:
    app = create_app(settings, workers=False)

    @app.get("/v1/_boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail: password=hunter2")

    @app.post("/v1/_echo")
    async def echo(body: Body) -> Body:
        return body

    return app


def test_unexpected_exception_is_500_without_internals(backend: Backend):
    with serve_in_thread(_app_with_failing_routes(backend.settings)) as url:
        resp = httpx.get(f"{url}/v1/_boom")
        err = assert_error(resp, 500, "INTERNAL", "INTERNAL_ERROR")
        assert "hunter2" not in resp.text and "RuntimeError" not in resp.text
        assert err["message"] == "An internal error occurred"

        bad_json = httpx.post(f"{url}/v1/_echo", content=b'{"name": ', headers={"content-type": "application/json"})
        assert_error(bad_json, 400, "VALIDATION", "VALIDATION_ERROR")
        wrong = httpx.post(f"{url}/v1/_echo", json={"name": 3, "size": "big"})
        err = assert_error(wrong, 400, "VALIDATION", "VALIDATION_ERROR")
        assert {f["field"] for f in err["fields"]} == {"name", "size"}
        missing = httpx.post(f"{url}/v1/_echo", json={})
        err = assert_error(missing, 400, "VALIDATION", "VALIDATION_ERROR")
        assert {f["message"] for f in err["fields"]} == {"'name' is required", "'size' is required"}
        not_object = httpx.post(f"{url}/v1/_echo", json=[1, 2])
        assert_error(not_object, 400, "VALIDATION", "VALIDATION_ERROR")


async def test_rate_limit_429_body_and_headers(db, backend: Backend):
    settings = backend.settings.model_copy(
        update={"rate_limit_read_per_minute": 3, "rate_limit_read_burst": 100, "rate_limit_write_burst": 1}
    )
    org = await new_org(db, settings)
    with serve_in_thread(create_app(settings, workers=False)) as url:
        with httpx.Client(base_url=url, headers=auth(org.key)) as c:
            remaining = [int(c.get("/v1/credits").headers["x-ratelimit-remaining"]) for _ in range(3)]
            assert remaining == [2, 1, 0]
            over = c.get("/v1/credits")
            assert over.status_code == 429
            body = over.json()
            assert body["statusCode"] == 429 and body["message"] == "Rate limit exceeded"
            assert body["error"] == "Too Many Requests"
            assert 1 <= body["retryAfter"] <= 60
            assert over.headers["retry-after"] == str(body["retryAfter"])
            assert over.headers["x-ratelimit-limit"] == "3" and over.headers["x-ratelimit-remaining"] == "0"
            assert int(over.headers["x-ratelimit-reset"]) >= int(time.time())
        # Limits are per key: a different key is unaffected.
        other = await new_org(db, settings)
        assert httpx.get(f"{url}/v1/credits", headers=auth(other.key)).status_code == 200


def test_rate_limit_storage_must_not_block():
    from dossier.kit.ratelimit import RateLimiter

    kwargs = {"write_per_minute": 1, "write_burst": 1, "read_per_minute": 1, "read_burst": 1}
    RateLimiter(**kwargs, storage="async+memory://")
    RateLimiter(**kwargs, storage="memory://")
    # A network storage through its synchronous client would stall the event loop on every request.
    with pytest.raises(ValueError, match="async"):
        RateLimiter(**kwargs, storage="redis://localhost:6379")
