"""Runtime data only its owner can read: directories 0700, files 0600.

Everything under `$VAR_DIR` (SQLite files, logs, the PostgreSQL cluster, Redis's
directory) holds transcripts or secrets. Each process we start gets `UMASK`
(`subprocess.Popen(..., umask=UMASK)`; the gateway and the Rasa launcher also set it
themselves), and what the starters create here is made private explicitly.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

UMASK = 0o077
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) and make it 0700."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    path.chmod(PRIVATE_DIR)
    return path


def open_private(path: Path, append: bool = True) -> BinaryIO:
    """Open `path` for writing bytes as a 0600 file (an existing one is made 0600 too)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    descriptor = os.open(path, flags, PRIVATE_FILE)
    os.fchmod(descriptor, PRIVATE_FILE)
    return os.fdopen(descriptor, "ab" if append else "wb")
