"""`python -m services.rasa_launcher <rasa arguments>`: the `rasa` command with the
fixes of `rasa_runtime.fixes` installed (the Procfile, both stacks, the conversation
tests and `make eval` start Rasa this way). `rasa` without the launcher still works,
with Rasa's own per-message costs. A fix that does not match the installed Rasa stops
the start with an error naming it (switch it off with `RASA_FIX_<NAME>=0`).
"""
from __future__ import annotations

import sys


def main() -> int:
    from rasa_runtime.fixes import FixError, install

    try:
        install()
    except FixError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    return rasa_main()


if __name__ == "__main__":
    sys.exit(main())
