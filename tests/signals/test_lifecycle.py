"""Creating signals end to end over real HTTP: research of the fixture sites, sync waits, cache, batch,
templates and signed webhooks to a real receiver, on SQLite and PostgreSQL with the embedded job workers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
from standardwebhooks import Webhook

from dossier.accounts.repository import organization_names
from dossier.accounts.service import webhook_secret
from dossier.app import create_app
from tests.conftest import Backend
from tests.factories import auth, new_org
from tests.fixtures.servers import FixtureDNS, SiteProxy
from tests.signals.test_read_endpoints import assert_error
from tests.support import serve_in_thread
from tests.webhook_receiver import Receiver, webhook_receiver


@dataclass
class Stack:
    url: str
    proxy: SiteProxy
    receiver: Receiver


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[SiteProxy, FixtureDNS]]:
    with SiteProxy() as proxy, FixtureDNS() as dns:
        slow = (
            b"<html><head><title>Slow</title></head><body><p>Slow Co is headquartered in Lima, Peru.</p></body></html>"
        )
        proxy.add_host("slow.test", {"/robots.txt": b"User-agent: *\nAllow: /\n"})
        proxy.add_route("slow.test", "/", body=slow, delay=2.5, headers={"Content-Type": "text/html"})
        yield proxy, dns


@pytest.fixture(scope="module")
def stack(backend: Backend, sites: tuple[SiteProxy, FixtureDNS]) -> Iterator[Stack]:
    proxy, dns = sites
    with webhook_receiver() as receiver:
        settings = backend.settings.model_copy(
            update={
                "dns_nameservers": dns.nameserver,
                # Webhook receivers live on 127.0.0.1 here, the fixture sites at 127.0.0.2: the operator
                # allowlist and port list say so.
                "allow_private_networks": f"127.0.0.1/32,{dns.site_network}",
                "outbound_ports": f"80,443,{receiver.port}",
                "crawl_max_delay_seconds": 0.05,
                "webhook_retry_scale": 0.002,
                "fetch_timeout_seconds": 5.0,
            }
        )
        app = create_app(settings, outbound_env={**proxy.env(), "NO_PROXY": "127.0.0.1,localhost"})
        with serve_in_thread(app) as url:
            yield Stack(url, proxy, receiver)


@pytest.fixture
async def api(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.url, timeout=60) as c:
        yield c


async def poll(api: httpx.AsyncClient, path: str, key: str, seconds: float = 30) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        body = (await api.get(path, headers=auth(key))).json()
        if body["status"] != "processing" or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.1)


async def test_async_create_then_completed_with_verified_answer(api, db, backend):
    org = await new_org(db, backend.settings)
    resp = await api.post(
        "/v1/companies/signals",
        headers=auth(org.key),
        json={
            "domain": "BrightPath.test",
            "question": "Is their marketing site built with Next.js?",
            "answerType": "boolean",
            "someFutureField": {"ignored": True},
        },
    )
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["status"] == "processing" and created["answer"] is None and created["completedAt"] is None
    assert created["domain"] == "brightpath.test" and created["weight"] == "important"
    assert created["verificationMode"] == "strict" and created["cached"] is False
    done = await poll(api, f"/v1/companies/signals/{created['id']}", org.key)
    assert done["status"] == "completed", done
    assert done["answer"] == {"type": "boolean", "boolean": {"value": True}}
    assert 0 < done["confidence"] <= 1 and done["sources"] and done["evidence"] and done["completedAt"]
    listed = (await api.get("/v1/companies/signals?status=completed", headers=auth(org.key))).json()
    assert [s["id"] for s in listed["results"]] == [created["id"]]
    if backend.name == "postgres":  # PostgreSQL runs the distributed backend: procrastinate dispatched it
        dispatched = await db.read(lambda c: c.exec_driver_sql(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'dossier.run_job'").scalar())
        assert dispatched >= 1


async def test_sync_200_202_408_and_the_signal_keeps_running(api, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    ok = await api.post(
        "/v1/companies/signals/sync",
        headers=h,
        json={"domain": "veritasiq.test", "question": "Is VeritasIQ SOC 2 compliant?", "answerType": "boolean"},
    )
    assert ok.status_code == 200 and ok.json()["status"] == "completed"
    assert ok.json()["answer"] == {"type": "boolean", "boolean": {"value": True}}

    body = {"domain": "slow.test", "question": "Where is Slow Co headquartered?", "forceRefresh": True}
    late = await api.post("/v1/companies/signals/sync", headers={**h, "X-Sbr-Timeout-Sec": "1"}, json=body)
    assert late.status_code == 202 and late.json()["status"] == "processing"
    timed = await api.post(
        "/v1/companies/signals/sync", headers={**h, "X-Sbr-Timeout-Sec": "1", "X-Sbr-Timeout-Error": "true"}, json=body
    )
    err = assert_error(timed, 408, "TIMEOUT", "REQUEST_TIMEOUT")
    assert timed.headers["x-sbr-timeout-error"] == "true" and "keeps processing" in err["message"]
    finished = await poll(api, f"/v1/companies/signals/{late.json()['id']}", org.key)
    assert finished["status"] == "completed"
    assert finished["answer"] == {"type": "open_text", "openText": {"value": "Lima, Peru"}}

    for bad in (
        {"X-Sbr-Timeout-Sec": "0"},
        {"X-Sbr-Timeout-Sec": "901"},
        {"X-Sbr-Timeout-Sec": "soon"},
        {"X-Sbr-Timeout-Error": "maybe"},
    ):
        assert_error(
            await api.post("/v1/companies/signals/sync", headers={**h, **bad}, json=body),
            400,
            "VALIDATION",
            "VALIDATION_ERROR",
        )


async def test_identical_sync_request_joins_the_signal_in_flight(api, db, backend):
    org = await new_org(db, backend.settings)
    h = {**auth(org.key), "X-Sbr-Timeout-Sec": "1"}
    body = {"domain": "slow.test", "question": "Where is Slow Co headquartered ?"}
    first = await api.post("/v1/companies/signals/sync", headers=h, json=body)
    second = await api.post(
        "/v1/companies/signals/sync", headers=h, json={**body, "question": "where is slow co HEADQUARTERED"}
    )
    assert first.status_code == 202 and second.status_code in (200, 202)
    assert first.json()["id"] == second.json()["id"]


async def test_cache_hit_and_force_refresh(api, db, backend, stack):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    body = {
        "domain": "orbitpay.test",
        "question": "Do they use Marketo?",
        "answerType": "boolean",
        "webhookUrl": f"{stack.receiver.url}/cache",
    }
    first = await api.post("/v1/companies/signals/sync", headers=h, json=body)
    assert first.status_code == 200 and first.json()["cached"] is False
    again = await api.post("/v1/companies/signals", headers=h, json={**body, "question": "do they use marketo"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"] and again.json()["cached"] is True
    assert again.json()["status"] == "completed"
    fresh = await api.post("/v1/companies/signals", headers=h, json={**body, "forceRefresh": True})
    assert fresh.status_code == 201 and fresh.json()["id"] != first.json()["id"]
    await poll(api, f"/v1/companies/signals/{fresh.json()['id']}", org.key)
    other_mode = await api.post("/v1/companies/signals", headers=h, json={**body, "verificationMode": "lenient"})
    assert other_mode.status_code == 201  # a different mode is a different question
    await poll(api, f"/v1/companies/signals/{other_mode.json()['id']}", org.key)
    await asyncio.sleep(0.5)
    ids = {r.headers["webhook-id"] for r in stack.receiver.for_path("/cache")}
    assert len(ids) == 3  # the first, the forced refresh and the lenient one: never the cache hit


async def test_webhook_signed_retried_and_logged(api, db, backend, stack):
    org = await new_org(db, backend.settings)
    stack.receiver.fail_next = 2
    path = f"/hook-{org.organization_id[:8]}"
    resp = await api.post(
        "/v1/companies/signals",
        headers=auth(org.key),
        json={
            "domain": "lumencare.test",
            "question": "Is LumenCare HIPAA compliant?",
            "answerType": "boolean",
            "webhookUrl": f"{stack.receiver.url}{path}",
        },
    )
    signal_id = resp.json()["id"]
    deadline = time.monotonic() + 30
    while len(stack.receiver.for_path(path)) < 3 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    got = stack.receiver.for_path(path)
    assert len(got) == 3, [r.headers for r in got]
    assert len({r.headers["webhook-id"] for r in got}) == 1  # one message, retried
    assert len({r.body for r in got}) == 1
    last = got[-1]
    assert last.headers["dossier-event"] == "signal.completed"
    assert last.headers["content-type"] == "application/json"
    secret = await webhook_secret(db, org.organization_id)
    payload = Webhook(secret).verify(
        last.body, {k: last.headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
    )
    current = (await api.get(f"/v1/companies/signals/{signal_id}", headers=auth(org.key))).json()
    assert payload == current  # the body is the object exactly as GET returns it
    from dossier.webhooks.service import recent

    attempts = [a for a in await recent(db, org.organization_id) if a["url"].endswith(path)]
    assert sorted((a["attempt"], a["status_code"], a["success"]) for a in attempts) == [
        (1, 500, False),
        (2, 500, False),
        (3, 200, True),
    ]


async def test_batch_sync_and_async(api, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    resp = await api.post(
        "/v1/companies/signals/batch",
        headers=h,
        json={
            "signals": [
                {"question": "Do they use Stripe?", "answerType": "boolean"},
                {"question": "How many employees do they have?", "answerType": "number"},
            ],
            "domains": ["tinyforge.test", "not a domain", "copperleaf.test"],
        },
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["totalSignals"] == 6 and body["accepted"] == 4 and body["rejected"] == 2
    rejected = [r for r in body["results"] if r["id"] is None]
    assert all(r["domain"] == "not a domain" and "valid hostname" in r["error"] for r in rejected)
    for row in body["results"]:
        if row["id"]:
            assert (await poll(api, f"/v1/companies/signals/{row['id']}", org.key))["status"] == "completed"

    big = await api.post(
        "/v1/companies/signals/batch",
        headers=h,
        json={"signals": [{"question": f"q{i}"} for i in range(11)], "domains": [f"d{i}.test" for i in range(10)]},
    )
    assert_error(big, 400, "VALIDATION", "VALIDATION_ERROR")  # 110 > 100 in sync mode
    many = await api.post(
        "/v1/companies/signals/batch",
        headers=h,
        json={
            "async": True,
            "signals": [{"question": "Which CRM do they use?", "answerType": "list"}],
            "domains": [f"company{i}.test" for i in range(300)] + ["-bad-"],
        },
    )
    assert many.status_code == 202, many.text
    summary = many.json()
    assert summary["async"] is True and summary["accepted"] == 300 and summary["rejected"] == 1
    assert summary["batchId"] and summary["totalSignals"] == 301


async def test_templates_versions_and_use(api, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    created = await api.post(
        "/v1/companies/signals/templates",
        headers=h,
        json={"name": "CRM", "question": "Which CRM do they use?", "answerType": "list", "description": "stack"},
    )
    assert created.status_code == 201
    t = created.json()
    assert t["version"] == 1 and t["templateId"] == t["id"] and t["outputSchema"] == {} and t["source"] == "api"
    assert t["qualificationCriteria"] == {} and t["deletedAt"] is None and t["organizationId"] == org.organization_id
    patched = (
        await api.patch(
            f"/v1/companies/signals/templates/{t['id']}",
            headers=h,
            json={"question": "Are they using HubSpot?", "answerType": "boolean"},
        )
    ).json()
    assert patched["version"] == 2 and patched["id"] == t["id"] and patched["name"] == "CRM"
    got = (await api.get(f"/v1/companies/signals/templates/{t['id']}", headers=h)).json()
    assert got["version"] == 2
    listed = (await api.get("/v1/companies/signals/templates", headers=h)).json()
    assert listed["total"] == 1 and listed["items"][0]["version"] == 2 and listed["hasMore"] is False
    assert listed["limit"] == 20

    signal = await api.post(
        "/v1/companies/signals/sync", headers=h, json={"domain": "brightpath.test", "signalTemplateId": t["id"]}
    )
    assert signal.status_code == 200
    s = signal.json()
    assert s["question"] == "Are they using HubSpot?" and s["answerType"] == "boolean"
    assert s["signalTemplateId"] == t["id"] and s["answer"] == {"type": "boolean", "boolean": {"value": True}}

    assert (await api.delete(f"/v1/companies/signals/templates/{t['id']}", headers=h)).status_code == 204
    assert_error(await api.get(f"/v1/companies/signals/templates/{t['id']}", headers=h), 404, "NOT_FOUND", "NOT_FOUND")
    assert_error(
        await api.delete(f"/v1/companies/signals/templates/{t['id']}", headers=h), 404, "NOT_FOUND", "NOT_FOUND"
    )
    assert_error(
        await api.post(
            "/v1/companies/signals", headers=h, json={"domain": "brightpath.test", "signalTemplateId": t["id"]}
        ),
        404,
        "NOT_FOUND",
        "NOT_FOUND",
    )
    assert (await api.get("/v1/companies/signals/templates", headers=h)).json()["total"] == 0
    with_deleted = (await api.get("/v1/companies/signals/templates?includeDeleted=true", headers=h)).json()
    assert with_deleted["total"] == 1 and with_deleted["items"][0]["deletedAt"]
    other = await new_org(db, backend.settings)
    assert_error(
        await api.get(f"/v1/companies/signals/templates/{t['id']}", headers=auth(other.key)),
        404,
        "NOT_FOUND",
        "NOT_FOUND",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question": "q"}, "domain"),
        ({"domain": "https://acme.com", "question": "q"}, "domain"),
        ({"domain": "acme.com\n", "question": "q"}, "domain"),  # a bare hostname, nothing after it
        ({"domain": "acme.com"}, "question"),
        ({"domain": "acme.com", "question": "   "}, "question"),
        ({"domain": "acme.com", "question": "x" * 2001}, "question"),
        ({"domain": "acme.com", "question": "q", "answerType": "essay"}, "answerType"),
        ({"domain": "acme.com", "question": "q", "answerType": "json_schema"}, "outputSchema"),
        ({"domain": "acme.com", "question": "q", "outputSchema": {"type": "object"}}, "outputSchema"),
        (
            {"domain": "acme.com", "question": "q", "answerType": "json_schema", "outputSchema": {"type": 12}},
            "outputSchema",
        ),
        ({"domain": "acme.com", "question": "q", "webhookUrl": "ftp://x.example/hook"}, "webhookUrl"),
        ({"domain": "acme.com", "question": "q", "weight": "huge"}, "weight"),
        ({"domain": "acme.com", "question": "q", "verificationMode": "loose"}, "verificationMode"),
        ({"domain": "acme.com", "question": "q", "forceRefresh": "sometimes"}, "forceRefresh"),
        ({"domain": "acme.com", "question": "q", "answerType": "contacts"}, "answerType"),
    ],
)
async def test_create_validation(api, db, backend, body, field):
    org = await new_org(db, backend.settings)
    resp = await api.post("/v1/companies/signals", headers=auth(org.key), json=body)
    err = assert_error(resp, 400, "VALIDATION", "VALIDATION_ERROR")
    assert field in [f["field"] for f in err["fields"]], err


async def test_create_bad_bodies_and_unknown_template(api, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    assert_error(
        await api.post("/v1/companies/signals", headers={**h, "content-type": "application/json"}, content=b"{oops"),
        400,
        "VALIDATION",
        "VALIDATION_ERROR",
    )
    assert_error(await api.post("/v1/companies/signals", headers=h, json=[1]), 400, "VALIDATION", "VALIDATION_ERROR")
    assert_error(
        await api.post(
            "/v1/companies/signals",
            headers=h,
            json={"domain": "acme.com", "signalTemplateId": "00000000-0000-4000-8000-000000000000"},
        ),
        404,
        "NOT_FOUND",
        "NOT_FOUND",
    )
    assert_error(
        await api.post("/v1/contacts/signals", headers=h, json={"contactProfileUrl": "not a url", "question": "q"}),
        400,
        "VALIDATION",
        "VALIDATION_ERROR",
    )
    before = (await api.get("/v1/companies/signals", headers=h)).json()["total"]
    assert before == 0  # nothing half-written by any of the rejected requests


async def test_contact_signal_reads_the_profile_page(api, db, backend, stack):
    org = await new_org(db, backend.settings)
    stack.proxy.add_host(
        "people.test",
        {
            "/robots.txt": b"User-agent: *\nAllow: /\n",
            "/in/jane": b"<html><head><title>Jane Roe</title></head><body><h1>Jane Roe</h1>"
            b"<p>Jane Roe is based in Denver, Colorado.</p></body></html>",
        },
    )
    resp = await api.post(
        "/v1/contacts/signals/sync",
        headers=auth(org.key),
        json={"contactProfileUrl": "https://people.test/in/jane", "question": "Where is she based?"},
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["signalType"] == "contact" and body["contactProfileUrl"] == "https://people.test/in/jane"
    assert body["status"] == "completed"
    assert body["answer"] == {"type": "open_text", "openText": {"value": "Denver, Colorado"}}
    assert body["sources"][0]["url"] == "https://people.test/in/jane"


def _cli_env(backend: Backend) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
    env.update(DOSSIER_DATABASE_URL=backend.url, DOSSIER_SECRET_KEY=backend.settings.secret_key,
               DOSSIER_DATA_DIR=str(backend.settings.data_dir), COLUMNS="250")
    return env


async def test_cli_batch_and_webhook_commands(api, db, backend, stack, tmp_path):
    import csv
    import subprocess
    import sys

    org = await new_org(db, backend.settings)
    (tmp_path / "domains.csv").write_text("domain\ntinyforge.test\nnot a domain\nbrightpath.test\n")
    (tmp_path / "questions.csv").write_text("question,answerType\nDo they use Stripe?,boolean\n")
    out = tmp_path / "results.csv"
    env = {**_cli_env(backend), "DOSSIER_API_KEY": org.key, "DOSSIER_URL": stack.url}
    done = await asyncio.to_thread(subprocess.run, [
        sys.executable, "-m", "dossier.cli", "batch", str(tmp_path / "domains.csv"), str(tmp_path / "questions.csv"),
        "--out", str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 signals: 2 accepted, 1 rejected; 2 completed" in done.stdout
    rows = list(csv.DictReader(out.read_text().splitlines()))
    by_domain = {r["domain"]: r for r in rows}
    assert by_domain["tinyforge.test"]["status"] == "completed" and by_domain["tinyforge.test"]["answer"] == "True"
    assert by_domain["not a domain"]["status"] == "rejected"

    names = await db.read(organization_names)
    name = next(n for i, n in names if i == org.organization_id)
    secret = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "dossier.cli", "webhooks", "secret",
                                                      "--org", name], env=_cli_env(backend), capture_output=True,
                                     text=True, timeout=60)
    assert secret.returncode == 0 and secret.stdout.strip() == await webhook_secret(db, org.organization_id)
    assert secret.stdout.startswith("whsec_")
    listing = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "dossier.cli", "webhooks", "deliveries",
                                                       "--org", name], env=_cli_env(backend), capture_output=True,
                                      text=True, timeout=60)
    assert listing.returncode == 0, listing.stderr
    nobody = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "dossier.cli", "webhooks", "secret",
                                                      "--org", "no-such-org"], env=_cli_env(backend),
                                     capture_output=True, text=True, timeout=60)
    assert nobody.returncode == 1


async def test_webhook_redirect_counts_as_failure(api, db, backend, stack):
    org = await new_org(db, backend.settings)
    path = f"/redirect-{org.organization_id[:8]}"
    stack.receiver.status = 302  # a redirect is not a delivery
    try:
        await api.post("/v1/companies/signals", headers=auth(org.key), json={
            "domain": "tinyforge.test", "question": "Is TinyForge hiring?", "answerType": "boolean",
            "webhookUrl": f"{stack.receiver.url}{path}"})
        deadline = time.monotonic() + 30
        while len(stack.receiver.for_path(path)) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    finally:
        stack.receiver.status = 200
    deadline = time.monotonic() + 30
    from dossier.webhooks.service import recent

    while time.monotonic() < deadline:
        attempts = [a for a in await recent(db, org.organization_id) if a["url"].endswith(path)]
        if any(a["success"] for a in attempts):
            break
        await asyncio.sleep(0.1)
    attempts.sort(key=lambda a: a["attempt"])
    assert attempts[0]["status_code"] == 302 and not attempts[0]["success"]
    assert "redirect" in attempts[0]["error"]
    assert attempts[-1]["success"] and attempts[-1]["status_code"] == 200


async def test_a_long_multibyte_profile_url_is_accepted_and_found(api, db, backend):
    """A 2,048-character profile URL of multibyte characters is over what an index entry holds; its key is a
    digest, so the signal is stored (no 500) and the same URL lists it."""
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    url = "https://people.test/in/" + "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(2048 - 23))
    assert len(url) == 2048
    resp = await api.post("/v1/contacts/signals", headers=h, json={"contactProfileUrl": url, "question": "Role?"})
    assert resp.status_code == 201, resp.text
    signal_id = resp.json()["id"]
    listed = await api.get("/v1/contacts/signals", headers=h, params={"contactProfileUrl": url})
    assert listed.status_code == 200, listed.text
    assert [s["id"] for s in listed.json()["results"]] == [signal_id]
    assert listed.json()["results"][0]["contactProfileUrl"] == url
    other = await api.get("/v1/contacts/signals", headers=h, params={"contactProfileUrl": url[:-1]})
    assert other.json()["total"] == 0
