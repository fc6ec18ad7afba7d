"""Per-API-key rate limits: a per-minute budget plus a one-second burst cap, separately for writes and reads."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.aio.storage import Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string

from dossier.kit.errors import RateLimitExceeded

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    reset: int


class RateLimiter:
    def __init__(
        self,
        *,
        write_per_minute: int,
        write_burst: int,
        read_per_minute: int,
        read_burst: int,
        storage: str = "async+memory://",
    ) -> None:
        backend = storage_from_string(storage)
        if not isinstance(backend, Storage):
            raise ValueError(f"rate limit storage {storage!r} is not an async storage (use the async+ scheme)")
        self._limiter = SlidingWindowCounterRateLimiter(backend)
        self._write = (RateLimitItemPerMinute(write_per_minute), RateLimitItemPerSecond(write_burst))
        self._read = (RateLimitItemPerMinute(read_per_minute), RateLimitItemPerSecond(read_burst))

    async def hit(self, key_id: str, method: str) -> RateLimitState:
        """Count one request; raise RateLimitExceeded when either window is full."""
        scope = "write" if method in WRITE_METHODS else "read"
        per_minute, burst = self._write if scope == "write" else self._read
        for item in (burst, per_minute):
            if not await self._limiter.hit(item, key_id, scope):
                stats = await self._limiter.get_window_stats(item, key_id, scope)
                retry_after = max(1, math.ceil(stats.reset_time - time.time()))
                raise RateLimitExceeded(retry_after, per_minute.amount, math.ceil(stats.reset_time))
        stats = await self._limiter.get_window_stats(per_minute, key_id, scope)
        return RateLimitState(per_minute.amount, max(0, stats.remaining), math.ceil(stats.reset_time))
