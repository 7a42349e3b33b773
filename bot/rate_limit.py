"""In-memory token buckets: a burst is fine, a flood is not. Nothing is persisted,
and keys (conversation ids, client addresses) are forgotten once their bucket is full again."""
from __future__ import annotations

import time
from typing import Callable


class RateLimiter:
    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, updated_at)
        self._last_prune = clock()

    def _tokens(self, key: str, now: float) -> float:
        tokens, updated = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - updated) * self.rate)

    def allow(self, key: str) -> bool:
        """Take one token for `key`; False when its bucket is empty."""
        now = self._clock()
        self._prune(now)
        tokens = self._tokens(key, now)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1.0, now)
        return True

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` has a token again."""
        missing = 1.0 - self._tokens(key, self._clock())
        if missing <= 0 or self.rate <= 0:
            return 0 if missing <= 0 else 60
        return max(1, int(missing / self.rate + 0.999))

    def _prune(self, now: float) -> None:
        if now - self._last_prune < 60:
            return
        self._last_prune = now
        full = [k for k in self._buckets if self._tokens(k, now) >= self.burst]
        for key in full:
            del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)
