"""The client address behind a proxy (issue 18, finding 1): only a peer named in
TRUSTED_PROXIES may say who the client is (X-Forwarded-For, read from the right);
the chat's rate limits and the desk's login throttle then count per visitor, not
per proxy. From any other peer the header is ignored."""
from __future__ import annotations

import ipaddress
from dataclasses import replace

import pytest
from aiohttp import web

from bot.app import create_app
from bot.client_address import TrustedProxies, forwarded_client, parse_address
from bot.settings import Settings
from tests.gateway.conftest import GatewayTestServer
from tests.gateway.desk_support import fake_rasa, settings  # noqa: F401 - fixtures
from tests.gateway.desk_support import PASSWORD, add_counsellor, hidden_value

# The test client connects from loopback: here that is the TLS proxy in front of the gateway.
PROXY = TrustedProxies.parse("127.0.0.1, ::1")
ALICE = "203.0.113.7"
BOB = "198.51.100.9"


def ip(text: str):
    return ipaddress.ip_address(text)


# ---------------------------------------------------------------- the rule


def test_trusted_proxies_parse_addresses_and_cidrs():
    trusted = TrustedProxies.parse(" 10.0.0.0/8, 192.0.2.1 ,2001:db8::/32,, ")
    assert ip("10.200.3.4") in trusted and ip("192.0.2.1") in trusted and ip("2001:db8::5") in trusted
    assert ip("192.0.2.2") not in trusted and ip("::ffff:10.0.0.1") not in trusted
    assert not TrustedProxies.parse("") and not TrustedProxies()
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        TrustedProxies.parse("10.0.0.0/8, proxy.example")


def test_settings_read_trusted_proxies_with_none_by_default():
    assert not Settings.from_env({}).trusted_proxies
    assert Settings.from_env({"TRUSTED_PROXIES": "127.0.0.1,10.1.0.0/16"}).trusted_proxies == TrustedProxies.parse(
        "127.0.0.1, 10.1.0.0/16"
    )
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        Settings.from_env({"TRUSTED_PROXIES": "*"})


def test_an_untrusted_peer_is_the_client_whatever_it_says():
    assert forwarded_client(ip(ALICE), [BOB], PROXY) == ip(ALICE)
    assert forwarded_client(ip(ALICE), [BOB], TrustedProxies()) == ip(ALICE)


def test_behind_trusted_proxies_the_right_most_untrusted_address_is_the_client():
    chain = TrustedProxies.parse("127.0.0.1, 10.0.0.0/8")
    peer = ip("127.0.0.1")
    assert forwarded_client(peer, [ALICE], chain) == ip(ALICE)
    # A forged entry stands left of the one the proxy appended: never reached.
    assert forwarded_client(peer, [f"{BOB}, {ALICE}"], chain) == ip(ALICE)
    # Proxies in a row: each trusted one is skipped, also across repeated headers.
    assert forwarded_client(peer, [f"{BOB}, {ALICE}, 10.0.0.5", "10.1.2.3"], chain) == ip(ALICE)
    # Garbage where an address should be ends the walk at the last good hop.
    assert forwarded_client(peer, [f"{BOB}, nonsense, 10.0.0.5"], chain) == ip("10.0.0.5")
    assert forwarded_client(peer, ["unknown"], chain) == peer
    assert forwarded_client(peer, [], chain) == peer
    # All trusted (the proxy's own health check): the furthest one known.
    assert forwarded_client(peer, ["10.0.0.9, 10.0.0.5"], chain) == ip("10.0.0.9")


def test_addresses_as_proxies_write_them():
    assert parse_address(" 203.0.113.7:4711 ") == ip(ALICE)
    assert parse_address("[2001:db8::1]:443") == ip("2001:db8::1")
    assert parse_address("2001:db8::1") == ip("2001:db8::1")
    assert parse_address("::ffff:203.0.113.7") == ip(ALICE)
    assert parse_address("") is None and parse_address(None) is None and parse_address("_hidden") is None


# ---------------------------------------------------------------- through the gateway


def from_peer(address: str):
    """Make every request come from `address` (the test client is on loopback)."""

    @web.middleware
    async def middleware(request: web.Request, handler):
        return await handler(request.clone(remote=address))

    return middleware


async def create(client, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else None
    return (await client.post("/api/conversations", headers=headers)).status


@pytest.mark.asyncio
async def test_behind_the_proxy_one_visitors_flood_does_not_block_another(make_client, settings):
    client = await make_client(replace(settings, trusted_proxies=PROXY, rate_client_burst=2, rate_client_per_minute=1))
    assert [await create(client, ALICE) for _ in range(3)] == [201, 201, 429]
    assert await create(client, BOB) == 201
    # Alice cannot pass for Bob: the proxy appends her real address on the right.
    assert await create(client, f"{BOB}, {ALICE}") == 429
    # A request without the header is the proxy's own, with a bucket of its own.
    assert await create(client) == 201


@pytest.mark.asyncio
async def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(make_client, aiohttp_client, settings):
    # No TRUSTED_PROXIES (the default): whatever the header says, the peer is the client.
    client = await make_client(replace(settings, rate_client_burst=2, rate_client_per_minute=1))
    assert [await create(client, ALICE), await create(client, BOB), await create(client, "192.0.2.99")] == [201, 201, 429]
    # Proxies are trusted, but this peer is not one of them: its header is ignored too.
    app = create_app(replace(settings, trusted_proxies=PROXY, rate_client_burst=2, rate_client_per_minute=1))
    app.middlewares.insert(0, from_peer("192.0.2.50"))
    outsider = await aiohttp_client(GatewayTestServer(app))
    assert [await create(outsider, ALICE), await create(outsider, BOB), await create(outsider, "192.0.2.99")] == [201, 201, 429]


async def sign_in(client, forwarded_for: str, name: str, password: str) -> int:
    headers = {"X-Forwarded-For": forwarded_for}
    page = await client.get("/desk/login", headers=headers)
    token = hidden_value(await page.text(), "csrf_token")
    response = await client.post(
        "/desk/login", data={"name": name, "password": password, "csrf_token": token},
        headers=headers, allow_redirects=False,
    )
    return response.status


@pytest.mark.asyncio
async def test_behind_the_proxy_one_visitors_failed_sign_ins_lock_out_no_one_else(make_client, settings):
    client = await make_client(replace(settings, trusted_proxies=PROXY))
    await add_counsellor(settings, "kari")
    for attempt in range(settings.desk_login_max_failures):  # other names: only Alice's address is locked
        assert await sign_in(client, ALICE, f"gjetning{attempt}", "feil-passord-her") == 401
    assert await sign_in(client, ALICE, "kari", PASSWORD) == 429
    assert await sign_in(client, BOB, "kari", PASSWORD) == 303


@pytest.mark.asyncio
async def test_metrics_through_a_trusted_proxy_are_not_loopback(make_client, settings):
    client = await make_client(replace(settings, trusted_proxies=PROXY))
    assert (await client.get("/metrics", headers={"X-Forwarded-For": ALICE})).status == 404
    assert (await client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})).status == 404
    assert (await client.get("/metrics")).status == 200
