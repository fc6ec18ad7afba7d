"""ChatModel with the real `openai` client against a local OpenAI-compatible server: response-format
negotiation, schema repair, 429 backoff, timeouts, budgets refused before a call is made, and the prompt held
at the count of the server's tokenizer endpoint (llama.cpp's and llama-cpp-python's shapes) or estimated."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from dossier.research.llm.chat import ChatModel, ModelUnavailable, extract_json
from dossier.research.llm.meter import CURRENT, BudgetExceeded, Meter, Price, parse_prices
from dossier.research.llm.tokens import TEMPLATE_TOKENS_PER_MESSAGE, estimate
from tests.research.llm.servers import Out, ScriptedChat, completion, scripted_chat, scripted_tokens

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["answer"],
    "properties": {"answer": {"type": ["integer", "null"]}},
}
MESSAGES = [{"role": "system", "content": "Answer."}, {"role": "user", "content": "How many?"}]


@pytest.fixture
def chat() -> Iterator[ScriptedChat]:
    with scripted_chat() as s:
        yield s


def model(chat: ScriptedChat, **kw: object) -> ChatModel:
    return ChatModel(chat.base_url, "scripted", "sk-test", **kw)  # type: ignore[arg-type]


def test_structured_outputs_sent_with_the_schema_and_key(chat):
    chat.script = lambda req, n: completion('{"answer": 140}')
    reply = model(chat).ask_json(MESSAGES, SCHEMA, "answer", True)
    assert reply.data == {"answer": 140} and reply.format == "json_schema" and not reply.repaired
    sent = chat.requests[0]
    assert sent["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": SCHEMA, "strict": True},
    }
    assert sent["model"] == "scripted" and sent["temperature"] == 0
    assert chat.headers[0]["authorization"] == "Bearer sk-test"


def test_a_server_without_structured_outputs_falls_back_to_json_mode_then_plain(chat):
    def script(req: dict, n: int) -> Out:
        kind = (req.get("response_format") or {}).get("type")
        if kind in ("json_schema", "json_object"):
            return Out({"error": {"message": f"response_format {kind} is not supported"}}, 400)
        return completion('Sure! Here it is:\n```json\n{"answer": 7}\n```')

    chat.script = script
    m = model(chat)
    reply = m.ask_json(MESSAGES, SCHEMA, "answer", True)
    assert reply.data == {"answer": 7} and reply.format == "plain"
    kinds = [(r.get("response_format") or {}).get("type") for r in chat.requests]
    assert kinds == ["json_schema", "json_object", None]
    # Plain JSON carries the schema in the prompt instead.
    assert json.dumps(SCHEMA) in chat.requests[-1]["messages"][-1]["content"]
    # What the server accepted is remembered: the next question goes straight to plain JSON.
    m.ask_json(MESSAGES, SCHEMA, "answer", True)
    assert (chat.requests[-1].get("response_format") or {}).get("type") is None and len(chat.requests) == 4


def test_a_500_naming_response_format_falls_back_too(chat):
    # llama-cpp-python's server answers an unknown response_format type with a 500 naming the field.
    def script(req: dict, n: int) -> Out:
        if req["response_format"]["type"] == "json_schema":
            message = "1 validation error: ('body', 'response_format', 'type') Input should be 'text' or 'json_object'"
            return Out({"error": {"message": message}}, 500)
        return completion('{"answer": 7}')

    chat.script = script
    reply = model(chat, max_retries=0).ask_json(MESSAGES, SCHEMA, "answer", True)
    assert reply.data == {"answer": 7} and reply.format == "json_object"
    # JSON mode carries the schema as llama.cpp's grammar extension, and in the prompt.
    assert chat.requests[-1]["response_format"] == {"type": "json_object", "schema": SCHEMA}


def test_a_plain_500_is_the_model_unavailable(chat):
    chat.script = lambda req, n: Out({"error": {"message": "out of memory"}}, 500)
    with pytest.raises(ModelUnavailable, match="failed"):
        model(chat, max_retries=0).ask_json(MESSAGES, SCHEMA, "answer", True)
    assert len(chat.requests) == 1


def test_an_invalid_reply_gets_one_repair_round(chat):
    replies = ['{"answer": "a hundred and forty"}', '{"answer": 140}']
    chat.script = lambda req, n: completion(replies[n])
    reply = model(chat, response_format="json_object").ask_json(MESSAGES, SCHEMA, "answer", True)
    assert reply.data == {"answer": 140} and reply.repaired
    repair = chat.requests[1]["messages"]
    assert repair[-2] == {"role": "assistant", "content": replies[0]}
    assert "not valid" in repair[-1]["content"] and "answer" in repair[-1]["content"]


def test_still_invalid_after_the_repair_round_is_no_data(chat):
    chat.script = lambda req, n: completion("I think it is about 140.")
    reply = model(chat, response_format="json_object").ask_json(MESSAGES, SCHEMA, "answer", True)
    assert reply.data is None and reply.repaired and "no JSON object" in reply.error
    assert len(chat.requests) == 2


def test_429_backs_off_and_retries(chat):
    chat.script = lambda req, n: (
        Out({"error": {"message": "slow down"}}, 429, {"Retry-After": "0"}) if n < 2 else completion('{"answer": 3}')
    )
    reply = model(chat, max_retries=2).ask_json(MESSAGES, SCHEMA, "answer", True)
    assert reply.data == {"answer": 3} and len(chat.requests) == 3


def test_429_after_every_retry_is_model_unavailable(chat):
    chat.script = lambda req, n: Out({"error": {"message": "slow down"}}, 429, {"Retry-After": "0"})
    with pytest.raises(ModelUnavailable, match="429"):
        model(chat, max_retries=1).ask_json(MESSAGES, SCHEMA, "answer", True)
    assert len(chat.requests) == 2


def test_a_slow_server_times_out(chat):
    chat.script = lambda req, n: Out(completion('{"answer": 1}').body, delay=3.0)
    t0 = time.monotonic()
    with pytest.raises(ModelUnavailable, match="in time"):
        model(chat, timeout=0.5, max_retries=0).ask_json(MESSAGES, SCHEMA, "answer", True)
    assert time.monotonic() - t0 < 2.5


def test_usage_is_charged_and_a_call_past_the_budget_is_refused_before_it_is_made(chat):
    chat.script = lambda req, n: completion('{"answer": 1}', prompt_tokens=2000, completion_tokens=500)
    price = Price(input=1.0, output=4.0)  # USD per million tokens
    meter = Meter(price, budget_usd=0.0100)
    token = CURRENT.set(meter)
    try:
        m = model(chat, max_tokens=500)
        m.ask_json(MESSAGES, SCHEMA, "answer", True)
        assert meter.prompt_tokens == 2000 and meter.completion_tokens == 500
        assert meter.cost_usd == pytest.approx(0.004)
        m.ask_json(MESSAGES, SCHEMA, "answer", True)
        assert meter.cost_usd == pytest.approx(0.008)
        with pytest.raises(BudgetExceeded, match=r"budget exceeded.*\$0\.0100"):
            m.ask_json(MESSAGES, SCHEMA, "answer", True)
        assert len(chat.requests) == 2  # the third call was never sent
    finally:
        CURRENT.reset(token)


def test_price_table_and_json_extraction():
    prices = parse_prices('{"gpt-x": {"input": 0.15, "output": 0.6}}')
    assert prices["gpt-x"].cost(1_000_000, 1_000_000) == pytest.approx(0.75)
    with pytest.raises(ValueError):
        parse_prices('["nope"]')
    assert extract_json('noise {"a": {"b": 1}} trailing') == {"a": {"b": 1}}
    with pytest.raises(ValueError):
        extract_json("no json here")


def test_a_call_is_held_at_its_worst_case_and_settled_to_what_it_cost(chat):
    """Timed out, a call may still have been answered and billed: it is charged its hold. Refused by the server,
    it cost nothing. Either way nothing stays held; and a meter whose question has ended starts no call."""
    price = Price(input=1.0, output=4.0)
    meter = Meter(price)
    token = CURRENT.set(meter)
    try:
        chat.script = lambda req, n: Out(completion('{"answer": 1}').body, delay=3.0)
        with pytest.raises(ModelUnavailable, match="in time"):
            model(chat, timeout=0.5, max_retries=0, max_tokens=500).ask_json(MESSAGES, SCHEMA, "answer", True)
        chars = sum(len(m["content"]) for m in MESSAGES) + len(json.dumps(SCHEMA))
        held = estimate(chars) + TEMPLATE_TOKENS_PER_MESSAGE * len(MESSAGES)  # this server has no tokenizer
        assert meter.cost_usd == pytest.approx(meter.worst(held, 500)) and meter.held_usd == 0
        assert meter.tokens == 0  # the server reported none

        spent = meter.cost_usd
        chat.script = lambda req, n: Out({"error": {"message": "overloaded"}}, 503)
        with pytest.raises(ModelUnavailable):
            model(chat, max_retries=0, response_format="plain").ask_json(MESSAGES, SCHEMA, "answer", True)
        assert meter.cost_usd == spent and meter.held_usd == 0

        meter.close()
        calls = len(chat.requests)
        with pytest.raises(BudgetExceeded, match="question has ended"):
            model(chat).ask_json(MESSAGES, SCHEMA, "answer", True)
        assert len(chat.requests) == calls
    finally:
        CURRENT.reset(token)


def _no_usage(req: dict, n: int) -> Out:
    """A reply without `usage`: the call is then charged the prompt tokens its hold counted."""
    out = completion('{"answer": 7}')
    del out.body["usage"]
    return out


CHECKED = 100.0  # a budget the calls fit: a budget that checks the hold is what the prompt is counted for


def _held(chat: ScriptedChat, budget_usd: float | None = CHECKED, **kw: object) -> tuple[dict, Meter]:
    meter = Meter(Price(input=1.0, output=1.0), budget_usd)
    token = CURRENT.set(meter)
    try:
        reply = model(chat, **kw).ask_json(MESSAGES, SCHEMA, "answer", True)
    finally:
        CURRENT.reset(token)
    assert reply.data == {"answer": 7} and len(reply.calls) == 1
    return reply.calls[0], meter


PROMPT = [m["content"] for m in MESSAGES] + [json.dumps(SCHEMA)]  # structured outputs: the schema is sent too
CHARS = sum(len(t) for t in PROMPT)


@pytest.mark.parametrize("server", ["llama.cpp", "llama-cpp-python"])
def test_the_prompt_is_held_at_the_count_of_the_servers_own_tokenizer(chat, server):
    chat.tokenizer, chat.script = server, _no_usage
    call, meter = _held(chat)
    counted = scripted_tokens("\n".join(PROMPT)) + TEMPLATE_TOKENS_PER_MESSAGE * len(MESSAGES)
    assert counted != estimate(CHARS) + TEMPLATE_TOKENS_PER_MESSAGE * len(MESSAGES)  # the count, not the estimate
    assert call == {"format": "json_schema", "held_prompt_tokens": counted, "prompt_tokens": None,
                    "completion_tokens": None}  # fmt: skip
    assert meter.prompt_tokens == counted
    # The server was first probed with a fixed text, never the prompt; then asked for the prompt's count.
    path = "/tokenize" if server == "llama.cpp" else "/extras/tokenize/count"
    field = "content" if server == "llama.cpp" else "input"
    mine = [body for p, body in chat.tokenized if p == path]
    assert [b[field] for b in mine] == ["How many tokens is this?", "\n".join(PROMPT)]
    if server == "llama-cpp-python":
        assert mine[0] == {"input": "How many tokens is this?", "model": "scripted"}
        assert chat.tokenized[0][0] == "/tokenize"  # llama.cpp's was tried first and was not there


def test_a_server_without_a_tokenizer_is_probed_once_and_the_estimate_stays(chat):
    chat.script = _no_usage
    chat_model = model(chat)
    meter = Meter(Price(input=1.0, output=1.0), CHECKED)
    token = CURRENT.set(meter)
    try:
        first = chat_model.ask_json(MESSAGES, SCHEMA, "answer", True)
        second = chat_model.ask_json(MESSAGES, SCHEMA, "answer", True)
    finally:
        CURRENT.reset(token)
    expected = estimate(CHARS) + TEMPLATE_TOKENS_PER_MESSAGE * len(MESSAGES)
    assert first.calls[0]["held_prompt_tokens"] == second.calls[0]["held_prompt_tokens"] == expected
    assert [p for p, _ in chat.tokenized] == ["/tokenize", "/extras/tokenize/count"]  # the probes, once
    assert all(body and "How many?" not in json.dumps(body) for _, body in chat.tokenized)
    assert chat_model.tokens.source.startswith("estimate")


def test_a_tokenizer_that_fails_later_falls_back_to_the_estimate_and_off_never_asks(chat):
    chat.tokenizer, chat.script = "llama.cpp", _no_usage
    chat_model = model(chat)
    token = CURRENT.set(Meter(Price(input=1.0, output=1.0), CHECKED))
    try:
        counted = chat_model.ask_json(MESSAGES, SCHEMA, "answer", True).calls[0]["held_prompt_tokens"]
        chat.tokenizer_status = 500
        estimated = chat_model.ask_json(MESSAGES, SCHEMA, "answer", True).calls[0]["held_prompt_tokens"]
    finally:
        CURRENT.reset(token)
    overhead = TEMPLATE_TOKENS_PER_MESSAGE * len(MESSAGES)
    assert counted == scripted_tokens("\n".join(PROMPT)) + overhead and estimated == estimate(CHARS) + overhead
    assert chat_model.tokens.source == "llama.cpp /tokenize"

    chat.tokenized.clear()
    chat.tokenizer_status = 200
    call, _ = _held(chat, tokenizer="off")
    assert call["held_prompt_tokens"] == estimate(CHARS) + overhead and chat.tokenized == []
    with pytest.raises(ValueError, match="tokenizer"):
        model(chat, tokenizer="sometimes")


def test_the_tokenizer_is_asked_only_when_a_budget_checks_the_hold(chat):
    """Without a budget (no question cap, no capped ledger), or with prompts priced at nothing, no budget reads
    the hold: the prompt is estimated and the server's tokenizer never asked, not even probed."""
    chat.tokenizer = "llama.cpp"
    chat.script = lambda req, n: completion('{"answer": 7}', prompt_tokens=30, completion_tokens=5)
    estimated = estimate(CHARS) + TEMPLATE_TOKENS_PER_MESSAGE * len(MESSAGES)
    for meter in (Meter(Price(input=1.0, output=1.0)), Meter(Price(input=0.0, output=1.0), CHECKED)):
        token = CURRENT.set(meter)
        try:
            reply = model(chat).ask_json(MESSAGES, SCHEMA, "answer", True)
        finally:
            CURRENT.reset(token)
        assert reply.calls[0]["held_prompt_tokens"] == estimated and chat.tokenized == []
        assert (meter.prompt_tokens, meter.completion_tokens) == (30, 5)  # charged what the server reported
    call, _ = _held(chat)  # a budget that checks: counted
    assert call["held_prompt_tokens"] == scripted_tokens("\n".join(PROMPT)) + TEMPLATE_TOKENS_PER_MESSAGE * len(
        MESSAGES
    )
    assert [p for p, _ in chat.tokenized] == ["/tokenize", "/tokenize"]  # the probe, then the prompt


def test_a_tokenizer_busy_at_the_probe_is_probed_again_on_the_next_call(chat):
    """llama-cpp-python's server answers no tokenizer request while it generates for someone else: a probe that
    failed (5xx, timeout) is no proof the server has no tokenizer, so that call is estimated and the next
    probes again; refusals (404) are remembered."""
    chat.tokenizer, chat.script, chat.tokenizer_status = "llama-cpp-python", _no_usage, 503
    chat_model = model(chat)
    overhead = TEMPLATE_TOKENS_PER_MESSAGE * len(MESSAGES)
    token = CURRENT.set(Meter(Price(input=1.0, output=1.0), CHECKED))
    try:
        busy = chat_model.ask_json(MESSAGES, SCHEMA, "answer", True).calls[0]["held_prompt_tokens"]
        chat.tokenizer_status = 200
        counted = chat_model.ask_json(MESSAGES, SCHEMA, "answer", True).calls[0]["held_prompt_tokens"]
    finally:
        CURRENT.reset(token)
    assert busy == estimate(CHARS) + overhead and counted == scripted_tokens("\n".join(PROMPT)) + overhead
    probes = [p for p, body in chat.tokenized if body and "How many tokens is this?" in json.dumps(body)]
    assert probes == ["/tokenize", "/extras/tokenize/count", "/tokenize", "/extras/tokenize/count"]
    assert chat_model.tokens.source == "llama-cpp-python /extras/tokenize/count"
