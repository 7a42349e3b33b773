"""`python -m bot counsellor add|list|remove`: counsellor accounts from the terminal.
Passwords are asked for twice with getpass (never echoed, never an argument)."""
from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import Callable

from bot.clock import utcnow
from bot.desk import accounts
from bot.settings import Settings
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.migrate import upgrade_database


def add_parser(subparsers) -> None:
    counsellor = subparsers.add_parser("counsellor", help="manage counsellor accounts for the desk")
    actions = counsellor.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="create an account (the password is asked for)")
    add.add_argument("name")
    actions.add_parser("list", help="list the accounts")
    remove = actions.add_parser("remove", help="delete an account and sign it out")
    remove.add_argument("name")


def ask_password(prompt: Callable[[str], str] = getpass.getpass) -> str:
    first = prompt("Passord: ")
    accounts.check_password(first)
    if prompt("Gjenta passordet: ") != first:
        raise accounts.AccountError("Passordene var ikke like.")
    return first


async def run_command(settings: Settings, args: argparse.Namespace, prompt: Callable[[str], str] = getpass.getpass) -> str:
    """Carry out one `counsellor` command; returns what to print. AccountError when refused.
    The database is upgraded first (as `python -m bot db upgrade`), so accounts can be made
    before the gateway's first start."""
    await upgrade_database(settings.gateway_db_url)
    engine = make_engine(settings.gateway_db_url, fast_commits=True)
    try:
        db = make_sessionmaker(engine)
        async with db() as s, s.begin():
            if args.action == "add":
                name = accounts.check_name(args.name)
                if await accounts.find_counsellor(s, name) is not None:
                    raise accounts.AccountError(f"Det finnes allerede en veileder som heter {name}.")
                await accounts.add_counsellor(s, name, ask_password(prompt), utcnow())
                return f"Veilederen {name} er opprettet."
            if args.action == "list":
                names = [c.name for c in await accounts.list_counsellors(s)]
                return "\n".join(names) if names else "Ingen veiledere er opprettet ennå."
            if await accounts.remove_counsellor(s, args.name):
                return f"Veilederen {args.name} er slettet."
            raise accounts.AccountError(f"Fant ingen veileder som heter {args.name}.")
    finally:
        await engine.dispose()


def main(args: argparse.Namespace) -> int:
    try:
        print(asyncio.run(run_command(Settings.from_env(), args)))
    except accounts.AccountError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (KeyboardInterrupt, EOFError):
        print(file=sys.stderr)
        return 1
    return 0
