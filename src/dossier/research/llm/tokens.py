"""How many tokens a prompt is, for a call's worst-case hold: counted by the model server's own tokenizer where
it offers one, else estimated at CHARS_PER_TOKEN characters a token.

Two servers offer one beside their OpenAI-compatible API, at the root of its base URL (without `/v1`):
llama.cpp's server, `POST /tokenize {"content": ...}` -> `{"tokens": [...]}`, and llama-cpp-python's server,
`POST /extras/tokenize/count {"input": ...}` -> `{"count": n}`. The first count probes them with a short fixed
text (never the prompt) and remembers which one answered, or that none has one (each refused the probe with a
4xx: OpenAI, vLLM, Ollama...; the estimate then stays). A probe that only timed out or got a 5xx proves nothing
(llama-cpp-python's server answers no tokenizer request while it is generating for another caller): that call
is estimated and the next one probes again. A count that fails later (a timeout, a 5xx) falls back to the
estimate for that call.

The count is asked for only when a budget checks the call's hold and the prompt's tokens change it (a price per
prompt token: `Meter.checks_prompt`); otherwise the hold is the estimate and nothing is asked.

The count covers the text of the messages (and the schema sent with them); the chat template adds its role
markers around each message, which TEMPLATE_TOKENS_PER_MESSAGE allows for.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import httpx

log = logging.getLogger("dossier.research.llm")

CHARS_PER_TOKEN = 4  # the estimate when the server counts nothing
TEMPLATE_TOKENS_PER_MESSAGE = 8  # role markers and separators a chat template adds around a message
_PROBE = "How many tokens is this?"


def estimate(chars: int) -> int:
    return chars // CHARS_PER_TOKEN + 1


def _llama_cpp(body: Any) -> int | None:
    tokens = body.get("tokens") if isinstance(body, dict) else None
    return len(tokens) if isinstance(tokens, list) else None


def _llama_cpp_python(body: Any) -> int | None:
    count = body.get("count") if isinstance(body, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


# (name, path under the server root, request body for a text, reading of the reply)
_ENDPOINTS = (
    ("llama.cpp /tokenize", "/tokenize", lambda text, model: {"content": text}, _llama_cpp),
    (
        "llama-cpp-python /extras/tokenize/count",
        "/extras/tokenize/count",
        lambda text, model: {"input": text, "model": model},
        _llama_cpp_python,
    ),
)


class TokenCounter:
    """The prompt's tokens by the server's tokenizer (see the module docstring). `enabled=False`: always the
    estimate (DOSSIER_LLM_TOKENIZER=off)."""

    def __init__(self, base_url: str, model: str, api_key: str = "", *, timeout: float = 10.0, enabled: bool = True):
        root = base_url.rstrip("/")
        self.root = root[: -len("/v1")] if root.endswith("/v1") else root
        self.model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.Client(timeout=timeout, headers=headers) if enabled else None
        self._endpoint: int | None = None  # the index in _ENDPOINTS that answered
        self._probed = not enabled
        self._lock = threading.Lock()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()

    @property
    def source(self) -> str:
        """What counts the tokens: an endpoint's name, or the estimate."""
        if self._endpoint is None:
            return f"estimate ({CHARS_PER_TOKEN} characters a token)"
        return _ENDPOINTS[self._endpoint][0]

    def count(self, messages: list[str], schema: str = "") -> int:
        """The tokens of a call's prompt: its messages' texts and the schema sent with them (structured outputs),
        plus the template's markers around each message."""
        with self._lock:
            if not self._probed:
                self._endpoint, self._probed = self._probe()
        if self._endpoint is not None:
            counted, _ = self._ask(self._endpoint, "\n".join([*messages, schema] if schema else messages))
            if counted is not None:
                return counted + TEMPLATE_TOKENS_PER_MESSAGE * len(messages)
        return self.estimate(messages, schema)

    @staticmethod
    def estimate(messages: list[str], schema: str = "") -> int:
        """The same prompt's tokens estimated, asking nothing (what a hold no budget checks is made of)."""
        return estimate(sum(len(t) for t in messages) + len(schema)) + TEMPLATE_TOKENS_PER_MESSAGE * len(messages)

    def _probe(self) -> tuple[int | None, bool]:
        """(the endpoint that counted, whether that is settled: an endpoint counted, or every one refused)."""
        settled = True
        for i, (name, _path, _body, _read) in enumerate(_ENDPOINTS):
            counted, answered = self._ask(i, _PROBE)
            if counted is not None:
                log.info("counting prompt tokens with the model server's %s", name)
                return i, True
            settled = settled and answered
        if settled:
            log.info("the model server offers no tokenizer endpoint: prompt tokens are estimated")
        else:
            log.info("the model server's tokenizer did not answer (busy or failing): estimated, asked again next call")
        return None, settled

    def _ask(self, i: int, text: str) -> tuple[int | None, bool]:
        """(the count, or None; whether the server gave an answer that settles it: a count, a 4xx, a body that
        is no count) rather than failing (a timeout, a connection error, a 5xx)."""
        assert self.client is not None
        _name, path, body, read = _ENDPOINTS[i]
        try:
            resp = self.client.post(self.root + path, json=body(text, self.model))
        except httpx.HTTPError:
            return None, False
        if resp.status_code >= 500:
            return None, False
        try:
            return (read(resp.json()) if resp.status_code == 200 else None), True
        except ValueError:
            return None, True
