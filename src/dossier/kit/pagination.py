"""The list envelopes of the wire contract."""

from __future__ import annotations

from typing import Any

# The contract bounds offset only below (>= 0). Past this no table reaches, and offset + limit still fits
# the 64-bit integers both databases bind.
MAX_OFFSET = 2**62
# An offset in a JSON body: the largest integer a double holds exactly (JavaScript's MAX_SAFE_INTEGER), so
# every client and schema tool reads the bound as the number it is (2**62 read as a double admits more).
MAX_JSON_OFFSET = 2**53 - 1


def results_envelope(results: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"results": results, "total": total, "limit": limit, "offset": offset, "count": len(results)}


def items_envelope(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "hasMore": offset + len(items) < total,
    }
