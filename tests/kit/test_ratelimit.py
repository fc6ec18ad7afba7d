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
