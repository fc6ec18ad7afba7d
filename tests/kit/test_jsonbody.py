"""Bodies that are not JSON the databases can hold get a 400 in the envelope, on every create route."""

from __future__ import annotations

import httpx
import orjson

from tests.factories import auth, new_org
from tests.signals.test_read_endpoints import assert_error

SCHEMA = {"type": "object", "properties": {"n": {"type": "number"}}}
# Every route that takes a body, with a valid body for it and the key under which a string can be replaced.
ROUTES = [
    ("POST", "/v1/companies/signals", {"domain": "acme.com", "question": "Q?"}),
    ("POST", "/v1/contacts/signals", {"contactProfileUrl": "https://linkedin.com/in/x", "question": "Q?"}),
    ("POST", "/v1/companies/signals/sync", {"domain": "acme.com", "question": "Q?"}),
    ("POST", "/v1/companies/signals/batch", {"signals": [{"question": "Q?"}], "domains": ["acme.com"]}),
    ("POST", "/v1/companies/signals/templates", {"name": "t", "question": "Q?"}),
]


def _raw(body: dict, marker: str, replacement: str) -> bytes:
    """The body's JSON text with the string "MARK" swapped for raw JSON text (which a serializer would not write)."""
    return orjson.dumps(body).replace(f'"{marker}"'.encode(), replacement.encode())


async def _post(client: httpx.AsyncClient, path: str, key: str, content: bytes) -> httpx.Response:
    return await client.post(path, content=content, headers={**auth(key), "Content-Type": "application/json"})


async def test_lone_surrogates_nan_and_infinity_are_400_everywhere(client, db, backend):
    org = await new_org(db, backend.settings)
    for _, path, valid in ROUTES:
        for token in ('"\\ud800"', '"a\\udc00b"', '"\\ud83d x"', "NaN", "Infinity", "-Infinity"):
            for body in (
                {**valid, "question": "MARK"},
                {**valid, "answerType": "json_schema", "outputSchema": {"type": "object", "x": "MARK"}},
            ):
                if "batch" in path:
                    body = {"signals": [{k: v for k, v in body.items() if k not in ("domain", "signals", "domains")}],
                            "domains": ["acme.com"]}
                resp = await _post(client, path, org.key, _raw(body, "MARK", token))
                err = assert_error(resp, 400, "VALIDATION", "VALIDATION_ERROR")
                assert err["message"] == "Request body is not valid JSON", (path, token)
                assert err["fields"][0]["field"] == "body"
    # A valid surrogate pair is an ordinary character.
    resp = await _post(client, "/v1/companies/signals/templates", org.key,
                       _raw({"name": "t", "question": "MARK"}, "MARK", '"smile \\ud83d\\ude00?"'))
    assert resp.status_code == 201 and resp.json()["question"] == "smile \U0001F600?"


async def test_template_patch_with_a_lone_surrogate_is_400(client, db, backend):
    org = await new_org(db, backend.settings)
    created = (await client.post("/v1/companies/signals/templates", headers=auth(org.key),
                                 json={"name": "t", "question": "Q?"})).json()
    resp = await client.patch(f"/v1/companies/signals/templates/{created['id']}",
                              content=b'{"question": "\\udfff"}',
                              headers={**auth(org.key), "Content-Type": "application/json"})
    assert_error(resp, 400, "VALIDATION", "VALIDATION_ERROR")
    got = await client.get(f"/v1/companies/signals/templates/{created['id']}", headers=auth(org.key))
    assert got.json()["version"] == 1 and got.json()["question"] == "Q?"


async def test_nul_characters_in_values_and_names_are_400(client, db, backend):
    org = await new_org(db, backend.settings)
    for content, field in (
        (b'{"domain": "acme.com", "question": "a\\u0000b"}', "question"),
        (b'{"domain": "acme.com", "question": "Q?", "connectors": {"a\\u0000": 1}}', "connectors.a\x00"),
    ):
        err = assert_error(await _post(client, "/v1/companies/signals", org.key, content), 400, "VALIDATION",
                           "VALIDATION_ERROR")
        assert err["fields"][0]["field"] == field and "NUL" in err["message"]
