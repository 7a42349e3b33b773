"""Rasa's HTTP API takes its token in the `Authorization: Bearer` header and refuses it in
the URL (rasa_runtime/fixes/api_token_header.py); the live stack's Rasa is probed in
tests/test_rasa_access.py."""
from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
import rasa.server

from rasa_runtime.fixes import api_token_header
from rasa_runtime.fixes.api_token_header import requires_auth

TOKEN = "the-rasa-token"


def request(query: dict | None = None, authorization: str | None = None) -> SimpleNamespace:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return SimpleNamespace(args=query or {}, headers=headers)


def call(req: SimpleNamespace, token: str | None = TOKEN) -> str:
    app = SimpleNamespace(config={})  # no JWT configured, as in our stacks

    @requires_auth(app, token)
    async def view(request):
        return "answered"

    return asyncio.run(view(req))


def status_of(req: SimpleNamespace, token: str | None = TOKEN) -> int:
    with pytest.raises(rasa.server.ErrorResponse) as refused:
        call(req, token)
    return refused.value.status


def test_the_token_in_the_header_is_accepted():
    assert call(request(authorization=f"Bearer {TOKEN}")) == "answered"
    assert call(request(authorization=f"bearer {TOKEN}")) == "answered"


def test_the_token_in_the_url_is_refused_even_when_right():
    assert status_of(request(query={"token": [TOKEN]})) == 401
    assert status_of(request(query={"token": [TOKEN]}, authorization=f"Bearer {TOKEN}")) == 401


def test_no_token_or_a_wrong_one_is_refused():
    assert status_of(request()) == 401
    assert status_of(request(authorization="Bearer wrong")) == 401
    assert status_of(request(authorization=TOKEN)) == 401  # no scheme
    assert status_of(request(authorization="Bearer ")) == 401


def test_rasa_without_a_token_and_jwt_stays_open_as_rasa_has_it():
    """Rasa's own rule (auth disabled) still decides when no token is set; the launcher
    never starts the API that way (tests/test_rasa_launcher.py)."""
    assert call(request(), token=None) == "answered"


def test_installed_on_rasa_server(monkeypatch):
    monkeypatch.setattr(rasa.server, "requires_auth", rasa.server.requires_auth)
    api_token_header.apply()
    api_token_header.apply()
    assert rasa.server.requires_auth is requires_auth
