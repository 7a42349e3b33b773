"""Logging that never holds message text or IP addresses: one line per request
with the route pattern (not the path), status and time, in place of aiohttp's
access log (whose default format starts with the client address); chatty
libraries that echo SQL parameters stay at WARNING."""
from __future__ import annotations

import logging
import time

from aiohttp import web

logger = logging.getLogger("bot.requests")

# Options for aiohttp's AppRunner / run_app: no access log (request_log_middleware replaces it).
RUNNER_OPTIONS = {"access_log": None}
QUIET_LOGGERS = ("aiosqlite", "sqlalchemy", "asyncio")
# Probes and scrapes come every few seconds from supervisors and Prometheus: kept out of INFO.
QUIET_ROUTES = frozenset({"/livez", "/readyz", "/healthz", "/metrics"})


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    quiet_third_party_loggers()


def quiet_third_party_loggers() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


@web.middleware
async def request_log_middleware(request: web.Request, handler):
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        route = request.match_info.route.resource
        pattern = route.canonical if route is not None else "-"
        logger.log(
            logging.DEBUG if pattern in QUIET_ROUTES else logging.INFO,
            "request method=%s route=%s status=%s ms=%.1f",
            request.method, pattern, status, (time.perf_counter() - started) * 1000,
        )
