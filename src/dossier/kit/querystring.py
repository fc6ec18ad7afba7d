"""Array query parameters in bracket form read like repeated parameters.

Saber's n8n node sends a status list as `?status[0]=failed&status[1]=completed`, and other clients
(PHP, Rails, qs) write `status[]=failed`; FastAPI only reads `?status=failed&status=completed`. This ASGI
layer renames `name[]` and `name[N]` (brackets percent-encoded or not) to `name` before anything parses
the query, so every list-valued parameter accepts all three forms. Values are left byte for byte as sent.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote_plus

from starlette.types import ASGIApp, Receive, Scope, Send

_BRACKETED = re.compile(r"([^\[\]]+)\[[0-9]*\]")


def normalise_query(query: bytes) -> bytes:
    if b"[" not in query and b"%5b" not in query.lower():
        return query
    pieces = []
    for piece in query.split(b"&"):
        raw_name, eq, value = piece.partition(b"=")
        name = unquote_plus(raw_name.decode("latin-1"), encoding="utf-8", errors="replace")
        match = _BRACKETED.fullmatch(name)
        if match is not None:
            raw_name = quote(match.group(1), safe="").encode("ascii")
        pieces.append(raw_name + eq + value)
    return b"&".join(pieces)


class BracketArrays:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = scope.get("query_string", b"")
            normal = normalise_query(query)
            if normal is not query:
                scope = {**scope, "query_string": normal}
        await self.app(scope, receive, send)
