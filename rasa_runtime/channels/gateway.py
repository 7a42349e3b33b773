"""The gateway's channel: Rasa's REST channel that answers only the gateway.

Rasa listens on 127.0.0.1, where any local process could post to a plain REST
channel — another conversation's `/restart` included. This channel (credentials.yml,
`/webhooks/gateway/webhook`) refuses, with 401, every request that does not carry
the shared secret, `RASA_TOKEN`, in an `Authorization: Bearer` header. Without a
secret in the environment it refuses everything. Otherwise it is Rasa's REST channel
(same body, same replies).
"""
from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_runtime.bearer import bearer_token, matches

logger = logging.getLogger(__name__)

SECRET_VARIABLE = "RASA_TOKEN"


class GatewayInput(RestInput):
    """RestInput behind the shared secret (read from `RASA_TOKEN` when Rasa starts)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        if not secret:
            logger.error("gateway_channel_without_secret variable=%s: every request is refused", SECRET_VARIABLE)

    @classmethod
    def name(cls) -> Text:
        return "gateway"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        # The secret comes from the environment, never from a file in the repository.
        return cls(os.environ.get(SECRET_VARIABLE, "").strip())

    def authorised(self, request: Request) -> bool:
        return matches(bearer_token(request), self._secret)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        # A blueprint's middleware runs for its own routes only (Sanic 21.12).
        @webhook.middleware("request")
        async def only_the_gateway(request: Request) -> Optional[HTTPResponse]:
            if self.authorised(request):
                return None
            logger.warning("gateway_channel_refused path=%s", request.path)
            return response.json({"status": "unauthorised"}, status=401)

        return webhook
