"""Every route's real response bodies validate against the schema /v1/openapi.json declares for that status.

Each operation is driven over real HTTP (on SQLite and PostgreSQL) with valid requests, its error answers
too, and the JSON body is checked with jsonschema against the operation's declared response schema, its
`$ref`s resolved in the served document. A route whose body drifts from its `response_model` fails here.
"""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
import pytest

from tests.factories import auth, new_org, research_row, seed_research, seed_signals, signal_row

EXERCISED: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
async def document(api_url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=api_url) as c:
        resp = await c.get("/v1/openapi.json")
    assert resp.status_code == 200
    body: dict[str, Any] = resp.json()
    return body


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    op: dict[str, Any] = document["paths"][path][method.lower()]
    return op


def check(document: dict[str, Any], method: str, path: str, resp: httpx.Response) -> Any:
    """The response's body, validated against what `method path` declares for its status."""
    EXERCISED.add((method.upper(), path))
    declared = _operation(document, method, path)["responses"]
    assert str(resp.status_code) in declared, (method, path, resp.status_code, resp.text[:300])
    content = declared[str(resp.status_code)].get("content")
    if content is None:
        assert resp.content == b"", (method, path, resp.status_code)
        return None
    assert resp.headers["content-type"].split(";")[0] == "application/json"
    schema = content["application/json"]["schema"]
    body = resp.json()
    # The response schema refers to the document's components; validate with the document as the root.
    root = {**schema, "components": document["components"]}
    jsonschema.Draft202012Validator(root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(
        body
    )
    return body


async def test_every_route_answers_with_its_declared_schema(api_url, document, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    oid = org.organization_id
    completed = signal_row(oid, qualification="Qualified: uses a CRM")
    failed = signal_row(oid, status="failed", answer=None, error="Research failed: no pages")
    processing = signal_row(oid, status="processing")
    contact = signal_row(oid, kind="contact")
    await seed_signals(db, [completed, failed, processing, contact])
    research = await seed_research(db, research_row(oid, external_id="hs-1", external_source="hubspot"))
    missing = "00000000-0000-4000-8000-000000000000"

    async with httpx.AsyncClient(base_url=api_url, timeout=30) as c:
        # Signals: lists, gets, their 400/401/404.
        body = check(document, "GET", "/v1/companies/signals", await c.get("/v1/companies/signals", headers=h))
        assert {s["status"] for s in body["results"]} == {"completed", "failed", "processing"}
        check(document, "GET", "/v1/companies/signals", await c.get("/v1/companies/signals?limit=0", headers=h))
        check(document, "GET", "/v1/companies/signals", await c.get("/v1/companies/signals"))
        for row in (completed, failed, processing):
            got = check(document, "GET", "/v1/companies/signals/{signalId}",
                        await c.get(f"/v1/companies/signals/{row['id']}", headers=h))
            assert got["id"] == row["id"]
        check(document, "GET", "/v1/companies/signals/{signalId}",
              await c.get(f"/v1/companies/signals/{missing}", headers=h))
        body = check(document, "GET", "/v1/contacts/signals", await c.get("/v1/contacts/signals", headers=h))
        assert [s["id"] for s in body["results"]] == [contact["id"]]
        check(document, "GET", "/v1/contacts/signals", await c.get("/v1/contacts/signals?offset=-1", headers=h))
        check(document, "GET", "/v1/contacts/signals/{signalId}",
              await c.get(f"/v1/contacts/signals/{contact['id']}", headers=h))
        check(document, "GET", "/v1/contacts/signals/{signalId}",
              await c.get(f"/v1/contacts/signals/{completed['id']}", headers=h))

        # Contact research.
        got = check(document, "GET", "/v1/contacts/research",
                    await c.get("/v1/contacts/research?externalId=hs-1&externalSource=hubspot", headers=h))
        assert got["id"] == research["id"]
        check(document, "GET", "/v1/contacts/research", await c.get("/v1/contacts/research?externalId=x", headers=h))
        check(document, "GET", "/v1/contacts/research",
              await c.get("/v1/contacts/research?externalId=x&externalSource=y", headers=h))
        check(document, "GET", "/v1/contacts/research/{id}",
              await c.get(f"/v1/contacts/research/{research['id']}", headers=h))
        check(document, "GET", "/v1/contacts/research/{id}",
              await c.get("/v1/contacts/research/cr_000000000000", headers=h))
        person = {"firstName": "Ada", "lastName": "Byron", "companyName": "Acme", "companyDomain": "acme.test"}
        created = check(document, "POST", "/v1/contacts/research",
                        await c.post("/v1/contacts/research", headers=h, json=person))  # fmt: skip
        assert created["status"] == "processing"
        check(document, "POST", "/v1/contacts/research",
              await c.post("/v1/contacts/research", headers=h, json={**person, "externalId": "1"}))  # fmt: skip
        check(document, "POST", "/v1/contacts/research", await c.post("/v1/contacts/research", json=person))

        # Credits and health.
        check(document, "GET", "/v1/credits", await c.get("/v1/credits", headers=h))
        check(document, "GET", "/v1/credits", await c.get("/v1/credits", headers=auth("sk_live_" + "x" * 43)))
        check(document, "GET", "/healthz", await c.get("/healthz"))

        # Creating signals: async 201, sync 202 and 408 (no workers here: nothing finishes).
        new = {"domain": "acme.com", "question": "Does Acme sell to hospitals?", "answerType": "boolean"}
        created = check(document, "POST", "/v1/companies/signals",
                        await c.post("/v1/companies/signals", headers=h, json=new))
        assert created["status"] == "processing"
        check(document, "POST", "/v1/companies/signals",
              await c.post("/v1/companies/signals", headers=h, json={"domain": "https://acme.com"}))
        check(document, "POST", "/v1/contacts/signals",
              await c.post("/v1/contacts/signals", headers=h,
                            json={"contactProfileUrl": "https://linkedin.com/in/jane", "question": "Role?"}))
        slow = {"X-Sbr-Timeout-Sec": "1", **h}
        check(document, "POST", "/v1/companies/signals/sync",
              await c.post("/v1/companies/signals/sync", headers=slow,
                            json={"domain": "acme.com", "question": "Where is Acme based?", "forceRefresh": True}))
        check(document, "POST", "/v1/contacts/signals/sync",
              await c.post("/v1/contacts/signals/sync", headers={"X-Sbr-Timeout-Error": "true", **slow},
                            json={"contactProfileUrl": "https://linkedin.com/in/jane", "question": "Where?",
                                  "forceRefresh": True}))

        # Batches: sync 201 with a rejected row, async 202.
        batch = {"signals": [{"question": "Do they hire engineers?"}], "domains": ["acme.com", "not a domain"]}
        got = check(document, "POST", "/v1/companies/signals/batch",
                    await c.post("/v1/companies/signals/batch", headers=h, json=batch))
        assert (got["accepted"], got["rejected"]) == (1, 1)
        check(document, "POST", "/v1/companies/signals/batch",
              await c.post("/v1/companies/signals/batch", headers=h, json={**batch, "async": True}))

        # Templates: create, list, get, patch, delete, and their 400/404.
        base = "/v1/companies/signals/templates"
        item = f"{base}/{{templateId}}"
        template = check(document, "POST", base, await c.post(base, headers=h,
                                                              json={"name": "CRM", "question": "Which CRM?"}))
        check(document, "POST", base, await c.post(base, headers=h, json={"name": "", "question": "Q"}))
        check(document, "GET", base, await c.get(base, headers=h))
        check(document, "GET", item, await c.get(f"{base}/{template['id']}", headers=h))
        check(document, "GET", item, await c.get(f"{base}/{missing}", headers=h))
        updated = check(document, "PATCH", item,
                        await c.patch(f"{base}/{template['id']}", headers=h, json={"weight": "nice_to_have"}))
        assert updated["version"] == 2
        check(document, "DELETE", item, await c.delete(f"{base}/{template['id']}", headers=h))
        check(document, "DELETE", item, await c.delete(f"{base}/{template['id']}", headers=h))
        check(document, "GET", base, await c.get(f"{base}?includeDeleted=true", headers=h))

        # Contact search and import (the import is a Dossier extension): an empty index, a bad filter, rows.
        imported = check(document, "POST", "/v1/contacts/import", await c.post("/v1/contacts/import", headers=h,
                         json={"rows": [{"firstName": "Ada", "lastName": "Byron", "title": "CTO",
                                         "companyDomain": "acme.test"}, {"title": "no name"}]}))  # fmt: skip
        assert imported["errors"]
        check(document, "POST", "/v1/contacts/import", await c.post("/v1/contacts/import", headers=h, json={}))
        found = check(document, "POST", "/v1/contacts/search",
                      await c.post("/v1/contacts/search", headers=h, json={"firstName": "ada"}))  # fmt: skip
        assert found["total"] >= 1
        check(document, "POST", "/v1/contacts/search",
              await c.post("/v1/contacts/search", headers=h, json={"countries": ["Germany"]}))  # fmt: skip
        check(document, "POST", "/v1/contacts/search", await c.post("/v1/contacts/search", json={}))

    served = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert served - EXERCISED == set(), "operations without a response checked here"
