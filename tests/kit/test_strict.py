"""Values of the wrong JSON type, and integers not written as integers, are 400 (not silently converted)."""

from __future__ import annotations

from tests.factories import auth, new_org
from tests.signals.test_read_endpoints import assert_error


async def test_booleans_must_be_json_booleans(client, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    signal = {"domain": "acme.com", "question": "Q?"}
    contact = {"contactProfileUrl": "https://linkedin.com/in/x", "question": "Q?"}
    batch = {"signals": [{"question": "Q?"}], "domains": ["acme.com"]}
    cases = [
        ("/v1/companies/signals", {**signal, "forceRefresh": "yes"}, "forceRefresh"),
        ("/v1/companies/signals", {**signal, "forceRefresh": 1}, "forceRefresh"),
        ("/v1/companies/signals", {**signal, "forceRefresh": "true"}, "forceRefresh"),
        ("/v1/contacts/signals", {**contact, "forceRefresh": "on"}, "forceRefresh"),
        ("/v1/companies/signals/batch", {**batch, "async": "yes"}, "async"),
        ("/v1/companies/signals/batch", {**batch, "generateSummaryOnComplete": 0}, "generateSummaryOnComplete"),
        ("/v1/companies/signals/batch", {**batch, "signals": [{"question": "Q?", "forceRefresh": "no"}]},
         "signals.0.forceRefresh"),
    ]
    for path, body, field in cases:
        err = assert_error(await client.post(path, json=body, headers=h), 400, "VALIDATION", "VALIDATION_ERROR")
        assert err["fields"] == [{"field": field, "message": f"'{field}' must be true or false"}], (path, body)
    ok = await client.post("/v1/companies/signals", json={**signal, "forceRefresh": True}, headers=h)
    assert ok.status_code == 201


async def test_query_integers_must_be_written_as_integers(client, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    for path in ("/v1/companies/signals", "/v1/contacts/signals", "/v1/companies/signals/templates"):
        for query, field in (("limit=25.0", "limit"), ("limit=2.5e1", "limit"), ("offset=0.0", "offset"),
                             ("limit=ten", "limit")):
            err = assert_error(await client.get(f"{path}?{query}", headers=h), 400, "VALIDATION", "VALIDATION_ERROR")
            assert err["message"] == f"'{field}' must be an integer", (path, query)
        assert (await client.get(f"{path}?limit=5&offset=0", headers=h)).status_code == 200
    resp = await client.post("/v1/companies/signals/sync", json={"domain": "acme.com", "question": "Q?"},
                             headers={**h, "X-Sbr-Timeout-Sec": "5.0"})
    err = assert_error(resp, 400, "VALIDATION", "VALIDATION_ERROR")
    assert err["message"] == "'X-Sbr-Timeout-Sec' must be an integer"
