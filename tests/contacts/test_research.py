"""Contact research over real HTTP on both databases, against fixture sites: Marlowe Systems (a team page with
bios, a press release naming a new VP, bylined posts), Harrow Freight (a namesake of Marlowe's VP), and the
VP's personal site. Webhooks go to a real receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook

from dossier.accounts.service import webhook_secret
from tests.factories import auth, new_org
from tests.signals.test_read_endpoints import assert_error

MARLOWE = {"firstName": "Daniel", "lastName": "Okafor", "companyName": "Marlowe Systems",
           "companyDomain": "marlowe-systems.test"}  # fmt: skip
HARROW = {**MARLOWE, "companyName": "Harrow Freight", "companyDomain": "harrow-freight.test"}


@pytest.fixture
def api(research_api: httpx.AsyncClient) -> httpx.AsyncClient:
    return research_api


async def _research(api: httpx.AsyncClient, key: str, body: dict[str, Any]) -> dict[str, Any]:
    resp = await api.post("/v1/contacts/research", json=body, headers=auth(key))
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["status"] == "processing" and created["research"] is None and created["id"].startswith("cr_")
    deadline = time.monotonic() + 90
    while True:
        got = (await api.get(f"/v1/contacts/research/{created['id']}", headers=auth(key))).json()
        if got["status"] != "processing" or time.monotonic() > deadline:
            assert got["status"] == "completed", got
            return got
        await asyncio.sleep(0.2)


def _fields(report: dict[str, Any]) -> set[str]:
    return {e["field"].split(".")[0] for e in report["research"]["evidence"]}


def _check_sourced(report: dict[str, Any]) -> None:
    """Every evidence quote is on a page the report lists as a source, and every source is a stored page."""
    urls = {s["url"] for s in report["sources"]}
    for item in report["research"]["evidence"]:
        assert item["url"] in urls and item["snapshotId"] and item["quote"], item


async def test_a_person_on_the_team_page_with_a_press_release_posts_and_personal_site(api, db, backend, receiver):
    org = await new_org(db, backend.settings)
    # A path of its own: the receiver serves the whole module, both backends' runs of this test included.
    path = f"/research-{uuid.uuid4().hex}"
    body = {**MARLOWE, "contactProfileUrl": "https://danielokafor.test/", "jobTitle": "Engineering lead",
            "externalId": "hs-1", "externalSource": "hubspot", "webhookUrl": f"{receiver.url}{path}"}  # fmt: skip
    got = await _research(api, org.key, body)
    r = got["research"]
    assert r["currentRole"] == {"title": "VP of Engineering", "company": "Marlowe Systems", "since": "2025-03-03"}
    assert "the platform and data infrastructure teams" in r["responsibilities"]
    assert {"title": "Engineering Manager", "company": "Quillstone", "period": "2017\u20132023"} in r["background"]
    assert any(b["company"] == "Tessellate Labs" for b in r["background"])  # from the personal site
    assert r["education"] == ["MSc Computer Science, University of Leeds"]
    assert {"stream processing", "capacity planning"} <= {e.lower() for e in r["expertise"]}
    assert {"Kafka", "PostgreSQL", "Forecasting"} <= set(r["topics"])
    activity = {a["title"]: a for a in r["recentActivity"]}
    assert activity["Partitioning Postgres for forecast history"]["date"] == "2025-09-02"
    assert activity["Marlowe Systems appoints Daniel Okafor as VP of Engineering"]["date"] == "2025-03-03"
    assert activity["Forecasting at the edge"]["date"] == "2025-05-14"
    dates = [a["date"] for a in r["recentActivity"]]
    assert dates == sorted(dates, reverse=True)
    assert not any(a["url"].endswith("/news/") for a in r["recentActivity"])  # the news list is not news
    context = r["companyContext"]
    assert context["recentNews"][0]["url"].endswith("/news/daniel-okafor-joins-as-vp-engineering/")
    assert context["description"] == "Marlowe Systems builds inventory forecasting software for mid-size retailers."
    assert context["headquarters"] == "Leeds, United Kingdom" and context["size"] == "85"
    assert {"companyContext.description", "companyContext.headquarters"} <= {e["field"] for e in r["evidence"]}
    assert r["talkingPoints"] and r["summary"].startswith("Daniel Okafor is VP of Engineering at Marlowe Systems")
    assert 0 < r["confidence"] <= 1
    assert {"currentRole", "responsibilities", "background", "topics", "recentActivity"} <= _fields(got)
    _check_sourced(got)
    assert any(s["url"] == "https://danielokafor.test/" for s in got["sources"])
    # Nothing from the namesake at Harrow Freight.
    assert not any("harrow" in s["url"] for s in got["sources"])
    assert got["jobTitle"] == "Engineering lead" and got["completedAt"] is not None
    # The most recent report for the CRM pair.
    by_pair = await api.get("/v1/contacts/research", params={"externalId": "hs-1", "externalSource": "hubspot"},
                            headers=auth(org.key))  # fmt: skip
    assert by_pair.status_code == 200 and by_pair.json()["id"] == got["id"]
    # The webhook: the object as GET returns it, signed with the organisation's secret (Standard Webhooks).
    for _ in range(300):
        if receiver.for_path(path):
            break
        await asyncio.sleep(0.1)
    [hook] = receiver.for_path(path)
    assert hook.headers["dossier-event"] == "contact_research.completed"
    secret = await webhook_secret(db, org.organization_id)
    payload = Webhook(secret).verify(
        hook.body, {k: hook.headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
    )
    assert payload == json.loads(hook.body) and payload["id"] == got["id"] and payload["research"] == got["research"]


async def test_a_person_no_page_mentions_gets_an_empty_report(api, db, backend):
    org = await new_org(db, backend.settings)
    got = await _research(api, org.key, {**MARLOWE, "firstName": "Grace", "lastName": "Whitfield",
                                         "jobTitle": "CFO"})  # fmt: skip
    r = got["research"]
    assert r["currentRole"] is None and r["summary"] is None and r["confidence"] is None
    for name in ("responsibilities", "background", "education", "expertise", "topics", "recentActivity",
                 "talkingPoints"):  # fmt: skip
        assert r[name] == [], name
    # What the report says is about the company only, each part resting on the company's own pages.
    assert {e["field"].split(".")[0] for e in r["evidence"]} <= {"companyContext"}
    assert all(s["url"].startswith("https://marlowe-systems.test/") for s in got["sources"])


async def test_a_namesake_at_another_company_is_not_merged(api, db, backend):
    org = await new_org(db, backend.settings)
    # Given the Marlowe VP's personal site, which does not mention Harrow Freight: not read as this person's.
    got = await _research(api, org.key, {**HARROW, "contactProfileUrl": "https://danielokafor.test/"})
    r = got["research"]
    assert r["currentRole"]["title"] == "Warehouse Operations Manager"
    assert r["responsibilities"] == ["the Wakefield depot and its night shift"]
    assert r["topics"] == [] and r["background"] == [] and r["education"] == [] and r["expertise"] == []
    assert all(s["url"].startswith("https://harrow-freight.test/") for s in got["sources"]), got["sources"]
    marlowe = await _research(api, org.key, MARLOWE)
    assert marlowe["research"]["currentRole"]["title"] == "VP of Engineering"
    # From his team card alone (no profile page this time), and nothing of the Harrow namesake's.
    assert marlowe["research"]["background"] == [
        {"title": "Engineering Manager", "company": "Quillstone", "period": "2017\u20132023"}
    ]
    assert marlowe["research"]["responsibilities"] == ["the platform and data infrastructure teams"]
    found = (await api.post("/v1/contacts/search", json={"lastName": "Okafor"}, headers=auth(org.key))).json()
    assert sorted((p["fullName"], p["companyDomain"]) for p in found["items"]) == [
        ("Daniel Okafor", "harrow-freight.test"), ("Daniel Okafor", "marlowe-systems.test")
    ]  # fmt: skip


async def test_a_dead_profile_url_does_not_fail_the_report(api, db, backend):
    org = await new_org(db, backend.settings)
    got = await _research(api, org.key, {**MARLOWE, "contactProfileUrl": "https://danielokafor.test/gone/"})
    assert got["error"] is None and got["research"]["currentRole"]["title"] == "VP of Engineering"
    assert not any("danielokafor.test" in s["url"] for s in got["sources"])


async def test_a_linkedin_profile_is_recorded_never_fetched(api, db, backend):
    org = await new_org(db, backend.settings)
    url = "https://www.linkedin.com/in/elena-petrova-data/"
    got = await _research(api, org.key, {**MARLOWE, "firstName": "Elena", "lastName": "Petrova",
                                         "contactProfileUrl": url})  # fmt: skip
    assert got["research"]["currentRole"]["title"] == "Head of Data Science"
    assert got["research"]["responsibilities"] == ["the forecasting models and their evaluation"]
    assert not any("linkedin" in s["url"] for s in got["sources"])
    found = (await api.post("/v1/contacts/search", json={"lastName": "Petrova"}, headers=auth(org.key))).json()
    assert [p["linkedInProfileUrl"] for p in found["items"]] == [url]


async def test_bad_requests(api, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    cases = [
        ({**MARLOWE, "externalId": "1"}, "externalSource"),
        ({**MARLOWE, "externalSource": "hubspot"}, "externalId"),
        ({**MARLOWE, "companyDomain": "https://marlowe-systems.test/"}, "companyDomain"),
        ({**MARLOWE, "firstName": "  "}, "firstName"),
        ({**MARLOWE, "contactProfileUrl": "ftp://x.test/me"}, "contactProfileUrl"),
        ({**MARLOWE, "webhookUrl": "http://10.0.0.1/hook"}, "webhookUrl"),
        ({k: v for k, v in MARLOWE.items() if k != "companyName"}, "companyName"),
        ({**MARLOWE, "lastName": 7}, "lastName"),
    ]
    for body, field in cases:
        err = assert_error(await api.post("/v1/contacts/research", json=body, headers=h), 400, "VALIDATION",
                           "VALIDATION_ERROR")  # fmt: skip
        assert field in {f["field"] for f in err["fields"]}, (field, err)
    assert_error(await api.post("/v1/contacts/research", content=b"{", headers={**h, "content-type": "application/json"}),
                 400, "VALIDATION", "VALIDATION_ERROR")  # fmt: skip
    # Nothing was written by any of them.
    for source in ("hubspot",):
        resp = await api.get("/v1/contacts/research", params={"externalId": "1", "externalSource": source}, headers=h)
        assert resp.status_code == 404
    assert_error(await api.post("/v1/contacts/research", json=MARLOWE), 401, "UNAUTHORIZED", "UNAUTHORIZED")


async def test_a_company_site_that_cannot_be_read_gives_an_empty_report_not_a_failure(api, db, backend):
    org = await new_org(db, backend.settings)
    got = await _research(api, org.key, {**MARLOWE, "companyDomain": "no-such-company.test"})
    r = got["research"]
    assert got["error"] is None and got["sources"] == [] and r["evidence"] == []
    assert r["currentRole"] is None and r["companyContext"] is None and r["recentActivity"] == []


async def test_company_context_is_asked_once_per_crawl_and_reused_by_later_reports(api, db, backend):
    from datetime import timedelta

    from sqlalchemy import select, update

    from dossier.research.models import CompanyContext, Crawl

    org = await new_org(db, backend.settings)
    first = await _research(api, org.key, MARLOWE)
    described = first["research"]["companyContext"]["description"]
    assert described == "Marlowe Systems builds inventory forecasting software for mid-size retailers."

    def stored(conn):
        latest = conn.execute(
            select(Crawl.id).where(Crawl.domain == "marlowe-systems.test").order_by(Crawl.finished_at.desc()).limit(1)
        ).scalar_one()
        rows = conn.execute(select(CompanyContext.crawl_id, CompanyContext.company_key)).all()
        return latest, [tuple(r) for r in rows if r.crawl_id == latest]

    crawl_id, rows = await db.read(stored)
    assert rows == [(crawl_id, "marlowe systems")]

    # What a later report on the same crawl shows is the stored context: change it, and the report says so.
    def mark(conn):
        row = conn.execute(select(CompanyContext.context).where(CompanyContext.crawl_id == crawl_id)).scalar_one()
        conn.execute(
            update(CompanyContext)
            .where(CompanyContext.crawl_id == crawl_id)
            .values(context={**row, "description": "Stored once for this crawl."})
        )

    await db.write(mark)
    second = await _research(api, org.key, {**MARLOWE, "firstName": "Elena", "lastName": "Petrova"})
    assert second["research"]["companyContext"]["description"] == "Stored once for this crawl."
    assert second["research"]["companyContext"]["recentNews"] == first["research"]["companyContext"]["recentNews"]

    # A newer crawl of the company (the last one is older than the crawl TTL): its first report asks again.
    def age(conn):
        conn.execute(
            update(Crawl)
            .where(Crawl.domain == "marlowe-systems.test")
            .values(finished_at=Crawl.finished_at - timedelta(days=30))
        )

    await db.write(age)
    third = await _research(api, org.key, MARLOWE)
    assert third["research"]["companyContext"]["description"] == described
    newer, rows = await db.read(stored)
    assert newer != crawl_id and rows == [(newer, "marlowe systems")]
