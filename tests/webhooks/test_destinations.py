"""Webhook destinations: refused at create when the outbound policy could never deliver to them, and a
delivery that fails for a permanent reason ends failed at once (visible in `dossier webhooks deliveries`)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

from dossier.app import create_app
from dossier.webhooks.service import recent
from tests.factories import auth, new_org
from tests.fixtures.servers import FixtureDNS, SiteProxy
from tests.signals.test_read_endpoints import assert_error
from tests.support import serve_in_thread

REFUSED = [
    "http://127.0.0.1/hook",
    "http://127.0.0.1:9/hook",
    "http://10.0.0.5/hook",
    "https://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[::ffff:10.0.0.5]/hook",
    "http://localhost/hook",
    "http://hooks.localhost/hook",
    "http://2130706433/hook",
    "https://hooks.example.com:8443/hook",
    "http://hooks.example.com:22/hook",
    "ftp://hooks.example.com/hook",
    "https://user:pw@hooks.example.com/hook",
]


async def test_undeliverable_webhook_urls_are_400_at_create(client, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    for url in REFUSED:
        resp = await client.post("/v1/companies/signals", headers=h,
                                 json={"domain": "acme.com", "question": "Q?", "webhookUrl": url})
        err = assert_error(resp, 400, "VALIDATION", "VALIDATION_ERROR")
        assert err["fields"][0]["field"] == "webhookUrl", url
        batch = await client.post("/v1/companies/signals/batch", headers=h,
                                  json={"signals": [{"question": "Q?", "webhookUrl": url}], "domains": ["acme.com"]})
        err = assert_error(batch, 400, "VALIDATION", "VALIDATION_ERROR")
        assert err["fields"][0]["field"] == "signals[0].webhookUrl", url
    # Nothing was written.
    listed = await client.get("/v1/companies/signals", headers=h)
    assert listed.json()["total"] == 0
    ok = await client.post("/v1/companies/signals", headers=h,
                           json={"domain": "acme.com", "question": "Q?", "webhookUrl": "https://hooks.example.com/x"})
    assert ok.status_code == 201


async def test_the_operators_allowlist_and_ports_admit_a_private_receiver(db, backend):
    settings = backend.settings.model_copy(update={"allow_private_networks": "127.0.0.1/32",
                                                   "outbound_ports": "80,443,9"})
    org = await new_org(db, settings)
    with serve_in_thread(create_app(settings, workers=False)) as url:
        import httpx

        async with httpx.AsyncClient(base_url=url, headers=auth(org.key)) as c:
            body = {"domain": "acme.com", "question": "Q?", "webhookUrl": "http://127.0.0.1:9/hook"}
            assert (await c.post("/v1/companies/signals", json=body)).status_code == 201
            body["webhookUrl"] = "http://10.0.0.5:9/hook"  # outside the allowlist
            assert (await c.post("/v1/companies/signals", json=body)).status_code == 400
            body["webhookUrl"] = "http://127.0.0.1:10/hook"  # outside the ports
            assert (await c.post("/v1/companies/signals", json=body)).status_code == 400


async def test_a_blocked_destination_fails_the_delivery_at_once(db, backend, tmp_path):
    with SiteProxy() as proxy, FixtureDNS() as dns:
        # A name that passes the create-time check (no DNS there) but resolves into a private network.
        dns.add_record("hooks.internal.test", "A", "10.0.0.5")
        settings = backend.settings.model_copy(update={
            "dns_nameservers": dns.nameserver,
            "allow_private_networks": dns.site_network,
            "crawl_max_delay_seconds": 0.05,
            "webhook_retry_scale": 0.002,  # a retry would come within milliseconds
            "fetch_timeout_seconds": 5.0,
        })
        org = await new_org(db, settings)
        app = create_app(settings, outbound_env={**proxy.env(), "NO_PROXY": "127.0.0.1,localhost"})
        with serve_in_thread(app) as url:
            import httpx

            async with httpx.AsyncClient(base_url=url, headers=auth(org.key), timeout=60) as c:
                resp = await c.post("/v1/companies/signals/sync", json={
                    "domain": "brightpath.test", "question": "Is their marketing site built with Next.js?",
                    "answerType": "boolean", "webhookUrl": "http://hooks.internal.test/hook", "forceRefresh": True,
                })
                assert resp.status_code == 200 and resp.json()["status"] == "completed", resp.text
                deadline = time.monotonic() + 30
                attempts: list[dict] = []
                while not attempts and time.monotonic() < deadline:
                    attempts = await recent(db, org.organization_id)
                    await asyncio.sleep(0.1)
                await asyncio.sleep(1.5)  # far longer than the shrunk retry schedule's first delay
                attempts = await recent(db, org.organization_id)
        assert len(attempts) == 1, attempts
        [attempt] = attempts
        assert attempt["success"] is False and attempt["error"].startswith("blocked: ")
        assert "10.0.0.5" in attempt["error"] and attempt["status_code"] is None
        assert proxy.hits("hooks.internal.test") == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
    env.update(DOSSIER_DATA_DIR=str(tmp_path), DOSSIER_DATABASE_URL=backend.url,
               DOSSIER_SECRET_KEY=settings.secret_key, COLUMNS="250")
    shown = subprocess.run([sys.executable, "-m", "dossier.cli", "webhooks", "deliveries", "--org", org.organization],
                           env=env, capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert "hooks.internal.test" in shown.stdout and "blocked" in shown.stdout
