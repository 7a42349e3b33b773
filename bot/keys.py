"""Typed keys for everything the app object carries (one place, no string keys)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    import asyncio

    from sqlalchemy.orm import sessionmaker

    from bot.crisis_lines import CrisisLine
    from bot.hub import Hub
    from bot.locks import ConversationLocks
    from bot.metrics import Metrics
    from bot.rasa_client import RasaClient
    from bot.rate_limit import RateLimiter
    from bot.storage.compaction import TrackerCompactor
    from bot.storage.message_ids import MessageIds
    from bot.desk.hub import DeskHub
    from bot.desk.models import Counsellor, CounsellorSession
    from bot.desk.presence import Presence
    from bot.desk.throttle import LoginThrottle
    from bot.settings import Settings
    from bot.handoff.per_client import OpenTicketsPerClient
    from bot.sockets import ClientSockets
    from bot.storage.vacuum import DeletionVacuum
    from bot.statistics.recording import RecentTallies

SETTINGS: web.AppKey["Settings"] = web.AppKey("settings")
# The crisis lines of the knowledge base's contacts.yml, for the widget's help and the demo page.
CRISIS_LINES: web.AppKey["tuple[CrisisLine, ...]"] = web.AppKey("crisis_lines")
# Session factories: the gateway's own database and Rasa's tracker store (None: not configured).
DB: web.AppKey["sessionmaker"] = web.AppKey("db")
TRACKER_DB: web.AppKey["sessionmaker | None"] = web.AppKey("tracker_db")
# Transcript message ids, handed out by the gateway so a reply carries them before it is stored.
MESSAGE_IDS: web.AppKey["MessageIds"] = web.AppKey("message_ids")
COMPACTOR: web.AppKey["TrackerCompactor"] = web.AppKey("compactor")
RASA: web.AppKey["RasaClient"] = web.AppKey("rasa")
HUB: web.AppKey["Hub"] = web.AppKey("hub")
# Open WebSockets per client address, chat and desk together (WS_MAX_PER_CLIENT).
CLIENT_SOCKETS: web.AppKey["ClientSockets"] = web.AppKey("client_sockets")
# Which client opened which open handoff ticket, in memory only (HANDOFF_MAX_OPEN_PER_CLIENT).
TICKETS_PER_CLIENT: web.AppKey["OpenTicketsPerClient"] = web.AppKey("tickets_per_client")
# VACUUM of the tables deletions touched, on PostgreSQL (bot/storage/vacuum.py).
VACUUM: web.AppKey["DeletionVacuum"] = web.AppKey("vacuum")
LOCKS: web.AppKey["ConversationLocks"] = web.AppKey("locks")
# Conversations whose last turn answered but could not be stored yet (database away).
UNSTORED: web.AppKey["set[str]"] = web.AppKey("unstored")
CONVERSATION_LIMITER: web.AppKey["RateLimiter"] = web.AppKey("conversation_limiter")
CLIENT_LIMITER: web.AppKey["RateLimiter"] = web.AppKey("client_limiter")
# What the statistics already hold for recent conversations (turns that add nothing skip them).
TALLIES: web.AppKey["RecentTallies"] = web.AppKey("tallies")
# Counsellor desk: who is at the desk, login throttling, and the desks' WebSockets.
PRESENCE: web.AppKey["Presence"] = web.AppKey("presence")
LOGIN_THROTTLE: web.AppKey["LoginThrottle"] = web.AppKey("login_throttle")
# Password checks that may run at once (DESK_LOGIN_CONCURRENCY); sign-ins beyond wait.
LOGIN_SLOTS: web.AppKey["asyncio.Semaphore"] = web.AppKey("login_slots")
DESK_HUB: web.AppKey["DeskHub"] = web.AppKey("desk_hub")
# A desk request's signed-in session and counsellor (bot/desk/auth.py sets them; keys of the request).
DESK_SESSION: web.RequestKey["CounsellorSession"] = web.RequestKey("desk_session")
COUNSELLOR: web.RequestKey["Counsellor"] = web.RequestKey("counsellor")
# Prometheus metrics: this app's own registry and instruments (served at /metrics).
METRICS: web.AppKey["Metrics"] = web.AppKey("metrics")
