"""Numbers beyond 64 bits in a template's JSON Schema or qualificationCriteria: refused at create with a 400
and nothing written; numbers within range are stored and returned as sent, on SQLite and PostgreSQL."""

from __future__ import annotations

import orjson

from tests.factories import auth, new_org
from tests.signals.test_read_endpoints import assert_error

TEMPLATES = "/v1/companies/signals/templates"
BEYOND = ["1e20", "18446744073709551616", "-9223372036854775809", "1e400", "-1e400", "9.3e18", "1.7976931348623157e308"]


def _template(number: str, where: str) -> bytes:
    body = {"name": "big", "question": "How big?", "answerType": "json_schema",
            "outputSchema": {"type": "object", "properties": {"n": {"type": "number", "maximum": "N"}}},
            "qualificationCriteria": {"min": "N2"}}
    text = orjson.dumps(body).decode()
    if where == "outputSchema":
        text = text.replace('"N"', number).replace('"N2"', "1")
    else:
        text = text.replace('"N"', "1").replace('"N2"', number)
    return text.encode()


async def test_numbers_beyond_64_bits_are_400_and_nothing_is_written(client, db, backend):
    org = await new_org(db, backend.settings)
    h = {**auth(org.key), "Content-Type": "application/json"}
    for number in BEYOND:
        for where in ("outputSchema", "qualificationCriteria"):
            resp = await client.post(TEMPLATES, content=_template(number, where), headers=h)
            err = assert_error(resp, 400, "VALIDATION", "VALIDATION_ERROR")
            assert err["fields"][0]["field"] in ("body", "outputSchema.properties.n.maximum", "qualificationCriteria.min")
            # The same body as a signal (json_schema) is refused the same way.
            signal = orjson.loads(_template("0", where)) | {"domain": "acme.com"}
            raw = orjson.dumps(signal).replace(b":0", b":" + number.encode(), 1)
            assert (await client.post("/v1/companies/signals", content=raw, headers=h)).status_code == 400
    listed = await client.get(TEMPLATES, headers=auth(org.key))
    assert listed.status_code == 200 and listed.json()["total"] == 0
    signals = await client.get("/v1/companies/signals", headers=auth(org.key))
    assert signals.status_code == 200 and signals.json()["total"] == 0


async def test_numbers_within_64_bits_round_trip(client, db, backend):
    org = await new_org(db, backend.settings)
    h = {**auth(org.key), "Content-Type": "application/json"}
    numbers = {"u64": 18446744073709551615, "i64": -9223372036854775808, "big": 9.2e18, "small": 1e-300, "f": 0.1}
    body = {"name": "edges", "question": "Edges?", "answerType": "json_schema",
            "outputSchema": {"type": "object", "properties": {"n": {"type": "number", "maximum": 9223372036854775807}}},
            "qualificationCriteria": numbers}
    created = await client.post(TEMPLATES, content=orjson.dumps(body), headers=h)
    assert created.status_code == 201, created.text
    for resp in (created, await client.get(f"{TEMPLATES}/{created.json()['id']}", headers=h),
                 await client.get(TEMPLATES, headers=h)):
        assert resp.status_code == 200 or resp.status_code == 201
        item = resp.json()["items"][0] if "items" in resp.json() else resp.json()
        assert item["qualificationCriteria"] == numbers
        assert item["outputSchema"]["properties"]["n"]["maximum"] == 9223372036854775807
    # ...and using the template creates a signal carrying the same schema.
    used = await client.post("/v1/companies/signals", headers=h,
                             content=orjson.dumps({"domain": "acme.com", "signalTemplateId": created.json()["id"]}))
    assert used.status_code == 201, used.text
    assert used.json()["outputSchema"]["properties"]["n"]["maximum"] == 9223372036854775807
