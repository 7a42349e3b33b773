"""The gateway's clock: naive UTC, as every table stores its times.

At the bottom of the gateway's modules (it imports nothing of the gateway), so
the chat, the handoff, the desk and retention all read the same clock."""
from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
