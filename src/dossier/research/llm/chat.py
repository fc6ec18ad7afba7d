"""One JSON reply from an OpenAI-compatible chat-completions server, through the official `openai` client.

The reply must be a JSON object valid against a schema. It is asked for with structured outputs
(`response_format: json_schema`) where the server takes them, else JSON mode (`json_object`), else as plain
text that must hold the object; in "auto" the first format the server accepts is remembered. A reply that is
not valid gets one repair round (the validation error sent back); a second failure is an invalid reply, never
a guess. Every call has the client's timeout and retries (429 and 5xx back off, honouring Retry-After); it first
reserves its worst case on the question's meter, which refuses calls the budgets cannot cover, and is settled
to the tokens the server reports once it returns.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any, cast

import jsonschema
import openai

from dossier.research.llm.meter import CURRENT, Meter
from dossier.research.llm.tokens import TokenCounter, estimate

FORMATS = ("json_schema", "json_object", "plain")
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


class ModelUnavailable(RuntimeError):
    """The model could not be asked (timeout, connection, rate limit after retries, server error)."""


@dataclass
class Reply:
    data: dict[str, Any] | None  # the validated object, or None
    text: str  # the last raw reply
    format: str  # the response format that was used
    repaired: bool = False
    error: str = ""  # why `data` is None
    # Per call made: its format, the prompt tokens its hold counted, and the tokens the server reported (None: it
    # reported none).
    calls: list[dict[str, Any]] = field(default_factory=list)


def extract_json(text: str) -> Any:
    """The JSON object in a reply: the whole text, a fenced block, or the outermost {...} in it."""
    text = text.strip()
    candidates = [text]
    candidates += [m.group(1).strip() for m in _FENCE.finditer(text)]
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    for c in candidates:
        try:
            return json.loads(c)
        except ValueError:
            continue
    raise ValueError("the reply holds no JSON object")


class ChatModel:
    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        *,
        timeout: float = 60.0,
        max_retries: int = 2,
        response_format: str = "auto",
        max_tokens: int = 800,
        tokenizer: str = "auto",
    ) -> None:
        if response_format not in ("auto", *FORMATS):
            raise ValueError(f"unknown LLM response format {response_format!r}; use auto, {', '.join(FORMATS)}")
        if tokenizer not in ("auto", "off"):
            raise ValueError(f"unknown LLM tokenizer setting {tokenizer!r}; use auto or off")
        # The prompt's tokens for a call's hold: the server's tokenizer where it has one ("auto"), else estimated.
        self.tokens = TokenCounter(base_url, model, api_key, timeout=min(timeout, 10.0), enabled=tokenizer == "auto")
        # Local servers take no key, but the client insists on one.
        self.client = openai.OpenAI(
            base_url=base_url, api_key=api_key or "no-key", timeout=timeout, max_retries=max_retries
        )
        self.model = model
        self.max_tokens = max_tokens
        self.fixed = response_format != "auto"
        self._format = 0 if response_format == "auto" else FORMATS.index(response_format)
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()
        self.tokens.close()

    @property
    def format(self) -> str:
        return FORMATS[self._format]

    def ask_json(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str, strict: bool) -> Reply:
        calls: list[dict[str, Any]] = []
        text, used = self._complete(messages, schema, name, strict, calls)
        reply = Reply(None, text, used, calls=calls)
        problem = _problem(text, schema)
        if problem is None:
            reply.data = extract_json(text)
            return reply
        # One repair round: the model sees its reply and what is wrong with it.
        repair = [
            *messages,
            {"role": "assistant", "content": text[:4000]},
            {
                "role": "user",
                "content": f"That reply is not valid: {problem}. Reply again with only the JSON object, valid "
                f"against this JSON Schema:\n{json.dumps(schema)}",
            },
        ]
        text, used = self._complete(repair, schema, name, strict, calls)
        reply.text, reply.format, reply.repaired = text, used, True
        problem = _problem(text, schema)
        if problem is None:
            reply.data = extract_json(text)
        else:
            reply.error = problem
        return reply

    def _complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        name: str,
        strict: bool,
        calls: list[dict[str, Any]],
    ) -> tuple[str, str]:
        meter = CURRENT.get() or Meter()
        while True:
            fmt = self.format
            kwargs: dict[str, Any] = {}
            sent = messages
            if fmt == "json_schema":
                kwargs["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": name, "schema": schema, "strict": strict},
                }
            elif fmt == "json_object":
                # "schema" is llama.cpp's extension (grammar-constrained JSON); other servers ignore it.
                kwargs["response_format"] = {"type": "json_object", "schema": schema}
            if fmt != "json_schema":
                # Without structured outputs the schema travels in the prompt.
                note = f"\n\nReply with only a JSON object valid against this JSON Schema:\n{json.dumps(schema)}"
                sent = [*messages[:-1], {**messages[-1], "content": messages[-1]["content"] + note}]
            sent_schema = json.dumps(schema) if fmt == "json_schema" else ""  # otherwise it is in the prompt
            texts = [m["content"] for m in sent]
            # The server's tokenizer is asked only when a budget will check the hold; else the estimate is held.
            if meter.checks_prompt:
                prompt_tokens = self.tokens.count(texts, sent_schema)
            else:
                prompt_tokens = self.tokens.estimate(texts, sent_schema)
            hold = meter.reserve(prompt_tokens, self.max_tokens)
            try:
                try:
                    completion = self.client.chat.completions.create(
                        model=self.model,
                        messages=cast(Any, sent),  # plain role/content dicts, as the API takes them
                        temperature=0,
                        max_tokens=self.max_tokens,
                        **kwargs,
                    )
                except BaseException as exc:
                    # A call that timed out may still have been answered (and billed) by the server: it is charged
                    # its reservation. A refused or unreachable call generated nothing.
                    meter.settle(hold, cost_usd=hold.usd if isinstance(exc, openai.APITimeoutError) else 0.0)
                    raise
            except openai.APIStatusError as exc:
                # A server that does not take this response format says so with a 400/422, or (llama-cpp-python's
                # server) a 500 naming `response_format`: try the next format.
                refused = isinstance(exc, (openai.BadRequestError, openai.UnprocessableEntityError)) or (
                    "response_format" in str(exc)
                )
                if not refused or self.fixed or fmt == FORMATS[-1]:
                    kind = "refused the request" if refused else "failed"
                    if isinstance(exc, openai.RateLimitError):
                        kind = "is rate limiting (429)"
                    raise ModelUnavailable(f"the model server {kind}: {_short(exc)}") from exc
                with self._lock:
                    self._format = max(self._format, FORMATS.index(fmt) + 1)
                continue
            except openai.APITimeoutError as exc:
                raise ModelUnavailable("the model did not answer in time") from exc
            except openai.APIConnectionError as exc:
                raise ModelUnavailable(f"the model server failed: {_short(exc)}") from exc
            usage = completion.usage
            text = (completion.choices[0].message.content or "") if completion.choices else ""
            calls.append(
                {
                    "format": fmt,
                    "held_prompt_tokens": prompt_tokens,
                    "prompt_tokens": usage.prompt_tokens if usage is not None else None,
                    "completion_tokens": usage.completion_tokens if usage is not None else None,
                }
            )
            if usage is not None:
                meter.settle(hold, usage.prompt_tokens or 0, usage.completion_tokens or 0)
            else:  # a server that reports no usage: charged the prompt tokens held (counted where a budget checks)
                meter.settle(hold, prompt_tokens, estimate(len(text)))
            return text, fmt


def _problem(text: str, schema: dict[str, Any]) -> str | None:
    try:
        data = extract_json(text)
    except ValueError as exc:
        return str(exc)
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "the object"
        return f"{where}: {exc.message}"
    return None


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:197] + "..."
