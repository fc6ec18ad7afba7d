"""The in-process rate-limit counters keep the `limits` library's sliding-window-counter semantics."""

from __future__ import annotations

import random
import time

import pytest
from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from dossier.kit.ratelimit import LocalSlidingWindows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_local_windows_decide_like_the_library(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    clock = [1_700_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    reference = SlidingWindowCounterRateLimiter(MemoryStorage())
    local = LocalSlidingWindows()
    items = [RateLimitItemPerMinute(7), RateLimitItemPerSecond(3)]
    rnd = random.Random(seed)
    decisions = 0
    for _ in range(600):
        clock[0] += rnd.choices([0.0, 0.05, 0.3, 1.0, 7.5, 30.0, 61.0, 150.0], [40, 20, 10, 5, 4, 3, 2, 1])[0]
        item = rnd.choice(items)
        key = rnd.choice(["k1", "k2"])
        got, want = local.hit(item, key, "read"), reference.hit(item, key, "read")
        assert got == want, (clock[0], item, key)
        decisions += not got
        ours, theirs = local.get_window_stats(item, key, "read"), reference.get_window_stats(item, key, "read")
        assert ours.remaining == theirs.remaining
        assert ours.reset_time == pytest.approx(theirs.reset_time)
    assert decisions > 0  # the sequence did run into the limits


def test_local_windows_refuse_then_recover(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [6_000.0]  # the start of a one-minute window
    monkeypatch.setattr(time, "time", lambda: clock[0])
    local = LocalSlidingWindows()
    item = RateLimitItemPerMinute(3)
    assert [local.hit(item, "k", "read") for _ in range(4)] == [True, True, True, False]
    assert local.get_window_stats(item, "k", "read").remaining == 0
    clock[0] += 60  # next window: the previous one still weighs in fully
    assert local.hit(item, "k", "read") is False
    clock[0] += 40  # two thirds through: the previous window weighs 1
    assert local.get_window_stats(item, "k", "read").remaining == 2
    assert local.hit(item, "k", "read") is True
    clock[0] += 200  # long idle: both windows are over
    assert local.get_window_stats(item, "k", "read").remaining == 3
    # Scopes and keys count separately.
    assert local.hit(item, "k", "write") is True and local.hit(item, "other", "read") is True


async def test_no_window_of_the_configured_length_passes_more_writes_than_the_budget(db, backend):
    """Writes fired steadily across several windows: any run of budget+1 accepted writes spans a whole window.

    The window is shrunk to 2 s (DOSSIER_RATE_LIMIT_WINDOW_SECONDS) so boundaries pass within the test; the
    server's acceptance time of each write lies between when it was sent and when its answer came back.
    """
    import asyncio

    import httpx

    from dossier.app import create_app
    from tests.factories import auth, new_org
    from tests.support import serve_in_thread

    window, budget = 2.0, 5
    settings = backend.settings.model_copy(
        update={"rate_limit_window_seconds": int(window), "rate_limit_write_per_minute": budget,
                "rate_limit_write_burst": 100}
    )
    org = await new_org(db, settings)
    accepted: list[tuple[float, float]] = []
    refused = 0
    with serve_in_thread(create_app(settings, workers=False)) as url:
        async with httpx.AsyncClient(base_url=url, headers=auth(org.key)) as client:
            started = time.monotonic()
            while time.monotonic() - started < 3.5 * window:
                sent = time.monotonic()
                # An invalid body is still a counted write: the key is checked (and counted) first.
                resp = await client.post("/v1/companies/signals", json={})
                done = time.monotonic()
                if resp.status_code == 429:
                    refused += 1
                    assert resp.json()["retryAfter"] >= 1
                else:
                    assert resp.status_code == 400, resp.text
                    accepted.append((sent, done))
                await asyncio.sleep(0.02)
    assert refused > 0 and len(accepted) >= 3 * budget  # the budget was hit, and renewed window after window
    for first, last in zip(accepted, accepted[budget:], strict=False):
        assert last[1] - first[0] >= window, (first, last)
