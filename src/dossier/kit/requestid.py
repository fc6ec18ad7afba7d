"""Request ids, and the response headers every response carries (request id, rate-limit state).

A pure ASGI middleware: Starlette's BaseHTTPMiddleware costs a task and a stream per request, which
shows up on the list endpoints' latency.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dossier.kit.errors import ApiError, internal_error, render_error

log = logging.getLogger("dossier.errors")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        rid = state.setdefault("request_id", str(uuid.uuid4()))

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"x-request-id" not in names:
                    headers.append((b"x-request-id", rid.encode()))
                rate = state.get("ratelimit")
                if rate is not None:
                    headers.append((b"x-ratelimit-limit", str(rate[0]).encode()))
                    headers.append((b"x-ratelimit-remaining", str(rate[1]).encode()))
                    headers.append((b"x-ratelimit-reset", str(rate[2]).encode()))
                message["headers"] = headers
            await send(message)

        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            # PostgreSQL text cannot hold NUL, and no identifier or filter value contains one.
            err = ApiError(400, "Request contains a NUL character")
            await render_error(rid, err)(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Catching here (inside Starlette's ServerErrorMiddleware) keeps internals out of the body and
            # still gives the client the envelope with its request id.
            log.exception("unhandled error on %s %s (request %s)", scope.get("method"), scope.get("path"), rid)
            if started:
                raise
            response = render_error(rid, internal_error())
            await response(scope, receive, send_with_headers)
