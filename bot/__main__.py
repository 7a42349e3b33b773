"""`python -m bot`: run the gateway with settings from the environment.
`python -m bot counsellor add NAME` (and `list`, `remove NAME`): desk accounts.
`python -m bot db upgrade` (and `current`, `revision -m WHAT`): the database's schema.
Every command creates its files private (umask 077): databases and logs hold transcripts."""
from __future__ import annotations

import argparse
import logging
import os
import sys

import uvloop
from aiohttp import web

from bot.app import create_app
from bot.desk import cli
from bot.logs import RUNNER_OPTIONS, configure_logging
from bot.settings import Settings
from bot.storage import migrate

# Files 0600, directories 0700, whoever starts the process.
UMASK = 0o077


def run_gateway() -> None:
    configure_logging(os.environ.get("LOG_LEVEL", "INFO"))
    settings = Settings.from_env()
    logging.getLogger("bot").info("gateway_starting port=%s", settings.port)
    # uvloop: the event loop Rasa's Sanic uses too; the gateway spends much of a turn
    # in socket I/O (Rasa, PostgreSQL), where it is several times cheaper than asyncio's.
    # Handed to run_app (uvloop.install(), a global loop policy, is deprecated from Python 3.12).
    web.run_app(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        **RUNNER_OPTIONS,
        print=None,
        loop=uvloop.new_event_loop(),
    )


def main(argv: list[str] | None = None) -> int:
    os.umask(UMASK)
    parser = argparse.ArgumentParser(prog="python -m bot", description="Akan-veilederen's gateway (no command: run it)")
    commands = parser.add_subparsers(dest="command")
    cli.add_parser(commands)
    migrate.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "counsellor":
        return cli.main(args)
    if args.command == "db":
        return migrate.main(args)
    run_gateway()
    return 0


if __name__ == "__main__":
    sys.exit(main())
