"""Per-API-key rate limits: a per-minute budget plus a one-second burst cap, separately for writes and reads.

Writes use the `limits` library's moving window: it remembers when each counted request was made, so no
60-second span, wherever it starts, ever holds more than the budget. (A sliding window *counter* only
estimates the previous minute's share; a run of writes on both sides of a minute boundary could pass
nearly twice the budget.) Writes are the expensive requests, and the library's own strategies cost a
few microseconds against their milliseconds of database work.

Reads keep the sliding-window-counter algorithm (the previous fixed window's count, weighted by how much
of it still overlaps the sliding window, plus the current window's count): a read budget is 100,000 a
minute, which a moving window would have to remember request by request. Shared storages (Redis,
Memcached, ...) go through the `limits` library's async strategies. In-process read counting, the
default, is done here: the library's memory storage (per-key locks, an expiry timer thread, key
formatting, three calls per request) cost about 30 µs of a 160 µs request, and these few integers cost
about 2 µs.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio import strategies as async_strategies
from limits.aio.storage import MemoryStorage
from limits.aio.storage import Storage as AsyncStorage
from limits.storage import storage_from_string
from limits.util import WindowStats

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
        window_seconds: int = 60,
    ) -> None:
        """`*_per_minute` are counted over `window_seconds` (60; tests shrink it to see windows pass)."""
        scheme = storage.split("://", 1)[0]
        self._sync: LocalSlidingWindows | None = None
        self._async: async_strategies.SlidingWindowCounterRateLimiter | None = None
        backend: AsyncStorage
        if scheme in ("memory", "async+memory"):
            self._sync = LocalSlidingWindows()
            backend = MemoryStorage()
        elif scheme.startswith("async+"):
            shared = storage_from_string(storage)
            if not isinstance(shared, AsyncStorage):  # pragma: no cover - the scheme says async
                raise ValueError(f"rate limit storage {storage!r} is not an async storage")
            backend = shared
            self._async = async_strategies.SlidingWindowCounterRateLimiter(backend)
        else:
            raise ValueError(
                f"rate limit storage {storage!r} would block the server: use its async+ scheme (e.g. async+redis://)"
            )
        try:
            self._moving = async_strategies.MovingWindowRateLimiter(backend)
        except NotImplementedError:
            raise ValueError(f"rate limit storage {storage!r} cannot count a moving window (use Redis)") from None
        self._write = (RateLimitItemPerSecond(write_per_minute, window_seconds), RateLimitItemPerSecond(write_burst))
        self._read = (RateLimitItemPerSecond(read_per_minute, window_seconds), RateLimitItemPerSecond(read_burst))

    async def hit(self, key_id: str, method: str) -> RateLimitState:
        """Count one request; raise RateLimitExceeded when either window is full."""
        scope = "write" if method in WRITE_METHODS else "read"
        per_minute, burst = self._write if scope == "write" else self._read
        for item in (burst, per_minute):
            if not await self._hit(item, key_id, scope):
                stats = await self._stats(item, key_id, scope)
                retry_after = max(1, math.ceil(stats.reset_time - time.time()))
                raise RateLimitExceeded(retry_after, per_minute.amount, math.ceil(stats.reset_time))
        stats = await self._stats(per_minute, key_id, scope)
        return RateLimitState(per_minute.amount, max(0, stats.remaining), math.ceil(stats.reset_time))

    async def _hit(self, item: RateLimitItem, key_id: str, scope: str) -> bool:
        if scope == "write":
            return await self._moving.hit(item, key_id, scope)
        if self._sync is not None:
            return self._sync.hit(item, key_id, scope)
        assert self._async is not None
        return await self._async.hit(item, key_id, scope)

    async def _stats(self, item: RateLimitItem, key_id: str, scope: str) -> WindowStats:
        if scope == "write":
            return await self._moving.get_window_stats(item, key_id, scope)
        if self._sync is not None:
            return self._sync.get_window_stats(item, key_id, scope)
        assert self._async is not None
        return await self._async.get_window_stats(item, key_id, scope)


class LocalSlidingWindows:
    """Sliding window counters in this process's memory, with the `limits` library's semantics.

    Only the event loop's thread calls it, so there is no lock. One entry per (item, key, scope): the
    index of the current fixed window and the counts of it and the one before.
    """

    def __init__(self) -> None:
        self._windows: dict[tuple[int, int, str, str], list[int]] = {}

    def _counts(self, item: RateLimitItem, key_id: str, scope: str, now: float) -> tuple[list[int], float]:
        expiry = item.get_expiry()
        index = int(now // expiry)
        slot = (item.amount, expiry, key_id, scope)
        entry = self._windows.get(slot)
        if entry is None:
            entry = self._windows[slot] = [index, 0, 0]
        elif entry[0] != index:
            # Roll forward: the old current window becomes the previous one, or both are over.
            entry[2] = entry[1] if entry[0] == index - 1 else 0
            entry[0], entry[1] = index, 0
        return entry, expiry - now % expiry

    def hit(self, item: RateLimitItem, key_id: str, scope: str) -> bool:
        now = time.time()
        entry, left = self._counts(item, key_id, scope, now)
        weighted = entry[2] * left / item.get_expiry() + entry[1]
        if math.floor(weighted) + 1 > item.amount:
            return False
        entry[1] += 1
        return True

    def get_window_stats(self, item: RateLimitItem, key_id: str, scope: str) -> WindowStats:
        now = time.time()
        entry, left = self._counts(item, key_id, scope, now)
        expiry = item.get_expiry()
        current, previous = entry[1], entry[2]
        remaining = max(0, item.amount - math.floor(previous * left / expiry + current))
        if not (previous or current):
            return WindowStats(now, remaining)
        # When the next unit frees up: a slice of the previous window's weight, or the current window's end.
        reset_in = math.inf
        if previous:
            reset_in = left % (expiry / previous)
        if current:
            reset_in = min(reset_in, left)
        return WindowStats(now + reset_in, remaining)


async def current_rate_limiter(request: Request) -> RateLimiter:
    # async: FastAPI runs a plain function dependency on its thread pool, a hop per request.
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


CurrentRateLimiter = Annotated[RateLimiter, Depends(current_rate_limiter)]
