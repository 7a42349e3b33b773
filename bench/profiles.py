"""Starting the stack the benchmark measures, in either profile, on free loopback ports.

The gateway's rate limits are raised for the run: the simulated people all come from
127.0.0.1 and write far faster than the per-conversation limit allows one person.
"""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

PROFILES = ("default", "production")
BENCH_ENV = {
    "RATE_LIMIT_CONVERSATION_PER_MINUTE": "1000000",
    "RATE_LIMIT_CONVERSATION_BURST": "1000000",
    "RATE_LIMIT_CLIENT_PER_MINUTE": "1000000",
    "RATE_LIMIT_CLIENT_BURST": "1000000",
}


@dataclass
class RunningStack:
    gateway_url: str
    rasa_urls: list[str]
    rasa_token: str
    pids: Callable[[], dict[str, int]]


@contextmanager
def running_stack(profile: str, var_dir: Path, replicas: int = 2) -> Iterator[RunningStack]:
    """Start `profile`'s stack with fresh data in `var_dir` (logs stay there afterwards)."""
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    var_dir.chmod(0o755)  # PostgreSQL runs as its own user and must reach its data dir
    if profile == "default":
        from services.default_stack import DefaultStack

        stack = DefaultStack(var_dir, extra_env=BENCH_ENV)
        stack.start()
        try:
            yield RunningStack(stack.url, stack.rasa_urls, stack.token, stack.pids)
        finally:
            stack.stop()
    elif profile == "production":
        from services.production import StackPorts, start_production_stack

        stack = start_production_stack(var_dir, replicas=replicas, extra_env=BENCH_ENV, ports=StackPorts.free(replicas))
        try:
            yield RunningStack(stack.gateway_url, stack.rasa_urls, stack.token, stack.pids)
        finally:
            stack.stop()
    else:
        raise ValueError(f"unknown profile {profile!r}; choose from {', '.join(PROFILES)}")
