"""Every error the gateway returns: a status and a clear Norwegian `{"error": ...}`.

The middleware turns aiohttp's own HTTP errors (unknown path, wrong method,
body too large) and unexpected exceptions into the same JSON shape. Logs carry
the exception type and stack only, never its message (it may quote user text).
"""
from __future__ import annotations

import logging
import traceback

from aiohttp import web

logger = logging.getLogger(__name__)

INVALID_JSON = "Forespørselen må være gyldig JSON."
INVALID_FIELDS = "Send en melding som «text» eller et valg som «button»."
EMPTY_TEXT = "Meldingen er tom. Skriv noe, eller velg et av forslagene."
BUTTON_NOT_OFFERED = "Det valget er ikke lenger aktuelt. Skriv gjerne med egne ord i stedet."
UNKNOWN_CONVERSATION = "Fant ikke samtalen. Den kan være slettet – start gjerne en ny."
TOO_MANY_REQUESTS = "Du sender veldig raskt. Vent litt, og prøv igjen."
FORBIDDEN_ORIGIN = "Denne nettsiden har ikke tilgang til Akan-veilederen."
NOT_FOUND = "Fant ikke det du så etter."
METHOD_NOT_ALLOWED = "Det går ikke an å gjøre det her."
BODY_TOO_LARGE = "Forespørselen er for stor."
BUTTON_DURING_HANDOFF = "Du er satt over til en veileder nå. Skriv meldingen din med egne ord."
INVALID_CHARACTERS = (
    "Meldingen har tegn vi ikke kan ta imot, for eksempel usynlige kontrolltegn. "
    "Skriv den gjerne på nytt, eller lim den inn som ren tekst."
)
JSON_TOO_DEEP = "Forespørselen har for mange nivåer inni hverandre. Send en melding som «text» eller et valg som «button»."
TOO_MANY_SOCKETS = "Det er åpnet for mange samtalevinduer herfra på en gang. Lukk noen av dem, og prøv igjen om litt."


def too_long(limit: int) -> str:
    return f"Meldingen er for lang. Skriv høyst {limit:,} tegn.".replace(",", " ")


def unavailable(phone: str) -> str:
    return (
        "Akan-veilederen er ikke tilgjengelig akkurat nå. Prøv igjen om litt, "
        f"eller ring veiledningstelefonen på {phone}. Er noen i fare, ring 113."
    )


def actions_unavailable(phone: str) -> str:
    return (
        "Jeg klarer ikke å hente svaret mitt akkurat nå. Prøv igjen om litt, "
        f"eller ring veiledningstelefonen på {phone}. Er noen i fare, ring 113."
    )


def internal(phone: str) -> str:
    return f"Noe gikk galt hos oss. Prøv igjen om litt, eller ring veiledningstelefonen på {phone}."


class ApiError(Exception):
    """An error the person (or the embedding page) should see, with its status."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.message = message
        self.headers = headers or {}


def json_error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


_HTTP_MESSAGES = {404: NOT_FOUND, 405: METHOD_NOT_ALLOWED, 413: BODY_TOO_LARGE}


def error_middleware(phone: str):
    @web.middleware
    async def middleware(request: web.Request, handler):
        try:
            return await handler(request)
        except ApiError as exc:
            return json_error(exc.status, exc.message, exc.headers)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
            return json_error(exc.status, _HTTP_MESSAGES.get(exc.status, internal(phone)), headers)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            stack = "".join(traceback.format_tb(exc.__traceback__))
            logger.error("unhandled_error type=%s\n%s", type(exc).__name__, stack)
            return json_error(500, internal(phone))

    return middleware
