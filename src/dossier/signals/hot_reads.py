"""The signal reads clients poll most, answered without FastAPI's routing and parameter machinery.

Getting one signal and listing signals are most of a read API's traffic, and FastAPI's per-request work
for them (matching the route among all the others, solving the auth dependency, validating up to eight
query parameters one at a time) cost more than the database read itself. This ASGI layer sits inside the
request-context middleware and answers those requests directly when they are plainly well formed: a
UUID id, each parameter at most once, canonical integers within bounds, a domain that matches the
pattern. Everything else (a malformed id, `limit=0`, a repeated parameter, a HEAD, any other route) goes
on to the FastAPI app untouched, so every validation error a client can provoke still comes from the one
declared validation path. The endpoints' own logic (authentication, filters, dates, statuses, the wire
form) is shared: this module only decides that a request is well formed and calls the same functions.
`tests/signals/test_hot_reads.py` checks that both paths answer identically.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from dossier.accounts.dependencies import authenticate
from dossier.kit.auth import Principal
from dossier.kit.db import Database
from dossier.kit.errors import ApiError, RateLimitExceeded, render_error, render_rate_limit
from dossier.kit.ids import is_uuid
from dossier.kit.pagination import MAX_OFFSET, results_envelope
from dossier.kit.responses import JSONBody
from dossier.kit.validation import DOMAIN_PATTERN
from dossier.signals import service

Work = Callable[[Database, Principal], Awaitable[dict[str, Any]]]

_LISTS = {"/v1/companies/signals": "company", "/v1/contacts/signals": "contact"}
_ITEMS = (("/v1/companies/signals/", "company"), ("/v1/contacts/signals/", "contact"))
# The parameters each list declares (see signals/endpoints.py), and which of them repeat.
_PARAMETERS = {
    "company": frozenset({"domain", "companyId", "limit", "offset", "fromDate", "toDate", "status", "subscriptionId"}),
    "contact": frozenset({"contactProfileUrl", "limit", "offset"}),
}
_REPEATABLE = frozenset({"status"})
_DOMAIN = re.compile(DOMAIN_PATTERN)
_DIGITS = re.compile(r"[0-9]{1,19}")
MAX_PROFILE_URL = 2048


class HotReadCounter:
    """How many requests the hot path answered (exposed for tests and debugging)."""

    def __init__(self) -> None:
        self.answered = 0


class HotSignalReads:
    def __init__(self, app: ASGIApp, counter: HotReadCounter | None = None) -> None:
        self.app = app
        self.counter = counter or HotReadCounter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        work = plan(scope) if scope["type"] == "http" and scope["method"] == "GET" else None
        if work is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive, send)
        rid: str = scope["state"]["request_id"]
        response: Response
        try:
            principal = await authenticate(request)
            response = JSONBody(await work(request.app.state.db, principal))
        except ApiError as err:
            response = render_error(rid, err)
        except RateLimitExceeded as exc:
            response = render_rate_limit(rid, exc)
        self.counter.answered += 1
        await response(scope, receive, send)


def plan(scope: Scope) -> Work | None:
    """The work for a well-formed hot read, or None to leave the request to the app."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    kind = _LISTS.get(path)
    if kind is not None:
        return _plan_list(kind, scope.get("query_string", b""))
    for prefix, item_kind in _ITEMS:
        if path.startswith(prefix):
            signal_id = path[len(prefix) :]
            return _plan_get(signal_id, item_kind) if is_uuid(signal_id) else None
    return None


def _plan_get(signal_id: str, kind: str) -> Work:
    async def get(db: Database, principal: Principal) -> dict[str, Any]:
        return await service.get_signal(db, principal, signal_id, kind)

    return get


def _plan_list(kind: str, query_string: bytes) -> Work | None:
    values: dict[str, list[str]] = {}
    declared = _PARAMETERS[kind]
    for name, value in QueryParams(query_string).multi_items():
        if name in declared:
            values.setdefault(name, []).append(value)
    one: dict[str, str] = {}
    for name, given in values.items():
        if name in _REPEATABLE:
            continue
        if len(given) > 1:
            return None
        one[name] = given[0]
    limit = _bounded_int(one.get("limit"), 25, 1, 25)
    offset = _bounded_int(one.get("offset"), 0, 0, MAX_OFFSET)
    if limit is None or offset is None:
        return None

    if kind == "contact":
        profile_url = one.get("contactProfileUrl")
        if profile_url is not None and len(profile_url) > MAX_PROFILE_URL:
            return None

        async def contacts(db: Database, principal: Principal) -> dict[str, Any]:
            f = service.contact_filter(profile_url)
            results, total = await service.list_signals(db, principal, f, limit=limit, offset=offset)
            return results_envelope(results, total, limit, offset)

        return contacts

    domain = one.get("domain")
    if domain is not None and not (len(domain) <= 253 and _DOMAIN.fullmatch(domain)):
        return None

    async def companies(db: Database, principal: Principal) -> dict[str, Any]:
        f = service.company_filter(
            domain, one.get("companyId"), values.get("status"), one.get("fromDate"), one.get("toDate"),
            one.get("subscriptionId"),
        )  # fmt: skip
        results, total = await service.list_signals(db, principal, f, limit=limit, offset=offset)
        return results_envelope(results, total, limit, offset)

    return companies


def _bounded_int(text: str | None, default: int, low: int, high: int) -> int | None:
    """A canonical decimal within bounds; None for anything the declared validation should judge."""
    if text is None:
        return default
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None
