"""Schemas and response declarations shared by every endpoint's OpenAPI entry."""

from __future__ import annotations

from collections.abc import Callable
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
    415: "Unsupported Media Type",
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


def parameter_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A query or header parameter's schema without pydantic's `anyOf [T, null]` for an optional value.

    An optional parameter is one a client leaves out; it cannot be sent as JSON null. Keywords pydantic puts
    beside the `anyOf` (`format`, an array's `items` with their enum, `enum`) describe T, so they are merged
    into it: `{"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}], "items": {...enum}}`
    becomes `{"type": "array", "items": {...enum}}`.
    """
    options = schema.get("anyOf")
    if not isinstance(options, list):
        return schema
    kept = [option for option in options if option != {"type": "null"}]
    if len(kept) != 1 or len(kept) == len(options):
        return schema
    outer = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**kept[0], **outer}


def documented(*, nullable: bool = True, **keywords: Any) -> Callable[[dict[str, Any]], None]:
    """A field's `json_schema_extra` that declares a rule the service checks in code (so the server keeps its
    own wording for the 400) on the field's value schema, beside pydantic's `anyOf [T, null]` or in place of it
    when the contract does not let the field be null."""

    def apply(schema: dict[str, Any]) -> None:
        options = schema.get("anyOf")
        if isinstance(options, list):
            value = next(option for option in options if option != {"type": "null"})
            if not nullable:
                del schema["anyOf"]
                schema.update(value)
                value = schema
        else:
            value = schema
        if "$ref" in value and "enum" in keywords:
            del value["$ref"]  # a subset of the shared enum, inline
        value.update(keywords)

    return apply


def output_schema_rule(schema: dict[str, Any]) -> None:
    """The contract's "outputSchema: required for and only for json_schema" as JSON Schema 2020-12 (OpenAPI
    3.1): a non-empty object with answerType json_schema, absent, null or {} otherwise. That it must itself be
    a valid JSON Schema is checked by the server (400) and only described here."""
    schema["if"] = {"properties": {"answerType": {"const": "json_schema"}}, "required": ["answerType"]}
    schema["then"] = {
        "properties": {"outputSchema": {"type": "object", "minProperties": 1}},
        "required": ["outputSchema"],
    }
    schema["else"] = {
        "properties": {"outputSchema": {"anyOf": [{"type": "null"}, {"type": "object", "maxProperties": 0}]}}
    }


JSON_VALUE = "JsonValue"
_JSON_VALUE_REF = {"$ref": f"#/components/schemas/{JSON_VALUE}"}
# Numbers the server stores and returns exactly on both databases (kit.jsonbody refuses others with a 400).
_NUMBER_LIMIT = 2**63


def bound_request_json(document: dict[str, Any]) -> None:
    """Declare what every request body may hold where the contract lets a client send any JSON (unknown
    fields, outputSchema, qualificationCriteria, connectors): a `JsonValue`, whose numbers are within the
    64-bit range. The request schemas otherwise leave those values unconstrained, and a client (or a fuzzer)
    reading the document would send `1e400` and be refused with a 400 the document did not announce."""
    components: dict[str, Any] = document["components"]["schemas"]
    reached: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in reached and name in components:
                    reached.add(name)
                    collect(components[name])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    for path_item in document["paths"].values():
        for operation in path_item.values():
            collect(operation.get("requestBody"))

    def bound(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and node.get("additionalProperties", True) is True:
                node["additionalProperties"] = dict(_JSON_VALUE_REF)
            for value in node.values():
                bound(value)
        elif isinstance(node, list):
            for value in node:
                bound(value)

    for name in reached:
        bound(components[name])
    components[JSON_VALUE] = {
        "description": "Any JSON value; its numbers are within the 64-bit range (others are refused with 400).",
        "anyOf": [
            {"type": "null"},
            {"type": "boolean"},
            {"type": "string"},
            {"type": "number", "exclusiveMinimum": -_NUMBER_LIMIT, "exclusiveMaximum": _NUMBER_LIMIT},
            {"type": "array", "items": dict(_JSON_VALUE_REF)},
            {"type": "object", "additionalProperties": dict(_JSON_VALUE_REF)},
        ],
    }
