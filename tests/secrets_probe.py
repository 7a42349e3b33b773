"""Probes for secrets and private files, shared by the live-stack and production tests:
the command lines of a stack's processes (and their children) as every local user sees
them in /proc, and the permission bits of what a stack wrote under its VAR_DIR."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            return int(handle.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def process_tree(pids: Iterable[int]) -> list[int]:
    """`pids` and every process below them."""
    found = {pid for pid in pids if Path(f"/proc/{pid}").exists()}
    all_pids = [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]
    grew = True
    while grew:
        grew = False
        for pid in all_pids:
            if pid not in found and _parent_of(pid) in found:
                found.add(pid)
                grew = True
    return sorted(found)


def command_lines(pids: Iterable[int]) -> dict[int, str]:
    """/proc/<pid>/cmdline of each process of the trees, arguments joined by spaces."""
    lines = {}
    for pid in process_tree(pids):
        try:
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        lines[pid] = raw.replace(b"\0", b" ").decode(errors="replace")
    return lines


def secrets_on_command_lines(pids: Iterable[int], secrets: dict[str, str]) -> list[str]:
    """"<name> in <pid>: <command>" for every secret found on a command line."""
    return [
        f"{name} in {pid}: {line[:200]}"
        for pid, line in command_lines(pids).items()
        for name, secret in secrets.items()
        if secret and secret in line
    ]


def not_private(root: Path, allowed: dict[Path, int] | None = None) -> list[str]:
    """Files and directories under `root` (itself included) with any group or other
    permission bit, except the bits `allowed` grants a path; sockets and links are skipped."""
    allowed = allowed or {}
    found = []
    for path in [root, *root.rglob("*")]:
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            continue  # removed meanwhile (a running stack)
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            continue
        extra = stat.S_IMODE(mode) & 0o077 & ~allowed.get(path, 0)
        if extra:
            found.append(f"{oct(stat.S_IMODE(mode))} {path}")
    return found
