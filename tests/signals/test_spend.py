"""An organisation's model spend held and settled on its day, on SQLite and PostgreSQL: holds made at the same
moment from many threads, through several `Database`s (as several API processes would), never pass the daily
cap together; settling releases what a call did not spend and adds its cost to the signal. Then over real HTTP
with the job workers and the scripted model server: signals of one organisation running at once, and a model
call still running when the deadline cuts its signal.

(Their API servers are their own: on PostgreSQL every server's workers take jobs from the same queue, so these
run in a module where no other server with workers is up.)"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from dossier.app import create_app
from dossier.kit.db import Database
from dossier.kit.time import utcnow
from dossier.research.llm.meter import BudgetExceeded, Meter, Price
from dossier.signals import repository
from dossier.signals.spend import NANO, SignalSpend, model_ledger
from tests.conftest import Backend
from tests.factories import auth, new_org, seed_signals, signal_row
from tests.fixtures.servers import SITE_ADDRESS, FixtureDNS, SiteProxy
from tests.research.llm.servers import Out, completion, reply, scripted_chat, section_of
from tests.research.llm.test_answerer import HOME, STORY
from tests.signals.test_lifecycle import poll
from tests.signals.test_llm_spend import QUOTE, answer_85, llm_settings
from tests.support import serve_in_thread

WORST = 0.003  # a call's worst case
CAP = 0.010  # fits three calls at their worst case, not four
PROCESSES = 4
THREADS = 16
HOLD = 300.0  # seconds a hold counts unsettled: longer than any of these tests


async def test_concurrent_holds_never_pass_the_cap_and_settling_releases_the_rest(db: Database, backend: Backend):
    org = await new_org(db, backend.settings)
    signal = signal_row(org.organization_id, status="processing")
    await seed_signals(db, [signal])
    # One Database per "process": on SQLite each has its own writer connection, so the holds really contend
    # for the database's write lock, as separate processes do; on PostgreSQL for the row.
    dbs = [Database(backend.url) for _ in range(PROCESSES)]
    try:
        ledgers = [
            SignalSpend(dbs[i % PROCESSES], org.organization_id, signal["id"], CAP, HOLD) for i in range(THREADS)
        ]
        start = threading.Barrier(THREADS)

        def hold(ledger: SignalSpend) -> object:
            start.wait()
            try:
                return ledger.reserve(WORST)
            except BudgetExceeded as exc:
                return exc

        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(hold, ledgers))
    finally:
        for d in dbs:
            d.dispose()

    held = [(ledger, key) for ledger, key in zip(ledgers, results, strict=True) if not isinstance(key, Exception)]
    refused = [r for r in results if isinstance(r, BudgetExceeded)]
    assert len(held) == 3 and len(refused) == THREADS - 3, [str(r) for r in results]
    assert all("organisation's daily model budget" in str(r) and "LLM budget exceeded" in str(r) for r in refused)
    day = utcnow().date()
    row = await db.read(lambda c: repository.model_spend_day(c, org.organization_id, day))
    assert row == {"reserved_nano": 3 * 3_000_000, "spent_nano": 0, "tokens": 0, "calls": 0}

    # Each call cost $0.001 of its $0.003 hold: the rest goes back to the day, and the cost onto the signal.
    settling = SignalSpend(db, org.organization_id, signal["id"], CAP, HOLD)
    for _, key in held:
        settling.settle(key, 0.001, 110)
    row = await db.read(lambda c: repository.model_spend_day(c, org.organization_id, day))
    assert row == {"reserved_nano": 0, "spent_nano": 3_000_000, "tokens": 330, "calls": 3}
    stored = await db.read(lambda c: repository.run_row(c, signal["id"]))
    assert stored is not None and stored["cost_usd"] == pytest.approx(0.003)

    # What was released is spendable again: $0.003 spent leaves room for two more holds, not three.
    settling.reserve(WORST)
    settling.reserve(WORST)
    with pytest.raises(BudgetExceeded, match=r"left of the organisation's daily model budget is \$0\.0010"):
        settling.reserve(WORST)


async def test_without_a_cap_the_day_is_recorded_and_days_and_organisations_are_apart(db: Database, backend: Backend):
    a, b = await new_org(db, backend.settings), await new_org(db, backend.settings)
    ledger_a = SignalSpend(db, a.organization_id, None, None, HOLD)  # spend of no signal (a research report)
    key = ledger_a.reserve(1000.0)  # no cap: any hold is taken
    ledger_a.settle(key, 0.25, 5000)
    capped_b = SignalSpend(db, b.organization_id, "no-such-signal", 0.5, HOLD)
    capped_b.settle(capped_b.reserve(0.5), 0.5, 10)  # exactly the cap fits
    with pytest.raises(BudgetExceeded):
        capped_b.reserve(1e-9)
    day = utcnow().date()
    row_a = await db.read(lambda c: repository.model_spend_day(c, a.organization_id, day))
    assert row_a == {"reserved_nano": 0, "spent_nano": 250_000_000, "tokens": 5000, "calls": 1}
    yesterday = day.fromordinal(day.toordinal() - 1)
    assert await db.read(lambda c: repository.model_spend_day(c, a.organization_id, yesterday)) is None


async def test_a_hold_never_settled_stops_counting_at_its_expiry(db: Database, backend: Backend):
    """Three holds whose worker died before settling (never settled) fill the day's cap; once they expire they
    no longer count, the next hold sweeps them, and the day is spendable again. A call that settles after its
    hold expired and was swept still has its cost counted."""
    org = await new_org(db, backend.settings)
    # Four seconds: the four holds below take well under that, even on a loaded machine.
    dying = SignalSpend(db, org.organization_id, None, CAP, hold_seconds=4.0)
    dead = [dying.reserve(WORST) for _ in range(3)]
    with pytest.raises(BudgetExceeded, match=r"left of the organisation's daily model budget is \$0\.0010"):
        dying.reserve(WORST)
    assert (await _spend_today(db, org.organization_id) or {})["reserved_nano"] == 3 * 3_000_000
    assert len(await db.read(lambda c: repository.model_spend_holds(c, org.organization_id))) == 3

    await asyncio.sleep(4.2)
    # Expired: counted no more, though their rows are still there until a hold of the day sweeps them.
    assert await _spend_today(db, org.organization_id) == {
        "reserved_nano": 0,
        "spent_nano": 0,
        "tokens": 0,
        "calls": 0,
    }
    assert len(await db.read(lambda c: repository.model_spend_holds(c, org.organization_id))) == 3
    alive = SignalSpend(db, org.organization_id, None, CAP, HOLD)
    keys = [alive.reserve(WORST) for _ in range(3)]
    holds = await db.read(lambda c: repository.model_spend_holds(c, org.organization_id))
    assert sorted(h["id"] for h in holds) == sorted(k[1] for k in keys)  # type: ignore[index]
    with pytest.raises(BudgetExceeded):
        alive.reserve(WORST)

    # One of the dead calls comes back after all: its hold is gone, its cost still lands on the day.
    dying.settle(dead[0], 0.002, 200)
    assert await _spend_today(db, org.organization_id) == {
        "reserved_nano": 9_000_000,
        "spent_nano": 2_000_000,
        "tokens": 200,
        "calls": 1,
    }
    for key in keys:
        alive.settle(key, 0.001, 100)
    assert await db.read(lambda c: repository.model_spend_holds(c, org.organization_id)) == []
    assert (await _spend_today(db, org.organization_id) or {})["spent_nano"] == 5_000_000


async def test_expired_holds_of_days_and_organisations_without_later_holds_are_swept(db: Database, backend: Backend):
    """A worker that died holding a call late yesterday leaves a row no hold of that day (or organisation) will
    ever come back to: the next hold of any organisation sweeps it. A hold of yesterday that has not expired
    (a call still running across midnight) stays until it settles or expires."""
    gone, other = await new_org(db, backend.settings), await new_org(db, backend.settings)
    now = utcnow()
    yesterday = now - timedelta(days=1)

    def hold(hold_id: str, expires: Any) -> Any:
        return lambda c: repository.reserve_model_spend(
            c, gone.organization_id, yesterday.date(), NANO, None, hold_id=hold_id, now=yesterday, expires_at=expires
        )

    await db.write(hold("dead-yesterday", yesterday + timedelta(minutes=6)))
    await db.write(hold("across-midnight", now + timedelta(minutes=5)))
    assert {h["id"] for h in await db.read(lambda c: repository.model_spend_holds(c, gone.organization_id))} == {
        "dead-yesterday",
        "across-midnight",
    }
    # The other organisation's hold today is what sweeps: `gone` makes no call again.
    SignalSpend(db, other.organization_id, None, CAP, HOLD).reserve(WORST)
    holds = await db.read(lambda c: repository.model_spend_holds(c, gone.organization_id))
    assert [h["id"] for h in holds] == ["across-midnight"]


async def test_signals_and_reports_hold_on_the_same_ledger_only_when_a_model_is_configured(
    db: Database, backend: Backend
):
    org = await new_org(db, backend.settings)
    assert model_ledger(db, backend.settings, org.organization_id, "s") is None  # no model: nothing to hold
    configured = backend.settings.model_copy(
        update={"llm_base_url": "http://127.0.0.1:9/v1", "llm_model": "m", "llm_org_daily_budget_usd": CAP}
    )
    signal = model_ledger(db, configured, org.organization_id, "s")
    report = model_ledger(db, configured, org.organization_id, None)
    assert signal is not None and report is not None
    assert (signal.daily_cap_usd, signal.hold_seconds) == (CAP, configured.llm_hold_seconds)
    assert report.signal_id is None
    # One organisation's day: three holds fit its cap, whoever makes them, and the fourth is refused.
    for ledger in (signal, report, signal):
        ledger.reserve(WORST)
    with pytest.raises(BudgetExceeded):
        report.reserve(WORST)
    assert len(await db.read(lambda c: repository.model_spend_holds(c, org.organization_id))) == 3
    uncapped = model_ledger(db, configured.model_copy(update={"llm_org_daily_budget_usd": 0.0}), "o", None)
    assert uncapped is not None and uncapped.daily_cap_usd is None
    # Only a capped day makes a question's calls count their prompts with the server's tokenizer (no other cap).
    price = Price(input=1.0, output=1.0)
    assert Meter(price, None, ledger=signal).checks_prompt and not Meter(price, None, ledger=uncapped).checks_prompt


async def _spend_today(db: Any, organization_id: str) -> dict[str, int] | None:
    day = utcnow().date()
    return await db.read(lambda c: repository.model_spend_day(c, organization_id, day))


@asynccontextmanager
async def _served(backend: Backend, db: Any, script: Any, **kw: Any) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    """An API server of its own (with workers) for a test that needs other settings: a client and a new org."""
    with SiteProxy() as proxy, FixtureDNS() as dns, scripted_chat() as chat:
        robots = b"User-agent: *\nAllow: /\n"
        proxy.add_host("acme-own.test", {"/": HOME.encode(), "/story": STORY.encode(), "/robots.txt": robots})
        dns.add_record("acme-own.test", "A", SITE_ADDRESS)
        chat.script = script
        app = create_app(
            llm_settings(backend, dns, chat, **kw), outbound_env={**proxy.env(), "NO_PROXY": "127.0.0.1,localhost"}
        )
        with serve_in_thread(app) as url:
            async with httpx.AsyncClient(base_url=url, timeout=60) as api:
                yield api, (chat, await new_org(db, backend.settings))


async def test_signals_running_at_once_share_the_daily_cap(db, backend):
    """Six signals of one organisation at once. Prompt tokens are free and every call returns all of its 800
    completion tokens, so a call's hold ($0.008) is what it costs: three fit in the $0.03 day, a fourth would
    pass it, and exactly three calls are made however the signals interleave (each seeing the day's
    remainder, as before, all six would have been)."""
    script = lambda req, n: Out(  # noqa: E731
        completion(reply("85", [(section_of(req, QUOTE), QUOTE)]), prompt_tokens=1000, completion_tokens=800).body,
        delay=1.0,  # calls in flight together
    )
    prices = '{"scripted": {"input": 0.0, "output": 10.0}}'
    async with _served(backend, db, script, llm_prices=prices, llm_org_daily_budget_usd=0.03) as (api, (chat, org)):
        posts = await asyncio.gather(
            *(
                api.post(
                    "/v1/companies/signals",
                    headers=auth(org.key),
                    json={
                        "domain": "acme-own.test",
                        "question": f"How many employees does Acme have? ({i})",
                        "answerType": "number",
                    },
                )
                for i in range(6)
            )
        )
        assert all(p.status_code == 201 for p in posts), [p.text for p in posts]
        done = await asyncio.gather(
            *(poll(api, f"/v1/companies/signals/{p.json()['id']}", org.key, seconds=60) for p in posts)
        )
        completed = [d for d in done if d["status"] == "completed"]
        failed = [d for d in done if d["status"] == "failed"]
        assert len(completed) == 3 and len(failed) == 3, [(d["status"], d["error"]) for d in done]
        assert all(d["costUsd"] == pytest.approx(0.008) for d in completed)
        assert all("LLM budget exceeded" in d["error"] and d["costUsd"] == 0 for d in failed)
        assert len(chat.requests) == 3
        spend = await _spend_today(db, org.organization_id)
        assert spend == {"reserved_nano": 0, "spent_nano": 24_000_000, "tokens": 5400, "calls": 3}


async def test_a_call_cut_at_the_deadline_is_still_charged(db, backend):
    """The model answers only after the signal's deadline has failed it: the call's reported tokens still land
    on the organisation's day and on the (failed) signal, and its worker starts no other call."""
    release = threading.Event()

    def late(req: dict[str, Any], n: int) -> Out:
        release.wait(60)
        return answer_85(req, n)

    settings = {"signal_deadline_seconds": 8.0, "llm_max_retries": 0}
    try:
        async with _served(backend, db, late, **settings) as (api, (chat, org)):
            body = {"domain": "acme-own.test", "question": "How many employees does Acme have?", "answerType": "number"}
            created = await api.post("/v1/companies/signals", headers=auth(org.key), json=body)
            assert created.status_code == 201, created.text
            path = f"/v1/companies/signals/{created.json()['id']}"
            cut = await poll(api, path, org.key, seconds=60)
            assert cut["status"] == "failed" and "did not finish within 8" in cut["error"], cut
            assert len(chat.requests) == 1 and cut["costUsd"] == 0  # the call is still in flight
            held = await _spend_today(db, org.organization_id)
            assert held is not None and held["reserved_nano"] > 8_000_000 and held["spent_nano"] == 0

            release.set()
            deadline = time.monotonic() + 20
            while (after := (await api.get(path, headers=auth(org.key))).json())["costUsd"] == 0:
                assert time.monotonic() < deadline, "the cut call's spend was never recorded"
                await asyncio.sleep(0.1)
            assert after["costUsd"] == pytest.approx(0.011) and after["status"] == "failed"
            spend = await _spend_today(db, org.organization_id)
            assert spend == {"reserved_nano": 0, "spent_nano": 11_000_000, "tokens": 1100, "calls": 1}
            await asyncio.sleep(1.0)
            assert len(chat.requests) == 1
    finally:
        release.set()
