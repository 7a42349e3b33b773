"""`python -m bot`: run the gateway with settings from the environment."""
from __future__ import annotations

import logging
import os

from aiohttp import web

from bot.app import create_app
from bot.logs import RUNNER_OPTIONS, configure_logging
from bot.settings import Settings


def main() -> None:
    configure_logging(os.environ.get("LOG_LEVEL", "INFO"))
    settings = Settings.from_env()
    logging.getLogger("bot").info("gateway_starting port=%s", settings.port)
    web.run_app(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        **RUNNER_OPTIONS,
        print=None,
    )


if __name__ == "__main__":
    main()
