"""Faults the production profile survives (SPEC "Targets": nothing lost under load and
restarts), with real PostgreSQL, Redis, two Rasa replicas, the action server and
the gateway. The tests share one stack and run in this order; each leaves every
process running again.
"""
from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections import defaultdict

import aiohttp
import psycopg2

from bot.rasa_client import rank_servers

HELP_PHONE = "22 40 28 00"


def call(method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else {}
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


class Conversation:
    def __init__(self, gateway_url: str) -> None:
        self.base = gateway_url
        status, body = call("POST", f"{gateway_url}/api/conversations")
        assert status == 201, body
        self.id = body["id"]
        self.accepted: list[str] = []

    def say(self, text: str) -> tuple[int, dict]:
        status, body = call("POST", f"{self.base}/api/conversations/{self.id}/messages", {"text": text})
        if status == 200:
            self.accepted.append(text)
        return status, body

    def transcript(self) -> list[dict]:
        status, body = call("GET", f"{self.base}/api/conversations/{self.id}/messages")
        assert status == 200, body
        return body["messages"]


def recommendations(body: dict) -> dict:
    """The recommendations payload of a reply (role and topic the bot answered for)."""
    found = [m["custom"] for m in body["messages"] if (m.get("custom") or {}).get("type") == "recommendations"]
    assert found, body
    return found[0]


def tracker_user_texts(stack, conversation_ids) -> dict[str, list[str]]:
    """Every user message in Rasa's tracker store, per conversation, in order (greetings left out)."""
    connection = psycopg2.connect(stack.tracker_db_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id = ANY(%s) ORDER BY id",
                (list(conversation_ids),),
            )
            texts = defaultdict(list)
            for sender, data in cursor.fetchall():
                text = json.loads(data).get("text")
                if text != "/greet":
                    texts[sender].append(text)
            return texts
    finally:
        connection.close()


def tracker_types(stack, conversation_id: str) -> list[str]:
    connection = psycopg2.connect(stack.tracker_db_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT type_name FROM events WHERE sender_id = %s ORDER BY id", (conversation_id,))
            return [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()


# ------------------------------------------------------------------ nothing lost

CONVERSATIONS = 50
MESSAGES_EACH = 20
QUESTIONS = [
    "Jeg er kollega og bekymret for en på jobben",
    "Hva er tegn på at noen har et problem?",
    "Hvordan tar jeg det opp med henne?",
    "Hva med hjemmekontor?",
    "Hva er en Akan-avtale?",
]


async def _chat(session: aiohttp.ClientSession, base: str, index: int, results: dict) -> None:
    async with session.post(f"{base}/api/conversations") as response:
        assert response.status == 201, await response.text()
        conversation_id = (await response.json())["id"]
    accepted, refused = [], []
    for turn in range(MESSAGES_EACH):
        text = f"{QUESTIONS[turn % len(QUESTIONS)]} ({index}.{turn})"
        async with session.post(f"{base}/api/conversations/{conversation_id}/messages", json={"text": text}) as response:
            body = await response.json()
            if response.status == 200:
                assert body["messages"], f"no bot reply to an accepted message: {body}"
                accepted.append(text)
            else:
                assert response.status == 503 and HELP_PHONE in body["error"], (response.status, body)
                refused.append(text)
    results[conversation_id] = (accepted, refused)


async def _load(base: str) -> dict:
    results: dict = {}
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=CONVERSATIONS)) as session:
        await asyncio.gather(*(_chat(session, base, i, results) for i in range(CONVERSATIONS)))
    return results


def test_nothing_lost_under_load(production_stack):
    """1,000 messages over 50 concurrent conversations: each accepted message is in the
    tracker store exactly once, in order, and has a bot reply."""
    started = time.monotonic()
    results = asyncio.run(_load(production_stack.gateway_url))
    elapsed = time.monotonic() - started
    accepted_total = sum(len(a) for a, _ in results.values())
    print(f"\n{accepted_total} of {CONVERSATIONS * MESSAGES_EACH} accepted in {elapsed:.1f} s "
          f"({accepted_total / elapsed:.1f} messages/s)")
    assert len(results) == CONVERSATIONS
    assert accepted_total >= 0.99 * CONVERSATIONS * MESSAGES_EACH  # a healthy stack refuses (almost) nothing
    stored = tracker_user_texts(production_stack, results)
    for conversation_id, (accepted, refused) in results.items():
        texts = stored[conversation_id]
        # A refused message may or may not have reached Rasa, but never twice.
        assert all(texts.count(t) <= 1 for t in refused)
        assert [t for t in texts if t not in refused] == accepted, conversation_id
    # Each user message is followed by the bot's answer before the next one.
    sample = next(iter(results))
    types = [t for t in tracker_types(production_stack, sample) if t in ("user", "bot")]
    assert types == ["user", "bot"] * (len(types) // 2) and len(types) >= 2 * (MESSAGES_EACH + 1)


# ------------------------------------------------------------------ PostgreSQL restart


def test_postgres_restart_mid_conversation(production_stack):
    conversation = Conversation(production_stack.gateway_url)
    status, body = conversation.say("Jeg er leder og lurer på hjemmekontor")
    assert status == 200 and recommendations(body)["role"] == "leder"
    production_stack.postgres.stop()
    try:
        # While it is down: a clear error with the phone number, and the message is not taken.
        status, body = conversation.say("Dette sendes mens databasen er nede")
        assert status in (500, 503) and HELP_PHONE in body["error"], (status, body)
    finally:
        production_stack.postgres.start()
    status, body = conversation.say("Hva er tegn på at noen sliter?")
    assert status == 200, body
    # The conversation continues with its history: the role is still known.
    assert recommendations(body)["role"] == "leder" and recommendations(body)["topic"] == "signaler"
    status, body = conversation.say("Og hva med policy?")
    assert status == 200, body
    stored = tracker_user_texts(production_stack, [conversation.id])[conversation.id]
    assert stored == conversation.accepted
    assert [m["text"] for m in conversation.transcript() if m["from"] == "user"] == conversation.accepted
    # The failed message is in no log either (Rasa logs a failed message with its text,
    # and database errors quote the events they could not write).
    for path in (production_stack.var_dir / "logs").rglob("*"):
        if path.is_file():
            assert b"databasen er nede" not in path.read_bytes(), path.name


# ------------------------------------------------------------------ gateway restart


def test_gateway_restart_conversations_continue(production_stack):
    conversation = Conversation(production_stack.gateway_url)
    status, body = conversation.say("Jeg er kollega")
    assert status == 200
    before = conversation.transcript()
    offered = [b["payload"] for m in body["messages"] for b in m.get("buttons", [])]
    production_stack.restart("gateway")
    assert conversation.transcript() == before  # from the database
    if offered:
        # A button offered before the restart is still accepted (kept in the database).
        status, body = call("POST", f"{production_stack.gateway_url}/api/conversations/{conversation.id}/messages",
                            {"button": offered[0]})
        assert status == 200, body
    status, body = conversation.say("Hva er tegn på at noen har et problem?")
    assert status == 200 and recommendations(body)["role"] == "kollega"


# ------------------------------------------------------------------ action server down


def test_action_server_down_gives_the_phone_number_fast(production_stack):
    conversation = Conversation(production_stack.gateway_url)
    production_stack.stop_process("actions")
    try:
        started = time.monotonic()
        status, body = conversation.say("Jeg er kollega, hva er tegn på rusproblemer?")
        elapsed = time.monotonic() - started
        assert elapsed < 5, elapsed
        assert status == 200, body
        text = " ".join(m.get("text", "") for m in body["messages"])
        assert HELP_PHONE in text and "113" in text
    finally:
        production_stack.start("actions")
    status, body = conversation.say("Jeg er kollega, hva er tegn på rusproblemer?")
    assert status == 200 and recommendations(body)["role"] == "kollega"


# ------------------------------------------------------------------ a Rasa replica killed


def test_killed_replica_moves_its_conversations(production_stack):
    urls = production_stack.rasa_urls
    victim = "rasa-1"
    on_victim, elsewhere = [], []
    while len(on_victim) < 2 or len(elsewhere) < 1:
        conversation = Conversation(production_stack.gateway_url)
        (on_victim if rank_servers(conversation.id, tuple(urls))[0] == urls[1] else elsewhere).append(conversation)
    conversations = on_victim[:2] + elsewhere[:1]
    for conversation in conversations:
        status, body = conversation.say("Jeg er leder")
        assert status == 200, body
    production_stack.kill(victim)  # SIGKILL, as a crash
    try:
        errors = 0
        for conversation in conversations:
            for question in ("Hva er tegn på at en ansatt har et problem?", "Hvordan tar jeg opp bekymringen?"):
                status, body = conversation.say(question)
                if status != 200:
                    errors += 1
                    assert status == 503 and "Prøv igjen" in body["error"] and HELP_PHONE in body["error"]
                    continue
                # History moved along: the role given to the dead replica is still known.
                assert recommendations(body)["role"] == "leder", body
        assert errors <= 1
        for conversation in conversations:
            stored = tracker_user_texts(production_stack, [conversation.id])[conversation.id]
            assert [t for t in stored if t in conversation.accepted] == conversation.accepted
    finally:
        production_stack.start(victim)
    # Back on its own replica, still with the history.
    status, body = on_victim[0].say("Hva med en Akan-avtale?")
    assert status == 200 and recommendations(body)["role"] == "leder"


# ------------------------------------------------------------------ commits


def test_only_the_gateways_own_sessions_skip_waiting_for_the_disk(production_stack):
    """The gateway's database commits without waiting for PostgreSQL's WAL flush
    (its turns are stored after the reply); Rasa's tracker store, the record of every
    message, keeps PostgreSQL's default."""
    import asyncio

    from sqlalchemy import text

    from bot.settings import async_db_url
    from bot.storage.engine import make_engine

    async def setting(fast: bool) -> str:
        engine = make_engine(async_db_url(production_stack.gateway_db_url), fast_commits=fast)
        try:
            async with engine.connect() as conn:
                return (await conn.execute(text("SHOW synchronous_commit"))).scalar()
        finally:
            await engine.dispose()

    assert asyncio.run(setting(True)) == "off"
    assert asyncio.run(setting(False)) == "on"
    connection = psycopg2.connect(production_stack.tracker_db_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
    finally:
        connection.close()
