"""The transcript's JSON shape: one stored message as the widget, the desk and the
WebSocket frames get it, and the buttons a bot turn offers.

Near the bottom of the gateway's modules (only the storage models below it), so
the chat, the handoff and the desk use it without importing each other."""
from __future__ import annotations

from bot.storage.models import Message


def message_json(row: Message) -> dict:
    out: dict = {"id": row.id, "from": row.sender}
    for field in ("text", "buttons", "custom"):
        value = getattr(row, field)
        if value is not None:
            out[field] = value
    return out


def buttons_offered(replies: list[dict]) -> list[dict]:
    """Every button the bot's replies offer, in order (what the person may press next)."""
    return [button for reply in replies for button in reply.get("buttons", [])]
