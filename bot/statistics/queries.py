"""Reading the counts for a period (both days included, Oslo calendar). Each takes
the session first; the caller owns it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.statistics.models import OutcomeCount

GROUPABLE = ("role", "topic", "substance", "outcome")


@dataclass(frozen=True)
class Cell:
    """One row of the export: a day × role × topic × substance × outcome."""

    day: date
    role: str
    topic: str
    substance: str
    outcome: str
    count: int
    # How many of `count` were their conversation's first outcome (new henvendelser).
    conversations: int


def _in_period(start: date, end: date):
    return (OutcomeCount.day >= start, OutcomeCount.day <= end)


async def count_conversations(session: AsyncSession, start: date, end: date) -> int:
    """Henvendelser: conversations whose first counted outcome fell in the period."""
    query = select(func.coalesce(func.sum(OutcomeCount.count), 0)).where(
        *_in_period(start, end), OutcomeCount.first_outcome.is_(True)
    )
    return int((await session.execute(query)).scalar_one())


async def counts_by(
    session: AsyncSession, dimension: str, start: date, end: date, conversations_only: bool = True
) -> dict[str, int]:
    """Counts grouped by role, topic, substance or outcome. With `conversations_only`
    each conversation counts once (as known at its first outcome); otherwise every
    counted outcome does (each at most once per conversation)."""
    if dimension not in GROUPABLE:
        raise ValueError(f"cannot group by {dimension!r}")
    column = getattr(OutcomeCount, dimension)
    conditions = list(_in_period(start, end))
    if conversations_only:
        conditions.append(OutcomeCount.first_outcome.is_(True))
    query = select(column, func.sum(OutcomeCount.count)).where(*conditions).group_by(column)
    return {value: int(total) for value, total in (await session.execute(query)).all()}


async def conversations_by_day(session: AsyncSession, start: date, end: date) -> dict[date, int]:
    query = (
        select(OutcomeCount.day, func.sum(OutcomeCount.count))
        .where(*_in_period(start, end), OutcomeCount.first_outcome.is_(True))
        .group_by(OutcomeCount.day)
        .order_by(OutcomeCount.day)
    )
    return {day: int(total) for day, total in (await session.execute(query)).all()}


async def cells(session: AsyncSession, start: date, end: date) -> list[Cell]:
    """Every non-empty day × role × topic × substance × outcome of the period, in order."""
    first_count = func.sum(OutcomeCount.count).filter(OutcomeCount.first_outcome.is_(True))
    keys = (OutcomeCount.day, OutcomeCount.role, OutcomeCount.topic, OutcomeCount.substance, OutcomeCount.outcome)
    query = (
        select(*keys, func.sum(OutcomeCount.count), func.coalesce(first_count, 0))
        .where(*_in_period(start, end))
        .group_by(*keys)
        .order_by(*keys)
    )
    return [Cell(*row[:5], count=int(row[5]), conversations=int(row[6])) for row in (await session.execute(query)).all()]
