"""The desk's tables (counsellors and their sessions), on the gateway's own `Base`.

Times are naive UTC. The handoff's tickets are in bot/handoff/models.py.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String

from bot.storage.models import Base


class Counsellor(Base):
    __tablename__ = "counsellors"

    id = Column(Integer, primary_key=True, autoincrement=True)
    name = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    created_at = Column(DateTime, nullable=False)


class CounsellorSession(Base):
    __tablename__ = "counsellor_sessions"

    id = Column(Integer, primary_key=True, autoincrement=True)
    # SHA-256 of the cookie's random token: a stolen database gives no usable cookie.
    token_hash = Column(String(64), nullable=False, unique=True)
    counsellor_id = Column(Integer, ForeignKey("counsellors.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False, index=True)
