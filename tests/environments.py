"""Which environment runs which tests. The gateway's tests (GATEWAY_TESTS: they import bot/) run in
.venv-gateway (Python 3.12, no Rasa), every other one in .venv (Python 3.10, Rasa 3.6);
`make unit-test` and `make test-fast` run both. tests/conftest.py leaves each environment the
tests of the other out, and stops a run that names one of them with the command to use instead."""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
GATEWAY_TESTS = (PROJECT_ROOT / "tests" / "gateway", PROJECT_ROOT / "tests" / "production")


@functools.cache
def rasa_environment() -> bool:
    """Rasa's environment (.venv) has Rasa; the gateway's (.venv-gateway) never has it."""
    return importlib.util.find_spec("rasa") is not None


def is_gateway_test(path: Path) -> bool:
    path = path.resolve()
    return any(path == root or root in path.parents for root in GATEWAY_TESTS)


def of_the_other_environment(path: Path) -> bool:
    """A test file or folder the other environment runs (the folders above both: neither)."""
    path = path.resolve()
    if any(path in root.parents for root in GATEWAY_TESTS):
        return False
    return is_gateway_test(path) == rasa_environment()


def wrong_environment(tests: str) -> str:
    """What to say when `tests` were named in the environment that does not run them."""
    here, there = (".venv", ".venv-gateway") if rasa_environment() else (".venv-gateway", ".venv")
    return f"{tests} runs in {there}: {there}/bin/python -m pytest {tests} (this is {here}; `make unit-test` runs both)"


def require_gateway_environment() -> None:
    """At the top of tests/gateway/conftest.py, before bot/ is imported."""
    if rasa_environment():
        pytest.exit(wrong_environment("tests/gateway"), returncode=pytest.ExitCode.USAGE_ERROR)
