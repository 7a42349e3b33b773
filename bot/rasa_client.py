"""Talking to Rasa's gateway channel and checking that Rasa and the action server answer.

Rasa answers the gateway only: its channel (rasa_runtime/channels/gateway.py) and its
HTTP API both want RASA_TOKEN in an `Authorization: Bearer` header, never in the URL.

With several Rasa servers (replicas sharing one tracker store and lock store), a
conversation always goes to the same one: rendezvous hashing of its id ranks the
servers per conversation, so removing a server moves only its conversations.
When the first choice refuses the connection (nothing was sent) it is marked down
for a few seconds and the next in that conversation's order is used. A message
that may have reached Rasa (timeout, dropped connection, error status) is never
sent again: the person gets one clear error instead of a duplicate.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time

import aiohttp

logger = logging.getLogger(__name__)

HEALTH_TIMEOUT = aiohttp.ClientTimeout(total=3)
# Appended to a paused conversation to hand it back to the bot (ConversationResumed, then listen).
RESUME_EVENTS = [{"event": "resume"}, {"event": "action", "name": "action_listen"}]
# How long a server that refused a connection is passed over before it is tried again.
DOWN_SECONDS = 5.0
# Rasa's channel for the gateway (credentials.yml: rasa_runtime.channels.gateway.GatewayInput).
WEBHOOK_PATH = "/webhooks/gateway/webhook"


class RasaUnavailable(Exception):
    """Rasa could not be reached or did not answer properly."""


class _ConnectionRefused(Exception):
    """The server could not be connected to, so it has not seen the message."""


def rank_servers(conversation_id: str, urls: tuple[str, ...]) -> list[str]:
    """Rendezvous (highest random weight) order of the servers for one conversation.

    A stable hash (not Python's per-process `hash`), so every gateway process agrees."""

    def weight(url: str) -> bytes:
        return hashlib.blake2b(f"{url}|{conversation_id}".encode(), digest_size=8).digest()

    return sorted(urls, key=weight, reverse=True)


def merge_custom(items: list[dict]) -> list[dict]:
    """Rasa sends a message's custom payload as its own item after the text:
    fold it back into the message before it, and keep only the fields we pass on."""
    messages: list[dict] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        message = {key: item[key] for key in ("text", "buttons", "custom") if item.get(key) is not None}
        if "buttons" in message:
            message["buttons"] = [
                {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                for b in message["buttons"]
                if isinstance(b, dict)
            ]
        if not message:
            continue
        if set(message) == {"custom"} and messages and "custom" not in messages[-1]:
            messages[-1]["custom"] = message["custom"]
        else:
            messages.append(message)
    return messages


class RasaClient:
    def __init__(
        self, session: aiohttp.ClientSession, urls: tuple[str, ...], actions_url: str, timeout_seconds: int,
        token: str = "",
    ) -> None:
        self._session = session
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._urls = tuple(url.rstrip("/") for url in urls)
        self._actions_url = actions_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._down_until: dict[str, float] = {}

    def url_for(self, conversation_id: str) -> str:
        """The server this conversation goes to while every server is up."""
        return rank_servers(conversation_id, self._urls)[0]

    def _candidates(self, conversation_id: str) -> list[str]:
        order = rank_servers(conversation_id, self._urls)
        now = time.monotonic()
        up = [url for url in order if self._down_until.get(url, 0.0) <= now]
        return up or order  # all marked down: try them anyway rather than fail at once

    async def send(self, conversation_id: str, text: str, metadata: dict | None = None) -> list[dict]:
        """Send one (already scrubbed) user message; return the bot's replies."""
        body: dict = {"sender": conversation_id, "message": text}
        if metadata:
            body["metadata"] = metadata
        for url in self._candidates(conversation_id):
            try:
                items = await self._post(url, body)
            except _ConnectionRefused:
                self._down_until[url] = time.monotonic() + DOWN_SECONDS
                logger.warning("rasa_server_down server=%d", self._urls.index(url))
                continue
            self._down_until.pop(url, None)
            return merge_custom(items)
        raise RasaUnavailable()

    async def _post(self, url: str, body: dict) -> list:
        try:
            async with self._session.post(
                f"{url}{WEBHOOK_PATH}", json=body, headers=self._headers, timeout=self._timeout
            ) as response:
                if response.status != 200:
                    logger.warning("rasa_error status=%s", response.status)
                    raise RasaUnavailable()
                items = await response.json(content_type=None)
        except aiohttp.ClientConnectorError:
            raise _ConnectionRefused() from None
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            logger.warning("rasa_unreachable error=%s", type(exc).__name__)
            raise RasaUnavailable() from None
        if not isinstance(items, list):
            raise RasaUnavailable()
        return items

    async def _api_post(self, conversation_id: str, path: str, body: dict | list) -> dict:
        """POST to Rasa's HTTP API (needs RASA_TOKEN) on the server the conversation uses now."""
        url = f"{self._candidates(conversation_id)[0]}/conversations/{conversation_id}/{path}"
        params = {"include_events": "NONE"}
        try:
            async with self._session.post(
                url, json=body, params=params, headers=self._headers, timeout=self._timeout
            ) as response:
                if response.status != 200:
                    logger.warning("rasa_api_error path=%s status=%s", path, response.status)
                    raise RasaUnavailable()
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            logger.warning("rasa_api_unreachable path=%s error=%s", path, type(exc).__name__)
            raise RasaUnavailable() from None
        if not isinstance(data, dict):
            raise RasaUnavailable()
        return data

    async def unpause(self, conversation_id: str) -> None:
        """End a handoff's pause (`ConversationResumed`) without the bot saying anything:
        the conversation's next message is answered again."""
        # The pausing action was the last thing the bot did; `action_listen` after it, as in `resume`.
        await self._api_post(conversation_id, "tracker/events", RESUME_EVENTS)

    async def resume(self, conversation_id: str, intent: str, entities: dict[str, str]) -> list[dict]:
        """End a handoff's pause (`ConversationResumed`), then let the bot speak through
        an external intent; return the bot's replies."""
        # The pausing action was the last thing the bot did; without an `action_listen`
        # after it, no rule matches the external intent that follows.
        await self.unpause(conversation_id)
        data = await self._api_post(conversation_id, "trigger_intent", {"name": intent, "entities": entities})
        items = data.get("messages", [])
        return merge_custom(items if isinstance(items, list) else [])

    async def _answers(self, url: str) -> bool:
        try:
            async with self._session.get(url, timeout=HEALTH_TIMEOUT) as response:
                return response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return False

    async def actions_answer(self) -> bool:
        return await self._answers(f"{self._actions_url}/health")

    async def health(self) -> dict[str, bool]:
        """Which backends answer: Rasa (at least one server; the others take over its
        conversations) and the action server."""
        checks = [self._answers(f"{url}/") for url in self._urls] + [self.actions_answer()]
        results = await asyncio.gather(*checks)
        return {"rasa": any(results[:-1]), "actions": results[-1]}
