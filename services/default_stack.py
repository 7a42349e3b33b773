"""The embedded default stack as real processes on free loopback ports: the action
server, Rasa with the trained model (SQLite tracker store) and the gateway (SQLite).

Shared by the live-stack test fixture (`tests/conftest.py`) and the benchmark
(`python -m bench`), so both start the service exactly the way `make run` does.

    stack = DefaultStack(var_dir, extra_env={"RATE_LIMIT_CLIENT_BURST": "1000"})
    stack.start()          # raises StackError with the processes' output if it fails
    ... stack.url, stack.rasa_url, stack.token, stack.pids() ...
    stack.stop()

The command builders (`actions_command`, `rasa_command`, `gateway_command`),
`upgrade_gateway_database` and `ProcessGroup` are there for other profiles to reuse.

Each process runs with its own environment's Python, whichever one runs this code:
Rasa and the action server with .venv's (Python 3.10, Rasa 3.6), the gateway with
.venv-gateway's (Python 3.12); `make install` builds both. RASA_PYTHON and GATEWAY_PYTHON
name other interpreters.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from services.private_files import UMASK, open_private, private_dir

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MODEL = PROJECT_ROOT / "models" / "akan.tar.gz"
# Variables of an outer shell that would point the processes at another stack.
FOREIGN_ENV = ("RASA_URL", "ACTIONS_URL", "GATEWAY_DB_URL", "PROFILE")
# The two environments (Makefile): Rasa's and the action server's, and the gateway's.
RASA_VENV = PROJECT_ROOT / ".venv"
GATEWAY_VENV = PROJECT_ROOT / ".venv-gateway"


class StackError(RuntimeError):
    """A process of the stack failed to start or to become healthy."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_ok(url: str, timeout: float = 3) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def _python(variable: str, venv: Path, what: str) -> str:
    """The interpreter `variable` names, else `venv`'s (not resolved: the venv is its link's folder)."""
    named = os.environ.get(variable, "").strip()
    python = named or str(venv / "bin" / "python")
    if not os.access(python, os.X_OK):
        source = f"{variable}={named}" if named else f"{venv.relative_to(PROJECT_ROOT)}/bin/python"
        raise StackError(f"no Python for {what} at {source}: run `make install`")
    return python


def rasa_python() -> str:
    """Rasa's and the action server's Python (.venv, Python 3.10)."""
    return _python("RASA_PYTHON", RASA_VENV, "Rasa and the action server")


def gateway_python() -> str:
    """The gateway's Python (.venv-gateway, Python 3.12)."""
    return _python("GATEWAY_PYTHON", GATEWAY_VENV, "the gateway")


def actions_command() -> list[str]:
    return [rasa_python(), "-m", "actions.server"]


def rasa_command(port: int, log_file: Path, endpoints: str = "endpoints.yml", model: Path = MODEL) -> list[str]:
    """`rasa run` through services.rasa_launcher (as the Procfile starts it). The API token
    and the channel's secret are no argument: the launcher and the channel read RASA_TOKEN
    from the environment, so no secret is on any command line."""
    return [
        rasa_python(), "-m", "services.rasa_launcher", "run", "--model", str(model), "--endpoints", endpoints,
        "--credentials", "credentials.yml", "-i", "127.0.0.1", "-p", str(port), "--enable-api", "--log-file", str(log_file),
    ]


def gateway_command() -> list[str]:
    return [gateway_python(), "-m", "bot"]


def migrate_command() -> list[str]:
    return [gateway_python(), "-m", "bot", "db", "upgrade"]


def upgrade_gateway_database(env: Mapping[str, str], log_path: Path) -> None:
    """`python -m bot db upgrade` with the stack's environment, before the gateway starts
    (as the Procfile does); StackError with its output if it fails."""
    private_dir(log_path.parent)
    with open_private(log_path) as log:
        result = subprocess.run(
            migrate_command(), cwd=PROJECT_ROOT, env=dict(env), stdout=log, stderr=subprocess.STDOUT, umask=UMASK,
        )
    if result.returncode != 0:
        raise StackError(f"the gateway database could not be upgraded; output:\n{log_path.read_text(errors='replace')[-3000:]}")


@dataclass
class ProcessGroup:
    """Named processes, each in its own session with its output in `log_dir/<name>.out`
    and umask 077; stopped together (TERM, then KILL after a grace period)."""

    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, command: Sequence[str], env: Mapping[str, str]) -> subprocess.Popen:
        private_dir(self.log_dir)
        with open_private(self.log_dir / f"{name}.out", append=False) as log:
            process = subprocess.Popen(
                list(command), cwd=PROJECT_ROOT, env=dict(env), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, umask=UMASK,
            )
        self.processes[name] = process
        return process

    def exited(self) -> list[str]:
        return [name for name, process in self.processes.items() if process.poll() is not None]

    def output_tails(self, chars: int = 3000) -> str:
        parts = []
        for name in self.processes:
            path = self.log_dir / f"{name}.out"
            text = path.read_text(errors="replace")[-chars:] if path.exists() else ""
            parts.append(f"--- {name} ---\n{text}")
        return "\n".join(parts)

    def wait_healthy(self, url: str, timeout: float) -> None:
        """Wait until `url` answers 200; StackError (with the output) if a process dies or time runs out."""
        deadline = time.monotonic() + timeout
        while not http_ok(url):
            dead = self.exited()
            if dead or time.monotonic() > deadline:
                reason = f"exited: {', '.join(dead)}" if dead else f"not healthy after {timeout:.0f} s"
                raise StackError(f"the stack did not start ({reason}); output:\n{self.output_tails()}")
            time.sleep(0.5)

    def stop(self, grace: float = 15) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def pids(self) -> dict[str, int]:
        return {name: process.pid for name, process in self.processes.items() if process.poll() is None}


@dataclass
class DefaultStack:
    """Action server + Rasa + gateway with SQLite files in `var_dir`."""

    var_dir: Path
    extra_env: Mapping[str, str] = field(default_factory=dict)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    ports: dict[str, int] = field(default_factory=dict)
    group: ProcessGroup | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['GATEWAY_PORT']}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['RASA_PORT']}"

    @property
    def rasa_urls(self) -> list[str]:
        return [self.rasa_url]

    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}
        env.update({key: str(value) for key, value in self.ports.items()})
        env.update(
            {
                "VAR_DIR": str(self.var_dir),
                "TRACKER_DB_URL": f"sqlite:///{self.var_dir / 'tracker.db'}",
                "RASA_TOKEN": self.token,
                "LOG_LEVEL": "INFO",
                "PYTHONUNBUFFERED": "1",
                "RASA_TELEMETRY_ENABLED": "false",
            }
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 300) -> None:
        if not MODEL.exists():
            raise StackError(f"no trained model at {MODEL.relative_to(PROJECT_ROOT)}: run `make train`")
        private_dir(self.var_dir)
        logs = private_dir(self.var_dir / "logs")
        self.ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "GATEWAY_PORT": free_port()}
        env = self.env()
        upgrade_gateway_database(env, logs / "migrate.out")
        self.group = ProcessGroup(logs)
        try:
            self.group.start("actions", actions_command(), env)
            self.group.start("rasa", rasa_command(self.ports["RASA_PORT"], logs / "rasa.log"), env)
            self.group.start("gateway", gateway_command(), env)
            self.group.wait_healthy(f"{self.url}/healthz", timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.group is not None:
            self.group.stop()

    def pids(self) -> dict[str, int]:
        return self.group.pids() if self.group else {}

    def __enter__(self) -> "DefaultStack":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
