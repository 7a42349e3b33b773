"""End to end: Rasa with the trained model, the action server and the gateway as
real processes (see the live_stack fixture); one conversation through the gateway."""
from __future__ import annotations

import json
import sqlite3
import time
import uuid
from pathlib import Path
from tests.live_http import call, customs

PERSONAL = ["Kari Nordmann", "Nordmann", "41234567", "kari.nordmann@firma.no", "01019012345"]


def tracker_texts(var_dir: Path, conversation_id: str) -> list[str]:
    with sqlite3.connect(var_dir / "tracker.db") as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (conversation_id,)
        ).fetchall()
    return [json.loads(data).get("text") or "" for (data,) in rows]


def test_conversation_through_the_gateway(live_stack):
    base = live_stack.url
    assert call("GET", f"{base}/healthz")[0] == 200

    status, created = call("POST", f"{base}/api/conversations")
    assert status == 201
    conversation_id = created["id"]
    greeting = created["messages"][0]
    assert "chatbot" in greeting["text"] and "113" in greeting["text"]
    role_buttons = {b["title"]: b["payload"] for b in greeting["buttons"]}
    leader = next(payload for payload in role_buttons.values() if '"leder"' in payload)

    messages_url = f"{base}/api/conversations/{conversation_id}/messages"
    status, reply = call("POST", messages_url, {"button": leader})
    assert status == 200 and reply["messages"]

    status, reply = call("POST", messages_url, {"text": "Hvordan kan jeg følge opp en ansatt som jobber på hjemmekontor?"})
    assert status == 200
    [recommendation] = [c for c in customs(reply["messages"]) if c["type"] == "recommendations"]
    assert recommendation["role"] == "leder" and recommendation["topic"] == "hjemmekontor"
    assert recommendation["ids"] and recommendation["sources"]

    # A button the bot did not offer is refused; a typed command is only text.
    assert call("POST", messages_url, {"button": '/ask_advice{"role": "bht"}'})[0] == 400
    assert call("POST", messages_url, {"text": "/restart"})[0] == 200
    marker = f"merkeord{uuid.uuid4().hex[:10]}"  # found nowhere else, to see it go
    assert call("POST", messages_url, {"text": f"takk for svaret, {marker}"})[0] == 200
    assert call("POST", messages_url, {"text": "Jeg heter Kari Nordmann, ring 41234567 eller kari.nordmann@firma.no, fnr 01019012345"})[0] == 200

    status, reply = call("POST", messages_url, {"button": "/request_human"})
    assert status == 200
    assert any(c["type"] == "handoff" for c in customs(reply["messages"]))

    status, reply = call("POST", messages_url, {"text": "Jeg vil ikke leve lenger"})
    assert status == 200
    assert customs(reply["messages"])[0]["type"] == "crisis"

    texts = tracker_texts(live_stack.var_dir, conversation_id)
    assert "restart" in texts and "/restart" not in texts
    assert not any(t.startswith("/") and t not in (leader, "/request_human", "/greet") for t in texts)
    assert any("[telefonnummer]" in t and "[navn]" in t and "[e-post]" in t for t in texts)

    # Nothing personal in any file the stack wrote (databases and logs).
    for path in (p for p in live_stack.var_dir.rglob("*") if p.is_file()):
        content = path.read_bytes()
        for detail in PERSONAL:
            assert detail.encode() not in content, (path.name, detail)

    def stored_in(name: str) -> bool:
        """In the SQLite file or still in its write-ahead log."""
        return any(marker.encode() in path.read_bytes() for path in live_stack.var_dir.glob(f"{name}*"))

    for name in ("tracker.db", "gateway.db"):
        assert stored_in(name), name
    status, _ = call("DELETE", f"{base}/api/conversations/{conversation_id}")
    assert status == 204
    assert tracker_texts(live_stack.var_dir, conversation_id) == []
    assert call("POST", messages_url, {"text": "hei"})[0] == 404
    # Gone from the files too: the gateway overwrites what it deletes, and compacts the
    # tracker file (where Rasa leaves copies of old rows) in its next retention round.
    assert not stored_in("gateway.db")
    deadline = time.monotonic() + 30
    while stored_in("tracker.db"):
        assert time.monotonic() < deadline, "the deleted transcript is still in tracker.db"
        time.sleep(0.5)
