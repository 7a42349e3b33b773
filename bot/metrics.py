"""Prometheus metrics of the gateway, served at `/metrics` in the text format.

Every application gets its own CollectorRegistry (made by the app factory, never
the library's global one), so two apps in one process never share counts.
Labels take only values the gateway chooses: a route pattern (never a path), a
status, a kind, a stage or an outcome. Never a conversation id, a text or an
address.

`/metrics` answers loopback clients whose request did not come through a proxy,
and anyone who presents `Authorization: Bearer <METRICS_TOKEN>` when that is set.
Everyone else gets the same 404 as an unknown path.
"""
from __future__ import annotations

import hmac
import logging

from aiohttp import hdrs, web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest

from bot import keys
from bot.client_address import client_address, parse_address
from bot.handoff import tickets

logger = logging.getLogger(__name__)

routes = web.RouteTableDef()

# Seconds; the targets are p95 ≤ 0.2 s through the gateway, Rasa's timeout is 30 s.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# What the person sent: typed text or a button (to the bot), or a message to their counsellor.
TURN_KINDS = ("text", "button", "counsellor")
RASA_OUTCOMES = ("ok", "unavailable")
# How a ticket leaves the queue (stage "waiting") and how a live chat ends (stage "active").
HANDOFF_OUTCOMES = {
    tickets.WAITING: ("accepted", "cancelled", "timeout", "deleted"),
    tickets.ACTIVE: ("ended", "cancelled", "deleted"),
}
SOCKET_PAGES = ("chat", "desk")
# The route label of a request that matched no route (an unknown path, a wrong method).
UNMATCHED = "unmatched"
# A request carrying one of these came through a proxy: its loopback peer is not its client.
PROXY_HEADERS = (hdrs.FORWARDED, hdrs.X_FORWARDED_FOR, "X-Real-IP")


class Metrics:
    """The gateway's instruments, registered in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self._turns = Counter(
            "akan_chat_turns", "Messages from the person handled: answered by the bot or passed to their counsellor.",
            ["kind"], registry=r,
        )
        self._turn_seconds = Histogram(
            "akan_chat_turn_seconds", "Gateway time of a handled message, from its arrival until its answer went out.",
            ["kind"], buckets=LATENCY_BUCKETS, registry=r,
        )
        self._rasa_seconds = Histogram(
            "akan_rasa_request_seconds", "Time of the gateway's calls to Rasa's REST channel.",
            ["outcome"], buckets=LATENCY_BUCKETS, registry=r,
        )
        self._errors = Counter(
            "akan_http_errors", "Error responses (status 400 and above) and WebSocket error frames, by route pattern.",
            ["route", "status"], registry=r,
        )
        self._handoffs_queued = Counter("akan_handoffs_queued", "Tickets put in the queue for a counsellor.", registry=r)
        self._handoff_outcomes = Counter(
            "akan_handoff_outcomes", "How tickets left the queue (stage waiting) and how live chats ended (stage active).",
            ["stage", "outcome"], registry=r,
        )
        self._queue_length = Gauge("akan_handoff_queue_length", "Tickets waiting for a counsellor.", registry=r)
        self._websockets = Gauge("akan_websockets_open", "Open WebSockets, by page.", ["page"], registry=r)
        # Every series from the start, at zero, so rates and ratios work before the first event.
        for kind in TURN_KINDS:
            self._turns.labels(kind)
            self._turn_seconds.labels(kind)
        for outcome in RASA_OUTCOMES:
            self._rasa_seconds.labels(outcome)
        for stage, outcomes in HANDOFF_OUTCOMES.items():
            for outcome in outcomes:
                self._handoff_outcomes.labels(stage, outcome)
        for page in SOCKET_PAGES:
            self._websockets.labels(page)

    def turn(self, kind: str, seconds: float) -> None:
        self._turns.labels(kind).inc()
        self._turn_seconds.labels(kind).observe(seconds)

    def rasa_call(self, outcome: str, seconds: float) -> None:
        self._rasa_seconds.labels(outcome).observe(seconds)

    def error(self, route: str, status: int) -> None:
        self._errors.labels(route, str(status)).inc()

    def handoff_queued(self) -> None:
        self._handoffs_queued.inc()

    def handoff_outcome(self, stage: str, outcome: str) -> None:
        """`stage` is the ticket's status before (waiting or active)."""
        self._handoff_outcomes.labels(stage, outcome).inc()

    def set_gauges(self, queue_length: float, chat_sockets: int, desk_sockets: int) -> None:
        self._queue_length.set(queue_length)
        self._websockets.labels("chat").set(chat_sockets)
        self._websockets.labels("desk").set(desk_sockets)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def route_label(request: web.Request) -> str:
    """The route's pattern (`/api/conversations/{id}/messages`), never the path itself."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else UNMATCHED


@web.middleware
async def metrics_middleware(request: web.Request, handler):
    """Count error responses by route pattern and status (outermost, after error_middleware's work)."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        if exc.status >= 400:
            request.app[keys.METRICS].error(route_label(request), exc.status)
        raise
    except Exception:
        request.app[keys.METRICS].error(route_label(request), 500)
        raise
    if response.status >= 400:
        request.app[keys.METRICS].error(route_label(request), response.status)
    return response


def _is_loopback(request: web.Request) -> bool:
    if any(name in request.headers for name in PROXY_HEADERS):
        return False
    address = parse_address(client_address(request))
    return address is not None and address.is_loopback  # None: a Unix socket, or no peer at all


def _has_token(request: web.Request, token: str) -> bool:
    scheme, _, presented = request.headers.get(hdrs.AUTHORIZATION, "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(presented.strip().encode(), token.encode())


def may_read(request: web.Request) -> bool:
    token = request.app[keys.SETTINGS].metrics_token
    return _is_loopback(request) or (bool(token) and _has_token(request, token))


async def _queue_length(app: web.Application) -> float:
    try:
        async with app[keys.DB]() as s:
            return len(await tickets.waiting_queue(s))
    except Exception as exc:  # noqa: BLE001 - the other metrics still matter while the database is away
        logger.warning("metrics_queue_unavailable type=%s", type(exc).__name__)
        return float("nan")


@routes.get("/metrics")
async def metrics(request: web.Request) -> web.Response:
    if not may_read(request):
        raise web.HTTPNotFound()
    app = request.app
    app[keys.METRICS].set_gauges(await _queue_length(app), app[keys.HUB].count(), app[keys.DESK_HUB].count())
    return web.Response(
        body=app[keys.METRICS].exposition(),
        headers={hdrs.CONTENT_TYPE: CONTENT_TYPE_PLAIN_0_0_4, hdrs.CACHE_CONTROL: "no-store"},
    )
