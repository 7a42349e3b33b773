"""What every WebSocket of the gateway shares, the chat's (bot/hub.py) and the desk's
(bot/desk/hub.py) alike (issue 18, finding 5): a cap on how many one client may hold
open, and pushes that never wait on one socket for long.

Per client address (`client_address`), chat and desk sockets together: a socket
beyond WS_MAX_PER_CLIENT is refused before the handshake, with a 429, a Norwegian
error and Retry-After; the widget tries again later with its usual back-off.

Per conversation (and per desk sign-in): the newest socket wins. When one more than
WS_MAX_PER_CONVERSATION is opened, the oldest is closed with CLOSE_REPLACED (4409);
the widget and the desk page do not reconnect on it (a newer tab shows the same).

Every push waits at most WS_SEND_TIMEOUT_SECONDS for a socket. A socket whose peer
has stopped reading fills its buffers and then blocks the sender; it is cut off (the
connection aborted: a peer that does not read gets no close frame either) and the
others get their push regardless, since a push goes to every socket at once.

It imports nothing of the gateway, so bot/keys.py can name it at the bottom.
"""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web

logger = logging.getLogger(__name__)

# Sent to the oldest socket of a conversation (or desk sign-in) when a newer one takes its place.
CLOSE_REPLACED = 4409
# How long a client over its cap is asked to wait.
RETRY_AFTER_SECONDS = 30


class ClientSockets:
    """How many WebSockets each client address holds open (in memory, never logged)."""

    def __init__(self, per_client: int) -> None:
        self.per_client = max(1, per_client)
        self._open: dict[str, int] = {}

    def admit(self, client: str) -> bool:
        """Count one more socket for `client`; False (nothing counted) when it has its cap."""
        count = self._open.get(client, 0)
        if count >= self.per_client:
            return False
        self._open[client] = count + 1
        return True

    def release(self, client: str) -> None:
        count = self._open.get(client, 0) - 1
        if count > 0:
            self._open[client] = count
        else:
            self._open.pop(client, None)

    def count(self, client: str) -> int:
        return self._open.get(client, 0)


def cut_off(transport: asyncio.BaseTransport | None) -> None:
    """End a socket's connection at once, buffered frames and all (closing it would
    wait for them to be read, which a peer that does not read never does)."""
    if transport is not None:
        transport.abort()


async def send(
    ws: web.WebSocketResponse, transport: asyncio.BaseTransport | None, frame: dict, timeout: float
) -> bool:
    """Push `frame` to `ws`; False when it did not go out, and the socket is cut off
    when it did not take the frame within `timeout` seconds."""
    if ws.closed:
        return False
    try:
        await asyncio.wait_for(ws.send_json(frame), timeout)
        return True
    except asyncio.TimeoutError:
        logger.info("ws_send_timeout")
        cut_off(transport)
    except (ConnectionError, RuntimeError):
        logger.info("ws_send_failed")
    return False


async def close(
    ws: web.WebSocketResponse, transport: asyncio.BaseTransport | None, code: int, timeout: float, message: bytes = b""
) -> None:
    """Close `ws` with `code`, waiting at most `timeout` seconds for the peer; then cut it off."""
    try:
        await asyncio.wait_for(ws.close(code=code, message=message), timeout)
    except asyncio.TimeoutError:
        logger.info("ws_close_timeout")
        cut_off(transport)
    except (ConnectionError, RuntimeError):
        cut_off(transport)
