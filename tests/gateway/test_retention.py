"""Transcripts idle for longer than RETENTION_HOURS are deleted everywhere."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot import keys
from bot.clock import utcnow
from bot.retention import purge_inactive
from bot.storage.models import Conversation

pytestmark = pytest.mark.asyncio


async def test_idle_conversations_are_purged(client, fake_rasa, start):
    old, fresh = await start(client), await start(client)
    app = client.server.app
    later = utcnow() + timedelta(hours=app[keys.SETTINGS].retention_hours, minutes=1)
    await client.post(f"/api/conversations/{fresh}/messages", json={"text": "hei"})
    assert await purge_inactive(app, now=utcnow()) == 0
    assert await purge_inactive(app, now=later - timedelta(minutes=2)) == 0
    # Move "fresh" forward so only "old" is past the limit.

    async with app[keys.DB]() as s, s.begin():
        await s.execute(update(Conversation).where(Conversation.id == fresh).values(last_activity_at=later))
    assert await purge_inactive(app, now=later) == 1
    assert (await client.get(f"/api/conversations/{old}/messages")).status == 404
    assert (await client.get(f"/api/conversations/{fresh}/messages")).status == 200
    with sqlite3.connect(fake_rasa.tracker_path) as db:
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (old,)).fetchone()[0] == 0


async def test_deleting_compacts_the_tracker_file(client, fake_rasa, start):
    conversation_id = await start(client)
    await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "zebrafisk"})
    # Leftovers as Rasa leaves them: a row deleted without secure_delete stays in free space.
    with sqlite3.connect(fake_rasa.tracker_path) as db:
        db.execute("INSERT INTO events (sender_id, type_name, data) VALUES ('other', 'user', '{\"text\": \"blekksprut\"}')")
    with sqlite3.connect(fake_rasa.tracker_path) as db:
        db.execute("PRAGMA secure_delete=OFF")
        db.execute("DELETE FROM events WHERE sender_id = 'other'")
    assert b"blekksprut" in fake_rasa.tracker_path.read_bytes()
    compactor = client.server.app[keys.COMPACTOR]
    assert await compactor.run() is False  # nothing deleted through the gateway yet
    assert (await client.delete(f"/api/conversations/{conversation_id}")).status == 204
    assert await compactor.run() is True
    content = fake_rasa.tracker_path.read_bytes()
    assert b"blekksprut" not in content and b"zebrafisk" not in content
    assert await compactor.run() is False
