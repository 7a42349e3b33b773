"""Talking to Rasa's REST channel and checking that Rasa and the action server answer.

With several Rasa servers, a conversation always goes to the same one (by its id),
so its tracker lock and state stay in one process.
"""
from __future__ import annotations

import asyncio
import logging
import uuid

import aiohttp

logger = logging.getLogger(__name__)

HEALTH_TIMEOUT = aiohttp.ClientTimeout(total=3)


class RasaUnavailable(Exception):
    """Rasa could not be reached or did not answer properly."""


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
    def __init__(self, session: aiohttp.ClientSession, urls: tuple[str, ...], actions_url: str, timeout_seconds: int) -> None:
        self._session = session
        self._urls = tuple(url.rstrip("/") for url in urls)
        self._actions_url = actions_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)

    def url_for(self, conversation_id: str) -> str:
        try:
            index = uuid.UUID(conversation_id).int % len(self._urls)
        except ValueError:
            index = 0
        return self._urls[index]

    async def send(self, conversation_id: str, text: str) -> list[dict]:
        """Send one (already scrubbed) user message; return the bot's replies."""
        url = f"{self.url_for(conversation_id)}/webhooks/rest/webhook"
        try:
            async with self._session.post(
                url, json={"sender": conversation_id, "message": text}, timeout=self._timeout
            ) as response:
                if response.status != 200:
                    logger.warning("rasa_error status=%s", response.status)
                    raise RasaUnavailable()
                items = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            logger.warning("rasa_unreachable error=%s", type(exc).__name__)
            raise RasaUnavailable() from None
        if not isinstance(items, list):
            raise RasaUnavailable()
        return merge_custom(items)

    async def _answers(self, url: str) -> bool:
        try:
            async with self._session.get(url, timeout=HEALTH_TIMEOUT) as response:
                return response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return False

    async def health(self) -> dict[str, bool]:
        """Which backends answer: every Rasa server and the action server."""
        checks = [self._answers(f"{url}/") for url in self._urls] + [self._answers(f"{self._actions_url}/health")]
        results = await asyncio.gather(*checks)
        return {"rasa": all(results[:-1]), "actions": results[-1]}
