"""Statistics through the real stack (Rasa with the trained model, action server,
gateway): a scripted set of real conversations changes the counts exactly as
expected, read back as a counsellor through the desk's CSV export."""
from __future__ import annotations

import asyncio
import csv
import http.cookiejar
import io
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from bot.clock import utcnow
from bot.desk.accounts import add_counsellor
from bot.storage.engine import make_engine, make_sessionmaker
from tests.live_http import call, customs

PASSWORD = "et langt og hemmelig passord"


def counts_in_database(path: Path) -> Counter:
    """(role, topic, substance, outcome) → (count, conversations) summed over days, straight from the table."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT role, topic, substance, outcome, SUM(count), SUM(CASE WHEN first_outcome THEN count ELSE 0 END) "
            "FROM statistics_counts GROUP BY role, topic, substance, outcome"
        ).fetchall()
    out: Counter = Counter()
    for role, topic, substance, outcome, count, conversations in rows:
        out[(role, topic, substance, outcome, "count")] += count
        out[(role, topic, substance, outcome, "conversations")] += conversations
    return out


def counts_in_csv(text: str) -> Counter:
    out: Counter = Counter()
    for row in csv.DictReader(io.StringIO(text)):
        key = (row["role"], row["topic"], row["substance"], row["outcome"])
        out[(*key, "count")] += int(row["count"])
        out[(*key, "conversations")] += int(row["conversations"])
    return out


async def _create_counsellor(db_path: Path, name: str) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{db_path}")
    try:
        async with make_sessionmaker(engine)() as s, s.begin():
            await add_counsellor(s, name, PASSWORD, utcnow())
    finally:
        await engine.dispose()


class Desk:
    """A counsellor's browser, reduced to cookies and forms."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post_form(self, path: str, fields: dict) -> str:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=30) as response:
            return response.read().decode()

    def sign_in(self, name: str) -> None:
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.get("/desk/login"))[1]
        self.post_form("/desk/login", {"name": name, "password": PASSWORD, "csrf_token": token})

    def sign_out(self) -> None:
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', self.get("/desk/statistics"))[1]
        self.post_form("/desk/logout", {"csrf_token": token})


def cell(payload: dict, outcome: str) -> tuple:
    return tuple(payload.get(name) or "ukjent" for name in ("role", "topic", "substance")) + (outcome,)


def test_real_conversations_give_exact_counts(live_stack):
    base = live_stack.url
    gateway_db = live_stack.var_dir / "gateway.db"
    before = counts_in_database(gateway_db)
    expected: Counter = Counter()

    # 1. A leader gets advice twice (answered once), then asks for a human, with nobody at the desk.
    status, created = call("POST", f"{base}/api/conversations")
    assert status == 201
    messages_url = f"{base}/api/conversations/{created['id']}/messages"
    leader = next(b["payload"] for b in created["messages"][0]["buttons"] if '"leder"' in b["payload"])
    assert call("POST", messages_url, {"button": leader})[0] == 200
    status, reply = call("POST", messages_url, {"text": "Hvordan kan jeg følge opp en ansatt som jobber på hjemmekontor?"})
    [first] = [c for c in customs(reply["messages"]) if c["type"] == "recommendations"]
    assert (first["role"], first["topic"]) == ("leder", "hjemmekontor")
    status, reply = call("POST", messages_url, {"text": "Hva bør stå i en rusmiddelpolicy om alkohol på julebordet?"})
    [second] = [c for c in customs(reply["messages"]) if c["type"] == "recommendations"]
    assert second["topic"] == "policy"
    status, reply = call("POST", messages_url, {"button": "/request_human"})
    [handoff] = [c for c in customs(reply["messages"]) if c["type"] == "handoff"]
    assert handoff["status"] == "unavailable", "a counsellor is still signed in from another test"
    expected[(*cell(first, "answered"), "count")] += 1
    expected[(*cell(first, "answered"), "conversations")] += 1
    known = {name: second.get(name) or first.get(name) for name in ("role", "topic", "substance")}
    expected[(*cell(known, "unavailable"), "count")] += 1

    # 2. A crisis, said twice: counted once.
    status, created = call("POST", f"{base}/api/conversations")
    messages_url = f"{base}/api/conversations/{created['id']}/messages"
    status, reply = call("POST", messages_url, {"text": "Jeg har samlet opp piller og ser ingen vei ut"})
    [crisis] = [c for c in customs(reply["messages"]) if c["type"] == "crisis"]
    call("POST", messages_url, {"text": "Jeg vil ikke leve lenger"})
    expected[(*cell(crisis, "crisis"), "count")] += 1
    expected[(*cell(crisis, "crisis"), "conversations")] += 1

    # 3. Only a greeting and a hello: no henvendelse.
    status, created = call("POST", f"{base}/api/conversations")
    call("POST", f"{base}/api/conversations/{created['id']}/messages", {"text": "hei"})

    after_in_database = counts_in_database(gateway_db)
    assert after_in_database - before == expected
    assert before - after_in_database == Counter()

    # What a counsellor downloads from the desk agrees with the table.
    asyncio.run(_create_counsellor(gateway_db, "statistikk-test"))
    desk = Desk(base)
    desk.sign_in("statistikk-test")
    try:
        page = desk.get("/desk/statistics")
        assert "Hvem henvender seg?" in page and "Hva henvender de seg om?" in page
        assert counts_in_csv(desk.get("/desk/statistics.csv")) == after_in_database
    finally:
        desk.sign_out()
