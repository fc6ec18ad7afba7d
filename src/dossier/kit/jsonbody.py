"""Request bodies as JSON that both databases store and return as sent.

The standard library's parser, which FastAPI would use, accepts `NaN`, `Infinity` and lone UTF-16
surrogates (`"\\ud800"`): none of them is JSON (RFC 8259), PostgreSQL's jsonb refuses the first two,
and a lone surrogate cannot be encoded as UTF-8 at all, so each used to surface later as a 500. orjson
refuses all three while parsing. What it still lets through is checked here on the parsed value:

* numbers outside the 64-bit range: orjson turns an integer literal beyond it into a float (so
  `18446744073709551616` would come back as `18446744073709552000`), PostgreSQL's jsonb keeps `1e20` as
  the integer `100000000000000000000`, and no such integer can be written back out by orjson;
* NUL characters, in keys or values: PostgreSQL text cannot hold them.
"""

from __future__ import annotations

from typing import Any

import orjson

from dossier.kit.errors import ApiError, FieldError

# Integers may use the unsigned 64-bit range (orjson reads and writes it exactly); a float is only safe
# below 2**63 in magnitude, because jsonb stores a large float as an integer that then has to fit.
_INT_MIN = -(2**63)
_INT_MAX = 2**64 - 1
_FLOAT_LIMIT = float(2**63)
RANGE_MESSAGE = "must be a number within the 64-bit range (magnitude below 9223372036854775808)"


def parse_json_body(raw: bytes) -> Any:
    """The parsed body, or an ApiError 400 in the envelope saying what is wrong and where."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        detail = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        # The message stays the one every malformed body gets; the field says what and where.
        raise ApiError(
            400, "Request body is not valid JSON", fields=[FieldError("body", f"invalid JSON: {detail}")]
        ) from None
    problem = _first_problem(value, [])
    if problem is not None:
        path, message = problem
        field = _dotted(path)
        raise ApiError(400, f"'{field}' {message}", fields=[FieldError(field, f"'{field}' {message}")])
    return value


def _first_problem(value: Any, path: list[str | int]) -> tuple[list[str | int], str] | None:
    # Iterative would spare the stack, but orjson already refuses nesting deeper than 1024 levels.
    if isinstance(value, str):
        return (path, "must not contain NUL characters") if "\x00" in value else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return None if _INT_MIN <= value <= _INT_MAX else (path, RANGE_MESSAGE)
    if isinstance(value, float):
        return None if -_FLOAT_LIMIT < value < _FLOAT_LIMIT else (path, RANGE_MESSAGE)
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return ([*path, key], "must not contain NUL characters in its name")
            found = _first_problem(item, [*path, key])
            if found is not None:
                return found
        return None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _first_problem(item, [*path, index])
            if found is not None:
                return found
    return None


def _dotted(path: list[str | int]) -> str:
    """`["signals", 0, "outputSchema", "maximum"]` -> `signals[0].outputSchema.maximum` (as the API names fields)."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "body"
