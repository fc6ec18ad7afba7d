"""A server with job workers over the fixture sites and a webhook receiver, shared by the research and
resolution tests of this package."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest

from dossier.app import create_app
from dossier.contacts.tasks import index_crawl
from dossier.kit.db import Database
from dossier.kit.dns import Resolver
from dossier.kit.http import GuardedClient
from dossier.research.engine import ResearchEngine, policy_from
from tests.conftest import Backend
from tests.fixtures.servers import FixtureDNS, SiteProxy
from tests.support import serve_in_thread
from tests.webhook_receiver import Receiver, webhook_receiver


@dataclass
class Org:
    """An organisation's API key and id, as the search tests' module fixtures make them."""

    key: str
    id: str


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[SiteProxy, FixtureDNS]]:
    with SiteProxy() as proxy, FixtureDNS() as dns:
        yield proxy, dns


async def crawl_and_index(
    backend: Backend, db: Database, sites: tuple[SiteProxy, FixtureDNS], organization_id: str, domain: str, times: int = 1
) -> None:
    """Crawl a fixture site with the research engine and record its people for an organisation, as a company
    signal's completion does (`times` > 1 reads the same crawl again)."""
    proxy, dns = sites
    settings = backend.settings.model_copy(
        update={"dns_nameservers": dns.nameserver, "allow_private_networks": dns.site_network,
                "fetch_timeout_seconds": 3.0, "crawl_max_delay_seconds": 0.05}
    )  # fmt: skip
    resolver = Resolver.from_setting(dns.nameserver)
    engine = ResearchEngine(db, settings, client=GuardedClient(policy_from(settings), resolver, env=proxy.env()),
                            resolver=resolver)  # fmt: skip
    try:
        crawl_id = await engine.crawl(domain)
        for _ in range(times):
            await index_crawl(db, engine, organization_id, domain, crawl_id)
    finally:
        await engine.aclose()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as r:
        yield r


@pytest.fixture(scope="module")
def research_server(backend: Backend, receiver: Receiver) -> Iterator[str]:
    with SiteProxy() as proxy, FixtureDNS() as dns:
        settings = backend.settings.model_copy(
            update={"dns_nameservers": dns.nameserver, "allow_private_networks": f"{dns.site_network},127.0.0.1/32",
                    "outbound_ports": f"80,443,{receiver.port}", "fetch_timeout_seconds": 5.0,
                    "crawl_max_delay_seconds": 0.05}
        )  # fmt: skip
        app = create_app(settings, outbound_env={**proxy.env(), "NO_PROXY": "127.0.0.1,localhost"})
        with serve_in_thread(app) as url:
            yield url


@pytest.fixture
async def research_api(research_server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=research_server, timeout=60) as c:
        yield c
