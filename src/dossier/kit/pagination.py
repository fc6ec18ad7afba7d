"""The list envelopes of the wire contract."""

from __future__ import annotations

from typing import Any

# The contract bounds offset only below (>= 0). Past this no table reaches, and offset + limit still fits
# the 64-bit integers both databases bind.
MAX_OFFSET = 2**62


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
