"""One turn of a conversation, shared by the HTTP and WebSocket routes:
validate, rate-limit, scrub, check buttons, ask Rasa, store, push.

Typed text never reaches Rasa as a command: leading slashes are removed, so
"/restart" arrives as the word "restart". Only a button the bot offered in its
latest reply (or the widget's permanent "Snakk med veileder") is forwarded as
a payload.
"""
from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from aiohttp import web

from bot import errors, keys
from bot.desk import handoff, tickets
from bot.errors import ApiError
from bot.rasa_client import RasaUnavailable
from bot.scrubber import scrub
from bot.statistics import recording as statistics
from bot.storage import queries
from bot.storage.models import Message

logger = logging.getLogger(__name__)

COUNSELLOR_BUTTON = {"title": "Snakk med veileder", "payload": "/request_human"}
# Buttons the widget always shows, so the person may press them at any time.
ALWAYS_OFFERED = {COUNSELLOR_BUTTON["payload"]: COUNSELLOR_BUTTON["title"]}
GREETING_PAYLOAD = "/greet"
MAX_BUTTON_CHARS = 500
_COMMAND_PREFIX = re.compile(r"^[\s/]+")


@dataclass(frozen=True)
class UserInput:
    text: str | None = None
    button: str | None = None


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_input(data: object, max_chars: int) -> UserInput:
    """Check the shape of `{"text": ...}` or `{"button": ...}`; 400 or 413 when wrong."""
    if not isinstance(data, dict) or len(data) != 1:
        raise ApiError(400, errors.INVALID_FIELDS)
    (field, value), = data.items()
    if field not in ("text", "button") or not isinstance(value, str):
        raise ApiError(400, errors.INVALID_FIELDS)
    if field == "button":
        if not value or len(value) > MAX_BUTTON_CHARS:
            raise ApiError(400, errors.INVALID_FIELDS)
        return UserInput(button=value)
    if len(value) > max_chars:
        raise ApiError(413, errors.too_long(max_chars))
    if not value.strip():
        raise ApiError(400, errors.EMPTY_TEXT)
    return UserInput(text=value)


def neutralise_commands(text: str) -> str:
    """Strip what Rasa would read as an intent command (it strips, then looks for "/")."""
    return _COMMAND_PREFIX.sub("", text).strip()


def is_conversation_id(value: str) -> bool:
    try:
        return str(uuid.UUID(value, version=4)) == value
    except ValueError:
        return False


def message_json(row: Message) -> dict:
    out: dict = {"id": row.id, "from": row.sender}
    for field in ("text", "buttons", "custom"):
        value = getattr(row, field)
        if value is not None:
            out[field] = value
    return out


def check_rate(app: web.Application, conversation_id: str | None, client: str) -> None:
    checks = [(app[keys.CLIENT_LIMITER], f"client:{client}")]
    if conversation_id is not None:
        checks.insert(0, (app[keys.CONVERSATION_LIMITER], conversation_id))
    for limiter, key in checks:
        if not limiter.allow(key):
            logger.info("rate_limited scope=%s", "client" if key.startswith("client:") else "conversation")
            raise ApiError(429, errors.TOO_MANY_REQUESTS, {"Retry-After": str(limiter.retry_after(key))})


async def _ask_rasa(app: web.Application, conversation_id: str, text: str, metadata: dict | None = None) -> list[dict]:
    try:
        replies = await app[keys.RASA].send(conversation_id, text, metadata)
    except RasaUnavailable:
        raise ApiError(503, errors.unavailable(app[keys.SETTINGS].help_phone)) from None
    if not replies and not await app[keys.RASA].actions_answer():
        # Rasa carries on without the action server and answers nothing at all:
        # tell the person plainly, with the phone number, instead of silence.
        logger.warning("actions_unreachable")
        return [{"text": errors.actions_unavailable(app[keys.SETTINGS].help_phone)}]
    return replies


def _offered(replies: list[dict]) -> list[dict]:
    return [button for reply in replies for button in reply.get("buttons", [])]


async def start_conversation(app: web.Application) -> tuple[str, list[dict]]:
    """Create a conversation and return its id with the bot's greeting."""
    conversation_id = str(uuid.uuid4())
    db = app[keys.DB]
    async with app[keys.LOCKS].hold(conversation_id):
        async with db() as s, s.begin():
            await queries.create_conversation(s, conversation_id, utcnow())
        try:
            replies = await _ask_rasa(app, conversation_id, GREETING_PAYLOAD)
        except ApiError:
            async with db() as s, s.begin():
                await queries.delete_conversation(s, conversation_id)
            raise
        async with db() as s, s.begin():
            rows = await queries.add_messages(s, conversation_id, "bot", replies, utcnow())
            await queries.record_turn(s, conversation_id, _offered(replies), utcnow())
    logger.info("conversation_started replies=%d", len(rows))
    return conversation_id, [message_json(r) for r in rows]


async def take_turn(app: web.Application, conversation_id: str, client: str, data: object) -> list[dict]:
    """Handle one user message or button press; return the bot's replies as JSON."""
    settings = app[keys.SETTINGS]
    user_input = parse_input(data, settings.max_message_chars)
    check_rate(app, conversation_id, client)
    db = app[keys.DB]
    async with app[keys.LOCKS].hold(conversation_id):
        async with db() as s:
            offered_buttons, ticket = await tickets.offered_buttons_and_open_ticket(s, conversation_id)
        if offered_buttons is None:
            raise ApiError(404, errors.UNKNOWN_CONVERSATION)
        if ticket is not None:
            # Handed off: the person talks to the counsellor, not to the bot.
            if user_input.button is not None:
                raise ApiError(409, errors.BUTTON_DURING_HANDOFF)
            await handoff.forward_to_counsellor(app, ticket, scrub(user_input.text))
            return []
        if user_input.button is not None:
            offered = {b["payload"]: b["title"] for b in offered_buttons}
            title = offered.get(user_input.button) or ALWAYS_OFFERED.get(user_input.button)
            if title is None:
                logger.info("button_refused")
                raise ApiError(400, errors.BUTTON_NOT_OFFERED)
            shown, sent = title, user_input.button
        else:
            shown = scrub(user_input.text)
            sent = neutralise_commands(shown)
            if not sent:
                raise ApiError(400, errors.EMPTY_TEXT)
        replies = await _ask_rasa(app, conversation_id, sent, {"desk": handoff.desk_status(app)})
        now = utcnow()
        tallies = app[keys.TALLIES]
        count = tallies.adds_something(conversation_id, replies)
        async with db() as s, s.begin():
            rows = await queries.add_exchange(s, conversation_id, {"text": shown}, replies, now)
            exists = await queries.record_turn(s, conversation_id, _offered(replies), now)
            if count:
                await statistics.record_replies(s, conversation_id, replies, now, conversation_exists=exists)
        if count:
            tallies.remember(conversation_id, replies)
        out = [message_json(r) for r in rows]
        queued = await handoff.queue_from_replies(app, conversation_id, replies)
    logger.info("turn kind=%s replies=%d", "button" if user_input.button else "text", len(out))
    await app[keys.HUB].publish(conversation_id, {"type": "messages", "messages": out})
    if queued is not None:
        await handoff.publish_positions(app)
    return out


async def end_conversation(app: web.Application, conversation_id: str) -> bool:
    """Delete the transcript from the tracker store and the gateway database at once."""
    async with app[keys.LOCKS].hold(conversation_id):
        async with app[keys.DB]() as s:
            if await queries.get_conversation(s, conversation_id) is None:
                return False
        tracker_db = app[keys.TRACKER_DB]
        if tracker_db is not None:
            async with tracker_db() as s, s.begin():
                await queries.delete_tracker_events(s, conversation_id)
            app[keys.COMPACTOR].mark()
        async with app[keys.DB]() as s, s.begin():
            open_ticket = await tickets.open_ticket(s, conversation_id)
            had_tickets = await tickets.delete_tickets(s, conversation_id)
            await queries.delete_conversation(s, conversation_id)
    app[keys.TALLIES].forget(conversation_id)
    await app[keys.HUB].close_conversation(conversation_id)
    if open_ticket is not None:  # the person deleted the conversation during a handoff
        await app[keys.DESK_HUB].publish({"type": "ended", "ticket_id": open_ticket.id, "outcome": "deleted"})
    if had_tickets:
        await app[keys.DESK_HUB].publish({"type": "queue"})
    return True
