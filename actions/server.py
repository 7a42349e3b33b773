"""Start the action server on loopback only (SPEC: Rasa and actions bind 127.0.0.1).

`rasa run actions` always binds every interface, so we start rasa_sdk's app
ourselves. Port from ACTIONS_PORT (default 5055).
"""
from __future__ import annotations

import logging
import os

from rasa_sdk.endpoint import create_app


def main() -> None:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    port = int(os.environ.get("ACTIONS_PORT", "5055"))
    app = create_app("actions")
    app.run(host="127.0.0.1", port=port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
