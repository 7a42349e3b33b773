"""The production profile: PostgreSQL, Redis, several Rasa replicas, the action server
and the gateway, all on 127.0.0.1, started and stopped in order.

Interface for scripts and tests (e.g. `make bench`, tests/production/):

    from services.production import start_production_stack

    stack = start_production_stack(Path("var/bench"), replicas=2, extra_env={"RATE_LIMIT_CLIENT_BURST": "10000"})
    try:
        stack.gateway_url        # "http://127.0.0.1:<port>" — the public API
        stack.rasa_urls          # ["http://127.0.0.1:<port>", ...], one per replica (REST channel, --enable-api)
        stack.token              # Rasa HTTP API token
        stack.actions_url
        stack.tracker_db_url     # postgresql://... (Rasa's `events` table), gateway_db_url likewise
        stack.pids()             # {"postgres": pid, "redis": pid, "actions": pid, "rasa-0": pid, ..., "gateway": pid}
        stack.kill("rasa-1"); stack.start("rasa-1")   # fault injection: SIGKILL / start again and wait healthy
        stack.stop_process("actions"); stack.restart("gateway"); stack.postgres.restart()
    finally:
        stack.stop()             # gateway, replicas, action server, Redis, PostgreSQL — in that order

`ports=StackPorts.free(replicas)` picks free loopback ports (tests); the default
reads GATEWAY_PORT, RASA_PORT (replica i listens on RASA_PORT + i), ACTIONS_PORT,
POSTGRES_PORT and REDIS_PORT from the environment. Data lives in
`<var_dir>/postgres` (kept across runs) and logs in `<var_dir>/logs`, all 0700/0600
(services/private_files.py). When the caller runs as root, PostgreSQL runs as the
`postgres` user: `<var_dir>` (and its parents up to `$VAR_DIR` when it lies inside)
become 0710 with the postgres group, so that user can pass but no one can list them;
parents above must be traversable already (/tmp or /work are; pytest's tmp_path is not).
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from services.default_stack import (
    FOREIGN_ENV, MODEL, PROJECT_ROOT, StackError, actions_command, free_port, gateway_command, http_ok, rasa_command,
    upgrade_gateway_database,
)
from services.postgres import PostgresServer, let_server_user_through
from services.private_files import UMASK, open_private, private_dir
from services.redis_server import RedisServer

ENDPOINTS = PROJECT_ROOT / "endpoints.production.yml"
DEFAULT_REPLICAS = 2
# A replica killed while it holds a conversation's lock leaves the lock in Redis;
# the others wait at most this long for it (Rasa's default is 60 s, more than the
# gateway's RASA_TIMEOUT_SECONDS).
DEFAULT_LOCK_LIFETIME_SECONDS = "20"
# Longer than any client keeps an idle connection (see _env).
KEEP_ALIVE_SECONDS = "75"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    return int(raw) if raw else default


@dataclass(frozen=True)
class StackPorts:
    gateway: int
    actions: int
    postgres: int
    redis: int
    rasa: tuple[int, ...]

    @classmethod
    def from_env(cls, replicas: int, env: Mapping[str, str] | None = None) -> "StackPorts":
        env = os.environ if env is None else env
        rasa = _int(env, "RASA_PORT", 5005)
        return cls(
            gateway=_int(env, "GATEWAY_PORT", 8080),
            actions=_int(env, "ACTIONS_PORT", 5055),
            postgres=_int(env, "POSTGRES_PORT", 5433),
            redis=_int(env, "REDIS_PORT", 6380),
            rasa=tuple(rasa + i for i in range(replicas)),
        )

    @classmethod
    def free(cls, replicas: int) -> "StackPorts":
        return cls(gateway=free_port(), actions=free_port(), postgres=free_port(), redis=free_port(),
                   rasa=tuple(free_port() for _ in range(replicas)))


@dataclass
class ManagedProcess:
    """One service process: its command, environment, health URL and log file."""

    name: str
    command: list[str]
    env: dict[str, str]
    health_url: str
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with open_private(self.log_path) as log:
            self.process = subprocess.Popen(self.command, cwd=PROJECT_ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True, umask=UMASK)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def healthy(self) -> bool:
        return self.running() and http_ok(self.health_url)

    def stop(self, timeout: float = 20) -> None:
        if not self.running():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL, as a crash would: no clean-up of any kind."""
        if self.running():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


@dataclass
class ProductionStack:
    var_dir: Path
    ports: StackPorts
    token: str
    postgres: PostgresServer
    redis: RedisServer
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, ManagedProcess] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.gateway}"

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports.rasa]

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.actions}"

    @property
    def tracker_db_url(self) -> str:
        return self.postgres.url("tracker")

    @property
    def gateway_db_url(self) -> str:
        return self.postgres.url("gateway")

    def pids(self) -> dict[str, int]:
        pids = {"postgres": self.postgres.process.pid, "redis": self.redis.process.pid}
        pids.update({name: p.process.pid for name, p in self.processes.items() if p.running()})
        return pids

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
        env.update({
            "PROFILE": "production",
            "VAR_DIR": str(self.var_dir),
            "RASA_TOKEN": self.token,
            "RASA_TELEMETRY_ENABLED": "false",
            "PYTHONUNBUFFERED": "1",
            "ACTIONS_PORT": str(self.ports.actions),
            "GATEWAY_PORT": str(self.ports.gateway),
            "RASA_URL": ",".join(self.rasa_urls),
            "ACTIONS_URL": self.actions_url,
            "TRACKER_DB_URL": self.tracker_db_url,
            "GATEWAY_DB_URL": self.gateway_db_url,
            "REDIS_PORT": str(self.ports.redis),
            "REDIS_PASSWORD": self.redis.password,
        })
        # Rasa's and the action server's Sanic close idle connections after 5 s; their
        # clients (the gateway: 30 s, Rasa: 15 s) would then write into closed sockets.
        if not env.get("SANIC_KEEP_ALIVE_TIMEOUT", "").strip():
            env["SANIC_KEEP_ALIVE_TIMEOUT"] = KEEP_ALIVE_SECONDS
        if not env.get("TICKET_LOCK_LIFETIME", "").strip():
            env["TICKET_LOCK_LIFETIME"] = DEFAULT_LOCK_LIFETIME_SECONDS
        env.update(self.extra_env)
        return env

    def _define_processes(self) -> None:
        env = self._env()
        logs = self.var_dir / "logs"
        self.processes["actions"] = ManagedProcess(
            "actions", actions_command(), env, f"{self.actions_url}/health", logs / "actions.out")
        for index, port in enumerate(self.ports.rasa):
            name = f"rasa-{index}"
            command = rasa_command(port, logs / f"{name}.log", endpoints=str(ENDPOINTS))
            self.processes[name] = ManagedProcess(
                name, command, {**env, "RASA_PORT": str(port)}, f"http://127.0.0.1:{port}/", logs / f"{name}.out")
        self.processes["gateway"] = ManagedProcess(
            "gateway", gateway_command(), env, f"{self.gateway_url}/healthz", logs / "gateway.out")

    def wait_healthy(self, names: list[str], timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        waiting = list(names)
        while waiting:
            dead = [n for n in waiting if not self.processes[n].running()]
            if dead:
                raise StackError(f"{dead} exited; output:\n" + "\n".join(
                    f"--- {n}\n{self.processes[n].tail()}" for n in dead))
            waiting = [n for n in waiting if not self.processes[n].healthy()]
            if waiting and time.monotonic() > deadline:
                raise StackError(f"{waiting} not healthy within {timeout:.0f} s; see {self.var_dir / 'logs'}")
            if waiting:
                time.sleep(0.5)

    def start(self, name: str, timeout: float = 300) -> None:
        """Start one process (again) and wait until it answers."""
        self.processes[name].start()
        self.wait_healthy([name], timeout)

    def stop_process(self, name: str) -> None:
        self.processes[name].stop()

    def kill(self, name: str) -> None:
        self.processes[name].kill()

    def restart(self, name: str) -> None:
        self.stop_process(name)
        self.start(name)

    def start_all(self, timeout: float = 300) -> None:
        private_dir(self.var_dir / "logs")
        self.postgres.start()
        self.redis.start()
        # The gateway's schema, before any process starts (the gateway only checks it).
        upgrade_gateway_database(self._env(), self.var_dir / "logs" / "migrate.out")
        self._define_processes()
        for process in self.processes.values():
            process.start()
        # The gateway's /healthz needs every replica and the action server, so it comes last.
        self.wait_healthy(list(self.processes), timeout)

    def stop(self) -> None:
        for name in ["gateway", *(n for n in self.processes if n.startswith("rasa-")), "actions"]:
            if name in self.processes:
                self.processes[name].stop()
        self.redis.stop()
        self.postgres.stop()


def _on_the_way_to_postgres(var_dir: Path) -> list[Path]:
    """`var_dir`, and its parents up to `$VAR_DIR` when it lies inside (`make run-prod`,
    `make bench`): the private directories PostgreSQL's user must pass when we are root."""
    var_root = Path(os.environ.get("VAR_DIR", "var")).resolve()
    if var_root not in var_dir.parents:
        return [var_dir]
    return [var_dir, *(p for p in var_dir.parents if p == var_root or var_root in p.parents)]


def start_production_stack(
    var_dir: Path,
    replicas: int = DEFAULT_REPLICAS,
    extra_env: Mapping[str, str] | None = None,
    ports: StackPorts | None = None,
    postgres_settings: Mapping[str, str] | None = None,
    timeout: float = 300,
) -> ProductionStack:
    """Start everything and wait until the gateway is healthy; stop what started if that fails."""
    if not MODEL.exists():
        raise StackError(f"no trained model at {MODEL}: run `make train`")
    var_dir = private_dir(Path(var_dir).resolve())
    for directory in _on_the_way_to_postgres(var_dir):
        let_server_user_through(directory)  # as root only: PostgreSQL's user must reach <var_dir>/postgres
    private_dir(var_dir / "logs")
    ports = ports or StackPorts.from_env(replicas)
    stack = ProductionStack(
        var_dir=var_dir,
        ports=ports,
        token=os.environ.get("RASA_TOKEN") or secrets.token_hex(16),
        postgres=PostgresServer(var_dir / "postgres", ports.postgres, var_dir / "logs" / "postgres.log",
                                dict(postgres_settings or {})),
        redis=RedisServer(var_dir / "redis", ports.redis, var_dir / "logs" / "redis.log"),
        extra_env=dict(extra_env or {}),
    )
    try:
        stack.start_all(timeout)
    except BaseException:
        stack.stop()
        raise
    return stack
