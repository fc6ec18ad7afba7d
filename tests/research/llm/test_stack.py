"""The LLM stack's calibration and meters: the model's drafts get their own map (or a capped prior), the
reader's keep the reader's (the map file: test_calibration.py); the tighter of the signal's cap and the
caller's applies (the organisation's day is held on its ledger: tests/signals/test_spend.py)."""

from __future__ import annotations

import pytest

from dossier.config import Settings
from dossier.research.calibrate import IsotonicCalibrator
from dossier.research.llm.stack import UNFITTED_CAP, LlmStack, RoutedCalibrator
from dossier.research.ports import Draft


def test_model_drafts_use_their_own_map_reader_drafts_the_readers():
    reader = IsotonicCalibrator({"number": [(0.5, 0.2), (1.0, 0.9)]})
    llm = IsotonicCalibrator({"number": [(0.4, 0.1), (1.0, 0.6)]})
    routed = RoutedCalibrator(reader, llm)
    assert routed.probability("number", Draft(1, score=0.9)) == 0.9
    assert routed.probability("number", Draft(1, features={"llm": 1.0}, score=0.9)) == 0.6
    # No map for this type and no pooled one: the prior score, capped.
    assert routed.probability("url", Draft("x", features={"llm": 1.0}, score=0.95)) == UNFITTED_CAP
    assert RoutedCalibrator(reader, None).probability("number", Draft(1, features={"llm": 1.0}, score=0.3)) == 0.3


@pytest.mark.parametrize(
    ("signal_cap", "caller_cap", "budget", "label"),
    [
        (0.0, None, None, "the signal's model budget"),
        (0.05, None, 0.05, "the signal's model budget"),
        (0.05, 0.01, 0.01, "the question's model budget"),
        (0.0, 0.2, 0.2, "the question's model budget"),
        (0.05, 0.2, 0.05, "the signal's model budget"),
    ],
)
def test_the_tighter_cap_applies(signal_cap, caller_cap, budget, label):
    stack = LlmStack.from_settings(
        Settings(llm_base_url="http://127.0.0.1:9/v1", llm_model="m", llm_signal_budget_usd=signal_cap)
    )
    meter = stack.meter(caller_cap)
    stack.chat.close()
    assert meter.budget_usd == budget and meter.budget_label == label
