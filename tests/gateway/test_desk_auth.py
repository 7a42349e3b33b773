"""Counsellor sign-in: hashed passwords, cookie flags, CSRF, throttling, sign-out."""
from __future__ import annotations

import argparse
import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot import keys
from bot.clock import utcnow
from bot.desk import accounts, cli
from bot.desk.models import Counsellor, CounsellorSession
from bot.desk.sessions import COOKIE_NAME
from bot.desk.throttle import LoginThrottle
from tests.gateway.desk_support import PASSWORD, add_counsellor, desk_csrf, hidden_value, login

pytestmark = pytest.mark.asyncio


async def test_cli_creates_an_argon2_hash_and_refuses_bad_input(settings):
    assert "opprettet" in await add_counsellor(settings, "kari")
    with pytest.raises(accounts.AccountError):
        await add_counsellor(settings, "kari")  # taken
    with pytest.raises(accounts.AccountError):
        await add_counsellor(settings, "ola", "kort")  # too short
    mismatched = iter([PASSWORD, PASSWORD + "x"])
    with pytest.raises(accounts.AccountError):
        await cli.run_command(settings, argparse.Namespace(action="add", name="per"), prompt=lambda _: next(mismatched))
    listed = await cli.run_command(settings, argparse.Namespace(action="list"))
    assert listed.splitlines() == ["kari"]
    from bot.storage.engine import make_engine, make_sessionmaker

    engine = make_engine(settings.gateway_db_url)
    async with make_sessionmaker(engine)() as s:
        stored = (await s.execute(select(Counsellor.password_hash))).scalars().all()
    await engine.dispose()
    assert len(stored) == 1 and stored[0].startswith("$argon2id$") and PASSWORD not in stored[0]
    assert "slettet" in await cli.run_command(settings, argparse.Namespace(action="remove", name="kari"))


async def test_pages_need_sign_in(client):
    page = await client.get("/desk", allow_redirects=False)
    assert page.status == 302 and page.headers["Location"] == "/desk/login"
    api = await client.get("/desk/api/queue")
    assert api.status == 401 and "logget inn" in (await api.json())["error"]
    assert (await client.post("/desk/api/tickets/1/accept")).status == 401


async def test_wrong_password_is_refused_without_a_session(client, settings):
    await add_counsellor(settings, "kari")
    response = await login(client, "kari", "feil-passord-her", expect=401)
    assert "Feil brukernavn eller passord" in await response.text()
    assert COOKIE_NAME not in response.cookies
    await login(client, "ukjent", PASSWORD, expect=401)
    assert (await client.get("/desk/api/queue")).status == 401


async def test_session_cookie_is_httponly_strict_and_only_a_hash_is_stored(client, settings):
    await add_counsellor(settings, "kari")
    response = await login(client, "kari")
    assert response.headers["Location"] == "/desk"
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/desk"
    assert not cookie["secure"]  # plain http here; see the https test below
    async with client.server.app[keys.DB]() as s:
        rows = (await s.execute(select(CounsellorSession.token_hash))).scalars().all()
    assert len(rows) == 1 and cookie.value not in rows[0]
    assert (await client.get("/desk/api/queue")).status == 200


async def test_cookie_is_secure_behind_https(make_client, settings):
    client = await make_client(dataclasses.replace(settings, public_url="https://akan.example"))
    await add_counsellor(settings, "kari")
    page = await client.get("/desk/login")
    assert page.cookies["akan_desk_login"]["secure"] is True
    token = hidden_value(await page.text(), "csrf_token")
    # The test client speaks plain http, so it would not send a Secure cookie back by itself.
    response = await client.post(
        "/desk/login", data={"name": "kari", "password": PASSWORD, "csrf_token": token},
        cookies={"akan_desk_login": token}, allow_redirects=False,
    )
    assert response.status == 303
    assert response.cookies[COOKIE_NAME]["secure"] is True


async def test_state_changes_need_the_csrf_token(client, settings):
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    token = await desk_csrf(client)
    missing = await client.post("/desk/api/heartbeat")
    assert missing.status == 403 and "sikkerhetsnøkkel" in (await missing.json())["error"]
    wrong = await client.post("/desk/api/heartbeat", headers={"X-CSRF-Token": token[:-2] + "xx"})
    assert wrong.status == 403
    assert (await client.post("/desk/api/heartbeat", headers={"X-CSRF-Token": token})).status == 204
    # Forms carry it as a field: sign-out without it is refused, with it it works.
    assert (await client.post("/desk/logout", data={}, allow_redirects=False)).status == 403
    assert (await client.get("/desk/api/queue")).status == 200
    out = await client.post("/desk/logout", data={"csrf_token": token}, allow_redirects=False)
    assert out.status == 303 and out.headers["Location"] == "/desk/login"


async def test_login_form_needs_its_own_token(client, settings):
    await add_counsellor(settings, "kari")
    await client.get("/desk/login")
    response = await client.post("/desk/login", data={"name": "kari", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status == 403
    assert (await client.get("/desk/api/queue")).status == 401


async def test_sign_out_ends_the_session_for_good(client, settings):
    await add_counsellor(settings, "kari")
    response = await login(client, "kari")
    old_cookie = response.cookies[COOKIE_NAME].value
    token = await desk_csrf(client)
    await client.post("/desk/logout", data={"csrf_token": token}, allow_redirects=False)
    assert (await client.get("/desk/api/queue")).status == 401
    replay = await client.get("/desk/api/queue", cookies={COOKIE_NAME: old_cookie})
    assert replay.status == 401


async def test_expired_sessions_are_refused(client, settings):
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    async with client.server.app[keys.DB]() as s, s.begin():
        await s.execute(update(CounsellorSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert (await client.get("/desk/api/queue")).status == 401


async def test_too_many_failures_lock_the_name_even_with_the_right_password(client, settings):
    await add_counsellor(settings, "kari")
    for _ in range(settings.desk_login_max_failures):
        await login(client, "kari", "feil-passord-her", expect=401)
    locked = await login(client, "kari", PASSWORD, expect=429)
    assert int(locked.headers["Retry-After"]) > 0
    assert "For mange mislykkede forsøk" in await locked.text()
    assert (await client.get("/desk/api/queue")).status == 401


async def test_throttle_locks_per_name_and_per_client_and_unlocks_later():
    now = [1000.0]
    throttle = LoginThrottle(max_failures=3, lock_seconds=60, clock=lambda: now[0])
    name_a, client_1 = throttle.keys("Kari", "10.0.0.1")
    name_b, client_2 = throttle.keys("ola", "10.0.0.2")
    for _ in range(3):
        throttle.failed(name_a, client_1)
    assert throttle.retry_after(name_a, client_2) == 60  # the name is locked from anywhere
    assert throttle.retry_after(name_b, client_1) == 60  # and this client for any name
    assert throttle.retry_after(name_b, client_2) == 0
    assert throttle.keys("KARI ", "x")[0] == name_a
    now[0] += 61
    assert throttle.retry_after(name_a, client_1) == 0
    throttle.failed(name_a, client_1)
    assert throttle.retry_after(name_a, client_1) == 0  # counting starts again after a lock
    throttle.succeeded(name_a, client_1)
    assert throttle.retry_after(name_a, client_1) == 0


async def test_desk_pages_escape_and_forbid_inline_scripts(client, settings):
    await add_counsellor(settings, "kari")
    page = await client.get("/desk/login")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    failed = await login(client, '<b>kari</b>', "feil-passord-her", expect=401)
    html = await failed.text()
    assert "<b>kari</b>" not in html and "&lt;b&gt;kari&lt;/b&gt;" in html
    assert hidden_value(html, "csrf_token")
