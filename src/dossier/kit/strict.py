"""Wire types that refuse what pydantic's lax mode would quietly convert.

Lax mode reads `"yes"`, `"on"` and `"1"` as `true`, and `"25.0"` or `25.0` as the integer 25. The
contract answers a value of the wrong JSON type with 400, and a query integer is written in digits.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, StrictBool
from pydantic_core import PydanticCustomError

_DIGITS = re.compile(r"[+-]?[0-9]+")


def _whole_number(value: Any) -> Any:
    if isinstance(value, str) and not _DIGITS.fullmatch(value.strip()):
        raise PydanticCustomError("int_parsing", "Input should be a valid integer")
    if isinstance(value, float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


# A query parameter or header that is an integer: `25`, never `25.0` or `2.5e1`.
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
# The same check for a bounded integer, placed after its `Query(ge=..., le=...)`:
# `Annotated[int, Query(ge=1, le=25), DIGITS_ONLY]`. Bounds that follow a validator (as in
# `Annotated[WholeNumber, Query(ge=1)]`) still hold, but the OpenAPI document then shows them as the
# non-JSON-Schema keys `ge`/`le` instead of `minimum`/`maximum`, so clients and fuzzers never see them.
DIGITS_ONLY = BeforeValidator(_whole_number)

# A JSON boolean: `true` or `false`, never `"yes"` or `1`.
JSONBool = StrictBool


def _json_integer(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise PydanticCustomError("int_from_float", "Input should be a valid integer")
        return int(value)
    return value


# A JSON integer in a body: `25` (or `25.0`, which JSON Schema counts as the integer 25), never `25.5`,
# `"25"` or `true`.
JSONInt = Annotated[int, BeforeValidator(_json_integer)]

__all__ = ["DIGITS_ONLY", "JSONBool", "JSONInt", "WholeNumber"]
