"""Characters and JSON that no database or person can use are refused at the edge
(issue 18, finding 4): a 400 with a Norwegian message, nothing sent to Rasa and
nothing stored, and the conversation goes on at once. An error of the data itself
is never tried again by the turn store (it held the conversation for a minute).
On SQLite here; on PostgreSQL, where a NUL cannot be stored at all, in the
`production` group below."""
from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest
from asyncpg import exceptions as pg
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from bot import chat, errors, keys
from bot.clock import utcnow
from bot.input_checks import MAX_JSON_DEPTH, json_depth
from bot.storage import queries
from bot.storage.engine import is_transient
from tests.gateway.desk_support import add_counsellor, desk_csrf, login
from tests.gateway.postgres_support import pg_client, pg_settings, postgres_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.asyncio

REFUSED = {"\x00", "\x07", "\x1b", "\x7f", "\x85", "\x0b", "\x0c"}


async def post_raw(client, conversation_id: str, body: str | bytes):
    return await client.post(
        f"/api/conversations/{conversation_id}/messages", data=body, headers={"Content-Type": "application/json"}
    )


async def transcript(client, conversation_id: str) -> list[dict]:
    response = await client.get(f"/api/conversations/{conversation_id}/messages")
    assert response.status == 200
    return (await response.json())["messages"]


async def assert_refused_and_nothing_kept(client, fake_rasa, conversation_id: str, response, message: str) -> None:
    assert response.status == 400
    assert (await response.json()) == {"error": message}
    assert fake_rasa.texts_for(conversation_id) == ["/greet"]  # not sent to Rasa
    assert [m["from"] for m in await transcript(client, conversation_id)] == ["bot"]  # nothing stored
    # The conversation goes on at once: no turn is left waiting for the database.
    started = time.monotonic()
    after = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "hei igjen"})
    assert after.status == 200 and time.monotonic() - started < 2
    assert [m.get("text") for m in await transcript(client, conversation_id) if m["from"] == "user"] == ["hei igjen"]


@pytest.mark.parametrize("char", sorted(REFUSED), ids=lambda c: f"U+{ord(c):04X}")
async def test_a_control_character_is_a_norwegian_400_and_nothing_is_kept(client, fake_rasa, start, char):
    conversation_id = await start(client)
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": f"hei{char}du"})
    await assert_refused_and_nothing_kept(client, fake_rasa, conversation_id, response, errors.INVALID_CHARACTERS)


async def test_a_lone_surrogate_is_a_400_not_a_503(client, fake_rasa, start):
    conversation_id = await start(client)
    # Half of a UTF-16 pair, as JSON lets a client write it (the body itself is valid UTF-8).
    response = await post_raw(client, conversation_id, '{"text": "hei \\ud800 du"}')
    await assert_refused_and_nothing_kept(client, fake_rasa, conversation_id, response, errors.INVALID_CHARACTERS)


async def test_a_whole_surrogate_pair_and_other_unicode_pass(client, fake_rasa, start):
    conversation_id = await start(client)
    response = await post_raw(client, conversation_id, '{"text": "hei \\ud83d\\ude00 blåbær \\u200b"}')
    assert response.status == 200
    assert fake_rasa.texts_for(conversation_id)[-1] == "hei \U0001F600 blåbær \u200b"


async def test_line_breaks_and_tabs_are_kept(client, fake_rasa, start):
    conversation_id = await start(client)
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "én\r\nto\tpå\rtre\n"})
    assert response.status == 200
    [user] = [m for m in await transcript(client, conversation_id) if m["from"] == "user"]
    assert user["text"] == "én\nto\tpå\ntre\n"


async def test_a_refused_button_is_a_400_too(client, fake_rasa, start):
    conversation_id = await start(client)
    payload = fake_rasa.ROLE_BUTTONS[0]["payload"] + "\x00"
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"button": payload})
    await assert_refused_and_nothing_kept(client, fake_rasa, conversation_id, response, errors.INVALID_CHARACTERS)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


async def test_deeply_nested_json_is_a_400_without_a_stack_trace(client, fake_rasa, start, caplog):
    conversation_id = await start(client)
    with caplog.at_level(logging.INFO):
        for body in (nested(30_000), '{"text": ' * 5_000 + '"x"' + "}" * 5_000, nested(MAX_JSON_DEPTH + 1)):
            response = await post_raw(client, conversation_id, body)
            assert response.status == 400
            assert (await response.json()) == {"error": errors.JSON_TOO_DEEP}
    assert "unhandled_error" not in caplog.text and "Traceback" not in caplog.text
    await assert_refused_and_nothing_kept(client, fake_rasa, conversation_id, response, errors.JSON_TOO_DEEP)


async def test_brackets_inside_text_are_only_text(client, fake_rasa, start):
    conversation_id = await start(client)
    text = nested(500) + ' "{[\\'
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": text})
    assert response.status == 200
    assert fake_rasa.texts_for(conversation_id)[-1] == text


async def test_json_depth_counts_brackets_outside_strings_only():
    assert json_depth('{"text": "hei"}') == 1
    assert json_depth('"[[[["') == 0
    assert json_depth('[{"a": [1, "]]]]", {"b": "\\"[["}]}]') == 4
    assert json_depth(nested(7)) == 7


@pytest.mark.parametrize("body", [
    '"' + '\\"' * 21_000,  # one long unterminated string of escaped quotes
    '"a\\' * 16_000,
    '"' * 64_000,
    "[" * 64_000,
], ids=["escaped-quotes", "backslashes", "quotes", "brackets"])
async def test_the_depth_check_takes_one_pass_whatever_the_body(body):
    """A regular expression for strings took seconds (quadratic) on the first two."""
    started = time.perf_counter()
    json_depth(body, stop_above=MAX_JSON_DEPTH)
    assert time.perf_counter() - started < 0.5


async def test_over_websocket_the_same_refusals_arrive_as_frames(client, fake_rasa, start):
    conversation_id = await start(client)
    ws = await client.ws_connect(f"/api/conversations/{conversation_id}/ws")
    for frame, message in (
        (json.dumps({"text": "hei\x00"}), errors.INVALID_CHARACTERS),
        ('{"text": "hei \\udc00"}', errors.INVALID_CHARACTERS),
        (nested(5_000), errors.JSON_TOO_DEEP),
    ):
        await ws.send_str(frame)
        assert await ws.receive_json(timeout=5) == {"type": "error", "status": 400, "error": message}
    await ws.send_json({"text": "hei"})
    assert (await ws.receive_json(timeout=5))["type"] == "messages"  # the socket stayed open
    assert fake_rasa.texts_for(conversation_id) == ["/greet", "hei"]
    await ws.close()


async def test_a_counsellors_message_is_checked_too(client, settings, start):
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    headers = {"X-CSRF-Token": await desk_csrf(client), "Content-Type": "application/json"}
    for body, message in (('{"text": "hei\\u0000"}', errors.INVALID_CHARACTERS),
                          ('{"text": "hei \\ud800"}', errors.INVALID_CHARACTERS)):
        response = await client.post("/desk/api/tickets/1/messages", data=body, headers=headers)
        assert response.status == 400 and (await response.json()) == {"error": message}
    response = await client.post("/desk/api/tickets/1/messages", data=nested(10_000), headers=headers)
    assert response.status == 400  # not a 500


# ---------------------------------------------------------------- the turn store tries again only what may pass


@pytest.mark.parametrize("error", [
    DataError("INSERT", {}, ValueError("invalid byte sequence")),
    IntegrityError("INSERT", {}, ValueError("duplicate key")),
    ValueError("A string literal cannot contain NUL (0x00) characters."),
    UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
], ids=lambda e: type(e).__name__)
async def test_an_error_of_the_data_is_not_tried_again(client, start, monkeypatch, caplog, error):
    """Before: anything but an IntegrityError was tried again for STORE_GIVE_UP_SECONDS (60 s),
    the conversation's lock held, its next message refused with a 503."""
    conversation_id = await start(client)
    original = queries.insert_messages
    failures = [error]

    async def fails_once(session, rows):
        if failures:
            raise failures.pop()
        await original(session, rows)

    monkeypatch.setattr(queries, "insert_messages", fails_once)
    with caplog.at_level(logging.WARNING, logger="bot.chat"):
        assert (await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "først"})).status == 200
        started = time.monotonic()
        response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "så"})
        assert response.status == 200 and time.monotonic() - started < 1.5
    assert f"turn_store_failed type={type(error).__name__} attempts=1" in caplog.text
    assert "turn_store_retry" not in caplog.text
    assert conversation_id not in client.server.app[keys.UNSTORED]


async def test_what_is_tried_again():
    assert is_transient(OperationalError("INSERT", {}, ConnectionRefusedError()))
    assert is_transient(pg.ConnectionDoesNotExistError("connection was closed in the middle of operation"))
    assert is_transient(pg.SerializationError("could not serialize access"))
    assert is_transient(pg.DeadlockDetectedError("deadlock detected"))
    assert is_transient(pg.AdminShutdownError("terminating connection due to administrator command"))
    assert is_transient(pg.InternalClientError())
    assert is_transient(OSError())
    assert not is_transient(pg.CharacterNotInRepertoireError('invalid byte sequence for encoding "UTF8": 0x00'))
    assert not is_transient(pg.UniqueViolationError("duplicate key"))
    assert not is_transient(DataError("INSERT", {}, ValueError()))
    assert not is_transient(ValueError())
    assert not is_transient(RuntimeError())


# ---------------------------------------------------------------- PostgreSQL (production group)


@pytest.mark.production
async def test_on_postgresql_a_nul_is_a_400_and_the_conversation_goes_on(pg_client, fake_rasa, start):
    client = pg_client
    conversation_id = await start(client)
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "hei\x00du"})
    await assert_refused_and_nothing_kept(client, fake_rasa, conversation_id, response, errors.INVALID_CHARACTERS)


@pytest.mark.production
async def test_on_postgresql_a_nul_that_got_past_the_edge_is_not_tried_again(pg_client, start, caplog):
    """PostgreSQL's own error for a NUL (22021) is an error of the data: the turn store logs
    the turn as lost at once instead of holding the conversation for a minute."""
    client = pg_client
    app = client.server.app
    conversation_id = await start(client)
    now = utcnow()
    rows = queries.new_messages(conversation_id, "user", [{"text": "hei\x00du"}], now, app[keys.MESSAGE_IDS])
    with pytest.raises(Exception) as raised:
        await chat._store_turn(app, conversation_id, rows, [], now)
    causes, error = [], raised.value
    while error is not None:
        causes.append(error)
        error = error.__cause__
    assert "22021" in {getattr(cause, "sqlstate", None) for cause in causes}  # character_not_in_repertoire
    assert not is_transient(raised.value)
    rows = queries.new_messages(conversation_id, "user", [{"text": "hei\x00du"}], now, app[keys.MESSAGE_IDS])
    with caplog.at_level(logging.WARNING, logger="bot.chat"):
        await asyncio.wait_for(chat._store_turn_soon(app, conversation_id, rows, [], now), 5)
    assert "attempts=1" in caplog.text and "turn_store_retry" not in caplog.text
    assert conversation_id not in app[keys.UNSTORED]
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "hei igjen"})
    assert response.status == 200
