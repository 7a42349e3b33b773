"""`python -m services.rasa_launcher <rasa arguments>`: the `rasa` command with the
fixes of `rasa_runtime.fixes` installed (the Procfile, both stacks, the conversation
tests and `make eval` start Rasa this way; `make train` trains with the training fixes). `rasa` without the launcher still works,
with Rasa's own per-message costs. A fix that does not match the installed Rasa stops
the start with an error naming it (switch it off with `RASA_FIX_<NAME>=0`).

Secrets never go on a command line, where every local user can read them
(/proc/<pid>/cmdline, ps): `rasa run --enable-api` gets its token from `RASA_TOKEN`,
handed to Rasa's parser inside this process; `--auth-token` (`-t`) on the command line
is refused. Files the process creates are private (umask 077).
"""
from __future__ import annotations

import os
import sys
from typing import Mapping, Sequence

from services.private_files import UMASK

TOKEN_VARIABLE = "RASA_TOKEN"


class LaunchError(Exception):
    """Rasa must not start with these arguments."""


def _is_token_option(arg: str) -> bool:
    """`-t`, `-tTOKEN`, `--auth-token[=TOKEN]` and its abbreviations (argparse takes `--auth`)."""
    return (arg.startswith("-t") and not arg.startswith("--")) or arg.startswith("--auth")


def rasa_arguments(argv: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """Rasa's arguments with the API token from `env` added (`run --enable-api` only)."""
    argv = list(argv)
    if any(_is_token_option(arg) for arg in argv):
        raise LaunchError(f"never pass the API token on the command line: set {TOKEN_VARIABLE} in the environment")
    if argv[:1] == ["run"] and "--enable-api" in argv:
        token = env.get(TOKEN_VARIABLE, "").strip()
        if not token:
            raise LaunchError(f"--enable-api needs a token: set {TOKEN_VARIABLE} (an open API would take any local request)")
        argv += ["--auth-token", token]
    return argv


def main() -> int:
    from rasa_runtime.fixes import FixError, install

    os.umask(UMASK)
    try:
        arguments = rasa_arguments(sys.argv[1:], os.environ)
        install(training=arguments[:1] == ["train"])
    except (FixError, LaunchError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    from rasa.__main__ import main as rasa_main

    # Only this process's copy: /proc/<pid>/cmdline keeps the real command line, without the token.
    sys.argv = ["rasa", *arguments]
    return rasa_main()


if __name__ == "__main__":
    sys.exit(main())
