"""A real webhook receiver on 127.0.0.1 that records every request and can be told to fail."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support import serve_in_thread


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    port: int = 0
    received: list[Received] = field(default_factory=list)
    fail_next: int = 0  # answer this many requests with 500 first
    status: int = 200
    lock: threading.Lock = field(default_factory=threading.Lock)

    def for_path(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == path]


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    receiver = Receiver()

    async def hook(request: Request) -> Response:
        body = await request.body()
        with receiver.lock:
            receiver.received.append(Received(request.url.path, dict(request.headers), body))
            if receiver.fail_next > 0:
                receiver.fail_next -= 1
                return Response("temporarily broken", status_code=500)
        return Response("ok", status_code=receiver.status)

    app = Starlette(routes=[Route("/{path:path}", hook, methods=["POST"])])
    with serve_in_thread(app) as url:
        receiver.url = url
        receiver.port = int(url.rsplit(":", 1)[1])
        yield receiver
