"""Running a signal in the background: research, record the answer once, wake waiters, queue the webhook."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import Connection

from dossier.jobs.port import TaskSpec
from dossier.kit.time import parse_rfc3339, utcnow
from dossier.kit.validation import is_linkedin
from dossier.research.engine import EngineAnswer
from dossier.runtime import Runtime
from dossier.signals import repository
from dossier.signals.spend import SignalSpend, model_ledger
from dossier.signals.wire import to_wire
from dossier.webhooks.service import enqueue_event

log = logging.getLogger("dossier.signals")
KIND = "signal.run"


def register(rt: Runtime) -> None:
    async def run(payload: dict[str, Any]) -> None:
        await run_signal(rt, payload["signalId"], payload.get("person"))

    async def dead(payload: dict[str, Any], error: str) -> None:
        await finish(rt, payload["signalId"], "failed", {"error": f"Research failed: {error}"[:2000]})

    rt.jobs.register(KIND, TaskSpec(run, max_attempts=3, backoff=lambda n: 5.0 * n, on_dead=dead))


PERSON_NOT_IDENTIFIED = "Person not identified"


async def run_signal(rt: Runtime, signal_id: str, person: dict[str, str] | None = None) -> None:
    row = await rt.db.read(lambda c: repository.run_row(c, signal_id))
    if row is None or row["status"] != "processing":
        return  # already finished (a retry after a crash, or a duplicate job): nothing to do
    await rt.db.write(lambda c: repository.mark_started(c, signal_id, "worker", utcnow()))
    deadline = rt.settings.signal_deadline_seconds
    # Each model call is held on the organisation's day and its cost added to the signal as it settles: the
    # spend is on record as it happens, even for a call still running when the deadline cuts the signal.
    ledger = model_ledger(rt.db, rt.settings, row["organization_id"], signal_id)
    try:
        if row["kind"] == "company":
            coro = rt.engine.ask(
                row["domain"],
                row["question"],
                row["answer_type"],
                mode=row["verification_mode"],
                output_schema=row["output_schema"],
                force_refresh=row["force_refresh"],
                ledger=ledger,
            )
        else:
            coro = _ask_contact(rt, row, person or {}, ledger)
        result = await asyncio.wait_for(coro, timeout=deadline)
        identified = not result.reasoning.startswith(PERSON_NOT_IDENTIFIED)
    except TimeoutError:
        await finish(rt, signal_id, "failed", {"error": f"Research did not finish within {deadline:g} seconds"})
        return
    except ValueError as exc:  # a question the engine cannot take, or a spent model budget (BudgetExceeded)
        await finish(rt, signal_id, "failed", {"error": str(exc)})
        return
    await finish(
        rt,
        signal_id,
        "completed",
        {
            "answer": result.answer,
            "confidence": result.confidence,
            "reasoning": result.reasoning,
            "sources": result.sources,
            "evidence": result.evidence,
            "as_of": parse_rfc3339(result.as_of) if result.as_of else None,
            "error": None,
            # Nobody identified is no answer to reuse: once the person is known (researched, imported, crawled),
            # the same question must be asked again rather than served this null from the cache.
            **({} if identified else {"cache_key": None}),
        },
    )
    if row["kind"] == "company" and result.crawl_id:
        for listener in rt.crawl_listeners:
            await listener(row["organization_id"], row["domain"], result.crawl_id)


async def _ask_contact(
    rt: Runtime, row: dict[str, Any], person: dict[str, str], ledger: SignalSpend | None
) -> EngineAnswer:
    """A contact question answered over the pages about its person and their company, once the people index
    (or the request) says who the profile is. A LinkedIn profile nobody is known by is not read (Dossier never
    fetches LinkedIn): no answer. Any other unknown profile is read on its own, as the page it is."""
    url = row["contact_profile_url"]
    known = await rt.resolve_person(row["organization_id"], url, person.get("fullName"), person.get("companyDomain"))
    options: dict[str, Any] = {
        "mode": row["verification_mode"],
        "output_schema": row["output_schema"],
        "ledger": ledger,
    }
    if known is not None:
        answer = await rt.engine.ask_person(
            known.full_name, known.company_domain, row["question"], row["answer_type"],
            profile_urls=known.profile_urls, **options,
        )  # fmt: skip
        how = {"index": "a profile the people index knows", "linkedin_slug": "the name in the LinkedIn URL",
               "given": "the request's fullName"}.get(known.how, known.how)  # fmt: skip
        where = f" of {known.company_domain}" if known.company_domain else ""
        answer.reasoning = f"About {known.full_name}{where} (identified by {how}). {answer.reasoning}"
        return answer
    if is_linkedin(url):
        return EngineAnswer(
            None, None, f"{PERSON_NOT_IDENTIFIED}: no person Dossier knows has this profile URL, and LinkedIn is "
            "not read. Research the contact first, or give fullName and companyDomain.",
        )  # fmt: skip
    return await rt.engine.ask_profile(url, row["question"], row["answer_type"], **options)


async def finish(rt: Runtime, signal_id: str, status: str, values: dict[str, Any]) -> None:
    """Record the outcome once; queue the webhook in the same transaction; wake sync waiters."""
    now = utcnow()

    def work(c: Connection) -> dict[str, Any] | None:
        done = repository.finish(
            c, signal_id, status, {**values, "completed_at": now, "updated_at": now, "lease_until": None}
        )
        if done is None:
            return None
        hook = repository.run_row(c, signal_id)
        if hook and hook["webhook_url"]:
            enqueue_event(
                c,
                rt.jobs,
                organization_id=hook["organization_id"],
                url=hook["webhook_url"],
                event_type=f"signal.{status}",
                obj=to_wire(done),
            )
        return done

    done = await rt.db.write(work)
    if done is not None:
        rt.jobs.notify()
        rt.waiters.wake(signal_id)
