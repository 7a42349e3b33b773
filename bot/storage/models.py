"""The gateway's tables: conversations it created and their scrubbed transcript.

Times are naive UTC. Deleting a conversation deletes its messages (explicitly in
queries, and by foreign key where the database enforces it).
"""
from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Conversation(Base):
    __tablename__ = "conversations"

    id = Column(String(36), primary_key=True)
    created_at = Column(DateTime, nullable=False)
    last_activity_at = Column(DateTime, nullable=False, index=True)
    # The buttons of the bot's latest reply: the only payloads a person may send next.
    offered_buttons = Column(JSON, nullable=False, default=list)


class Message(Base):
    __tablename__ = "messages"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(
        String(36), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    sender = Column(String(10), nullable=False)  # "user" or "bot"
    text = Column(Text)
    buttons = Column(JSON)
    custom = Column(JSON)
    created_at = Column(DateTime, nullable=False)


# Rasa's SQLTrackerStore table: the gateway only ever deletes from it, never creates it.
tracker_metadata = MetaData()
tracker_events = Table("events", tracker_metadata, Column("id", Integer, primary_key=True), Column("sender_id", String(255)))
