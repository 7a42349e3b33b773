"""Counsellor accounts: argon2 password hashes, and the queries the CLI and sign-in use."""
from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.desk.models import Counsellor, CounsellorSession

MIN_PASSWORD_CHARS = 12
MAX_NAME_CHARS = 64
_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class AccountError(ValueError):
    """A name or password the CLI refuses, with a message for the person at the terminal."""


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_CHARS or any(c.isspace() for c in name):
        raise AccountError(f"Brukernavnet må være 1–{MAX_NAME_CHARS} tegn uten mellomrom.")
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"Passordet må ha minst {MIN_PASSWORD_CHARS} tegn.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def add_counsellor(session: AsyncSession, name: str, password: str, now: datetime) -> Counsellor:
    name = check_name(name)
    check_password(password)
    if await find_counsellor(session, name) is not None:
        raise AccountError(f"Det finnes allerede en veileder som heter {name}.")
    counsellor = Counsellor(name=name, password_hash=hash_password(password), created_at=now)
    session.add(counsellor)
    await session.flush()
    return counsellor


async def find_counsellor(session: AsyncSession, name: str) -> Counsellor | None:
    result = await session.execute(select(Counsellor).where(Counsellor.name == name))
    return result.scalar_one_or_none()


async def list_counsellors(session: AsyncSession) -> list[Counsellor]:
    result = await session.execute(select(Counsellor).order_by(Counsellor.name))
    return list(result.scalars())


async def remove_counsellor(session: AsyncSession, name: str) -> bool:
    counsellor = await find_counsellor(session, name)
    if counsellor is None:
        return False
    await session.execute(delete(CounsellorSession).where(CounsellorSession.counsellor_id == counsellor.id))
    await session.delete(counsellor)
    return True


async def authenticate(
    db: Callable[[], AsyncSession], name: str, password: str, slots: asyncio.Semaphore
) -> Counsellor | None:
    """The counsellor if the password is right. Hashing takes tens of milliseconds of
    CPU, so it runs in a worker thread, not on the event loop that serves the chats, and
    only as many at once as `slots` allows (DESK_LOGIN_CONCURRENCY): a burst of sign-ins
    waits its turn instead of taking every core. The account is read in a session of its
    own, closed before the wait, so a waiting sign-in holds no database connection."""
    async with db() as session:
        counsellor = await find_counsellor(session, name.strip())
    stored = counsellor.password_hash if counsellor else None
    async with slots:
        matches = await asyncio.get_running_loop().run_in_executor(None, password_matches, stored, password)
    return counsellor if matches else None
