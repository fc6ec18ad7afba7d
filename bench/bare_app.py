"""The comparison point for bench/api_latency.py: FastAPI routes that return constant JSON bodies.

They answer the same paths the bench sends to Dossier, and the bench sends them the same requests (query
string and Authorization header included, then ignored), so the two servers and the client handle
requests of the same shape and only the work behind the route differs. Body sizes come from the
environment so they match the real responses being measured.
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from starlette.responses import Response

app = FastAPI()
_LIST = ("x" * int(os.environ.get("BARE_LIST_BYTES", "20000"))).encode()
_GET = ("x" * int(os.environ.get("BARE_GET_BYTES", "1000"))).encode()
# A JSON string literal of the requested size (quotes included).
_LIST_BODY = b'"' + _LIST[2:] + b'"'
_GET_BODY = b'"' + _GET[2:] + b'"'


@app.get("/v1/companies/signals")
async def bare_list() -> Response:
    return Response(_LIST_BODY, media_type="application/json")


@app.get("/v1/companies/signals/{signal_id}")
async def bare_get(signal_id: str) -> Response:
    return Response(_GET_BODY, media_type="application/json")
