"""Opt-in: the LLM answerer against a real model behind an OpenAI-compatible server (e.g. llama-cpp-python's,
see the README). Skipped unless DOSSIER_TEST_LLM_BASE_URL is set; never part of CI. A small model is not
expected to be right: this checks the protocol path, the JSON handling and verification with a real model."""

from __future__ import annotations

import os

import pytest

from dossier.research.llm.answerer import LlmAnswerer
from dossier.research.llm.chat import ChatModel
from dossier.research.llm.meter import CURRENT, Meter, Price
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


def test_a_real_servers_tokenizer_counts_the_prompt_it_then_reports():
    """Where the server has a tokenizer endpoint (llama-cpp-python's, llama.cpp's), the hold counts the prompt
    with it: at least the prompt tokens the server then reports (its chat template included), and close to
    them. (A budget that checks the hold: the only time the tokenizer is asked.)"""
    from tests.research.llm.test_chat import CHECKED, MESSAGES, SCHEMA

    chat = ChatModel(URL, os.environ.get("DOSSIER_TEST_LLM_MODEL", "local"), timeout=600, max_tokens=16)
    token = CURRENT.set(Meter(Price(input=1.0, output=1.0), CHECKED))
    try:
        reply = chat.ask_json(MESSAGES, SCHEMA, "answer", True)
    finally:
        CURRENT.reset(token)
        chat.close()
    print(f"\ntokenizer: {chat.tokens.source}; calls: {reply.calls}")
    assert not chat.tokens.source.startswith("estimate")
    for call in reply.calls:
        assert call["prompt_tokens"] is not None
        assert call["prompt_tokens"] <= call["held_prompt_tokens"] <= 2 * call["prompt_tokens"]
