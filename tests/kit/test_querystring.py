"""Array query parameters in bracket form (`status[0]=…`, `status[]=…`) read like repeated `status`."""

from __future__ import annotations

from dossier.kit.querystring import normalise_query
from tests.factories import auth, new_org, seed_signals, signal_row
from tests.signals.test_read_endpoints import assert_error


def test_normalise_query_renames_only_bracketed_names():
    assert normalise_query(b"status[0]=failed&status[1]=completed") == b"status=failed&status=completed"
    assert normalise_query(b"status%5B%5D=a%20b&limit=5") == b"status=a%20b&limit=5"
    assert normalise_query(b"a[b]=1&c=[x]") == b"a[b]=1&c=[x]"
    plain = b"status=failed&limit=5"
    assert normalise_query(plain) is plain


async def test_bracket_forms_filter_lists_like_repeated_parameters(client, db, backend):
    org = await new_org(db, backend.settings)
    rows = await seed_signals(db, [
        signal_row(org.organization_id, status="failed"),
        signal_row(org.organization_id, status="completed"),
        signal_row(org.organization_id, status="processing", completed_at=None),
    ])
    want = {rows[0]["id"], rows[1]["id"]}
    h = auth(org.key)
    for query in (
        "status=failed&status=completed",
        "status[0]=failed&status[1]=completed",
        "status%5B0%5D=failed&status%5B1%5D=completed",
        "status[]=failed&status[]=completed",
        "status%5B%5D=completed&status%5B%5D=failed",
    ):
        resp = await client.get(f"/v1/companies/signals?{query}", headers=h)
        assert resp.status_code == 200, (query, resp.text)
        assert {s["id"] for s in resp.json()["results"]} == want, query
    only = await client.get("/v1/companies/signals?status[0]=processing", headers=h)
    assert [s["id"] for s in only.json()["results"]] == [rows[2]["id"]]
    bad = await client.get("/v1/companies/signals?status[0]=nope", headers=h)
    assert_error(bad, 400, "VALIDATION", "VALIDATION_ERROR")
