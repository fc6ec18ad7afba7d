"""Schemas and response declarations shared by every endpoint's OpenAPI entry."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class FieldErrorModel(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    type: str
    code: str
    message: str
    requestId: str
    fields: list[FieldErrorModel] | None = None


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class RateLimitBody(BaseModel):
    statusCode: int
    message: str
    error: str
    retryAfter: int


_DESCRIPTIONS = {
    400: "Bad Request - Invalid parameters",
    401: "Unauthorized - Invalid or missing API key",
    404: "Not found or access denied",
    408: "Request Timeout",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests - Rate limit exceeded",
    500: "Internal Server Error",
}


def error_responses(*codes: int, **descriptions: str) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {}
    for code in (*codes, 429):
        model = RateLimitBody if code == 429 else ErrorEnvelope
        out[code] = {"model": model, "description": descriptions.get(f"d{code}", _DESCRIPTIONS[code])}
    return out
