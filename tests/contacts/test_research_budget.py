"""Contact research reports under the model budgets, over real HTTP with the job workers and the scripted
OpenAI-compatible server, on SQLite and PostgreSQL: the report's own cap and the organisation's daily cap each
stop the model part of a report (its calls are refused before they are made), and the report still completes
with what the offline reader found, its `error` saying what happened.

(Their API servers are their own: on PostgreSQL every server's workers take jobs from the same queue, so these
run in a module where no other server with workers is up.)"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select

from dossier.app import create_app
from dossier.kit.time import utcnow
from dossier.research.models import CompanyContext, Crawl
from dossier.signals import repository
from tests.conftest import Backend
from tests.factories import auth, new_org
from tests.fixtures.servers import FixtureDNS, SiteProxy
from tests.research.llm.servers import Out, ScriptedChat, completion, prompt_of, reply, scripted_chat, section_of
from tests.support import serve_in_thread

MARLOWE = {"firstName": "Daniel", "lastName": "Okafor", "companyName": "Marlowe Systems",
           "companyDomain": "marlowe-systems.test"}  # fmt: skip
SAYS = "Marlowe Systems builds inventory forecasting software for mid-size retailers."
# Prompt tokens are free and every call returns all of its 800 completion tokens at $10 per million: a call's
# hold ($0.008, its worst case) is what it costs, so which call a cap refuses does not depend on estimates.
PRICES = '{"scripted": {"input": 0.0, "output": 10.0}}'


def model(req: dict[str, Any], n: int) -> Out:
    """The model answers the industry question from the home page, and nothing else."""
    if "What industry is Marlowe Systems in?" in prompt_of(req):
        content = reply("inventory forecasting software", [(section_of(req, SAYS), SAYS)])
    else:
        content = reply(None)
    return completion(content, prompt_tokens=1200, completion_tokens=800)


@asynccontextmanager
async def _served(backend: Backend, **kw: Any) -> AsyncIterator[tuple[httpx.AsyncClient, ScriptedChat]]:
    with SiteProxy() as proxy, FixtureDNS() as dns, scripted_chat() as chat:
        chat.script = model
        settings = backend.settings.model_copy(
            update={"dns_nameservers": dns.nameserver, "allow_private_networks": dns.site_network,
                    "fetch_timeout_seconds": 5.0, "crawl_max_delay_seconds": 0.05,
                    "llm_base_url": chat.base_url, "llm_model": "scripted", "llm_prices": PRICES,
                    "llm_max_tokens": 800, "llm_max_retries": 0,
                    # A crawl of its own for each report: another module's report on a reused crawl of the
                    # same site may have stored the company context, which a report then asks nothing for.
                    "crawl_ttl_seconds": 0.0, **kw}
        )  # fmt: skip
        app = create_app(settings, outbound_env={**proxy.env(), "NO_PROXY": "127.0.0.1,localhost"})
        with serve_in_thread(app) as url:
            async with httpx.AsyncClient(base_url=url, timeout=60) as api:
                yield api, chat


async def _report(api: httpx.AsyncClient, key: str) -> dict[str, Any]:
    resp = await api.post("/v1/contacts/research", json=MARLOWE, headers=auth(key))
    assert resp.status_code == 201, resp.text
    deadline = time.monotonic() + 120
    while True:
        got = (await api.get(f"/v1/contacts/research/{resp.json()['id']}", headers=auth(key))).json()
        if got["status"] != "processing":
            return got
        assert time.monotonic() < deadline, got
        await asyncio.sleep(0.2)


def _offline_context(got: dict[str, Any]) -> None:
    """What the offline reader finds for the questions the model was refused."""
    context = got["research"]["companyContext"]
    assert context["size"] == "85" and context["headquarters"] == "Leeds, United Kingdom"
    fields = {e["field"] for e in got["research"]["evidence"]}
    assert {"companyContext.size", "companyContext.headquarters"} <= fields


async def _contexts_stored_since(db: Any, since: datetime) -> list[Any]:
    """The company contexts stored for crawls of the site started since `since` (this test's: its crawl TTL is
    0, so each of its questions crawls again)."""

    def read(conn: Any) -> list[Any]:
        crawls = select(Crawl.id).where(Crawl.domain == "marlowe-systems.test", Crawl.started_at >= since)
        return list(conn.execute(select(CompanyContext.crawl_id).where(CompanyContext.crawl_id.in_(crawls))).all())

    return await db.read(read)


async def test_the_reports_own_cap_stops_its_model_part_and_the_report_keeps_the_offline_answers(db, backend):
    """$0.02 for the report fits two calls: the description and industry questions are asked of the model (it
    answers the industry from the home page), the size question's call is refused before it is made, and size
    and headquarters are the offline reader's."""
    async with _served(backend, llm_report_budget_usd=0.02) as (api, chat):
        org = await new_org(db, backend.settings)
        began = utcnow()
        got = await _report(api, org.key)
        assert got["status"] == "completed", got
        assert len(chat.requests) == 2
        assert "What does Marlowe Systems do?" in prompt_of(chat.requests[0])
        assert "What industry is Marlowe Systems in?" in prompt_of(chat.requests[1])
        assert got["error"] == (
            "LLM budget exceeded: what is left of the report's model budget is $0.0040; $0.0000 spent and the "
            "next model call could cost up to $0.0080. The report was completed without the language model "
            "from there on."
        )
        context = got["research"]["companyContext"]
        assert context["industry"] == "inventory forecasting software"  # the model's, with its verified quote
        assert any(e["field"] == "companyContext.industry" and e["quote"] == SAYS for e in got["research"]["evidence"])
        _offline_context(got)
        assert context["description"] == SAYS
        # A context cut short is not stored for the crawl: a later report with budget asks again.
        assert await _contexts_stored_since(db, began) == []
        spend = await db.read(lambda c: repository.model_spend_day(c, org.organization_id, utcnow().date()))
        assert spend == {"reserved_nano": 0, "spent_nano": 16_000_000, "tokens": 4000, "calls": 2}


async def test_the_organisations_daily_cap_stops_a_reports_model_part_too(db, backend):
    """$0.012 a day fits one call: the report's first question is asked of the model, its second is refused by
    the organisation's day, the rest is the offline reader's; a second report that day makes no model call."""
    async with _served(backend, llm_org_daily_budget_usd=0.012) as (api, chat):
        org = await new_org(db, backend.settings)
        first = await _report(api, org.key)
        assert first["status"] == "completed", first
        assert len(chat.requests) == 1
        assert first["error"].startswith(
            "LLM budget exceeded: what is left of the organisation's daily model budget is $0.0040 (of $0.0120"
        ), first["error"]
        assert first["error"].endswith("The report was completed without the language model from there on.")
        _offline_context(first)
        assert first["research"]["companyContext"]["industry"] != "inventory forecasting software"

        second = await _report(api, org.key)
        assert second["status"] == "completed" and len(chat.requests) == 1
        assert "daily model budget is $0.0040" in second["error"]
        _offline_context(second)
        assert second["research"]["companyContext"] == first["research"]["companyContext"]
        spend = await db.read(lambda c: repository.model_spend_day(c, org.organization_id, utcnow().date()))
        assert spend == {"reserved_nano": 0, "spent_nano": 8_000_000, "tokens": 2000, "calls": 1}
