"""A company signal answered with a language model, over real HTTP with the job workers, on SQLite and
PostgreSQL: its `costUsd` recorded, and the organisation's daily model budget failing the next signal with a
clear error instead of spending past it (or hanging). Signals running at once, and a call cut at the deadline:
tests/signals/test_spend.py."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from dossier.app import create_app
from dossier.config import Settings
from tests.conftest import Backend
from tests.factories import auth, new_org
from tests.fixtures.servers import SITE_ADDRESS, FixtureDNS, SiteProxy
from tests.research.llm.servers import Out, ScriptedChat, completion, reply, scripted_chat, section_of
from tests.research.llm.test_answerer import HOME, STORY
from tests.signals.test_lifecycle import poll
from tests.support import serve_in_thread

QUOTE = "Acme has 85 employees across two offices."


@dataclass
class Stack:
    url: str
    chat: ScriptedChat


def llm_settings(backend: Backend, dns: FixtureDNS, chat: ScriptedChat, **kw: Any) -> Settings:
    return backend.settings.model_copy(
        update={
            "dns_nameservers": dns.nameserver,
            "allow_private_networks": dns.site_network,
            "crawl_max_delay_seconds": 0.0,
            "fetch_timeout_seconds": 5.0,
            "llm_base_url": chat.base_url,
            "llm_model": "scripted",
            # 1,000 + 100 tokens at $10 per million each: $0.011 a call.
            "llm_prices": '{"scripted": {"input": 10.0, "output": 10.0}}',
            "llm_max_tokens": 800,  # the worst case of a call: its prompt plus 800 tokens (over $0.008)
            "llm_org_daily_budget_usd": 0.02,
            **kw,
        }
    )


def answer_85(req: dict[str, Any], n: int) -> Out:
    return completion(reply("85", [(section_of(req, QUOTE), QUOTE)]), prompt_tokens=1000, completion_tokens=100)


@pytest.fixture(scope="module")
def stack(backend: Backend) -> Iterator[Stack]:
    with SiteProxy() as proxy, FixtureDNS() as dns, scripted_chat() as chat:
        robots = b"User-agent: *\nAllow: /\n"
        proxy.add_host("acme-llm.test", {"/": HOME.encode(), "/story": STORY.encode(), "/robots.txt": robots})
        dns.add_record("acme-llm.test", "A", SITE_ADDRESS)
        chat.script = answer_85
        app = create_app(
            llm_settings(backend, dns, chat), outbound_env={**proxy.env(), "NO_PROXY": "127.0.0.1,localhost"}
        )
        with serve_in_thread(app) as url:
            yield Stack(url, chat)


@pytest.fixture
async def api(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.url, timeout=60) as c:
        yield c


async def test_cost_is_recorded_and_the_daily_budget_fails_the_next_signal(api, db, backend, stack):
    org = await new_org(db, backend.settings)
    body = {"domain": "acme-llm.test", "question": "How many employees does Acme have?", "answerType": "number"}
    first = await api.post("/v1/companies/signals", headers=auth(org.key), json=body)
    assert first.status_code == 201, first.text
    done = await poll(api, f"/v1/companies/signals/{first.json()['id']}", org.key)
    assert done["status"] == "completed", done
    assert done["answer"] == {"type": "number", "number": {"value": 85}}
    assert done["costUsd"] == pytest.approx(0.011)

    # $0.009 left today: the next call's worst case (its prompt and 800 tokens) does not fit: the signal fails
    # without calling the model.
    calls = len(stack.chat.requests)
    second = await api.post(
        "/v1/companies/signals", headers=auth(org.key), json={**body, "question": "How many offices does Acme have?"}
    )
    failed = await poll(api, f"/v1/companies/signals/{second.json()['id']}", org.key)
    assert failed["status"] == "failed" and failed["answer"] is None, (
        failed["costUsd"],
        failed["reasoning"],
        failed["error"],
    )
    assert "LLM budget exceeded" in failed["error"] and "organisation's daily model budget" in failed["error"]
    assert len(stack.chat.requests) == calls

    # Another organisation's budget is its own.
    other = await new_org(db, backend.settings)
    third = await api.post("/v1/companies/signals", headers=auth(other.key), json={**body, "forceRefresh": True})
    ok = await poll(api, f"/v1/companies/signals/{third.json()['id']}", other.key)
    assert ok["status"] == "completed" and ok["costUsd"] == pytest.approx(0.011)
