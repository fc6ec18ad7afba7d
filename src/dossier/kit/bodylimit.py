"""A cap on request bodies, enforced while they arrive rather than after they were read.

A declared `Content-Length` over the cap is answered 413 before a byte of the body is read (and the
connection is closed, so the client's upload is not drained either). A body without a declared length
(chunked) is counted as the ASGI server hands over its chunks; the chunk that passes the cap raises the
413 inside whatever was reading, so at most the cap plus one chunk is ever held.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dossier.kit.errors import ApiError, render_error

_CLOSE = {"Connection": "close"}


def too_large_message(limit: int) -> str:
    return f"Request body is larger than the server's limit of {limit} bytes"


class BodyLimit:
    """ASGI middleware: 413 in the error envelope for bodies over `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            rid = str(scope.get("state", {}).get("request_id", ""))
            response = render_error(rid, ApiError(413, too_large_message(limit), headers=dict(_CLOSE)))
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # An HTTPException passes through FastAPI's body reading untouched and is rendered by
                    # the app's handler in the envelope.
                    raise HTTPException(413, too_large_message(limit), headers=dict(_CLOSE))
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            # A malformed length never reaches here: the HTTP server refuses it first.
            return int(text) if text.isdigit() else None
    return None
