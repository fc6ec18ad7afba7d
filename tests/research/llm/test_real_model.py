"""Opt-in: the LLM answerer against a real model behind an OpenAI-compatible server (e.g. llama-cpp-python's,
see the README). Skipped unless DOSSIER_TEST_LLM_BASE_URL is set; never part of CI. A small model is not
expected to be right: this checks the protocol path, the JSON handling and verification with a real model."""

from __future__ import annotations

import os

import pytest

from dossier.research.llm.answerer import LlmAnswerer
from dossier.research.llm.chat import ChatModel
from dossier.research.llm.meter import CURRENT, Meter
from tests.research.llm.test_answerer import analysis  # noqa: F401  (the fixture)

URL = os.environ.get("DOSSIER_TEST_LLM_BASE_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="set DOSSIER_TEST_LLM_BASE_URL to run against a real model")


@pytest.mark.parametrize(
    ("question", "answer_type"),
    [
        ("Who leads Acme?", "open_text"),
        ("How many employees does Acme have?", "number"),
        ("Is Acme venture backed?", "boolean"),
    ],
)
def test_a_real_model_answers_through_the_whole_path(analysis, question, answer_type):  # noqa: F811
    chat = ChatModel(URL, os.environ.get("DOSSIER_TEST_LLM_MODEL", "local"), timeout=600, max_tokens=300)
    meter = Meter()
    token = CURRENT.set(meter)
    try:
        draft = LlmAnswerer(chat).answer(question, answer_type, None, analysis, "strict")
    finally:
        CURRENT.reset(token)
        chat.close()
    print(f"\n{question} -> {draft.value!r} [{chat.format}] tokens={meter.tokens} :: {draft.reasoning}")
    assert meter.calls >= 1 and meter.tokens > 0
    stored = {d.snapshot_id: d for d in analysis.docs}
    for f in draft.evidence:  # whatever the model said, only quotes in the stored pages survive
        assert f.quote in stored[f.doc.snapshot_id].text or f.quote in stored[f.doc.snapshot_id].body
