"""One turn of a conversation, shared by the HTTP and WebSocket routes:
validate, rate-limit, scrub, check buttons, ask Rasa, answer and push, then store.

Typed text never reaches Rasa as a command: leading slashes are removed, so
"/restart" arrives as the word "restart". Only a button the bot offered in its
latest reply (or the widget's permanent "Snakk med veileder") is forwarded as
a payload.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import AsyncIterator

from aiohttp import web

from bot import errors, keys
from bot.clock import utcnow
from bot.errors import ApiError
from bot.handoff import flow as handoff
from bot.handoff import tickets
from bot.input_checks import clean_text
from bot.locks import Holding, LockWaitExceeded
from bot.rasa_client import RasaUnavailable
from bot.scrubber import scrub
from bot.statistics import recording as statistics
from bot.storage import queries
from bot.storage.engine import checkpoint_deletions, is_transient
from bot.storage.models import Message
from bot.transcript import buttons_offered, message_json

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


def clean_input(user_input: UserInput) -> UserInput:
    """Line breaks as "\n"; 400 for any other control character or a lone surrogate
    (bot/input_checks.py), before Rasa or the database sees the message."""
    if user_input.button is not None:
        return UserInput(button=clean_text(user_input.button))
    return UserInput(text=clean_text(user_input.text))


def neutralise_commands(text: str) -> str:
    """Strip what Rasa would read as an intent command (it strips, then looks for "/")."""
    return _COMMAND_PREFIX.sub("", text).strip()


def is_conversation_id(value: str) -> bool:
    try:
        return str(uuid.UUID(value, version=4)) == value
    except ValueError:
        return False


def check_rate(app: web.Application, conversation_id: str | None, client: str) -> None:
    checks = [(app[keys.CLIENT_LIMITER], f"client:{client}")]
    if conversation_id is not None:
        checks.insert(0, (app[keys.CONVERSATION_LIMITER], conversation_id))
    for limiter, key in checks:
        if not limiter.allow(key):
            logger.info("rate_limited scope=%s", "client" if key.startswith("client:") else "conversation")
            raise ApiError(429, errors.TOO_MANY_REQUESTS, {"Retry-After": str(limiter.retry_after(key))})


async def _ask_rasa(app: web.Application, conversation_id: str, text: str, metadata: dict | None = None) -> list[dict]:
    started = time.perf_counter()
    try:
        replies = await app[keys.RASA].send(conversation_id, text, metadata)
    except RasaUnavailable:
        app[keys.METRICS].rasa_call("unavailable", time.perf_counter() - started)
        raise ApiError(503, errors.unavailable(app[keys.SETTINGS].help_phone)) from None
    app[keys.METRICS].rasa_call("ok", time.perf_counter() - started)
    if not replies:
        if not await app[keys.RASA].actions_answer():
            # Rasa carries on without the action server and answers nothing at all:
            # tell the person plainly, with the phone number, instead of silence.
            logger.warning("actions_unreachable")
            return [{"text": errors.actions_unavailable(app[keys.SETTINGS].help_phone)}]
        # The bot answers every message; Rasa's REST channel reports a failure inside
        # (its tracker store unreachable, say) as an answer with nothing in it.
        logger.warning("rasa_answered_nothing")
        raise ApiError(503, errors.unavailable(app[keys.SETTINGS].help_phone))
    return replies


async def start_conversation(app: web.Application) -> tuple[str, list[dict]]:
    """Create a conversation and return its id with the bot's greeting."""
    conversation_id = str(uuid.uuid4())
    db = app[keys.DB]
    async with app[keys.LOCKS].hold(conversation_id) as holding:
        async with db() as s, s.begin():
            await queries.create_conversation(s, conversation_id, utcnow())
        try:
            replies = await _ask_rasa(app, conversation_id, GREETING_PAYLOAD)
        except ApiError:
            async with db() as s, s.begin():
                await queries.delete_conversation(s, conversation_id)
            raise
        async with db() as s, s.begin():
            rows = await queries.add_messages(s, conversation_id, "bot", replies, utcnow(), app[keys.MESSAGE_IDS])
            await queries.record_turn(s, conversation_id, buttons_offered(replies), utcnow())
        holding.leave_known(buttons_offered(replies))
    logger.info("conversation_started replies=%d", len(rows))
    return conversation_id, [message_json(r) for r in rows]


async def take_turn(app: web.Application, conversation_id: str, client: str, data: object) -> list[dict]:
    """Handle one user message or button press; return the bot's replies as JSON.

    The reply goes out as soon as Rasa has answered; the transcript, the buttons now
    offered and the statistics are stored right after, still under the conversation's
    lock (so its next turn, a deletion or a transcript read waits for them). A turn
    that queues a handoff is stored first: the ticket must exist before the person
    is told they are in the queue."""
    started = time.perf_counter()
    settings = app[keys.SETTINGS]
    user_input = parse_input(data, settings.max_message_chars)
    check_rate(app, conversation_id, client)
    # After the rate limit: a message refused for its characters counts like any other.
    user_input = clean_input(user_input)
    db = app[keys.DB]
    queued = None
    async with hold_conversation(app, conversation_id) as holding:
        # The buttons the previous turn offered, if it was a bot turn and nothing else
        # has touched the conversation since; otherwise from the database.
        offered_buttons, ticket = holding.known, None
        if offered_buttons is None:
            async with db() as s:
                offered_buttons, ticket = await tickets.offered_buttons_and_open_ticket(s, conversation_id)
        if offered_buttons is None:
            raise ApiError(404, errors.UNKNOWN_CONVERSATION)
        if ticket is not None:
            # Handed off: the person talks to the counsellor, not to the bot.
            if user_input.button is not None:
                raise ApiError(409, errors.BUTTON_DURING_HANDOFF)
            await handoff.forward_to_counsellor(app, ticket, scrub(user_input.text))
            app[keys.METRICS].turn("counsellor", time.perf_counter() - started)
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
        # The widget shows a reply's sources from its payload, so the text need not repeat them.
        replies = await _ask_rasa(
            app, conversation_id, sent, {"desk": handoff.desk_status(app), "sources_shown": True}
        )
        now = utcnow()
        ids = app[keys.MESSAGE_IDS]
        rows = [
            *queries.new_messages(conversation_id, "user", [{"text": shown}], now, ids),
            *queries.new_messages(conversation_id, "bot", replies, now, ids),
        ]
        out = [message_json(r) for r in rows[1:]]
        if handoff.queued_handoff(replies) is None:
            holding.leave_known(buttons_offered(replies))
            holding.hand_over(lambda: _store_turn_soon(app, conversation_id, rows, replies, now))
        else:
            # At most HANDOFF_MAX_OPEN_PER_CLIENT open tickets per client (bot/handoff/per_client.py).
            async with app[keys.TICKETS_PER_CLIENT].lock:
                if await handoff.may_queue(app, client):
                    await _store_turn(app, conversation_id, rows, replies, now)
                    queued = await handoff.queue_from_replies(app, conversation_id, replies, client)
                else:
                    replies = await handoff.refuse_queue(app, conversation_id, replies)
                    rows = [rows[0], *queries.new_messages(conversation_id, "bot", replies, now, ids)]
                    out = [message_json(r) for r in rows[1:]]
                    await _store_turn(app, conversation_id, rows, replies, now)
    logger.info("turn kind=%s replies=%d", "button" if user_input.button else "text", len(out))
    await app[keys.HUB].publish(conversation_id, {"type": "messages", "messages": out})
    if queued is not None:
        await handoff.publish_positions(app)
    app[keys.METRICS].turn("button" if user_input.button else "text", time.perf_counter() - started)
    return out


# A turn whose reply has gone out is stored again every STORE_RETRY_SECONDS while
# the database is unreachable (a restart), for up to STORE_GIVE_UP_SECONDS; then it
# is logged as lost. An error that trying again cannot cure is logged as lost at once. Meanwhile the conversation's next message waits at most
# WAIT_FOR_UNSTORED_SECONDS and is otherwise refused with a clear error (not sent
# to Rasa), so the person is never kept hanging while the database is away.
STORE_RETRY_SECONDS = 0.25
STORE_GIVE_UP_SECONDS = 60.0
WAIT_FOR_UNSTORED_SECONDS = 2.0


@asynccontextmanager
async def hold_conversation(app: web.Application, conversation_id: str) -> AsyncIterator[Holding]:
    """The conversation's lock, waited for only briefly while its last turn is still
    waiting for the database (503 then)."""
    wait = WAIT_FOR_UNSTORED_SECONDS if conversation_id in app[keys.UNSTORED] else None
    try:
        async with app[keys.LOCKS].hold(conversation_id, wait_seconds=wait) as holding:
            yield holding
    except LockWaitExceeded:  # only the wait above sets a limit
        logger.warning("turn_refused_unstored")
        raise ApiError(503, errors.unavailable(app[keys.SETTINGS].help_phone)) from None


async def _store_turn(app: web.Application, conversation_id: str, rows: list[Message], replies: list[dict], now: datetime) -> None:
    """The exchange, the buttons the person may press next, and the statistics, in one transaction."""
    tallies = app[keys.TALLIES]
    count = tallies.adds_something(conversation_id, replies)
    async with app[keys.DB]() as s, s.begin():
        await queries.insert_messages(s, rows)
        exists = await queries.record_turn(s, conversation_id, buttons_offered(replies), now)
        if count:
            await statistics.record_replies(s, conversation_id, replies, now, conversation_exists=exists)
    if count:
        tallies.remember(conversation_id, replies)


async def _store_turn_soon(app: web.Application, conversation_id: str, rows: list[Message], replies: list[dict], now: datetime) -> None:
    """`_store_turn` after the reply has gone out: tried again while the database is
    unreachable, since the person can no longer be told."""
    loop = asyncio.get_running_loop()
    give_up_at = loop.time() + STORE_GIVE_UP_SECONDS
    unstored = app[keys.UNSTORED]
    attempts = 0
    try:
        while True:
            attempts += 1
            try:
                await _store_turn(app, conversation_id, rows, replies, now)
            except Exception as exc:  # noqa: BLE001 - a database going away raises many kinds (asyncpg's own too)
                # Only what may pass is tried again (bot/storage/engine.py): an error of the
                # data itself (a NUL on PostgreSQL, a row stored already) would only hold
                # the conversation's lock for STORE_GIVE_UP_SECONDS and fail anyway.
                if not is_transient(exc) or loop.time() >= give_up_at:
                    logger.error("turn_store_failed type=%s attempts=%d", type(exc).__name__, attempts)
                    return
                if attempts == 1:
                    logger.warning("turn_store_retry type=%s", type(exc).__name__)
                    unstored.add(conversation_id)
                await asyncio.sleep(STORE_RETRY_SECONDS)
                continue
            if attempts > 1:
                logger.warning("turn_store_recovered attempts=%d", attempts)
            return
    finally:
        unstored.discard(conversation_id)


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
        async with app[keys.DB]() as s:
            async with s.begin():
                open_ticket = await tickets.open_ticket(s, conversation_id)
                had_tickets = await tickets.delete_tickets(s, conversation_id)
                await queries.delete_conversation(s, conversation_id)
            await checkpoint_deletions(s)
        # PostgreSQL: the deleted rows leave the tables' pages at a VACUUM soon after (bot/storage/vacuum.py).
        app[keys.VACUUM].mark()
    app[keys.TALLIES].forget(conversation_id)
    await app[keys.HUB].close_conversation(conversation_id)
    if open_ticket is not None:  # the person deleted the conversation during a handoff
        app[keys.METRICS].handoff_outcome(open_ticket.status, "deleted")
        await app[keys.DESK_HUB].publish({"type": "ended", "ticket_id": open_ticket.id, "outcome": "deleted"})
    if had_tickets:
        await app[keys.DESK_HUB].publish({"type": "queue"})
    return True
