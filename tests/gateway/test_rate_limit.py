"""Token buckets: bursts pass, floods get 429 with Retry-After, keys are independent."""
from __future__ import annotations

from bot.rate_limit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill():
    clock = Clock()
    limiter = RateLimiter(per_minute=6, burst=3, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.retry_after("a") == 10
    clock.now += 10
    assert limiter.allow("a")
    assert not limiter.allow("a")


def test_keys_are_independent():
    limiter = RateLimiter(per_minute=1, burst=1, clock=Clock())
    assert limiter.allow("a")
    assert not limiter.allow("a")
    assert limiter.allow("b")


def test_full_buckets_are_forgotten():
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    for key in "abc":
        limiter.allow(key)
    assert len(limiter) == 3
    clock.now += 120
    limiter.allow("d")
    assert len(limiter) == 1
