"""Which counsellors are at the desk: signed in with the desk page open, i.e. a
desk WebSocket connected or a desk request within the last `window` seconds."""
from __future__ import annotations

import time
from collections import Counter
from typing import Callable


class Presence:
    def __init__(self, window_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._window = window_seconds
        self._clock = clock
        self._seen: dict[int, float] = {}  # counsellor session id -> last request
        self._sockets: Counter[int] = Counter()  # counsellor session id -> open desk sockets

    def seen(self, session_id: int) -> None:
        self._seen[session_id] = self._clock()

    def connected(self, session_id: int) -> None:
        self._sockets[session_id] += 1
        self.seen(session_id)

    def disconnected(self, session_id: int) -> None:
        self._sockets[session_id] -= 1
        if self._sockets[session_id] <= 0:
            del self._sockets[session_id]

    def signed_out(self, session_id: int) -> None:
        self._seen.pop(session_id, None)
        self._sockets.pop(session_id, None)

    def count(self) -> int:
        now = self._clock()
        recent = {sid for sid, at in self._seen.items() if now - at <= self._window}
        return len(recent | set(self._sockets))
