"""Local stand-ins for the paid/internet services the LLM path talks to, speaking their real protocols on
127.0.0.1: an OpenAI-compatible chat-completions server (`POST /v1/chat/completions`) whose replies a test
scripts, and a search server answering SearXNG's JSON API (`GET /search?q=..&format=json`), Brave's
(`GET /res/v1/web/search`), Tavily's and Exa's (`POST /search`)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Out:
    """One scripted HTTP answer."""

    body: Any = None  # JSON-able
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def completion(content: str, prompt_tokens: int = 1000, completion_tokens: int = 100) -> Out:
    """A chat.completion object, as an OpenAI-compatible server returns it."""
    return Out(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "scripted",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )


def reply(
    answer: Any, claims: Sequence[tuple[int, str]] = (), search: Sequence[str] = (), links: Sequence[str] = ()
) -> str:
    return json.dumps(
        {
            "answer": answer,
            "claims": [{"section": n, "quote": q, "property": ""} for n, q in claims],
            "search": list(search),
            "links": list(links),
        }
    )


def section_of(request: dict[str, Any], text: str) -> int:
    """The number of the prompt's section that shows `text` (what a model citing it would give)."""
    prompt = next(m["content"] for m in request["messages"] if m["role"] == "user")
    for m in re.finditer(r"^\[(\d+)\] (.*?)(?=^\[\d+\] |</sections>)", prompt, re.S | re.M):
        if text in m.group(2):
            return int(m.group(1))
    raise AssertionError(f"{text!r} is not in any section of the prompt")


def prompt_of(request: dict[str, Any]) -> str:
    return "\n".join(m["content"] for m in request["messages"])


class _Server:
    def __init__(self, handle: Callable[[str, str, dict[str, Any] | None, dict[str, str]], Out]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _do(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                out = handle(method, self.path, body, {k.lower(): v for k, v in self.headers.items()})
                if out.delay:
                    time.sleep(out.delay)
                data = json.dumps(out.body).encode()
                try:
                    self.send_response(out.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in out.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def do_GET(self) -> None:
                self._do("GET")

            def do_POST(self) -> None:
                self._do("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def scripted_tokens(text: str) -> int:
    """The scripted tokenizer: a token per word and per punctuation mark (not 4 characters a token)."""
    return len(re.findall(r"\w+|[^\w\s]", text))


class ScriptedChat:
    """An OpenAI-compatible chat-completions server. `script(request, n)` gives the n-th (from 0) answer.

    `tokenizer` adds a tokenizer endpoint at the server's root as one of two servers has it: "llama.cpp"
    (`POST /tokenize {"content"}` -> `{"tokens": [...]}`) or "llama-cpp-python" (`POST /extras/tokenize/count
    {"input", "model"}` -> `{"count": n}`), counting `scripted_tokens`; `tokenizer_status` answers it with
    another status instead. Every request to either path is kept in `tokenized` (path, body)."""

    def __init__(self) -> None:
        self.tokenizer: str | None = None
        self.tokenizer_status = 200
        self.tokenized: list[tuple[str, dict[str, Any] | None]] = []
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.script: Callable[[dict[str, Any], int], Out] = lambda req, n: completion(reply(None))
        self._lock = threading.Lock()
        self._server = _Server(self._handle)

    @property
    def base_url(self) -> str:
        return self._server.url + "/v1"

    def _handle(self, method: str, path: str, body: dict[str, Any] | None, headers: dict[str, str]) -> Out:
        where = urlsplit(path).path
        if method == "POST" and where in ("/tokenize", "/extras/tokenize/count"):
            with self._lock:
                self.tokenized.append((where, body))
            if self.tokenizer_status != 200:
                return Out({"error": {"message": "tokenizer failed"}}, self.tokenizer_status)
            if self.tokenizer == "llama.cpp" and where == "/tokenize" and body and "content" in body:
                return Out({"tokens": list(range(scripted_tokens(str(body["content"]))))})
            if self.tokenizer == "llama-cpp-python" and where == "/extras/tokenize/count" and body and "input" in body:
                return Out({"count": scripted_tokens(str(body["input"]))})
            return Out({"error": {"message": "not found"}}, 404)
        if method != "POST" or where != "/v1/chat/completions" or body is None:
            return Out({"error": {"message": "not found", "type": "invalid_request_error"}}, 404)
        with self._lock:
            n = len(self.requests)
            self.requests.append(body)
            self.headers.append(headers)
        return self.script(body, n)

    def close(self) -> None:
        self._server.close()


class SearchServer:
    """SearXNG, Brave, Tavily and Exa on one port. `results(query)` gives [(url, title, snippet)];
    `status` lets a test answer 429 for the first `limited` requests."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, str]] = []  # (provider, query)
        self.headers: list[dict[str, str]] = []
        self.results: Callable[[str], list[tuple[str, str, str]]] = lambda q: []
        self.limited = 0
        self.delay = 0.0
        self._server = _Server(self._handle)

    @property
    def url(self) -> str:
        return self._server.url

    def _handle(self, method: str, path: str, body: dict[str, Any] | None, headers: dict[str, str]) -> Out:
        parts = urlsplit(path)
        qs = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if method == "GET" and parts.path == "/search" and qs.get("format") == "json":
            provider, query = "searxng", qs.get("q", "")
        elif method == "GET" and parts.path == "/res/v1/web/search":
            provider, query = "brave", qs.get("q", "")
        elif method == "POST" and parts.path == "/tavily/search" and body:
            provider, query = "tavily", str(body.get("query"))
        elif method == "POST" and parts.path == "/exa/search" and body:
            provider, query = "exa", str(body.get("query"))
        else:
            return Out({"error": "not found"}, 404)
        self.queries.append((provider, query))
        self.headers.append(headers)
        if self.limited > 0:
            self.limited -= 1
            return Out({"error": "rate limited"}, 429, {"Retry-After": "0"})
        found = self.results(query)
        if provider == "searxng":
            body_out: Any = {
                "query": query,
                "number_of_results": len(found),
                "results": [{"url": u, "title": t, "content": s, "engine": "test"} for u, t, s in found],
            }
        elif provider == "brave":
            body_out = {
                "type": "search",
                "web": {"results": [{"url": u, "title": t, "description": s} for u, t, s in found]},
            }
        elif provider == "tavily":
            body_out = {
                "query": query,
                "results": [{"url": u, "title": t, "content": s, "score": 0.9} for u, t, s in found],
            }
        else:
            body_out = {"requestId": "x", "results": [{"id": u, "url": u, "title": t, "text": s} for u, t, s in found]}
        return Out(body_out, 200, delay=self.delay)

    def close(self) -> None:
        self._server.close()


@contextmanager
def scripted_chat() -> Iterator[ScriptedChat]:
    s = ScriptedChat()
    try:
        yield s
    finally:
        s.close()


@contextmanager
def search_server() -> Iterator[SearchServer]:
    s = SearchServer()
    try:
        yield s
    finally:
        s.close()
