"""The production profile as real processes, once per session: PostgreSQL and Redis
from Debian's packages on 127.0.0.1, two Rasa replicas with the trained model,
the action server and the gateway (services/production.py, as `make run-prod`)."""
from __future__ import annotations

import glob
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from services.production import MODEL, PROJECT_ROOT, StackError, StackPorts, start_production_stack
from tests.skips import missing

# Tests send faster than people; the limits themselves are unit-tested.
FAST_CLIENT_ENV = {
    "RATE_LIMIT_CONVERSATION_BURST": "1000",
    "RATE_LIMIT_CONVERSATION_PER_MINUTE": "100000",
    "RATE_LIMIT_CLIENT_BURST": "100000",
    "RATE_LIMIT_CLIENT_PER_MINUTE": "100000",
    "LOG_LEVEL": "INFO",
}


@pytest.fixture(scope="session")
def production_stack():
    if not MODEL.exists():
        missing("production", f"no trained model at {MODEL.relative_to(PROJECT_ROOT)}: run `make train` (make test does)")
    if not glob.glob("/usr/lib/postgresql/*/bin/postgres") or not shutil.which("redis-server"):
        missing("production", "PostgreSQL and Redis servers are needed: apt-get install postgresql redis-server (.ci/run does)")
    # Under /tmp, not pytest's tmp_path: the postgres user must be able to reach the cluster directory.
    var_dir = Path(tempfile.mkdtemp(prefix="akan-production-"))
    var_dir.chmod(0o755)
    try:
        stack = start_production_stack(var_dir, replicas=2, ports=StackPorts.free(2), extra_env=FAST_CLIENT_ENV)
    except StackError as exc:
        shutil.rmtree(var_dir, ignore_errors=True)
        pytest.fail(str(exc))
    try:
        yield stack
    finally:
        stack.stop()
        keep = PROJECT_ROOT / os.environ.get("VAR_DIR", "var") / "test-output" / "production-logs"
        shutil.rmtree(keep, ignore_errors=True)
        shutil.copytree(var_dir / "logs", keep, ignore_dangling_symlinks=True)
        shutil.rmtree(var_dir, ignore_errors=True)
