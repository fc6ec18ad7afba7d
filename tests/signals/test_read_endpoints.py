"""The seed's signal read operations, over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

import httpx
import pytest

from dossier.kit.db import Database
from tests.conftest import Backend
from tests.factories import auth, new_org, seed_signals, signal_row

SIGNAL_KEYS = {
    "id",
    "signalType",
    "status",
    "domain",
    "question",
    "answerType",
    "outputSchema",
    "weight",
    "verificationMode",
    "signalTemplateId",
    "subscriptionId",
    "companyId",
    "answer",
    "confidence",
    "reasoning",
    "sources",
    "qualification",
    "createdAt",
    "completedAt",
    "error",
    "evidence",
    "cached",
    "asOf",
    "costUsd",
}


def assert_error(resp: httpx.Response, status: int, type_: str, code: str) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    err = body["error"]
    assert err["type"] == type_ and err["code"] == code
    assert err["requestId"] == resp.headers["x-request-id"]
    assert isinstance(err["message"], str) and err["message"]
    return err


async def test_get_company_signal_shape_field_by_field(client: httpx.AsyncClient, db: Database, backend: Backend):
    org = await new_org(db, backend.settings)
    created = datetime(2024, 3, 4, 5, 6, 7, 123000)
    [row] = await seed_signals(
        db,
        [
            signal_row(
                org.organization_id,
                created_at=created,
                company_id="comp_abc123",
                qualification="Qualified: uses a CRM",
                output_schema=None,
            )
        ],
    )
    resp = await client.get(f"/v1/companies/signals/{row['id']}", headers=auth(org.key))
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == SIGNAL_KEYS
    assert body["id"] == row["id"]
    assert body["signalType"] == "company"
    assert body["status"] == "completed"
    assert body["domain"] == "acme.com"
    assert body["question"] == "Which CRM does this company use?"
    assert body["answerType"] == "list"
    assert body["outputSchema"] is None
    assert body["weight"] == "important"
    assert body["verificationMode"] == "strict"
    assert body["signalTemplateId"] is None and body["subscriptionId"] is None
    assert body["companyId"] == "comp_abc123"
    assert body["answer"] == {"type": "list", "list": {"value": ["Salesforce", "HubSpot"]}}
    assert body["confidence"] == pytest.approx(0.87)
    assert body["reasoning"].startswith("The site loads HubSpot")
    assert body["sources"] == [{"url": "https://acme.com/", "title": "Acme", "snippet": "js.hs-scripts.com"}]
    assert body["qualification"] == "Qualified: uses a CRM"
    assert body["createdAt"] == "2024-03-04T05:06:07.123000Z"
    assert body["completedAt"] == "2024-03-04T05:06:37.123000Z"
    assert body["error"] is None
    assert body["evidence"][0]["quote"] == "js.hs-scripts.com"
    assert body["cached"] is False
    assert body["asOf"] == "2024-03-04T05:06:07.123000Z"
    assert body["costUsd"] == 0.0
    for header in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-request-id"):
        assert header in resp.headers


async def test_documents_come_back_as_written_on_both_databases(client, db, backend):
    """Answers, sources, evidence and output schemas keep the writer's key order (PostgreSQL's jsonb would
    sort them: "list" before "type", "title" before "snippet" before "url"), so both databases return the
    same documents, in gets and in lists alike."""
    org = await new_org(db, backend.settings)
    schema = {"type": "object", "properties": {"vendor": {"type": "string"}}, "required": ["vendor"]}
    [row] = await seed_signals(db, [signal_row(org.organization_id, output_schema=schema)])

    def key_orders(text: str) -> list[list[str]]:
        orders: list[list[str]] = []
        json.loads(text, object_pairs_hook=lambda pairs: orders.append([k for k, _ in pairs]) or dict(pairs))
        return orders

    def document_orders(signal_text: str) -> dict[str, list[list[str]]]:
        body = json.loads(signal_text)
        return {name: key_orders(json.dumps(body[name])) for name in ("answer", "sources", "evidence", "outputSchema")}

    expected = {
        "answer": [["value"], ["type", "list"]],
        "sources": [["url", "title", "snippet"]],
        "evidence": [["url", "quote", "fetchedAt", "snapshotId"]],
        "outputSchema": [["type"], ["vendor"], ["type", "properties", "required"]],
    }
    got = await client.get(f"/v1/companies/signals/{row['id']}", headers=auth(org.key))
    assert document_orders(got.text) == expected
    for query in ("", "?limit=5"):
        listed = await client.get(f"/v1/companies/signals{query}", headers=auth(org.key))
        assert listed.status_code == 200, listed.text
        [signal] = listed.json()["results"]
        assert document_orders(json.dumps(signal)) == expected


async def test_processing_and_failed_signals_never_carry_empty_times(client, db, backend):
    org = await new_org(db, backend.settings)
    rows = await seed_signals(
        db,
        [
            signal_row(org.organization_id, status="processing"),
            signal_row(
                org.organization_id,
                status="failed",
                answer=None,
                confidence=None,
                error="The site could not be reached",
            ),
        ],
    )
    processing = (await client.get(f"/v1/companies/signals/{rows[0]['id']}", headers=auth(org.key))).json()
    assert processing["status"] == "processing"
    assert processing["answer"] is None and processing["completedAt"] is None
    assert processing["sources"] == [] and processing["evidence"] == []
    failed = (await client.get(f"/v1/companies/signals/{rows[1]['id']}", headers=auth(org.key))).json()
    assert failed["status"] == "failed" and failed["error"] == "The site could not be reached"
    assert failed["answer"] is None


async def test_list_newest_first_with_pagination_totals(client, db, backend):
    org = await new_org(db, backend.settings)
    base = datetime(2024, 1, 1)
    rows = await seed_signals(
        db, [signal_row(org.organization_id, created_at=base + timedelta(hours=i)) for i in range(30)]
    )
    newest_first = [r["id"] for r in sorted(rows, key=lambda r: r["created_at"], reverse=True)]

    page1 = (await client.get("/v1/companies/signals", headers=auth(org.key))).json()
    assert page1["total"] == 30 and page1["limit"] == 25 and page1["offset"] == 0 and page1["count"] == 25
    assert [s["id"] for s in page1["results"]] == newest_first[:25]

    page2 = (await client.get("/v1/companies/signals?limit=25&offset=25", headers=auth(org.key))).json()
    assert page2["count"] == 5 and page2["total"] == 30 and page2["offset"] == 25
    assert [s["id"] for s in page2["results"]] == newest_first[25:]

    small = (await client.get("/v1/companies/signals?limit=7&offset=3", headers=auth(org.key))).json()
    assert [s["id"] for s in small["results"]] == newest_first[3:10]
    assert small["count"] == 7 and small["limit"] == 7

    beyond = (await client.get("/v1/companies/signals?offset=1000", headers=auth(org.key))).json()
    assert beyond == {"results": [], "total": 30, "limit": 25, "offset": 1000, "count": 0}


async def test_deep_pages_agree_with_the_full_order_under_every_filter(client, db, backend):
    """Pages near and past the offset where the page query changes strategy (repository.DIRECT_PAGE_MAX_OFFSET),
    for filters an index orders and filters it does not, including ties on created_at."""
    from dossier.signals.repository import DIRECT_PAGE_MAX_OFFSET

    org = await new_org(db, backend.settings)
    base = datetime(2024, 3, 1)
    n = DIRECT_PAGE_MAX_OFFSET + 40
    rows = [
        signal_row(
            org.organization_id,
            domain="acme.com" if i % 3 else "globex.com",
            status="failed" if i % 4 == 0 else "completed",
            created_at=base + timedelta(minutes=i // 2),  # pairs share a creation time
            completed_at=base + timedelta(minutes=i // 2, seconds=30),
        )
        for i in range(n)
    ]
    await seed_signals(db, rows)
    h = auth(org.key)

    def expected(keep) -> list[str]:
        chosen = [r for r in rows if keep(r)]
        return [r["id"] for r in sorted(chosen, key=lambda r: (r["created_at"], r["id"]), reverse=True)]

    cases = {
        "": lambda r: True,
        "domain=acme.com": lambda r: r["domain"] == "acme.com",
        "status=completed": lambda r: r["status"] == "completed",
        "status=completed&status=failed": lambda r: True,
        "domain=acme.com&status=failed": lambda r: r["domain"] == "acme.com" and r["status"] == "failed",
        "fromDate=2024-03-01T00:10:00Z": lambda r: r["completed_at"] >= base + timedelta(minutes=10),
    }
    for query, keep in cases.items():
        want = expected(keep)
        for offset in (0, DIRECT_PAGE_MAX_OFFSET - 3, DIRECT_PAGE_MAX_OFFSET, DIRECT_PAGE_MAX_OFFSET + 1, n - 10):
            resp = await client.get(f"/v1/companies/signals?{query}&limit=7&offset={offset}", headers=h)
            body = resp.json()
            assert body["total"] == len(want), query
            assert [s["id"] for s in body["results"]] == want[offset : offset + 7], (query, offset)


async def test_completion_window_pages_agree_with_the_full_order(client, db, backend):
    """Date-window lists start their page scan late (repository._window_sql): the pages and totals must be
    those of sorting every match, however long signals took to complete, for every status combination and
    open or closed window, at and past the offsets where the scan's reach grows."""
    rnd = random.Random(5)
    org = await new_org(db, backend.settings)
    base = datetime(2024, 6, 1)
    lags = [timedelta(0), timedelta(seconds=1), timedelta(seconds=30), timedelta(minutes=10), timedelta(hours=3),
            timedelta(days=2), timedelta(days=9)]  # fmt: skip
    rows = []
    for i in range(260):
        created = base + timedelta(minutes=20 * (i // 2))  # pairs share a creation time
        status = rnd.choices(["completed", "failed", "processing"], [70, 15, 15])[0]
        completed = None if status == "processing" else created + rnd.choice(lags)
        rows.append(signal_row(org.organization_id, status=status, created_at=created, completed_at=completed))
    # Completions on the instants the edge windows below start or end at, so each partial day holds one.
    day2, tick = base + timedelta(days=2), timedelta(microseconds=1)
    for done in (base - tick, base, day2 - tick, day2, day2 + tick):
        rows.append(signal_row(org.organization_id, created_at=base - timedelta(days=1), completed_at=done))
    await seed_signals(db, rows)
    h = auth(org.key)
    last = max(r["completed_at"] for r in rows if r["completed_at"])

    def iso(t: datetime) -> str:
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    # Bounds on midnights, a microsecond either side of them, and at the ends of time (where the whole-day
    # counters cannot be used): the totals still count every match once.
    edges = [
        (base, day2), (base, day2 - tick), (base + tick, day2 + tick), (base - tick, None), (None, day2),
        (datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59, 999999)), (day2, datetime(9999, 12, 31, 23, 59, 59)),
    ]  # fmt: skip
    for lo, hi in edges:
        parts = []
        if lo is not None:
            parts.append(f"fromDate={lo.strftime('%Y-%m-%dT%H:%M:%S.%fZ').rjust(27, '0')}")
        if hi is not None:
            parts.append(f"toDate={hi.strftime('%Y-%m-%dT%H:%M:%S.%fZ').rjust(27, '0')}")
        want = sum(
            1
            for r in rows
            if r["completed_at"] and (lo is None or r["completed_at"] >= lo) and (hi is None or r["completed_at"] <= hi)
        )
        body = (await client.get(f"/v1/companies/signals?{'&'.join(parts)}", headers=h)).json()
        assert body["total"] == want and want > 0, (lo, hi, body.get("total"))

    checked = 0
    for _ in range(40):
        statuses = rnd.choice([[], ["completed"], ["failed"], ["processing"], ["completed", "failed"],
                               ["processing", "completed", "failed"]])  # fmt: skip
        start = base + timedelta(hours=rnd.randint(-5, 60))
        end = start + timedelta(hours=rnd.choice([0, 1, 6, 30, 400]))
        shape = rnd.choice(["both", "from", "to"])
        lo = start if shape != "to" else None
        hi = end if shape != "from" else None
        want = [
            r["id"]
            for r in sorted(rows, key=lambda r: (r["created_at"], r["id"]), reverse=True)
            if r["completed_at"] is not None
            and (lo is None or r["completed_at"] >= lo)
            and (hi is None or r["completed_at"] <= hi)
            and (not statuses or r["status"] in statuses)
        ]
        query = "&".join(
            [f"status={s}" for s in statuses]
            + ([f"fromDate={iso(lo)}"] if lo else [])
            + ([f"toDate={iso(hi)}"] if hi else [])
        )
        for limit, offset in ((25, 0), (7, 3), (5, 40), (25, 100), (3, len(want) - 2), (10, len(want) + 1)):
            offset = max(offset, 0)
            resp = await client.get(f"/v1/companies/signals?{query}&limit={limit}&offset={offset}", headers=h)
            assert resp.status_code == 200, resp.text
            body = resp.json()
            assert body["total"] == len(want), query
            assert [s["id"] for s in body["results"]] == want[offset : offset + limit], (query, limit, offset)
            checked += len(body["results"])
    assert checked > 500 and last > base  # the windows did hold matches


async def test_list_filters(client, db, backend):
    org = await new_org(db, backend.settings)
    o = org.organization_id
    rows = await seed_signals(
        db,
        [
            signal_row(o, domain="acme.com", status="completed", company_id="comp_1"),
            signal_row(o, domain="globex.com", status="failed", error="boom", answer=None),
            signal_row(
                o, domain="globex.com", status="processing", subscription_id="11111111-1111-4111-8111-111111111111"
            ),
            signal_row(o, kind="contact"),
        ],
    )
    h = auth(org.key)

    async def ids(query: str) -> set[str]:
        resp = await client.get(f"/v1/companies/signals?{query}", headers=h)
        assert resp.status_code == 200, resp.text
        return {s["id"] for s in resp.json()["results"]}

    assert await ids("") == {rows[0]["id"], rows[1]["id"], rows[2]["id"]}  # never the contact signal
    assert await ids("domain=globex.com") == {rows[1]["id"], rows[2]["id"]}
    assert await ids("domain=GLOBEX.com") == {rows[1]["id"], rows[2]["id"]}
    assert await ids("companyId=comp_1") == {rows[0]["id"]}
    assert await ids("status=failed") == {rows[1]["id"]}
    assert await ids("status=failed&status=processing") == {rows[1]["id"], rows[2]["id"]}
    assert await ids("status=completed,processing") == {rows[0]["id"], rows[2]["id"]}
    assert await ids("status=failed,failed&status=failed") == {rows[1]["id"]}
    # Saber's operation registry types status as JSON: an array of them reads the same.
    assert await ids('status=["failed","processing"]') == {rows[1]["id"], rows[2]["id"]}
    assert await ids("status=%5B%22completed%22%5D") == {rows[0]["id"]}
    # Early years compare correctly with the stored text (the year is zero-padded there).
    assert await ids("fromDate=0999-01-01T00:00:00Z") == {rows[0]["id"], rows[1]["id"]}
    assert await ids("toDate=0999-01-01T00:00:00Z") == set()
    assert await ids("subscriptionId=11111111-1111-4111-8111-111111111111") == {rows[2]["id"]}
    assert await ids("domain=nobody.com") == set()


async def test_date_filters_compare_completed_at_inclusively(client, db, backend):
    org = await new_org(db, backend.settings)
    o = org.organization_id
    t0 = datetime(2024, 5, 1, 10, 0, 0)
    rows = await seed_signals(
        db,
        [
            signal_row(o, created_at=t0 - timedelta(days=3), completed_at=t0 - timedelta(seconds=1)),
            signal_row(o, created_at=t0 - timedelta(days=2), completed_at=t0),
            signal_row(o, created_at=t0 - timedelta(days=1), completed_at=t0 + timedelta(hours=1)),
            signal_row(o, created_at=t0, completed_at=t0 + timedelta(hours=1, seconds=1)),
            signal_row(o, created_at=t0, status="processing"),
        ],
    )
    h = auth(org.key)

    async def ids(query: str) -> list[str]:
        resp = await client.get(f"/v1/companies/signals?{query}", headers=h)
        assert resp.status_code == 200, resp.text
        return sorted(s["id"] for s in resp.json()["results"])

    frm, to = "2024-05-01T10:00:00Z", "2024-05-01T11:00:00Z"
    assert await ids(f"fromDate={frm}&toDate={to}") == sorted([rows[1]["id"], rows[2]["id"]])
    assert await ids(f"fromDate={frm}") == sorted([rows[1]["id"], rows[2]["id"], rows[3]["id"]])
    assert await ids(f"toDate={frm}") == sorted([rows[0]["id"], rows[1]["id"]])
    # Offsets and fractional seconds are understood: 12:00+02:00 is 10:00Z.
    assert await ids("fromDate=2024-05-01T12:00:00%2B02:00&toDate=2024-05-01T11:00:00.000Z") == sorted(
        [rows[1]["id"], rows[2]["id"]]
    )
    # Bounds finer than the stored microseconds stay inclusive and exact: 10:00:00.0000001 comes after the
    # signal completed at 10:00:00, and 10:00:00.0000009 does not come before it.
    assert await ids("fromDate=2024-05-01T10:00:00.0000001Z") == sorted([rows[2]["id"], rows[3]["id"]])
    assert await ids("toDate=2024-05-01T10:00:00.0000009Z") == sorted([rows[0]["id"], rows[1]["id"]])
    assert await ids("fromDate=2024-05-01T09:59:59.9999999Z&toDate=2024-05-01T10:00:00.0000009Z") == [rows[1]["id"]]
    # In order, though no stored microsecond lies between them: a valid window that holds nothing.
    assert await ids("fromDate=2024-05-01T10:00:00.0000001Z&toDate=2024-05-01T10:00:00.0000009Z") == []
    assert await ids("fromDate=2024-05-01T10:00:00.0000005Z&toDate=2024-05-01T10:00:00.0000005Z") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("domain=https://acme.com", "domain"),
        ("domain=acme.com/path", "domain"),
        ("domain=-acme.com", "domain"),
        ("limit=0", "limit"),
        ("limit=26", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("companyId=%00", None),
        ("domain=acme.com&subscriptionId=a%00b", None),
        ("offset=99999999999999999999999", "offset"),
        ("fromDate=yesterday", "fromDate"),
        ("toDate=2024-13-45T00:00:00Z", "toDate"),
        ("fromDate=2024-01-01", "fromDate"),
        ("status=done", "status"),
        ("status=completed&status=archived", "status"),
        ('status=["completed","archived"]', "status"),
        ('status=["completed",2]', "status"),
        ("status=[completed", "status"),
        ('status={"a":1}', "status"),
        ("fromDate=2024-02-01T00:00:00Z&toDate=2024-01-01T00:00:00Z", "fromDate"),
        # Offsets that carry the first or last representable instant out of range.
        ("fromDate=0001-01-01T00:00:00%2B01:00", "fromDate"),
        ("toDate=9999-12-31T23:59:59-01:00", "toDate"),
    ],
)
async def test_list_bad_parameters_are_400(client, db, backend, query, field):
    org = await new_org(db, backend.settings)
    resp = await client.get(f"/v1/companies/signals?{query}", headers=auth(org.key))
    err = assert_error(resp, 400, "VALIDATION", "VALIDATION_ERROR")
    assert [f["field"] for f in err.get("fields", [])] == ([field] if field else [])
    if field == "domain":
        assert "must be a valid hostname (e.g., 'example.com') without protocol (https://) or path" in err["message"]


@pytest.mark.parametrize("query", ["limit=0", "limit=26", "offset=-5"])
async def test_contact_list_bad_pagination_is_400(client, db, backend, query):
    org = await new_org(db, backend.settings)
    resp = await client.get(f"/v1/contacts/signals?{query}", headers=auth(org.key))
    assert_error(resp, 400, "VALIDATION", "VALIDATION_ERROR")


async def test_not_found_cases(client, db, backend):
    org = await new_org(db, backend.settings)
    other = await new_org(db, backend.settings)
    company, contact = await seed_signals(
        db, [signal_row(org.organization_id), signal_row(org.organization_id, kind="contact")]
    )
    [foreign] = await seed_signals(db, [signal_row(other.organization_id)])
    h = auth(org.key)
    cases = [
        "/v1/companies/signals/00000000-0000-4000-8000-000000000000",
        f"/v1/companies/signals/{foreign['id']}",
        f"/v1/companies/signals/{contact['id']}",
        f"/v1/contacts/signals/{company['id']}",
    ]
    for path in cases:
        err = assert_error(await client.get(path, headers=h), 404, "NOT_FOUND", "NOT_FOUND")
        assert err["message"] == "Signal not found or access denied", path
    # A segment that is no signal id (ids are lowercase UUIDs) names no route: still 404, but not a signal's.
    for path in ("/v1/companies/signals/not-a-uuid", f"/v1/companies/signals/{company['id'].upper()}",
                 "/v1/contacts/signals/123", "/v1/companies/signals/summaries"):
        err = assert_error(await client.get(path, headers=h), 404, "NOT_FOUND", "NOT_FOUND")
        assert err["message"] == "Route not found", path
    # ...while the owner sees its own, and the contact id works on the contact path.
    assert (await client.get(f"/v1/companies/signals/{foreign['id']}", headers=auth(other.key))).status_code == 200
    got = await client.get(f"/v1/contacts/signals/{contact['id']}", headers=h)
    assert got.status_code == 200 and got.json()["signalType"] == "contact"


async def test_organisations_never_see_each_others_lists(client, db, backend):
    org = await new_org(db, backend.settings)
    other = await new_org(db, backend.settings)
    await seed_signals(db, [signal_row(other.organization_id) for _ in range(3)])
    await seed_signals(db, [signal_row(org.organization_id)])
    body = (await client.get("/v1/companies/signals", headers=auth(org.key))).json()
    assert body["total"] == 1


async def test_contact_signals_list_and_profile_filter(client, db, backend):
    org = await new_org(db, backend.settings)
    o = org.organization_id
    rows = await seed_signals(
        db,
        [
            signal_row(o, kind="contact", contact_profile_url="https://www.linkedin.com/in/janedoe/"),
            signal_row(o, kind="contact", contact_profile_url="https://linkedin.com/in/johndoe"),
            signal_row(o, kind="company"),
        ],
    )
    h = auth(org.key)
    body = (await client.get("/v1/contacts/signals", headers=h)).json()
    assert body["total"] == 2 and body["count"] == 2 and body["limit"] == 25
    assert body["results"][0]["id"] == rows[1]["id"]  # newest first
    first = body["results"][1]
    assert first["signalType"] == "contact"
    assert first["contactProfileUrl"] == "https://www.linkedin.com/in/janedoe/"
    assert "domain" not in first
    filtered = (
        await client.get(
            "/v1/contacts/signals", params={"contactProfileUrl": "https://linkedin.com/in/janedoe"}, headers=h
        )
    ).json()
    assert [s["id"] for s in filtered["results"]] == [rows[0]["id"]]


async def test_list_items_are_the_gets_and_times_keep_their_microseconds(client, db, backend):
    """Each list entry is exactly what GET answers for its id (both kinds), and timestamps carry microseconds
    only when they have some, on both databases."""
    org = await new_org(db, backend.settings)
    base = datetime(2024, 6, 1, 12, 0, 0)
    rows = await seed_signals(
        db,
        [
            signal_row(org.organization_id, created_at=base, status="completed"),
            signal_row(org.organization_id, created_at=base + timedelta(hours=1, microseconds=123450), status="failed",
                       answer=None, sources=None, evidence=None, error="The site could not be reached"),
            signal_row(org.organization_id, created_at=base + timedelta(hours=2), status="processing",
                       completed_at=None, answer=None),
            signal_row(org.organization_id, kind="contact", domain=None, created_at=base),
        ],
    )  # fmt: skip
    for path in ("/v1/companies/signals", "/v1/contacts/signals"):
        listed = await client.get(path, headers=auth(org.key))
        assert listed.status_code == 200, listed.text
        for item in listed.json()["results"]:
            got = await client.get(f"{path}/{item['id']}", headers=auth(org.key))
            assert got.status_code == 200 and got.json() == item
    stamps = {
        r["id"]: r["createdAt"]
        for r in (await client.get("/v1/companies/signals", headers=auth(org.key))).json()["results"]
    }
    assert stamps[rows[0]["id"]] == "2024-06-01T12:00:00Z"
    assert stamps[rows[1]["id"]] == "2024-06-01T13:00:00.123450Z"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer nope"},
                                     {"Authorization": "Bearer sk_live_" + "A" * 43}])  # fmt: skip
async def test_reads_without_a_valid_key_are_401_before_their_parameters_are_judged(client, db, backend, headers):
    org = await new_org(db, backend.settings)
    [row] = await seed_signals(db, [signal_row(org.organization_id)])
    for target in ("/v1/companies/signals", f"/v1/companies/signals/{row['id']}", "/v1/companies/signals?limit=0"):
        resp = await client.get(target, headers=headers)
        assert_error(resp, 401, "UNAUTHORIZED", "UNAUTHORIZED")
        assert resp.headers["www-authenticate"] == "Bearer"
