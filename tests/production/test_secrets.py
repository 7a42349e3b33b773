"""The production profile keeps its secrets off command lines and its data private: the
Rasa token, the Redis password and the PostgreSQL password are on no process's command
line (/proc/<pid>/cmdline, which every local user can read), Redis gets its password on
standard input, and what the stack writes under its VAR_DIR has no group or other
permission bit (as root, the directory itself lets PostgreSQL's user pass, nothing more)."""
from __future__ import annotations

import os

from tests.secrets_probe import command_lines, not_private, secrets_on_command_lines


def test_no_secret_on_any_command_line(production_stack):
    pids = production_stack.pids().values()
    lines = command_lines(pids)
    assert any("redis-server" in line for line in lines.values()), lines
    assert sum("services.rasa_launcher run" in line for line in lines.values()) >= 2, lines
    secrets = {
        "RASA_TOKEN": production_stack.token,
        "REDIS_PASSWORD": production_stack.redis.password,
        "the PostgreSQL password": production_stack.postgres.password,
    }
    assert secrets_on_command_lines(pids, secrets) == []
    # What Redis was started with, not only what it shows once it has renamed itself.
    assert production_stack.redis.password not in " ".join(production_stack.redis.process.args)


def test_what_the_stack_writes_is_private(production_stack):
    var_dir = production_stack.var_dir
    names = {path.name for path in var_dir.rglob("*")}
    assert {"postgres", "redis", "logs", "rasa-0.log", "gateway.out", "PG_VERSION"} <= names, names
    passage = {var_dir: 0o010} if os.geteuid() == 0 else {}  # group postgres may pass (services/production.py)
    assert not_private(var_dir, passage) == []
