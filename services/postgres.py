"""A local PostgreSQL cluster for the production profile and its tests.

Debian's server binaries (`/usr/lib/postgresql/<version>/bin`) create and run a
cluster in a directory of ours, on 127.0.0.1 and a port we choose, with the
unix socket inside that directory. PostgreSQL refuses to run as root, so when we
are root the server runs as the `postgres` system user, which must own the
directory (the parents must let it through; /tmp always does).

Only the superuser `postgres` may log in over the private unix socket (trust);
the services log in over TCP as the role `akan` with a password made new for
every PostgresServer object (scram-sha-256), so no secret is ever written to disk.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from services.private_files import PRIVATE_DIR, UMASK, open_private

APP_ROLE = "akan"
SUPERUSER = "postgres"
DATABASES = ("tracker", "gateway")


class PostgresError(RuntimeError):
    """The cluster could not be created or started."""


def server_bin_dir() -> Path:
    """Newest Debian PostgreSQL server (never a hard-coded version)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise PostgresError("PostgreSQL server not found: install it with `apt-get install postgresql`")
    return Path(found[-1]).parent


def _run_as() -> dict:
    """Popen arguments that drop root to the postgres system user (nothing when not root)."""
    if os.geteuid() != 0:
        return {}
    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresError("running as root needs the `postgres` system user (Debian's postgresql package)") from None
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _give_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


def let_server_user_through(path: Path) -> None:
    """As root, let the postgres user pass through the private directory `path` to its
    cluster below: group postgres, mode 0710 (no one else may enter, and no one may list it)."""
    if os.geteuid() == 0:
        try:
            entry = pwd.getpwnam("postgres")
        except KeyError:
            return  # start() says what is missing
        os.chown(path, -1, entry.pw_gid)
        os.chmod(path, 0o710)


@dataclass
class PostgresServer:
    """One cluster: `start()` creates it when needed, then `url(database)` gives a service its URL."""

    base_dir: Path
    port: int
    log_path: Path | None = None
    settings: dict[str, str] = field(default_factory=dict)
    password: str = ""
    process: subprocess.Popen | None = None

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base_dir / "socket"

    def url(self, database: str) -> str:
        """Plain SQLAlchemy URL (Rasa uses it as is; the gateway maps it to asyncpg)."""
        return f"postgresql://{APP_ROLE}:{self.password}@127.0.0.1:{self.port}/{database}"

    def _initdb(self) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.base_dir, 0o700)
        _give_to_server_user(self.base_dir)
        result = subprocess.run(
            [str(server_bin_dir() / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER, "-E", "UTF8",
             "--no-locale", "--auth-local=trust", "--auth-host=scram-sha-256"],
            capture_output=True, text=True, umask=UMASK, **_run_as(),
        )
        if result.returncode != 0:
            raise PostgresError(f"initdb failed in {self.data_dir}:\n{result.stderr[-2000:]}")

    def start(self, timeout: float = 60) -> None:
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        self.socket_dir.mkdir(exist_ok=True)
        self.socket_dir.chmod(PRIVATE_DIR)
        _give_to_server_user(self.socket_dir)
        options = {"listen_addresses": "127.0.0.1", "port": str(self.port),
                   "unix_socket_directories": str(self.socket_dir),
                   "unix_socket_permissions": "0700", **self.settings}
        command = [str(server_bin_dir() / "postgres"), "-D", str(self.data_dir)]
        for name, value in options.items():
            command += ["-c", f"{name}={value}"]
        log = open_private(self.log_path) if self.log_path else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, umask=UMASK, **_run_as()
            )
        finally:
            if self.log_path:
                log.close()
        self._wait_ready(timeout)
        self._prepare_role_and_databases()

    def _superuser_connection(self):
        import psycopg2

        return psycopg2.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname="postgres",
                                connect_timeout=3)

    def _wait_ready(self, timeout: float) -> None:
        import psycopg2

        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise PostgresError(f"PostgreSQL exited with {self.process.returncode}; see {self.log_path}")
            try:
                self._superuser_connection().close()
                return
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise PostgresError(f"PostgreSQL did not accept connections within {timeout:.0f} s") from None
                time.sleep(0.2)

    def _prepare_role_and_databases(self) -> None:
        """The app role with a fresh password, and its databases (created once)."""
        from psycopg2 import sql

        self.password = self.password or secrets.token_hex(16)
        connection = self._superuser_connection()
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,))
                verb = "ALTER" if cursor.fetchone() else "CREATE"
                cursor.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD %s").format(sql.Identifier(APP_ROLE)),
                               (self.password,))
                for database in DATABASES:
                    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
                    if not cursor.fetchone():
                        cursor.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                            sql.Identifier(database), sql.Identifier(APP_ROLE)))
        finally:
            connection.close()

    def stop(self, timeout: float = 30) -> None:
        """Fast shutdown (SIGINT): open transactions are rolled back, committed data stays."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def restart(self) -> None:
        """Stop and start again, keeping the password, as an operator's restart would."""
        self.stop()
        self.start()
