"""The gateway's own environment (issue 17, item 1): .venv-gateway on Python 3.12 or newer with
current aiohttp, SQLAlchemy 2 and Alembic 1.20, without Rasa, exactly as requirements-gateway.txt
pins it; Rasa and the action server keep .venv (Python 3.10, Rasa 3.6)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

import pytest

from services.default_stack import (
    GATEWAY_VENV, PROJECT_ROOT, RASA_VENV, StackError, actions_command, gateway_command, migrate_command, rasa_command,
)

REQUIREMENTS = PROJECT_ROOT / "requirements-gateway.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


def release(version: str) -> tuple[int, ...]:
    """ "3.14.5" → (3, 14, 5); a suffix such as "rc1" or ".post1" is left out."""
    return tuple(int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3])


def pins() -> dict[str, str]:
    found = {}
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_python_is_3_12_or_newer():
    assert sys.version_info >= (3, 12), sys.version


def test_the_libraries_are_current():
    assert release(metadata.version("aiohttp")) >= (3, 13)
    assert (2,) <= release(metadata.version("SQLAlchemy"))[:1] < (3,)
    assert release(metadata.version("alembic"))[:2] >= (1, 20)


def test_rasa_is_not_in_this_environment():
    assert find_spec("rasa") is None
    assert find_spec("rasa_sdk") is None


def test_every_package_is_installed_as_pinned():
    expected = pins()
    assert {"aiohttp", "SQLAlchemy", "alembic", "phonenumbers", "names-dataset"} <= set(expected)
    installed = {name: metadata.version(name) for name in expected}
    assert installed == expected


def test_python_m_bot_runs_from_the_project_root():
    """`python -m bot` (Procfile) finds bot/ and the shared contract (akan_contract/) through the
    working directory alone."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "python -m bot" in result.stdout


def test_the_stacks_start_each_process_with_its_own_environment(monkeypatch):
    monkeypatch.delenv("RASA_PYTHON", raising=False)
    monkeypatch.delenv("GATEWAY_PYTHON", raising=False)
    assert gateway_command()[0] == migrate_command()[0] == str(GATEWAY_VENV / "bin" / "python")
    rasa = str(RASA_VENV / "bin" / "python")
    assert actions_command()[0] == rasa
    assert rasa_command(5005, Path("rasa.log"))[0] == rasa


def test_a_missing_environment_says_how_to_make_it(monkeypatch, tmp_path):
    monkeypatch.setenv("RASA_PYTHON", str(tmp_path / "nowhere" / "python"))
    with pytest.raises(StackError, match="make install"):
        actions_command()
