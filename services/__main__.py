"""`python -m services` (`make run-prod`): the production profile until Ctrl-C / SIGTERM.

Data under `$VAR_DIR/production/` (the PostgreSQL cluster is kept across runs),
`RASA_REPLICAS` Rasa servers (default 2), ports from the environment (docs/configuration.md, docs/production.md).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

from services.production import DEFAULT_REPLICAS, StackError, start_production_stack


def main() -> int:
    var_dir = Path(os.environ.get("VAR_DIR", "var")) / "production"
    replicas = int(os.environ.get("RASA_REPLICAS", "").strip() or DEFAULT_REPLICAS)
    if replicas < 1:
        print("RASA_REPLICAS must be at least 1", file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print(f"Starting the production profile: PostgreSQL, Redis, {replicas} Rasa replicas, "
          f"action server, gateway (data and logs in {var_dir}) ...", flush=True)
    try:
        stack = start_production_stack(var_dir, replicas=replicas)
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        print(f"\n  Akan-veilederen (production profile) is ready: http://localhost:{stack.ports.gateway}"
              f"  (Ctrl-C stops all)\n  Rasa replicas: {', '.join(stack.rasa_urls)}\n", flush=True)
        while not stop.wait(1):
            dead = [name for name, p in stack.processes.items() if not p.running()]
            if dead:
                print(f"error: {', '.join(dead)} stopped; see {var_dir / 'logs'}", file=sys.stderr)
                return 1
        return 0
    finally:
        print("Stopping ...", flush=True)
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
