"""Start the action server on loopback only (SPEC: Rasa and actions bind 127.0.0.1).

`rasa run actions` always binds every interface, so we start rasa_sdk's app
ourselves. Port from ACTIONS_PORT (default 5055).
"""
from __future__ import annotations

import logging
import os

from rasa_sdk.endpoint import create_app

KEEP_ALIVE_SECONDS = 75


def main() -> None:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    port = int(os.environ.get("ACTIONS_PORT", "5055"))
    app = create_app("actions")
    # Rasa keeps idle connections to us for 15 s (aiohttp's default); Sanic would close
    # them after 5 s, and a request Rasa writes into a connection we just closed fails
    # ("Can not write request body"): the action is lost and the person gets no answer.
    # So we keep them open longer than Rasa does (SANIC_KEEP_ALIVE_TIMEOUT overrides).
    if not os.environ.get("SANIC_KEEP_ALIVE_TIMEOUT"):
        app.config.KEEP_ALIVE_TIMEOUT = KEEP_ALIVE_SECONDS
    app.run(host="127.0.0.1", port=port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
