"""Statistics tables, on the gateway's `Base` so `create_all` makes them.

`statistics_counts` holds only numbers per day (Europe/Oslo calendar) × role ×
topic × substance × outcome; "ukjent" stands for not known. `first_outcome` marks
the count of conversations whose first counted outcome this was, so summing those
rows gives the number of henvendelser (one per conversation).

`statistics_conversations` is the per-conversation dedupe state (outcomes already
counted, and the role/topic/substance last seen). It holds no text and goes with
its conversation (foreign key, ON DELETE CASCADE; SQLite has foreign keys on),
so retention and "Slett samtalen" remove it while the counts stay.
"""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Integer, String, UniqueConstraint

from bot.storage.models import Base


class OutcomeCount(Base):
    __tablename__ = "statistics_counts"
    __table_args__ = (
        UniqueConstraint("day", "role", "topic", "substance", "outcome", "first_outcome", name="uq_statistics_cell"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    day = Column(Date, nullable=False, index=True)
    role = Column(String(32), nullable=False)
    topic = Column(String(32), nullable=False)
    substance = Column(String(32), nullable=False)
    outcome = Column(String(16), nullable=False)
    first_outcome = Column(Boolean, nullable=False)
    count = Column(Integer, nullable=False)


class ConversationTally(Base):
    __tablename__ = "statistics_conversations"

    conversation_id = Column(String(36), ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True)
    counted = Column(JSON, nullable=False, default=list)
    role = Column(String(32))
    topic = Column(String(32))
    substance = Column(String(32))
