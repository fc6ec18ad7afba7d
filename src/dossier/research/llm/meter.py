"""What a question costs on the model: tokens and dollars, and the budgets it may not pass.

One `Meter` per question (per signal), set in a context variable by the engine; the answerer runs in a worker
thread (`asyncio.to_thread` copies the context), so it charges the same meter without being handed it.
Every call first reserves its worst case (the prompt's tokens, counted or estimated: tokens.py, plus the most
completion tokens it may return) and is refused when that would take the spend past a budget, so no budget is overrun by a call in
flight; after the call the reservation is settled to what the call cost. The question's own cap is kept here;
a spend shared by many questions (an organisation's day, in every API and worker process) is kept by a
`Ledger`, which holds and settles the same reservations where all of them see it.
"""

from __future__ import annotations

import json
import threading
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Protocol


class BudgetExceeded(ValueError):
    """The question's model budget (per signal, or the organisation's for the day) is spent."""

    def __init__(self, message: str, cost_usd: float) -> None:
        super().__init__(message)
        self.cost_usd = cost_usd


@dataclass(frozen=True)
class Price:
    input: float = 0.0  # USD per million prompt tokens
    output: float = 0.0  # USD per million completion tokens

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.input + completion_tokens * self.output) / 1_000_000


def parse_prices(text: str) -> dict[str, Price]:
    """The `DOSSIER_LLM_PRICES` table: {"model": {"input": USD per 1M tokens, "output": ...}}."""
    if not text.strip():
        return {}
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("DOSSIER_LLM_PRICES must be a JSON object of model -> {input, output}")
    out = {}
    for model, p in data.items():
        if not isinstance(p, dict):
            raise ValueError(f"DOSSIER_LLM_PRICES[{model!r}] must be an object with input and output prices")
        out[str(model)] = Price(float(p.get("input", 0.0)), float(p.get("output", 0.0)))
    return out


class Ledger(Protocol):
    """Model spend shared beyond one question, kept where every process sees it. Called from the answerer's
    worker thread, so synchronous."""

    def reserve(self, usd: float) -> object:
        """Hold `usd` for a call about to be made, or raise BudgetExceeded; a key for `settle`."""
        ...

    def settle(self, key: object, cost_usd: float, tokens: int) -> None:
        """Replace a call's hold by what it cost (releasing the rest)."""
        ...

    @property
    def capped(self) -> bool:
        """Whether a hold can be refused (a cap is checked), rather than only recorded."""
        ...


@dataclass(frozen=True)
class Hold:
    """One call's reservation: its worst case, and the ledger's key for it (None without a ledger)."""

    usd: float
    key: object = None


@dataclass
class Meter:
    price: Price = field(default_factory=Price)
    budget_usd: float | None = None  # None: no cap
    budget_label: str = "the signal's model budget"
    ledger: Ledger | None = None  # the organisation's day, when the question is a signal's
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    calls: int = 0
    held_usd: float = 0.0  # reservations of calls in flight
    closed: bool = False  # the question has ended (answered, or cut at its deadline)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def checks_prompt(self) -> bool:
        """Whether a call's hold is checked against a budget (the question's, or the ledger's cap) and its prompt
        changes it (a price per prompt token): only then is the prompt worth counting by the server's tokenizer
        before the call (tokens.py); otherwise the estimate is held, and no budget reads it."""
        capped = self.budget_usd is not None or (self.ledger is not None and self.ledger.capped)
        return capped and self.price.input > 0

    def worst(self, prompt_tokens: int, max_completion_tokens: int) -> float:
        return self.price.cost(prompt_tokens, max_completion_tokens)

    def reserve(self, prompt_tokens: int, max_completion_tokens: int) -> Hold:
        """Hold a call's worst case, or refuse the call (BudgetExceeded) when a budget cannot cover it."""
        worst = self.worst(prompt_tokens, max_completion_tokens)
        with self._lock:
            if self.closed:
                # A worker thread still running after its question was cut at the deadline starts nothing new.
                raise BudgetExceeded("LLM call refused: the question has ended", self.cost_usd)
            if self.budget_usd is not None and self.cost_usd + self.held_usd + worst > self.budget_usd + 1e-12:
                raise BudgetExceeded(
                    f"LLM budget exceeded: {self.budget_label} is ${self.budget_usd:.4f}; "
                    f"${self.cost_usd:.4f} spent and the next model call could cost up to ${worst:.4f}",
                    self.cost_usd,
                )
            self.held_usd += worst
        if self.ledger is None:
            return Hold(worst)
        try:
            return Hold(worst, self.ledger.reserve(worst))
        except BaseException as exc:
            with self._lock:
                self.held_usd -= worst
            if isinstance(exc, BudgetExceeded):
                raise BudgetExceeded(str(exc), self.cost_usd) from None
            raise

    def settle(
        self, hold: Hold, prompt_tokens: int = 0, completion_tokens: int = 0, cost_usd: float | None = None
    ) -> None:
        """A call is over: charge what it cost (from its tokens at the price table, unless `cost_usd` says) and
        release the rest of its hold, here and on the ledger."""
        cost = self.price.cost(prompt_tokens, completion_tokens) if cost_usd is None else cost_usd
        with self._lock:
            self.prompt_tokens += prompt_tokens
            self.completion_tokens += completion_tokens
            self.cost_usd += cost
            self.held_usd -= hold.usd
            self.calls += 1
        if self.ledger is not None:
            self.ledger.settle(hold.key, cost, prompt_tokens + completion_tokens)

    def close(self) -> None:
        with self._lock:
            self.closed = True


# The meter of the question being answered; None outside one (calls are then counted nowhere and never refused).
CURRENT: ContextVar[Meter | None] = ContextVar("dossier_llm_meter", default=None)
