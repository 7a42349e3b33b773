"""Counting what happened in a conversation, in the spirit of Akan's own statistics
(«Hvem henvender seg?», «Hva henvender de seg om?»): one henvendelse is one
conversation.

Counting rule:
- Outcomes come from the bot's custom payloads: `recommendations` → answered
  (also the honest "no recommendation" answers), `crisis` → crisis, `handoff`
  with status `unavailable` → unavailable; the desk reports `handed_off` (a
  counsellor accepted) and `abandoned` (cancelled or nobody accepted in time).
- Each outcome is counted at most once per conversation, on the day (Oslo
  calendar) it first happened, with the role, topic and substance known at that
  moment: from the payloads of the same turn (top level or a handoff `summary`),
  otherwise the last ones seen in the conversation, otherwise "ukjent".
- The conversation's first counted outcome is marked `first_outcome`, so the
  henvendelser are counted once each, under the role/topic known then.

Callers own the session and its transaction; nothing here commits.
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import date, datetime, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from akan_contract.payloads import CRISIS, HANDOFF, RECOMMENDATIONS, UNAVAILABLE
from bot.statistics import labels
from bot.statistics.models import ConversationTally, OutcomeCount
from bot.storage.models import Conversation

logger = logging.getLogger(__name__)

# The service's calendar: a conversation at 00:30 Norwegian time belongs to that Norwegian day.
CALENDAR = ZoneInfo("Europe/Oslo")
DIMENSIONS = {"role": labels.ROLES, "topic": labels.TOPICS, "substance": labels.SUBSTANCES}
_INSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


def day_of(now: datetime) -> date:
    """The Oslo calendar day of a naive-UTC (or aware) moment."""
    aware = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    return aware.astimezone(CALENDAR).date()


def outcome_of(payload: dict) -> str | None:
    kind = payload.get("type")
    if kind == RECOMMENDATIONS:
        return labels.ANSWERED
    if kind == CRISIS:
        return labels.CRISIS
    if kind == HANDOFF and payload.get("status") == UNAVAILABLE:
        return labels.UNAVAILABLE
    return None


def _payloads(replies: Iterable[dict]) -> list[dict]:
    return [r["custom"] for r in replies if isinstance(r, dict) and isinstance(r.get("custom"), dict)]


def _stated(payloads: list[dict]) -> dict[str, str]:
    """Canonical role/topic/substance the payloads of one turn state (first one wins)."""
    found: dict[str, str] = {}
    for payload in payloads:
        summary = payload.get("summary")
        for source in (payload, summary if isinstance(summary, dict) else {}):
            for name, known in DIMENSIONS.items():
                value = labels.canonical(source.get(name), known)
                if value != labels.UNKNOWN:
                    found.setdefault(name, value)
    return found


class RecentTallies:
    """What this gateway last recorded for each recent conversation: the outcomes
    counted and the role/topic/substance stated. A turn that adds neither (most turns
    of a long conversation) then skips the statistics queries. The database stays the
    truth: a restarted gateway starts empty and asks it again."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._known: OrderedDict[str, tuple[frozenset[str], dict[str, str]]] = OrderedDict()

    def adds_something(self, conversation_id: str, replies: list[dict]) -> bool:
        outcomes, stated = findings(replies)
        if not outcomes and not stated:
            return False
        known = self._known.get(conversation_id)
        if known is None:
            return True
        counted, last = known
        return not counted.issuperset(outcomes) or any(last.get(name) != value for name, value in stated.items())

    def remember(self, conversation_id: str, replies: list[dict]) -> None:
        """After the turn's transaction committed: its outcomes are counted, its values stored."""
        outcomes, stated = findings(replies)
        counted, last = self._known.pop(conversation_id, (frozenset(), {}))
        self._known[conversation_id] = (counted.union(outcomes), {**last, **stated})
        while len(self._known) > self.size:
            self._known.popitem(last=False)

    def forget(self, conversation_id: str) -> None:
        self._known.pop(conversation_id, None)


def findings(replies: list[dict]) -> tuple[list[str], dict[str, str]]:
    """The outcomes the replies show (in order, each once) and the role/topic/substance they state."""
    payloads = _payloads(replies)
    outcomes = list(dict.fromkeys(o for o in map(outcome_of, payloads) if o))
    return outcomes, _stated(payloads)


async def record_replies(
    session: AsyncSession,
    conversation_id: str,
    replies: list[dict],
    now: datetime,
    conversation_exists: bool | None = None,
) -> list[str]:
    """Count the outcomes the bot's replies show; returns the outcomes newly counted.
    `conversation_exists`: what the caller learnt in this transaction (saves a query)."""
    outcomes, stated = findings(replies)
    if not outcomes and not stated:
        return []
    tally = await _tally(session, conversation_id, conversation_exists)
    counted = [o for o in outcomes if await _count(session, tally, o, now, stated)]
    if tally is not None:
        for name, value in stated.items():
            setattr(tally, name, value)
    return counted


async def record_outcome(
    session: AsyncSession,
    conversation_id: str,
    outcome: str,
    now: datetime,
    role: str | None = None,
    topic: str | None = None,
    substance: str | None = None,
) -> bool:
    """Count an outcome the desk decides (`handed_off`, `abandoned`); False if the
    conversation had it already."""
    if outcome not in labels.OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    given = {"role": role, "topic": topic, "substance": substance}
    stated = {
        name: labels.canonical(value, DIMENSIONS[name])
        for name, value in given.items()
        if labels.canonical(value, DIMENSIONS[name]) != labels.UNKNOWN
    }
    tally = await _tally(session, conversation_id)
    return await _count(session, tally, outcome, now, stated)


async def _tally(
    session: AsyncSession, conversation_id: str, exists: bool | None = None
) -> ConversationTally | None:
    """The conversation's dedupe state, made on first use and locked for this
    transaction (PostgreSQL; SQLite serialises writers); None when the conversation
    is gone."""
    if exists is None:
        exists = await session.get(Conversation, conversation_id) is not None
    if not exists:
        return None
    query = select(ConversationTally).where(ConversationTally.conversation_id == conversation_id).with_for_update()
    tally = (await session.execute(query)).scalar_one_or_none()
    if tally is not None:
        return tally
    insert = _INSERTS.get((await session.connection()).dialect.name)
    if insert is None:
        session.add(ConversationTally(conversation_id=conversation_id, counted=[]))
        await session.flush()
    else:
        await session.execute(
            insert(ConversationTally)
            .values(conversation_id=conversation_id, counted=[])
            .on_conflict_do_nothing(index_elements=["conversation_id"])
        )
    return (await session.execute(query.execution_options(populate_existing=True))).scalar_one()


async def _count(
    session: AsyncSession, tally: ConversationTally | None, outcome: str, now: datetime, stated: dict[str, str]
) -> bool:
    if tally is None:
        # The transcript is already deleted: count what happened, but it cannot be a new henvendelse.
        first = False
        known: dict[str, str | None] = {}
    else:
        if outcome in (tally.counted or []):
            return False
        first = not tally.counted
        tally.counted = [*(tally.counted or []), outcome]
        known = {"role": tally.role, "topic": tally.topic, "substance": tally.substance}
    cell = {
        name: stated.get(name) or known.get(name) or labels.UNKNOWN
        for name in DIMENSIONS
    }
    await _increment(session, day_of(now), outcome, first, cell)
    logger.info("statistics_counted outcome=%s first=%s", outcome, first)
    return True


async def _increment(session: AsyncSession, day: date, outcome: str, first: bool, cell: dict[str, str]) -> None:
    """Add one to a count row, portable: an atomic upsert on SQLite and PostgreSQL,
    select-then-update/insert elsewhere."""
    key = {"day": day, "outcome": outcome, "first_outcome": first, **cell}
    insert = _INSERTS.get((await session.connection()).dialect.name)
    if insert is not None:
        statement = insert(OutcomeCount).values(**key, count=1)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=list(key), set_={"count": OutcomeCount.count + 1}
            )
        )
        return
    where = [getattr(OutcomeCount, name) == value for name, value in key.items()]
    result = await session.execute(update(OutcomeCount).where(*where).values(count=OutcomeCount.count + 1))
    if result.rowcount == 0:
        session.add(OutcomeCount(**key, count=1))
        await session.flush()
