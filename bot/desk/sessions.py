"""Server-side sign-in sessions: the cookie holds a random token, the database
only its SHA-256 hash, with an expiry and the session's CSRF token."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from aiohttp import web
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.desk.models import Counsellor, CounsellorSession
from bot.settings import Settings

COOKIE_NAME = "akan_desk"
COOKIE_PATH = "/desk"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_session(
    session: AsyncSession, counsellor_id: int, now: datetime, lifetime: timedelta
) -> tuple[str, CounsellorSession]:
    """Start a session; returns the cookie token (never stored) and the row."""
    token = secrets.token_urlsafe(32)
    row = CounsellorSession(
        token_hash=hash_token(token),
        counsellor_id=counsellor_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    await session.flush()
    return token, row


async def find_session(
    session: AsyncSession, token: str, now: datetime
) -> tuple[CounsellorSession, Counsellor] | None:
    result = await session.execute(
        select(CounsellorSession, Counsellor)
        .join(Counsellor, Counsellor.id == CounsellorSession.counsellor_id)
        .where(CounsellorSession.token_hash == hash_token(token), CounsellorSession.expires_at > now)
    )
    row = result.first()
    return (row[0], row[1]) if row else None


async def live_session_ids(session: AsyncSession, session_ids: set[int], now: datetime) -> set[int]:
    """Those of `session_ids` that are still signed in: not signed out, not expired,
    their account not removed (removing an account deletes its sessions)."""
    if not session_ids:
        return set()
    result = await session.execute(
        select(CounsellorSession.id).where(CounsellorSession.id.in_(session_ids), CounsellorSession.expires_at > now)
    )
    return set(result.scalars())


async def delete_session(session: AsyncSession, token: str) -> None:
    await session.execute(delete(CounsellorSession).where(CounsellorSession.token_hash == hash_token(token)))


async def delete_expired(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(delete(CounsellorSession).where(CounsellorSession.expires_at <= now))
    return result.rowcount


def cookie_secure(settings: Settings) -> bool:
    return settings.public_url.startswith("https://")


def set_cookie(response: web.StreamResponse, name: str, token: str, settings: Settings, max_age: int) -> None:
    response.set_cookie(
        name, token, max_age=max_age, path=COOKIE_PATH, httponly=True, samesite="Strict",
        secure=cookie_secure(settings),
    )


def clear_cookie(response: web.StreamResponse, name: str = COOKIE_NAME) -> None:
    response.del_cookie(name, path=COOKIE_PATH)
