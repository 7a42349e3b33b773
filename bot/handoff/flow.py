"""The live handoff, from queue to resume (SPEC "Human handoff").

A `handoff` payload with status "queued" from the bot opens a ticket (the bot
has paused itself with `ConversationPaused`). While the ticket is waiting or
active, the person's messages go to the counsellor, not to Rasa. When it ends —
the counsellor ends it, the person cancels, or nobody accepts in time — the
gateway resumes the conversation through Rasa's HTTP API and passes on what
the bot says. Every step runs under the conversation's lock, like a turn.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone

from aiohttp import web

from bot import errors, keys
from bot.clock import utcnow
from bot.errors import ApiError
from bot.handoff import tickets
from bot.handoff.models import Ticket
from bot.rasa_client import RasaUnavailable
from bot.statistics.recording import record_outcome
from bot.storage import queries
from bot.transcript import buttons_offered, message_json

logger = logging.getLogger(__name__)

RESUME_INTENT = "EXTERNAL_handoff_ended"
OUTCOME_ENTITY = "handoff_outcome"
# Ticket status after each way of ending, and the outcome the bot is told.
CLOSINGS = {"ended": tickets.ENDED, "cancelled": tickets.CANCELLED, "timeout": tickets.TIMEOUT}

NOT_WAITING = "Du står ikke i kø til en veileder, og snakker ikke med en nå."
TICKET_GONE = "Samtalen er ikke lenger i køen. Kanskje en annen veileder har tatt den, eller den er avsluttet."
NOT_YOURS = "Denne samtalen er ikke din eller er allerede avsluttet."
# Said instead of queueing when the client has HANDOFF_MAX_OPEN_PER_CLIENT open tickets already.
QUEUE_REFUSED = (
    "Beklager, jeg kan ikke sette deg i kø til en veileder akkurat nå. Det står allerede "
    "henvendelser i kø fra samme nettverk som deg. Trenger du å snakke med noen nå, kan du ringe:\n"
    "{lines}\n\nEr noen i fare, ring 113."
)


def desk_status(app: web.Application, now: datetime | None = None) -> dict:
    """What the bot needs to know to offer a counsellor: metadata on every message."""
    at = (now or utcnow()).replace(tzinfo=timezone.utc)
    hours = app[keys.SETTINGS].opening_hours
    is_open = hours.is_open(at)
    available = is_open and app[keys.PRESENCE].count() > 0
    opens_next = None
    if not available:
        upcoming = hours.next_opening(at)
        opens_next = upcoming.isoformat() if upcoming is not None else None
    return {"available": available, "open": is_open, "opens_next": opens_next}


def queued_handoff(replies: list[dict]) -> dict | None:
    for reply in replies:
        custom = reply.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "handoff" and custom.get("status") == "queued":
            return custom
    return None


async def _record_outcome(session, ticket: Ticket, outcome: str, now: datetime) -> None:
    """Anonymous statistics: "handed_off" when accepted, "abandoned" when nobody got to talk."""
    await record_outcome(
        session, ticket.conversation_id, outcome, now, role=ticket.role, topic=ticket.topic, substance=ticket.substance
    )


# ------------------------------------------------------------------ pushes


async def publish_positions(app: web.Application) -> None:
    """Tell every waiting person their place in the queue, and every desk the queue changed."""
    async with app[keys.DB]() as s:
        queue = await tickets.waiting_queue(s)
    hub = app[keys.HUB]
    # All at once: a socket that does not read holds up nobody else's place in the queue.
    await asyncio.gather(*(
        hub.publish(ticket.conversation_id, {"type": "handoff", "status": "queued", "position": position})
        for position, ticket in enumerate(queue, start=1)
    ))
    await app[keys.DESK_HUB].publish({"type": "queue"})


async def _push_messages(app: web.Application, ticket: Ticket, messages: list[dict]) -> None:
    """To the person's tabs and to the desk of the counsellor who has the ticket."""
    await app[keys.HUB].publish(ticket.conversation_id, {"type": "messages", "messages": messages})
    await _push_to_counsellor(app, ticket, messages)


async def _push_to_counsellor(app: web.Application, ticket: Ticket, messages: list[dict]) -> None:
    if ticket.counsellor_id is not None:
        frame = {"type": "messages", "ticket_id": ticket.id, "messages": messages}
        await app[keys.DESK_HUB].publish(frame, counsellor_id=ticket.counsellor_id)


async def widget_state(app: web.Application, conversation_id: str) -> dict | None:
    """The person's handoff as the widget shows it after a reload: queued (with place) or active."""
    async with app[keys.DB]() as s:
        ticket = await tickets.open_ticket(s, conversation_id)
        if ticket is None:
            return None
        if ticket.status == tickets.ACTIVE:
            return {"type": "handoff", "status": "active"}
        queue = await tickets.waiting_queue(s)
    position = next((i for i, t in enumerate(queue, start=1) if t.id == ticket.id), None)
    return {"type": "handoff", "status": "queued", "position": position}


# ------------------------------------------------------------------ called from chat.take_turn (lock held)


async def may_queue(app: web.Application, client: str) -> bool:
    """Whether `client` may open one more ticket (HANDOFF_MAX_OPEN_PER_CLIENT). The caller
    holds `app[keys.TICKETS_PER_CLIENT].lock` until the ticket is open (bot/handoff/per_client.py)."""
    per_client = app[keys.TICKETS_PER_CLIENT]
    mine = per_client.conversations(client)
    if len(mine) < per_client.limit:
        return True
    async with app[keys.DB]() as s:
        still_open = await tickets.open_conversation_ids(s, mine)
    per_client.forget_closed(still_open, client)
    return len(still_open) < per_client.limit


async def refuse_queue(app: web.Application, conversation_id: str, replies: list[dict]) -> list[dict]:
    """Instead of the bot's "you are in the queue": the bot is unpaused (it paused itself
    when it queued the handoff) and the person is told, with the crisis lines, that
    they cannot be queued now. Returns what the person is told."""
    payload = queued_handoff(replies) or {}
    try:
        await app[keys.RASA].unpause(conversation_id)
    except RasaUnavailable:
        logger.warning("handoff_unpause_failed")
    lines = app[keys.CRISIS_LINES]
    reply: dict = {"text": QUEUE_REFUSED.format(lines="\n".join(f"• {line.number} – {line.name}" for line in lines))}
    if payload.get("reason") == tickets.CRISIS_REASON:
        # The widget shows the crisis lines in its emergency banner too.
        reply["custom"] = {"type": "crisis", "third_person": False, "role": None, "contacts": [line.json() for line in lines]}
    logger.info("handoff_refused scope=client crisis=%s", payload.get("reason") == tickets.CRISIS_REASON)
    return [reply]


async def queue_from_replies(
    app: web.Application, conversation_id: str, replies: list[dict], client: str
) -> Ticket | None:
    """Open a ticket if the bot just queued a handoff; returns it. `client` (its address)
    counts it towards HANDOFF_MAX_OPEN_PER_CLIENT while it is open."""
    payload = queued_handoff(replies)
    if payload is None:
        return None
    summary = payload.get("summary") if isinstance(payload.get("summary"), dict) else {}
    async with app[keys.DB]() as s, s.begin():
        if await tickets.open_ticket(s, conversation_id) is not None:
            return None
        ticket = await tickets.create_ticket(s, conversation_id, str(payload.get("reason") or "request_human"), summary, utcnow())
    app[keys.TICKETS_PER_CLIENT].add(client, conversation_id)
    app[keys.METRICS].handoff_queued()
    logger.info("handoff_queued crisis=%s", ticket.priority == tickets.CRISIS_PRIORITY)
    return ticket


async def forward_to_counsellor(app: web.Application, ticket: Ticket, text: str) -> list[dict]:
    """Store the person's (already scrubbed) message and push it to the desk and the person's tabs."""
    now = utcnow()
    async with app[keys.DB]() as s, s.begin():
        rows = await queries.add_messages(s, ticket.conversation_id, "user", [{"text": text}], now, app[keys.MESSAGE_IDS])
        await queries.record_turn(s, ticket.conversation_id, [], now)
    messages = [message_json(r) for r in rows]
    await _push_to_counsellor(app, ticket, messages)
    logger.info("handoff_user_message")
    return messages


# ------------------------------------------------------------------ desk actions


async def accept(app: web.Application, ticket_id: int, counsellor_id: int) -> Ticket:
    async with app[keys.DB]() as s:
        ticket = await tickets.get_ticket(s, ticket_id)
    if ticket is None:
        raise ApiError(404, TICKET_GONE)
    async with app[keys.LOCKS].hold(ticket.conversation_id):
        now = utcnow()
        async with app[keys.DB]() as s, s.begin():
            ticket = await tickets.get_ticket(s, ticket_id)
            if ticket is None or ticket.status != tickets.WAITING:
                raise ApiError(409, TICKET_GONE)
            ticket.status = tickets.ACTIVE
            ticket.counsellor_id = counsellor_id
            ticket.accepted_at = now
            conversation = await queries.get_conversation(s, ticket.conversation_id)
            conversation.last_activity_at = now
            await _record_outcome(s, ticket, "handed_off", now)
    app[keys.METRICS].handoff_outcome(tickets.WAITING, "accepted")
    await app[keys.HUB].publish(ticket.conversation_id, {"type": "handoff", "status": "active"})
    await publish_positions(app)
    logger.info("handoff_accepted")
    return ticket


async def _own_active_ticket(app: web.Application, ticket_id: int, counsellor_id: int) -> Ticket:
    async with app[keys.DB]() as s:
        ticket = await tickets.get_ticket(s, ticket_id)
    if ticket is None or ticket.status != tickets.ACTIVE or ticket.counsellor_id != counsellor_id:
        raise ApiError(409, NOT_YOURS)
    return ticket


async def counsellor_says(app: web.Application, ticket_id: int, counsellor_id: int, text: str) -> dict:
    ticket = await _own_active_ticket(app, ticket_id, counsellor_id)
    async with app[keys.LOCKS].hold(ticket.conversation_id):
        now = utcnow()
        async with app[keys.DB]() as s, s.begin():
            current = await tickets.get_ticket(s, ticket_id)
            if current is None or current.status != tickets.ACTIVE:
                raise ApiError(409, NOT_YOURS)
            rows = await queries.add_messages(s, ticket.conversation_id, "counsellor", [{"text": text}], now, app[keys.MESSAGE_IDS])
            await queries.record_turn(s, ticket.conversation_id, [], now)
        messages = [message_json(r) for r in rows]
        await _push_messages(app, ticket, messages)
    logger.info("handoff_counsellor_message")
    return messages[0]


async def end_by_counsellor(app: web.Application, ticket_id: int, counsellor_id: int) -> None:
    ticket = await _own_active_ticket(app, ticket_id, counsellor_id)
    await close(app, ticket.conversation_id, "ended", expected=(tickets.ACTIVE,))


async def cancel_by_person(app: web.Application, conversation_id: str) -> list[dict]:
    """Leave the queue, or a live chat whose counsellor has gone quiet; returns what
    the bot says on its return."""
    replies = await close(app, conversation_id, "cancelled")
    if replies is None:
        raise ApiError(409, NOT_WAITING)
    return replies


async def close(
    app: web.Application, conversation_id: str, outcome: str, expected: tuple[str, ...] = tickets.OPEN_STATUSES
) -> list[dict] | None:
    """End the conversation's open ticket and hand the conversation back to the bot;
    returns the bot's replies. None if it had no open ticket in an `expected` state."""
    async with app[keys.LOCKS].hold(conversation_id):
        now = utcnow()
        async with app[keys.DB]() as s, s.begin():
            ticket = await tickets.open_ticket(s, conversation_id)
            if ticket is None or ticket.status not in expected:
                return None
            was_waiting = ticket.status == tickets.WAITING
            stage = ticket.status
            ticket.status = CLOSINGS[outcome]
            ticket.ended_at = now
            # Under the conversation's lock: every message of it so far has an id up to this one, every later one above.
            ticket.end_message_id = app[keys.MESSAGE_IDS].last
            if was_waiting:
                await _record_outcome(s, ticket, "abandoned", now)
        app[keys.METRICS].handoff_outcome(stage, outcome)
        await app[keys.HUB].publish(conversation_id, {"type": "handoff", "status": "ended", "outcome": outcome})
        await app[keys.DESK_HUB].publish({"type": "ended", "ticket_id": ticket.id, "outcome": outcome})
        replies = await _resume_bot(app, ticket, outcome)
    await publish_positions(app)
    logger.info("handoff_closed outcome=%s", outcome)
    return replies


async def _resume_bot(app: web.Application, ticket: Ticket, outcome: str) -> list[dict]:
    """Resume Rasa and pass on the bot's words; if Rasa cannot be reached, say so
    plainly (the ticket is closed either way, so the person is never stuck)."""
    conversation_id = ticket.conversation_id
    try:
        replies = await app[keys.RASA].resume(conversation_id, RESUME_INTENT, {OUTCOME_ENTITY: outcome})
    except RasaUnavailable:
        logger.warning("handoff_resume_failed")
        replies = [{"text": errors.unavailable(app[keys.SETTINGS].help_phone)}]
    now = utcnow()
    async with app[keys.DB]() as s, s.begin():
        if not await queries.record_turn(s, conversation_id, buttons_offered(replies), now):
            return []  # the conversation is gone
        rows = await queries.add_messages(s, conversation_id, "bot", replies, now, app[keys.MESSAGE_IDS])
    messages = [message_json(r) for r in rows]
    await _push_messages(app, ticket, messages)
    return messages


# ------------------------------------------------------------------ waiting too long


async def expire_waiting(app: web.Application, now: datetime | None = None) -> int:
    """Close every ticket nobody accepted within HANDOFF_WAIT_MINUTES; return how many."""
    cutoff = (now or utcnow()) - timedelta(minutes=app[keys.SETTINGS].handoff_wait_minutes)
    async with app[keys.DB]() as s:
        stale = [t.conversation_id for t in await tickets.waited_too_long(s, cutoff)]
    closed = 0
    for conversation_id in stale:
        closed += await close(app, conversation_id, "timeout", expected=(tickets.WAITING,)) is not None
    # Forget which client opened the tickets that have ended since (however they ended).
    per_client = app[keys.TICKETS_PER_CLIENT]
    if len(per_client):
        async with app[keys.DB]() as s:
            per_client.forget_closed(await tickets.open_conversation_ids(s))
    return closed

