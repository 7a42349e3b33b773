"""Anonymous by design: no message text and no IP address in any log, no personal
detail in any file under VAR_DIR, and a deleted transcript is gone from the files."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.logs import QUIET_LOGGERS, quiet_third_party_loggers

pytestmark = pytest.mark.asyncio

PERSONAL = ["Kari Nordmann", "Nordmann", "41234567", "412 34 567", "kari.nordmann@firma.no", "01019012345"]
MESSAGES = [
    "Jeg heter Kari Nordmann og er leder",
    "Ring meg på 412 34 567 eller 41234567",
    "E-posten min er kari.nordmann@firma.no",
    "Fødselsnummeret mitt er 01019012345",
    "Kollegaen min drikker på hjemmekontoret, zebrafisk",
]


@pytest.fixture
def production_logging(caplog):
    """The gateway's own log configuration, captured at DEBUG (stricter than it runs)."""
    levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    quiet_third_party_loggers()
    caplog.set_level(logging.DEBUG)
    yield caplog
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()]


async def hold_conversation(client, fake_rasa, start) -> str:
    conversation_id = await start(client)
    ws = await client.ws_connect(f"/api/conversations/{conversation_id}/ws")
    for text in MESSAGES[:-1]:
        response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": text})
        assert response.status == 200
        await ws.receive_json()
    await ws.send_json({"text": MESSAGES[-1]})
    await ws.receive_json()
    await client.post(f"/api/conversations/{conversation_id}/messages", json={"button": fake_rasa.ROLE_BUTTONS[0]["payload"]})
    await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "x" * 3000})  # 413
    await client.post(f"/api/conversations/{conversation_id}/messages", json={"button": "/restart"})  # 400
    await ws.close()
    return conversation_id


async def test_logs_hold_no_text_and_no_address(client, fake_rasa, start, production_logging):
    await hold_conversation(client, fake_rasa, start)
    fake_rasa.rasa_up = False
    await client.post("/api/conversations")  # 503 path logs too
    records = production_logging.records
    assert any(r.name.startswith("bot") for r in records), "the gateway logged nothing at all"
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in records)
    for text in MESSAGES + PERSONAL + ["zebrafisk", "[telefonnummer]", "[navn]"]:
        assert text not in logged
    assert "127.0.0.1" not in logged
    assert fake_rasa.url.split("//")[1] not in logged  # no addresses of any kind


async def test_no_personal_detail_in_any_file(client, fake_rasa, start, var_dir):
    await hold_conversation(client, fake_rasa, start)
    files = files_under(var_dir)
    assert {p.name for p in files} >= {"gateway.db", "tracker.db"}
    for path in files:
        content = path.read_bytes()
        for detail in PERSONAL:
            assert detail.encode() not in content, (path.name, detail)


async def test_deleted_transcript_is_gone_from_the_files(client, fake_rasa, start, var_dir):
    conversation_id = await hold_conversation(client, fake_rasa, start)
    # Stored: in the file or still in its write-ahead log.
    assert any(b"zebrafisk" in path.read_bytes() for path in var_dir.glob("gateway.db*"))
    assert (await client.delete(f"/api/conversations/{conversation_id}")).status == 204
    for path in files_under(var_dir):
        assert b"zebrafisk" not in path.read_bytes(), path.name
        assert conversation_id.encode() not in path.read_bytes(), path.name
