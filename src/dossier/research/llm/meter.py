"""What a question costs on the model: tokens and dollars, and the budget it may not pass.

One `Meter` per question (per signal), set in a context variable by the engine; the answerer runs in a worker
thread (`asyncio.to_thread` copies the context), so it charges the same meter without being handed it.
A call is refused before it is made when its worst case (the prompt, estimated, plus the most completion
tokens it may return) would take the spend past the budget: a budget is never overrun by a call in flight.
"""

from __future__ import annotations

import json
import threading
from contextvars import ContextVar
from dataclasses import dataclass, field

CHARS_PER_TOKEN = 4  # a rough prompt-size estimate, used only to refuse a call that could not be afforded


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


@dataclass
class Meter:
    price: Price = field(default_factory=Price)
    budget_usd: float | None = None  # None: no cap
    budget_label: str = "the signal's model budget"
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def reserve(self, prompt_chars: int, max_completion_tokens: int) -> None:
        """Refuse a call whose worst case would pass the budget."""
        if self.budget_usd is None:
            return
        worst = self.price.cost(prompt_chars // CHARS_PER_TOKEN + 1, max_completion_tokens)
        with self._lock:
            if self.cost_usd + worst > self.budget_usd + 1e-12:
                raise BudgetExceeded(
                    f"LLM budget exceeded: {self.budget_label} is ${self.budget_usd:.4f}; "
                    f"${self.cost_usd:.4f} spent and the next model call could cost up to ${worst:.4f}",
                    self.cost_usd,
                )

    def charge(self, prompt_tokens: int, completion_tokens: int) -> None:
        with self._lock:
            self.prompt_tokens += prompt_tokens
            self.completion_tokens += completion_tokens
            self.cost_usd += self.price.cost(prompt_tokens, completion_tokens)
            self.calls += 1


# The meter of the question being answered; None outside one (calls are then counted nowhere and never refused).
CURRENT: ContextVar[Meter | None] = ContextVar("dossier_llm_meter", default=None)
