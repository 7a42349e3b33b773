"""The load generator: simulated conversations against one target (the gateway API or
Rasa's gateway channel), in the shapes the targets are stated in.

Every latency is one user message: from sending it to having read the whole reply.
Opening a conversation (the greeting) is load too but is not counted as a message.
"""
from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Protocol, Sequence

import aiohttp

from bench.messages import MESSAGES

REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=60)
GREETING = "/greet"


class TurnFailed(Exception):
    """The target answered with an error or not at all."""


class Target(Protocol):
    name: str

    async def start(self, session: aiohttp.ClientSession) -> str:
        """Open a conversation (with the bot's greeting); return its id."""

    async def send(self, session: aiohttp.ClientSession, conversation_id: str, text: str) -> None:
        """Send one message and wait for the whole reply; TurnFailed when there is none."""


async def _post_json(
    session: aiohttp.ClientSession, url: str, body: dict, expected: int, headers: dict[str, str] | None = None,
) -> object:
    try:
        async with session.post(url, json=body, headers=headers, timeout=REQUEST_TIMEOUT) as response:
            data = await response.json(content_type=None)
            if response.status != expected:
                raise TurnFailed(f"HTTP {response.status}")
            return data
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        raise TurnFailed(type(exc).__name__) from None


@dataclass
class GatewayTarget:
    """The public API, as the widget uses it."""

    url: str
    name: str = "gateway"

    async def start(self, session: aiohttp.ClientSession) -> str:
        data = await _post_json(session, f"{self.url}/api/conversations", {}, 201)
        if not isinstance(data, dict) or not data.get("messages"):
            raise TurnFailed("no greeting")
        return data["id"]

    async def send(self, session: aiohttp.ClientSession, conversation_id: str, text: str) -> None:
        data = await _post_json(session, f"{self.url}/api/conversations/{conversation_id}/messages", {"text": text}, 200)
        if not isinstance(data, dict) or not data.get("messages"):
            raise TurnFailed("no reply")


@dataclass
class RasaTarget:
    """Rasa's gateway channel directly, as the gateway calls it (with its secret, RASA_TOKEN);
    conversations are spread over the replicas as the gateway spreads them."""

    urls: Sequence[str]
    token: str
    name: str = "rasa"

    def _webhook(self, conversation_id: str) -> str:
        return f"{self.urls[uuid.UUID(conversation_id).int % len(self.urls)]}/webhooks/gateway/webhook"

    async def _turn(self, session: aiohttp.ClientSession, conversation_id: str, text: str) -> None:
        data = await _post_json(
            session, self._webhook(conversation_id), {"sender": conversation_id, "message": text}, 200,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        if not isinstance(data, list) or not data:
            raise TurnFailed("no reply")

    async def start(self, session: aiohttp.ClientSession) -> str:
        conversation_id = str(uuid.uuid4())
        await self._turn(session, conversation_id, GREETING)
        return conversation_id

    async def send(self, session: aiohttp.ClientSession, conversation_id: str, text: str) -> None:
        await self._turn(session, conversation_id, text)


@dataclass
class Measured:
    """What one target got in one or more phases of the same shape."""

    latencies: list[float] = field(default_factory=list)  # seconds, answered messages in the window
    errors: int = 0
    seconds: float = 0.0


def new_session() -> aiohttp.ClientSession:
    # One connection per simulated person, kept alive as a browser would.
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, force_close=False))


async def _timed_send(target: Target, session, conversation_id: str, text: str) -> float | None:
    started = time.perf_counter()
    try:
        await target.send(session, conversation_id, text)
    except TurnFailed:
        return None
    return time.perf_counter() - started


async def chat(
    target: Target, into: Measured, conversations: int, interval: float, seconds: float, seed: int
) -> None:
    """People chatting: each conversation writes about every `interval` seconds, the
    conversations staggered evenly over one interval. The first interval (while they
    open) is not measured; then `seconds` are."""
    rng = random.Random(seed)
    begin = time.perf_counter()
    window = (begin + interval, begin + interval + seconds)

    async def person(index: int, session: aiohttp.ClientSession, own_rng: random.Random) -> None:
        offset = index * interval / conversations
        await asyncio.sleep(offset)
        try:
            conversation_id = await target.start(session)
        except TurnFailed:
            into.errors += 1
            return
        turn = 1
        while True:
            # Every ~interval: a little jitter, as people do not type on a metronome.
            due = begin + offset + turn * interval + own_rng.uniform(-0.1, 0.1) * interval
            if due >= window[1]:
                return
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            sent_at = time.perf_counter()
            latency = await _timed_send(target, session, conversation_id, own_rng.choice(MESSAGES))
            if sent_at >= window[0]:
                if latency is None:
                    into.errors += 1
                else:
                    into.latencies.append(latency)
            turn += 1

    async with new_session() as session:
        await asyncio.gather(*(person(i, session, random.Random(rng.random())) for i in range(conversations)))
    into.seconds += seconds


async def capacity(target: Target, into: Measured, conversations: int, seconds: float, warmup: float, seed: int) -> None:
    """Conversations writing without pause: the next message as soon as the reply is there.
    Messages sent within `seconds` after `warmup` are counted."""
    rng = random.Random(seed)
    async with new_session() as session:
        opened = await asyncio.gather(*(target.start(session) for _ in range(conversations)), return_exceptions=True)
        ids = [c for c in opened if isinstance(c, str)]
        into.errors += len(opened) - len(ids)
        begin = time.perf_counter()
        window = (begin + warmup, begin + warmup + seconds)

        async def person(conversation_id: str, own_rng: random.Random) -> None:
            while time.perf_counter() < window[1]:
                sent_at = time.perf_counter()
                latency = await _timed_send(target, session, conversation_id, own_rng.choice(MESSAGES))
                if sent_at < window[0]:
                    continue
                if latency is None:
                    into.errors += 1
                    await asyncio.sleep(0.1)  # do not spin on a failing target
                else:
                    into.latencies.append(latency)

        await asyncio.gather(*(person(c, random.Random(rng.random())) for c in ids))
    into.seconds += seconds


async def long_conversations_side_by_side(targets: Sequence[Target], turns: int, seed: int) -> dict[str, list[float | None]]:
    """One conversation of `turns` messages per target, the same messages, turn by turn
    in alternation (target A's turn 1, B's turn 1, A's turn 2, …), so that both meet
    the machine's load at the same moments; each target's latencies in seconds (None
    for a failed turn)."""
    rng = random.Random(seed)
    texts = [rng.choice(MESSAGES) for _ in range(turns)]
    latencies: dict[str, list[float | None]] = {t.name: [] for t in targets}
    async with new_session() as session:
        ids: dict[str, str | None] = {}
        for target in targets:
            try:
                ids[target.name] = await target.start(session)
            except TurnFailed:
                ids[target.name] = None
        for turn, text in enumerate(texts):
            order = targets if turn % 2 == 0 else list(reversed(targets))
            for target in order:
                conversation_id = ids[target.name]
                latency = None if conversation_id is None else await _timed_send(target, session, conversation_id, text)
                latencies[target.name].append(latency)
    return latencies
