"""The route class of every API router: HEAD wherever GET, and the key is checked before anything reads the request body.

FastAPI reads and parses a route's body before it solves the route's dependencies, so a request without
a valid key would have its whole body read (and held) before its 401. FastAPI's documented hook for
changing how a route handles its request is a custom `APIRoute` class: this one authenticates first
(the `authenticate` dependency then reuses the principal instead of counting the request twice against
the rate limit) and parses the body with kit.jsonbody, so bodies that are not JSON the databases can
hold get a precise 400 instead of a 500 later.
"""

from __future__ import annotations

import email.message
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from dossier.accounts.dependencies import authenticate
from dossier.kit.jsonbody import parse_json_body

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
_UNPARSED = object()


class CheckedJSONRequest(Request):
    """A request whose `json()` is kit.jsonbody's strict parse, done at most once."""

    _checked: Any = _UNPARSED

    async def json(self) -> Any:
        if self._checked is _UNPARSED:
            self._checked = parse_json_body(await self.body())
        return self._checked


def _key_dependant(dependant: Dependant | None) -> Dependant | None:
    """`authenticate` as it sits in the route's dependency tree (with its own dependencies), if it does."""
    pending = [dependant]
    while pending:
        current = pending.pop()
        if current is None:
            continue
        if current.call is authenticate:
            return current
        pending.extend(current.dependencies)
    return None


def _key_check(key: Dependant) -> Callable[[Request], Coroutine[Any, Any, Any]]:
    """`authenticate` called with its dependencies as FastAPI would give them (overrides included). They
    are the app's long-lived parts, each a function of the request alone, which this checks up front."""
    parts = []
    for part in key.dependencies:
        has_params = part.path_params or part.query_params or part.header_params or part.body_params
        if part.call is None or part.name is None or part.dependencies or has_params:
            raise TypeError(f"authenticate's dependency {part.name} must be a function of the request alone")
        parts.append((part.name, part.call))

    async def check(request: Request) -> Any:
        overrides = request.app.dependency_overrides
        values = {name: await overrides.get(call, call)(request) for name, call in parts}
        return await authenticate(request, **values)

    return check


def _is_json(content_type: str | None) -> bool:
    """FastAPI parses a body as JSON when it says so (`application/json`, `application/*+json`)."""
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


class KeyFirstRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        # HEAD is answered wherever GET is (uvicorn sends the headers and drops the body), as Starlette's
        # own routes do; app.py keeps it out of the OpenAPI document.
        if self.methods and "GET" in self.methods:
            self.methods.add("HEAD")

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        key = _key_dependant(self.dependant)
        check_key = _key_check(key) if key is not None else None
        has_body = self.body_field is not None

        async def key_first(request: Request) -> Response:
            checked = CheckedJSONRequest(request.scope, request.receive)
            if check_key is not None:
                await check_key(checked)
            content_type = checked.headers.get("content-type")
            if has_body and (content_type is None or _is_json(content_type)) and await checked.body():
                # Parsed here, outside FastAPI's body reading, so a refusal keeps its own message and fields.
                await checked.json()
            return await handler(checked)

        return key_first
