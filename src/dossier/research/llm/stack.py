"""The LLM stack the engine plugs in when a model is configured: answerer, research loop, calibration, meters."""

from __future__ import annotations

from dataclasses import dataclass

from dossier.config import Settings
from dossier.research.calibrate import IsotonicCalibrator
from dossier.research.gather.search import WebSearch
from dossier.research.llm.answerer import LlmAnswerer
from dossier.research.llm.calibration import load_map
from dossier.research.llm.chat import ChatModel
from dossier.research.llm.loop import ResearchLoop
from dossier.research.llm.meter import Ledger, Meter, Price, parse_prices
from dossier.research.ports import Calibrator, Draft

UNFITTED_CAP = 0.75  # no model's unfitted prior claims more than this


@dataclass
class RoutedCalibrator:
    """The reader's map for the reader's drafts, the LLM path's own map for drafts the model answered."""

    reader: Calibrator
    llm: IsotonicCalibrator | None  # the configured model's fitted map, if there is one

    def probability(self, answer_type: str, draft: Draft) -> float:
        if not draft.features.get("llm"):
            return self.reader.probability(answer_type, draft)
        if self.llm is None or not (self.llm.maps.get(answer_type) or self.llm.maps.get("*")):
            return min(draft.score, UNFITTED_CAP)
        return self.llm.probability(answer_type, draft)


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
            tokenizer=settings.llm_tokenizer,
        )
        price = parse_prices(settings.llm_prices).get(settings.llm_model, Price())
        loop = ResearchLoop(WebSearch.from_settings(settings), settings.llm_max_rounds)
        return cls(settings, chat, LlmAnswerer(chat, sections=settings.llm_sections), loop, price)

    def calibrator(self, reader: Calibrator) -> RoutedCalibrator:
        """The reader's map for the reader's drafts; for the model's, the map DOSSIER_LLM_CALIBRATION names when it
        was fitted for the configured model (research/llm/calibration.py)."""
        path = self.settings.llm_calibration
        return RoutedCalibrator(reader, load_map(path, self.settings.llm_model) if path else None)

    def meter(self, budget_usd: float | None, ledger: Ledger | None = None, caller: str | None = None) -> Meter:
        """A question's meter: the tighter of the signal's cap and what the caller still allows (named `caller`
        in a refusal), None for no cap; the ledger (an organisation's day) holds each call's reservation as well."""
        caps = [c for c in (self.settings.llm_signal_budget_usd or None, budget_usd) if c is not None]
        budget = min(caps) if caps else None
        label = "the signal's model budget"
        if budget_usd is not None and (
            not self.settings.llm_signal_budget_usd or budget_usd < self.settings.llm_signal_budget_usd
        ):
            label = caller or "the question's model budget"
        return Meter(self.price, budget, label, ledger)

    async def aclose(self) -> None:
        self.chat.close()
        await self.loop.search.aclose()
