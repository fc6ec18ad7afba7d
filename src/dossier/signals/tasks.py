"""Running a signal in the background: research, record the answer once, wake waiters, queue the webhook."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import Connection

from dossier.jobs.port import TaskSpec
from dossier.kit.time import parse_rfc3339, utcnow
from dossier.runtime import Runtime
from dossier.signals import repository
from dossier.signals.wire import to_wire
from dossier.webhooks.service import enqueue_event

log = logging.getLogger("dossier.signals")
KIND = "signal.run"


def register(rt: Runtime) -> None:
    async def run(payload: dict[str, Any]) -> None:
        await run_signal(rt, payload["signalId"])

    async def dead(payload: dict[str, Any], error: str) -> None:
        await finish(rt, payload["signalId"], "failed", {"error": f"Research failed: {error}"[:2000]})

    rt.jobs.register(KIND, TaskSpec(run, max_attempts=3, backoff=lambda n: 5.0 * n, on_dead=dead))


async def run_signal(rt: Runtime, signal_id: str) -> None:
    row = await rt.db.read(lambda c: repository.run_row(c, signal_id))
    if row is None or row["status"] != "processing":
        return  # already finished (a retry after a crash, or a duplicate job): nothing to do
    await rt.db.write(lambda c: repository.mark_started(c, signal_id, "worker", utcnow()))
    deadline = rt.settings.signal_deadline_seconds
    budget = await _org_budget_left(rt, row["organization_id"])
    try:
        if row["kind"] == "company":
            coro = rt.engine.ask(
                row["domain"],
                row["question"],
                row["answer_type"],
                mode=row["verification_mode"],
                output_schema=row["output_schema"],
                force_refresh=row["force_refresh"],
                budget_usd=budget,
            )
        else:
            coro = rt.engine.ask_profile(
                row["contact_profile_url"],
                row["question"],
                row["answer_type"],
                mode=row["verification_mode"],
                output_schema=row["output_schema"],
                budget_usd=budget,
            )
        result = await asyncio.wait_for(coro, timeout=deadline)
    except TimeoutError:
        await finish(rt, signal_id, "failed", {"error": f"Research did not finish within {deadline:g} seconds"})
        return
    except ValueError as exc:  # a question the engine cannot take, or a spent model budget (BudgetExceeded)
        await finish(rt, signal_id, "failed", {"error": str(exc), "cost_usd": getattr(exc, "cost_usd", 0.0)})
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
            "cost_usd": result.cost_usd,
            "error": None,
        },
    )
    if row["kind"] == "company" and result.crawl_id:
        for listener in rt.crawl_listeners:
            await listener(row["organization_id"], row["domain"], result.crawl_id)


async def _org_budget_left(rt: Runtime, organization_id: str) -> float | None:
    """What the organisation may still spend on the model today (UTC), or None without a daily cap. Signals
    running at the same time each see the same remainder: the cap can be passed by at most their spend."""
    cap = rt.settings.llm_org_daily_budget_usd
    if not cap or not rt.settings.llm_enabled:
        return None
    day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    spent = await rt.db.read(lambda c: repository.model_spend_since(c, organization_id, day))
    return max(0.0, cap - spent)


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
