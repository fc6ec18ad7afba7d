"""The LLM stack the engine plugs in when a model is configured: answerer, research loop, calibration, meters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dossier.config import Settings
from dossier.research.calibrate import IsotonicCalibrator
from dossier.research.gather.search import WebSearch
from dossier.research.llm.answerer import LlmAnswerer
from dossier.research.llm.chat import ChatModel
from dossier.research.llm.loop import ResearchLoop
from dossier.research.llm.meter import Meter, Price, parse_prices
from dossier.research.ports import Calibrator, Draft

LLM_CALIBRATION_FILE = Path(__file__).resolve().parents[1] / "data" / "llm_calibration.json"


@dataclass
class RoutedCalibrator:
    """The reader's map for the reader's drafts, the LLM path's own map for drafts the model answered."""

    reader: Calibrator
    llm: IsotonicCalibrator

    def probability(self, answer_type: str, draft: Draft) -> float:
        if draft.features.get("llm"):
            return self.llm.probability(answer_type, draft)
        return self.reader.probability(answer_type, draft)


@dataclass
class LlmStack:
    settings: Settings
    chat: ChatModel
    answerer: LlmAnswerer
    loop: ResearchLoop
    price: Price

    @classmethod
    def from_settings(cls, settings: Settings) -> LlmStack:
        chat = ChatModel(
            settings.llm_base_url,
            settings.llm_model,
            settings.llm_api_key,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
            response_format=settings.llm_response_format,
            max_tokens=settings.llm_max_tokens,
        )
        price = parse_prices(settings.llm_prices).get(settings.llm_model, Price())
        loop = ResearchLoop(WebSearch.from_settings(settings), settings.llm_max_rounds)
        return cls(settings, chat, LlmAnswerer(chat, sections=settings.llm_sections), loop, price)

    def calibrator(self, reader: Calibrator) -> RoutedCalibrator:
        return RoutedCalibrator(reader, IsotonicCalibrator.load(LLM_CALIBRATION_FILE))

    def meter(self, budget_usd: float | None) -> Meter:
        """A question's meter: the tighter of the signal's cap and what the caller still allows (the
        organisation's day), None for no cap."""
        caps = [c for c in (self.settings.llm_signal_budget_usd or None, budget_usd) if c is not None]
        budget = min(caps) if caps else None
        label = "the signal's model budget"
        if budget_usd is not None and (
            not self.settings.llm_signal_budget_usd or budget_usd < self.settings.llm_signal_budget_usd
        ):
            label = "what is left of the organisation's daily model budget"
        return Meter(self.price, budget, label)

    async def aclose(self) -> None:
        self.chat.close()
        await self.loop.search.aclose()
