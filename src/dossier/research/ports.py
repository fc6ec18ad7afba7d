"""The engine's stages and what passes between them.

gather (`Gatherer`) → index + analyze (`Analysis`) → read (`Answerer`) → verify (`Verifier`) →
calibrate (`Calibrator`). Each is a small interface so that a stage can be tested and replaced alone;
an LLM answerer plugs in behind `Answerer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from dossier.research.evidence import Finding

if TYPE_CHECKING:
    from dossier.research.analysis import Analysis
    from dossier.research.gather.crawler import CrawlOutcome


@dataclass
class Draft:
    """A reader's answer before verification: a value (or None), the quotes it rests on, and why."""

    value: Any
    evidence: list[Finding] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)  # what the calibrator maps to a probability
    score: float = 0.0  # the reader's own 0..1 score
    reasoning: str = ""
    inferred: bool = False  # lenient mode: no direct evidence, an inference from absence
    # json_schema: each property read as its own typed question (name -> (answer type, its draft)), so each
    # can be calibrated and kept or dropped on its own.
    parts: dict[str, tuple[str, Draft]] = field(default_factory=dict)
    # What a reader asked to read next when it has no verified answer: {"search": [queries], "links": [urls]}
    # (the LLM answerer's proposals, for the research loop).
    more: dict[str, list[str]] = field(default_factory=dict)


class Gatherer(Protocol):
    async def crawl(self, domain: str, crawl_id: str) -> CrawlOutcome: ...

    async def fetch_more(self, base_url: str, urls: list[str], crawl_id: str) -> CrawlOutcome: ...


class Answerer(Protocol):
    def answer(
        self, question: str, answer_type: str, schema: dict[str, Any] | None, analysis: Analysis, mode: str
    ) -> Draft: ...


class Verifier(Protocol):
    def verify(self, findings: list[Finding], analysis: Analysis) -> list[Finding]: ...


class Calibrator(Protocol):
    def probability(self, answer_type: str, draft: Draft) -> float: ...
