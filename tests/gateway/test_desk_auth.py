"""Counsellor sign-in: hashed passwords, cookie flags, CSRF, throttling, sign-out."""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import threading
import time
from datetime import timedelta

import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from bot import keys
from bot.clock import utcnow
from bot.desk import accounts, cli
from bot.desk.hub import CLOSE_SIGNED_OUT
from bot.desk.install import close_ended_sessions
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


# ---------------------------------------------------------------- parallel sign-ins (issue 18, finding 2)


class CountingChecks:
    """Stands in for accounts.password_matches: counts the password checks and the most at once."""

    def __init__(self, pool=None) -> None:
        self.calls = 0
        self.running = 0
        self.most = 0
        self.pool = pool  # the gateway database's connection pool, to see what a check holds
        self.connections_held: list[int] = []
        self._lock = threading.Lock()

    def __call__(self, stored, password):
        with self._lock:
            if self.pool is not None:
                self.connections_held.append(self.pool.checkedout())
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(0.05)  # long enough for the others to pile up
            return REAL_PASSWORD_MATCHES(stored, password)
        finally:
            with self._lock:
                self.running -= 1


REAL_PASSWORD_MATCHES = accounts.password_matches


async def sign_in_burst(client, attempts: list[tuple[str, str, str]]) -> list[int]:
    """Sign-ins sent at once, as (name, password, X-Forwarded-For); every one with a valid login token."""
    page = await client.get("/desk/login")
    token = hidden_value(await page.text(), "csrf_token")

    async def one(name: str, password: str, forwarded_for: str) -> int:
        response = await client.post(
            "/desk/login", data={"name": name, "password": password, "csrf_token": token},
            cookies={"akan_desk_login": token}, headers={"X-Forwarded-For": forwarded_for}, allow_redirects=False,
        )
        return response.status

    return list(await asyncio.gather(*(one(*attempt) for attempt in attempts)))


async def test_a_burst_of_wrong_passwords_gets_no_more_checks_than_the_limit_then_locks(client, settings, monkeypatch):
    await add_counsellor(settings, "kari")
    checks = CountingChecks()
    monkeypatch.setattr(accounts, "password_matches", checks)
    statuses = await sign_in_burst(client, [("kari", f"feil-passord-{i}", "203.0.113.7") for i in range(30)])
    limit = settings.desk_login_max_failures
    assert checks.calls <= limit, f"{checks.calls} password checks for {limit} allowed failures"
    assert statuses.count(401) == checks.calls and statuses.count(429) == 30 - checks.calls
    assert checks.most <= settings.desk_login_concurrency
    assert (await login(client, "kari", PASSWORD, expect=429)).headers["Retry-After"]


async def test_password_checks_run_at_most_the_concurrency_setting_at_once(make_client, settings, monkeypatch):
    client = await make_client(dataclasses.replace(settings, desk_login_max_failures=100))
    await add_counsellor(settings, "kari")
    checks = CountingChecks(pool=client.server.app[keys.DB].kw["bind"].sync_engine.pool)
    monkeypatch.setattr(accounts, "password_matches", checks)
    # Different names, failures allowed plenty: no throttle in the way, only the bound on hashing.
    statuses = await sign_in_burst(client, [(f"navn{i}", "feil-passord-her", "198.51.100.1") for i in range(10)])
    assert statuses == [401] * 10 and checks.calls == 10
    assert checks.most <= 2, f"{checks.most} password checks at once"  # DESK_LOGIN_CONCURRENCY's default
    # A sign-in holds no database connection while its password is checked (or waits for a
    # slot): the chat's turns go on meanwhile (SQLite's pool has one connection).
    checks.connections_held.clear()
    statuses = await sign_in_burst(client, [("kari", PASSWORD, "198.51.100.1")])
    assert statuses == [303] and checks.connections_held == [0]


# ---------------------------------------------------------------- desk sockets end with the sign-in (issue 18, finding 3)


async def closed_with(ws, timeout: float = 5) -> int | None:
    """Wait for the server to close the desk socket; its close code."""
    while True:
        msg = await ws.receive(timeout=timeout)
        if msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING):
            return ws.close_code


async def still_open(ws) -> bool:
    with pytest.raises(asyncio.TimeoutError):
        await ws.receive(timeout=0.3)
    return not ws.closed


async def test_sign_out_closes_the_desk_sockets_of_that_sign_in_only(client, settings):
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    token = await desk_csrf(client)
    other = TestClient(client.server)  # Kari, signed in on another machine too
    try:
        await login(other, "kari")
        mine, theirs = await client.ws_connect("/desk/ws"), await other.ws_connect("/desk/ws")
        out = await client.post("/desk/logout", data={"csrf_token": token}, allow_redirects=False)
        assert out.status == 303
        assert await closed_with(mine) == CLOSE_SIGNED_OUT
        assert await still_open(theirs)
        await theirs.close()
    finally:
        await other.close()  # last: it closes the shared test server too


async def test_a_desk_socket_closes_when_its_sign_in_expires(client, settings):
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    async with client.server.app[keys.DB]() as s, s.begin():
        await s.execute(update(CounsellorSession).values(expires_at=utcnow() + timedelta(seconds=1)))
    ws = await client.ws_connect("/desk/ws")
    assert await closed_with(ws) == CLOSE_SIGNED_OUT
    assert (await client.get("/desk/api/queue")).status == 401


async def test_removing_an_account_closes_its_desk_sockets(make_client, settings):
    # The periodic check (every HANDOFF_CHECK_SECONDS) finds the sessions gone: the CLI is another process.
    client = await make_client(dataclasses.replace(settings, handoff_check_seconds=1))
    await add_counsellor(settings, "kari")
    await add_counsellor(settings, "ola")
    await login(client, "kari")
    kari = await client.ws_connect("/desk/ws")
    other = TestClient(client.server)
    try:
        await login(other, "ola")
        ola = await other.ws_connect("/desk/ws")
        assert "slettet" in await cli.run_command(settings, argparse.Namespace(action="remove", name="kari"))
        assert await closed_with(kari) == CLOSE_SIGNED_OUT
        assert await still_open(ola)
        await ola.close()
    finally:
        await other.close()


async def test_the_periodic_check_closes_sockets_whose_session_ended_in_the_database(client, settings):
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    ws = await client.ws_connect("/desk/ws")
    app = client.server.app
    assert await close_ended_sessions(app) == 0
    # Expired in the database (the socket's own timer is set for hours from now).
    async with app[keys.DB]() as s, s.begin():
        await s.execute(update(CounsellorSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert await close_ended_sessions(app) == 1
    assert await closed_with(ws) == CLOSE_SIGNED_OUT
    assert app[keys.DESK_HUB].count() == 0 and app[keys.PRESENCE].count() == 0
