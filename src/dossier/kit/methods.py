"""The methods a path answers to, for the `Allow` header of a 405.

Starlette's router stops at the first route whose path matches and names only that route's methods, but
a path is often served by several routes (GET, PATCH and DELETE of a template are three): the header
must list them all. Each method is asked of the routes through the public `BaseRoute.matches`, which also
works for FastAPI's included routers (they match on behalf of the routes inside them).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import Scope

_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> str:
    allowed = [
        method
        for method in _METHODS
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    ]
    return ", ".join(allowed)
