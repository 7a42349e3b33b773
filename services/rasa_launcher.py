"""`python -m services.rasa_launcher <rasa arguments>`: the `rasa` command with the
fixes of `services.rasa_fixes` installed (the Procfile, both stacks, the conversation
tests and `make eval` start Rasa this way). `rasa` without the launcher still works,
with Rasa's own per-message costs.
"""
from __future__ import annotations

import sys


def main() -> int:
    from services.rasa_fixes import install

    install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    return rasa_main()


if __name__ == "__main__":
    sys.exit(main())
