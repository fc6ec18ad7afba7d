"""URLs longer than the server accepts are answered 414 in the envelope.

The HTTP server refuses a request head over its limit while it is still arriving (kit.httpserver), but
a long URL that arrives in one piece is parsed whole; this layer holds every URL to the same documented
limit (`DOSSIER_MAX_URL_BYTES`, path and query as sent) before anything parses it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from dossier.kit.errors import ApiError, render_error


class UrlLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
            length = len(raw_path) + len(scope.get("query_string", b""))
            if length > self.max_bytes:
                rid = str(scope.get("state", {}).get("request_id", ""))
                err = ApiError(414, f"The request URL is longer than the server's limit of {self.max_bytes} bytes")
                await render_error(rid, err)(scope, receive, send)
                return
        await self.app(scope, receive, send)
