"""A local Redis server for Rasa's RedisLockStore (the replicas share conversation locks).

Debian's `redis-server` on 127.0.0.1 and a port we choose, protected mode on, a
password made new for every RedisServer object, nothing saved to disk (locks
are short-lived; losing them on a restart only ends waits early). The configuration,
password included, goes to the server on its standard input (`redis-server -`), never
on its command line; its directory is 0700, its log 0600.
(Named redis_server, not redis, so it never shadows the redis package.)
"""
from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from services.private_files import UMASK, open_private, private_dir


class RedisError(RuntimeError):
    """Redis could not be started."""


@dataclass
class RedisServer:
    work_dir: Path
    port: int
    log_path: Path | None = None
    password: str = ""
    process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists():
            raise RedisError("redis-server not found: install it with `apt-get install redis-server`")
        private_dir(self.work_dir)
        self.password = self.password or secrets.token_hex(16)
        log = open_private(self.log_path) if self.log_path else subprocess.DEVNULL
        try:
            # `-`: the configuration is read from standard input, so the password is on no command line.
            self.process = subprocess.Popen([binary, "-"], stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True, umask=UMASK)
        finally:
            if self.log_path:
                log.close()
        self.process.stdin.write(self.config().encode())
        self.process.stdin.close()
        self._wait_ready(timeout)

    def config(self) -> str:
        """redis.conf text: loopback only, protected mode, a password, nothing saved to disk."""
        directory = str(self.work_dir).replace("\\", "\\\\").replace('"', '\\"')
        return "\n".join([
            "bind 127.0.0.1", f"port {self.port}", "protected-mode yes", 'save ""', "appendonly no",
            f'dir "{directory}"', "daemonize no", f"requirepass {self.password}", "",
        ])

    def _wait_ready(self, timeout: float) -> None:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, password=self.password, socket_timeout=2)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RedisError(f"redis-server exited with {self.process.returncode}; see {self.log_path}")
            try:
                client.ping()
                client.close()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise RedisError(f"Redis did not answer within {timeout:.0f} s") from None
                time.sleep(0.1)

    def stop(self, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
