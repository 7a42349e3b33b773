"""Login throttling: after too many failed sign-ins for one name or from one
client (bot/client_address.py), further attempts are refused for a while (even
with the right password). An attempt counts as failed from its start."""
from __future__ import annotations

import time
from typing import Callable


class LoginThrottle:
    def __init__(self, max_failures: int, lock_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._max = max_failures
        self._lock_seconds = lock_seconds
        self._clock = clock
        # key -> (failures in a row, locked until)
        self._state: dict[str, tuple[int, float]] = {}

    @staticmethod
    def keys(name: str, client: str) -> tuple[str, str]:
        return f"name:{name.strip().lower()}", f"client:{client}"

    def retry_after(self, *keys: str) -> int:
        """Seconds until these keys may try again; 0 when not locked."""
        now = self._clock()
        waits = [until - now for _, until in (self._state.get(k, (0, 0.0)) for k in keys)]
        return max(0, int(max(waits, default=0) + 0.999))

    def attempt(self, *keys: str) -> int:
        """Count a sign-in attempt as failed before its password is checked, unless the
        keys are locked: then the seconds to wait (0 when counted). Counted first, so a
        burst of parallel attempts gets at most `max_failures` password checks, not one
        each; a right password takes the count back with `succeeded`."""
        wait = self.retry_after(*keys)
        if not wait:
            self.failed(*keys)
        return wait

    def failed(self, *keys: str) -> None:
        now = self._clock()
        for key in keys:
            failures, until = self._state.get(key, (0, 0.0))
            if until and until <= now:
                failures = 0
            failures += 1
            self._state[key] = (failures, now + self._lock_seconds if failures >= self._max else 0.0)
        if len(self._state) > 10_000:
            self._forget_old(now)

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._state.pop(key, None)

    def _forget_old(self, now: float) -> None:
        for key, (_, until) in list(self._state.items()):
            if until <= now:
                del self._state[key]
