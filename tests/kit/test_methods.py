"""405 answers name every method the path serves (Allow), and HEAD works wherever GET does."""

from __future__ import annotations

from tests.factories import auth, new_org, seed_signals, signal_row
from tests.signals.test_read_endpoints import assert_error


async def test_405_carries_the_paths_real_allow_header(client, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    template = "/v1/companies/signals/templates/00000000-0000-4000-8000-000000000000"
    cases = [
        ("DELETE", "/v1/companies/signals", "GET, HEAD, POST"),
        ("PUT", "/v1/companies/signals/templates", "GET, HEAD, POST"),
        ("PUT", template, "DELETE, GET, HEAD, PATCH"),
        ("POST", template, "DELETE, GET, HEAD, PATCH"),
        ("GET", "/v1/companies/signals/batch", "POST"),
        ("HEAD", "/v1/companies/signals/sync", "POST"),
        ("POST", "/v1/companies/signals/00000000-0000-4000-8000-000000000000", "GET, HEAD"),
        ("DELETE", "/v1/credits", "GET, HEAD"),
    ]
    for method, path, allow in cases:
        resp = await client.request(method, path, headers=h)
        assert resp.status_code == 405, (method, path)
        assert resp.headers["allow"] == allow, (method, path)
        if method != "HEAD":
            err = assert_error(resp, 405, "METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED")
            assert err["message"] == f"Method {method} not allowed for this route"


async def test_head_answers_like_get_without_a_body(client, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    [row] = await seed_signals(db, [signal_row(org.organization_id)])
    for path in (
        "/v1/companies/signals",
        f"/v1/companies/signals/{row['id']}",
        "/v1/contacts/signals",
        "/v1/companies/signals/templates",
        "/v1/credits",
        "/healthz",
        "/v1/openapi.json",
    ):
        get = await client.get(path, headers=h)
        head = await client.head(path, headers=h)
        assert get.status_code == 200 and head.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"], path
        assert head.headers["content-length"] == get.headers["content-length"], path
    missing = await client.head("/v1/companies/signals/00000000-0000-4000-8000-000000000000", headers=h)
    assert missing.status_code == 404 and missing.content == b""
    assert (await client.head("/v1/credits")).status_code == 401
