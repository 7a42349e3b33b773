"""Typed keys for everything the app object carries (one place, no string keys)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker

    from bot.hub import Hub
    from bot.locks import ConversationLocks
    from bot.rasa_client import RasaClient
    from bot.rate_limit import RateLimiter
    from bot.storage.compaction import TrackerCompactor
    from bot.desk.live import DeskHub
    from bot.desk.presence import Presence
    from bot.desk.throttle import LoginThrottle
    from bot.settings import Settings
    from bot.statistics.recording import RecentTallies

SETTINGS: web.AppKey["Settings"] = web.AppKey("settings")
# Session factories: the gateway's own database and Rasa's tracker store (None: not configured).
DB: web.AppKey["sessionmaker"] = web.AppKey("db")
TRACKER_DB: web.AppKey["sessionmaker | None"] = web.AppKey("tracker_db")
COMPACTOR: web.AppKey["TrackerCompactor"] = web.AppKey("compactor")
RASA: web.AppKey["RasaClient"] = web.AppKey("rasa")
HUB: web.AppKey["Hub"] = web.AppKey("hub")
LOCKS: web.AppKey["ConversationLocks"] = web.AppKey("locks")
CONVERSATION_LIMITER: web.AppKey["RateLimiter"] = web.AppKey("conversation_limiter")
CLIENT_LIMITER: web.AppKey["RateLimiter"] = web.AppKey("client_limiter")
# What the statistics already hold for recent conversations (turns that add nothing skip them).
TALLIES: web.AppKey["RecentTallies"] = web.AppKey("tallies")
# Counsellor desk: who is at the desk, login throttling, and the desks' WebSockets.
PRESENCE: web.AppKey["Presence"] = web.AppKey("presence")
LOGIN_THROTTLE: web.AppKey["LoginThrottle"] = web.AppKey("login_throttle")
DESK_HUB: web.AppKey["DeskHub"] = web.AppKey("desk_hub")
