"""Plain HTTP calls to a running gateway, for the tests that drive the live stack."""
from __future__ import annotations

import json
import urllib.error
import urllib.request


def call(method: str, url: str, body: dict | None = None) -> tuple[int, dict | None]:
    """Status and JSON body of one request; HTTP errors are answers too."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def customs(messages: list[dict]) -> list[dict]:
    """The custom payloads of the bot's messages."""
    return [m["custom"] for m in messages if "custom" in m]
