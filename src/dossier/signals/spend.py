"""A signal's model spend, held and settled on its organisation's day in the database (the research engine's
`Ledger`): the daily cap holds for every signal of the organisation running at once, in any process, and
each call's cost lands on the signal, even a call that returns after the signal was cut at its deadline.

Each call's hold is a row of its own that expires (`hold_seconds`: past the longest a call can take with its
client's retries), so a worker killed between hold and settle leaves a hold that stops counting at its expiry
rather than at midnight. The engine calls it from the answerer's worker thread, so it runs its units of work
synchronously there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection

from dossier.config import Settings
from dossier.kit.db import Database
from dossier.kit.ids import new_uuid
from dossier.kit.time import utcnow
from dossier.research.llm.meter import BudgetExceeded
from dossier.signals import repository

NANO = 1_000_000_000  # the day's spend is kept in billionths of a dollar


def to_nano(usd: float, *, up: bool = False) -> int:
    return math.ceil(usd * NANO) if up else round(usd * NANO)


@dataclass
class SignalSpend:
    db: Database
    organization_id: str
    signal_id: str | None  # None: spend of no signal (a contact research report's questions)
    daily_cap_usd: float | None  # None: the day's spend is recorded but not capped
    hold_seconds: float  # how long a hold counts if it is never settled (Settings.llm_hold_seconds)

    @property
    def capped(self) -> bool:
        return self.daily_cap_usd is not None

    def reserve(self, usd: float) -> object:
        # Held at its worst case, rounded up; the key holds the day, so a call settles on the day it was held on.
        now = utcnow()
        day, hold_id = now.date(), new_uuid()
        nano = to_nano(usd, up=True)
        cap = None if self.daily_cap_usd is None else to_nano(self.daily_cap_usd)
        expires = now + timedelta(seconds=self.hold_seconds)
        left = self.db.write_sync(
            lambda c: repository.reserve_model_spend(
                c, self.organization_id, day, nano, cap, hold_id=hold_id, now=now, expires_at=expires
            )
        )
        if left is not None:
            raise BudgetExceeded(
                f"LLM budget exceeded: what is left of the organisation's daily model budget is ${left / NANO:.4f} "
                f"(of ${self.daily_cap_usd or 0:.4f}, counting calls in flight at their worst case); the next "
                f"model call could cost up to ${usd:.4f}",
                0.0,
            )
        return (day, hold_id)

    def settle(self, key: object, cost_usd: float, tokens: int) -> None:
        assert isinstance(key, tuple)
        day, hold_id = key
        assert isinstance(day, date) and isinstance(hold_id, str)

        def work(c: Connection) -> None:
            repository.settle_model_spend(c, self.organization_id, day, hold_id, to_nano(cost_usd), tokens)
            if cost_usd and self.signal_id is not None:
                repository.add_signal_cost(c, self.organization_id, self.signal_id, cost_usd)

        self.db.write_sync(work)


def model_ledger(db: Database, settings: Settings, organization_id: str, signal_id: str | None) -> SignalSpend | None:
    """Where the model spend of a signal (or of a contact research report, `signal_id` None) is held and recorded:
    the organisation's day under DOSSIER_LLM_ORG_DAILY_BUDGET_USD (0: recorded, not capped), each hold counting
    for Settings.llm_hold_seconds at most. None when no model is configured: nothing to hold."""
    if not settings.llm_enabled:
        return None
    cap = settings.llm_org_daily_budget_usd or None
    return SignalSpend(db, organization_id, signal_id, cap, settings.llm_hold_seconds)
