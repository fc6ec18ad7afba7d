"""The people index fed by signals: a company signal's finished crawl queues contacts.index_crawl through the
runtime's crawl listeners (dossier.wiring), and its people become searchable; over real HTTP on both databases."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from dossier.app import create_app
from tests.conftest import Backend
from tests.factories import auth, new_org
from tests.fixtures.servers import FixtureDNS, SiteProxy
from tests.support import serve_in_thread


@pytest.fixture(scope="module")
def server(backend: Backend) -> Iterator[str]:
    with SiteProxy() as proxy, FixtureDNS() as dns:
        settings = backend.settings.model_copy(
            update={"dns_nameservers": dns.nameserver, "allow_private_networks": dns.site_network,
                    "fetch_timeout_seconds": 5.0, "crawl_max_delay_seconds": 0.05}
        )  # fmt: skip
        with serve_in_thread(create_app(settings, outbound_env=proxy.env())) as url:
            yield url


@pytest.fixture
async def api(server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server, timeout=60) as c:
        yield c


async def _until(seconds: float, probe) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        body = await probe()
        if body is not None or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.1)


async def test_a_company_signal_fills_the_people_index(api, db, backend):
    org = await new_org(db, backend.settings)
    before = await api.post("/v1/contacts/search", json={}, headers=auth(org.key))
    assert before.status_code == 200 and before.json()["total"] == 0
    resp = await api.post(
        "/v1/companies/signals",
        headers=auth(org.key),
        json={"domain": "kestrel-analytics.test", "question": "Do they run PostgreSQL?", "answerType": "boolean"},
    )
    assert resp.status_code == 201, resp.text

    async def completed():
        body = (await api.get(f"/v1/companies/signals/{resp.json()['id']}", headers=auth(org.key))).json()
        return body if body["status"] != "processing" else None

    assert (await _until(30, completed))["status"] == "completed"

    async def people():
        found = (await api.post("/v1/contacts/search", json={}, headers=auth(org.key))).json()
        return found if found["total"] else None

    found = await _until(30, people)
    assert found is not None, "the crawl's people never reached the index"
    assert {p["companyDomain"] for p in found["items"]} == {"kestrel-analytics.test"}
    assert any(p["fullName"] == "Inês Sørensen" for p in found["items"]), [p["fullName"] for p in found["items"]]
    # Another organisation's index is its own.
    other = await new_org(db, backend.settings)
    assert (await api.post("/v1/contacts/search", json={}, headers=auth(other.key))).json()["total"] == 0
