"""Queries on the gateway database and the tracker store. Each takes the session
first; the caller owns it and its transaction
(`async with sessionmaker() as s, s.begin(): ...`)."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.message_ids import MessageIds
from bot.storage.models import Conversation, Message, tracker_events


async def create_conversation(session: AsyncSession, conversation_id: str, now: datetime) -> Conversation:
    conversation = Conversation(id=conversation_id, created_at=now, last_activity_at=now, offered_buttons=[])
    session.add(conversation)
    await session.flush()
    return conversation


async def get_conversation(session: AsyncSession, conversation_id: str) -> Conversation | None:
    return await session.get(Conversation, conversation_id)


def new_messages(
    conversation_id: str, sender: str, messages: Iterable[dict], now: datetime, ids: MessageIds
) -> list[Message]:
    """Transcript rows for messages from one sender, with their ids, not yet stored."""
    messages = list(messages)
    return [
        Message(
            id=message_id,
            conversation_id=conversation_id,
            sender=sender,
            text=message.get("text"),
            buttons=message.get("buttons"),
            custom=message.get("custom"),
            created_at=now,
        )
        for message_id, message in zip(ids.take(len(messages)), messages)
    ]


_MESSAGE_COLUMNS = ("id", "conversation_id", "sender", "text", "buttons", "custom", "created_at")


_INSERT_MESSAGE = insert(Message)


async def insert_messages(session: AsyncSession, rows: list[Message]) -> None:
    """Store rows made by `new_messages` with one INSERT statement for all of them
    (executed for each row by the driver; compiled once, not per turn as a multi-row
    VALUES would be): this runs on every turn."""
    if rows:
        await session.execute(_INSERT_MESSAGE, [{c: getattr(row, c) for c in _MESSAGE_COLUMNS} for row in rows])


async def add_messages(
    session: AsyncSession, conversation_id: str, sender: str, messages: Iterable[dict], now: datetime, ids: MessageIds
) -> list[Message]:
    """Append messages from one sender to the transcript; returns them with their ids."""
    rows = new_messages(conversation_id, sender, messages, now, ids)
    await insert_messages(session, rows)
    return rows


async def record_turn(
    session: AsyncSession, conversation_id: str, offered_buttons: list[dict], now: datetime
) -> bool:
    """Remember the buttons the person may press next and the time of the turn;
    False when the conversation is gone."""
    result = await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(offered_buttons=offered_buttons, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount > 0


async def list_messages(session: AsyncSession, conversation_id: str) -> list[Message]:
    result = await session.execute(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
    )
    return list(result.scalars())


async def delete_conversation(session: AsyncSession, conversation_id: str) -> bool:
    """Delete the conversation and its transcript; False if there was none."""
    await session.execute(delete(Message).where(Message.conversation_id == conversation_id))
    result = await session.execute(delete(Conversation).where(Conversation.id == conversation_id))
    return result.rowcount > 0


async def inactive_conversation_ids(session: AsyncSession, before: datetime) -> list[str]:
    result = await session.execute(select(Conversation.id).where(Conversation.last_activity_at < before))
    return list(result.scalars())


async def delete_tracker_events(session: AsyncSession, sender_id: str) -> int:
    """Delete Rasa's tracker events for one conversation; 0 if Rasa never made its table."""
    try:
        result = await session.execute(delete(tracker_events).where(tracker_events.c.sender_id == sender_id))
    except (OperationalError, ProgrammingError) as exc:
        if "no such table" in str(exc.orig) or "does not exist" in str(exc.orig):
            return 0
        raise
    return result.rowcount


async def ping(session: AsyncSession) -> None:
    await session.execute(select(1))
