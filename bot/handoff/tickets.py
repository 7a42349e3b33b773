"""Queries on handoff tickets. The queue: crisis tickets first, then the one
that has waited longest. Each takes the session first; the caller owns it."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handoff.models import Ticket
from bot.storage.models import Conversation, Message

WAITING = "waiting"
ACTIVE = "active"
ENDED = "ended"
CANCELLED = "cancelled"
TIMEOUT = "timeout"
OPEN_STATUSES = (WAITING, ACTIVE)
CRISIS_REASON = "crisis"
CRISIS_PRIORITY = 0
NORMAL_PRIORITY = 1
SUMMARY_MESSAGES = 5
BUTTON_TITLES = frozenset({"Snakk med veileder"})


async def create_ticket(
    session: AsyncSession, conversation_id: str, reason: str, summary: dict, now: datetime
) -> Ticket:
    """Queue a ticket with the last few (already scrubbed) user messages as its summary."""
    result = await session.execute(
        select(Message.id, Message.sender, Message.text)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.id.desc())
        .limit(50)
    )
    rows = list(result)
    # The person's own words only: not the title of the button that asked for a counsellor.
    recent = [text for _, sender, text in rows if sender == "user" and text and text not in BUTTON_TITLES]
    recent = recent[:SUMMARY_MESSAGES]
    ticket = Ticket(
        conversation_id=conversation_id,
        status=WAITING,
        reason=reason,
        priority=CRISIS_PRIORITY if reason == CRISIS_REASON else NORMAL_PRIORITY,
        role=summary.get("role"),
        topic=summary.get("topic"),
        substance=summary.get("substance"),
        recent_messages=list(reversed(recent)),
        start_message_id=rows[0][0] if rows else 0,
        created_at=now,
    )
    session.add(ticket)
    await session.flush()
    return ticket


async def open_ticket(session: AsyncSession, conversation_id: str) -> Ticket | None:
    """The conversation's waiting or active ticket, if any."""
    result = await session.execute(
        select(Ticket)
        .where(Ticket.conversation_id == conversation_id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.id.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def open_conversation_ids(session: AsyncSession, among: Iterable[str] | None = None) -> set[str]:
    """The conversations (of `among`, or all) with a waiting or active ticket."""
    query = select(Ticket.conversation_id).where(Ticket.status.in_(OPEN_STATUSES))
    if among is not None:
        query = query.where(Ticket.conversation_id.in_(list(among)))
    return set((await session.execute(query)).scalars())


async def offered_buttons_and_open_ticket(
    session: AsyncSession, conversation_id: str
) -> tuple[list[dict] | None, Ticket | None]:
    """The buttons the conversation offers (None: no such conversation) and its
    waiting or active ticket, in one query: every turn needs both. The conversation
    as a plain column, not an ORM object, on the turn's hot path."""
    result = await session.execute(
        select(Conversation.offered_buttons, Ticket)
        .outerjoin(Ticket, and_(Ticket.conversation_id == Conversation.id, Ticket.status.in_(OPEN_STATUSES)))
        .where(Conversation.id == conversation_id)
        .order_by(Ticket.id.desc())
        .limit(1)
    )
    row = result.first()
    if row is None:
        return None, None
    offered, ticket = row
    return offered or [], ticket


async def get_ticket(session: AsyncSession, ticket_id: int) -> Ticket | None:
    return await session.get(Ticket, ticket_id)


async def waiting_queue(session: AsyncSession) -> list[Ticket]:
    result = await session.execute(
        select(Ticket).where(Ticket.status == WAITING).order_by(Ticket.priority, Ticket.created_at, Ticket.id)
    )
    return list(result.scalars())


async def active_tickets(session: AsyncSession, counsellor_id: int) -> list[Ticket]:
    result = await session.execute(
        select(Ticket)
        .where(Ticket.status == ACTIVE, Ticket.counsellor_id == counsellor_id)
        .order_by(Ticket.accepted_at)
    )
    return list(result.scalars())


async def waited_too_long(session: AsyncSession, before: datetime) -> list[Ticket]:
    result = await session.execute(select(Ticket).where(Ticket.status == WAITING, Ticket.created_at < before))
    return list(result.scalars())


async def transcript(session: AsyncSession, ticket: Ticket) -> list[Message]:
    """The whole conversation the person saw, in order: the bot's replies and their
    own (scrubbed) words before the handoff, then the live chat (ids above
    `start_message_id`). A closed ticket's transcript stops where it ended, by message
    id (`end_message_id`), not by the clock: what the person says to the bot afterwards,
    and any later handoff, is not this ticket's counsellor's to read. A ticket closed
    before ids were recorded stops at its end time, or at the handoff without one."""
    query = select(Message).where(Message.conversation_id == ticket.conversation_id)
    if ticket.end_message_id is not None:
        query = query.where(Message.id <= ticket.end_message_id)
    elif ticket.status not in OPEN_STATUSES:
        if ticket.ended_at is not None:
            query = query.where(Message.created_at <= ticket.ended_at)
        else:
            query = query.where(Message.id <= ticket.start_message_id)
    result = await session.execute(query.order_by(Message.id))
    return list(result.scalars())


async def delete_tickets(session: AsyncSession, conversation_id: str) -> int:
    result = await session.execute(delete(Ticket).where(Ticket.conversation_id == conversation_id))
    return result.rowcount


async def count_tickets(session: AsyncSession) -> int:
    return (await session.execute(select(func.count(Ticket.id)))).scalar_one()


def summary_json(ticket: Ticket, now: datetime, position: int | None = None) -> dict:
    """What a counsellor sees of a ticket: nothing but the anonymous summary."""
    return {
        "id": ticket.id,
        "status": ticket.status,
        "reason": ticket.reason,
        "crisis": ticket.priority == CRISIS_PRIORITY,
        "role": ticket.role,
        "topic": ticket.topic,
        "substance": ticket.substance,
        "recent_messages": ticket.recent_messages or [],
        "waiting_seconds": max(0, int(((ticket.accepted_at or now) - ticket.created_at).total_seconds())),
        "position": position,
    }
