"""The handoff's table, on the gateway's own `Base`.

Times are naive UTC. Live-chat text is not kept here: the person's and the
counsellor's messages go into the conversation's `messages` table (senders
"user" and "counsellor"), so the widget's transcript and retention see them.
Tickets go with their conversation (explicitly in queries, and by foreign key).
"""
from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String

from bot.storage.models import Base


class Ticket(Base):
    """One handoff request: waiting → active → ended, or cancelled / timeout."""

    __tablename__ = "tickets"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(
        String(36), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status = Column(String(10), nullable=False, index=True)
    reason = Column(String(32), nullable=False)
    # 0 for crisis tickets, 1 for the rest: the queue is ordered by (priority, created_at).
    priority = Column(Integer, nullable=False)
    role = Column(String(32))
    topic = Column(String(32))
    substance = Column(String(32))
    # The last user messages before the handoff (already scrubbed), for the summary.
    recent_messages = Column(JSON, nullable=False, default=list)
    # Messages after this id belong to the live chat.
    start_message_id = Column(Integer, nullable=False, default=0)
    # Set when the ticket closes: the largest message id handed out then. What comes later
    # (the person's words to the bot, later handoffs) is not part of this ticket.
    end_message_id = Column(Integer)
    counsellor_id = Column(Integer, ForeignKey("counsellors.id", ondelete="SET NULL"))
    created_at = Column(DateTime, nullable=False)
    accepted_at = Column(DateTime)
    ended_at = Column(DateTime)
