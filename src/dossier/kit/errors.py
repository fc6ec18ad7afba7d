"""The standard error envelope, and the handlers that put every failure into it.

`{"error": {"type", "code", "message", "requestId", "fields"?}}` with the request id echoed in
`X-Request-Id`. FastAPI's own failures (validation, unknown route, wrong method, malformed JSON) and
unexpected exceptions are all translated here, so no other shape ever reaches a client.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from dossier.kit.methods import allowed_methods
from dossier.kit.validation import DOMAIN_MESSAGE

log = logging.getLogger("dossier.errors")

# status -> (type, code)
_KINDS: dict[int, tuple[str, str]] = {
    400: ("VALIDATION", "VALIDATION_ERROR"),
    401: ("UNAUTHORIZED", "UNAUTHORIZED"),
    403: ("FORBIDDEN", "FORBIDDEN"),
    404: ("NOT_FOUND", "NOT_FOUND"),
    405: ("METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED"),
    408: ("TIMEOUT", "REQUEST_TIMEOUT"),
    409: ("CONFLICT", "CONFLICT"),
    413: ("PAYLOAD_TOO_LARGE", "PAYLOAD_TOO_LARGE"),
    414: ("URI_TOO_LONG", "URI_TOO_LONG"),
    415: ("UNSUPPORTED_MEDIA_TYPE", "UNSUPPORTED_MEDIA_TYPE"),
    422: ("UNPROCESSABLE", "UNPROCESSABLE"),
    431: ("HEADERS_TOO_LARGE", "HEADERS_TOO_LARGE"),
    500: ("INTERNAL", "INTERNAL_ERROR"),
}


class FieldError:
    __slots__ = ("field", "message")

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message


class ApiError(Exception):
    """An error a client caused or must see; rendered in the standard envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        fields: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type, default_code = _KINDS.get(status, ("ERROR", "ERROR"))
        self.code = code or default_code
        self.fields = list(fields)
        self.headers = headers or {}


def validation_error(field: str, message: str) -> ApiError:
    return ApiError(400, f"'{field}' {message}", fields=[FieldError(field, f"'{field}' {message}")])


def invalid_request(fields: Sequence[FieldError]) -> ApiError:
    """A 400 for these bad fields: the one message when there is one, else "Invalid request: " and all of them."""
    if not fields:
        return ApiError(400, "Invalid request")
    message = fields[0].message if len(fields) == 1 else "Invalid request: " + "; ".join(f.message for f in fields)
    return ApiError(400, message, fields=fields)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


class RateLimitExceeded(Exception):
    def __init__(self, retry_after: int, limit: int, reset: int) -> None:
        super().__init__("Rate limit exceeded")
        self.retry_after = retry_after
        self.limit = limit
        self.reset = reset


def request_id_of(request: Request) -> str:
    """The request's id (made on first ask; the request-context middleware makes it as a request arrives)."""
    state = request.scope.setdefault("state", {})
    rid = state.get("request_id")
    if rid is None:
        rid = str(uuid.uuid4())
        state["request_id"] = rid
    return str(rid)


def error_response(request: Request, err: ApiError) -> Response:
    return render_error(request_id_of(request), err)


def render_error(rid: str, err: ApiError) -> Response:
    body: dict[str, Any] = {
        "type": err.type,
        "code": err.code,
        "message": err.message,
        "requestId": rid,
    }
    if err.fields:
        body["fields"] = [{"field": f.field, "message": f.message} for f in err.fields]
    headers = {"X-Request-Id": rid, **err.headers}
    return Response(
        orjson.dumps({"error": body}), status_code=err.status, media_type="application/json", headers=headers
    )


def _field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("query", "path", "header", "body")]
    return ".".join(parts) if parts else "body"


def _message_for(err: dict[str, Any], field: str) -> str:
    """Turn one pydantic error into a sentence a client developer can act on."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    leaf = field.rsplit(".", 1)[-1]
    if kind == "json_invalid":
        return "Request body is not valid JSON"
    if kind == "missing":
        return f"'{field}' is required"
    if kind == "string_pattern_mismatch" and leaf in ("domain", "companyDomain"):
        return f"'{field}' {DOMAIN_MESSAGE}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"'{field}' must be {_bound_text(kind, ctx)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{field}' must be an integer"
    if kind in ("float_parsing", "float_type"):
        return f"'{field}' must be a number"
    if kind in ("bool_parsing", "bool_type"):
        return f"'{field}' must be true or false"
    if kind in ("string_type",):
        return f"'{field}' must be a string"
    if kind in ("list_type",):
        return f"'{field}' must be an array"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{field}' must be an object"
    if kind == "string_too_short":
        return f"'{field}' must be at least {ctx.get('min_length')} characters"
    if kind == "string_too_long":
        return f"'{field}' must be at most {ctx.get('max_length')} characters"
    if kind == "too_long":
        return f"'{field}' must have at most {ctx.get('max_length')} items"
    if kind == "too_short":
        return f"'{field}' must have at least {ctx.get('min_length')} items"
    if kind in ("enum", "literal_error"):
        expected = ctx.get("expected")
        return f"'{field}' must be one of {expected}" if expected else f"'{field}' has an invalid value"
    msg = str(err.get("msg", "is invalid"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return f"'{field}' {msg[0].lower() + msg[1:]}" if msg else f"'{field}' is invalid"


def _bound_text(kind: str, ctx: dict[str, Any]) -> str:
    if kind == "greater_than_equal":
        return f"greater than or equal to {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"less than or equal to {ctx.get('le')}"
    if kind == "greater_than":
        return f"greater than {ctx.get('gt')}"
    return f"less than {ctx.get('lt')}"


def _from_validation(exc: RequestValidationError) -> ApiError:
    fields: list[FieldError] = []
    for err in exc.errors():
        loc = list(err.get("loc", ()))
        if err.get("type") == "json_invalid":
            return ApiError(400, "Request body is not valid JSON", fields=[FieldError("body", "invalid JSON")])
        # A body that is not an object at all: pydantic reports it at loc ("body",).
        name = _field_name(loc)
        fields.append(FieldError(name, _message_for(dict(err), name)))
    return invalid_request(fields)


def internal_error() -> ApiError:
    return ApiError(500, "An internal error occurred")


def render_rate_limit(rid: str, exc: RateLimitExceeded) -> Response:
    """The contract's 429 body (its own shape, not the error envelope) with Retry-After."""
    body = {
        "statusCode": 429,
        "message": "Rate limit exceeded",
        "error": "Too Many Requests",
        "retryAfter": exc.retry_after,
    }
    return Response(
        orjson.dumps(body),
        status_code=429,
        media_type="application/json",
        headers={"Retry-After": str(exc.retry_after), "X-Request-Id": rid},
    )


def install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(request, exc)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(request, _from_validation(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        if status == 404:
            err = ApiError(404, "Route not found")
        elif status == 405:
            err = ApiError(405, f"Method {request.method} not allowed for this route")
        else:
            detail = exc.detail if isinstance(exc.detail, str) else "Request failed"
            err = ApiError(status, detail)
        if exc.headers:
            err.headers.update(exc.headers)
        if status == 405:
            err.headers["Allow"] = allowed_methods(request.app.router.routes, request.scope)
        return error_response(request, err)

    async def on_rate_limit(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RateLimitExceeded)
        return render_rate_limit(request_id_of(request), exc)

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RateLimitExceeded, on_rate_limit)
