"""`python -m bench [--profile default|production|both] [--quick] [--json FILE]`

Starts each profile's stack, runs the load shapes against Rasa directly and through
the gateway, prints a results table with the targets next to it. Exit status 0 when
every run completed (targets missed are reported, not failed: numbers on a shared
machine are noisy); 1 when a stack could not start or a target was missed with --strict.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import psutil

from bench.profiles import PROFILES, running_stack
from bench.report import render, targets
from bench.scenario import FULL, QUICK, run_plan


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[1])
    parser.add_argument("--profile", choices=[*PROFILES, "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="a short smoke run (seconds per shape, 30-turn conversation)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE ('-' for stdout)")
    parser.add_argument("--replicas", type=int, default=int(os.environ.get("RASA_REPLICAS", "") or 2),
                        help="Rasa replicas in the production profile (default RASA_REPLICAS or 2)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def _clean(value):
    """JSON has no NaN: write null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    plan = QUICK if args.quick else FULL
    profiles = list(PROFILES) if args.profile == "both" else [args.profile]
    var_root = Path(os.environ.get("VAR_DIR", "var")).resolve() / "bench"
    report: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30),
                    "python": platform.python_version()},
        "quick": args.quick,
        "profiles": {},
    }
    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json == "-" else (lambda *a: print(*a, flush=True))
    failed = False
    for profile in profiles:
        log(f"Starting the {profile} profile (data and logs in {var_root / profile}) ...")
        try:
            with running_stack(profile, var_root / profile, replicas=args.replicas) as stack:
                log(f"  ready: gateway {stack.gateway_url}, Rasa {', '.join(stack.rasa_urls)}")
                result = asyncio.run(run_plan(stack.gateway_url, stack.rasa_urls, stack.rasa_token, stack.pids(), plan, log=log))
        except Exception as exc:  # a stack that does not start is the one thing we report and fail on
            log(f"  the {profile} profile could not be measured: {exc}")
            report["profiles"][profile] = {"error": str(exc)}
            failed = True
            continue
        result["targets"] = targets(result)
        report["profiles"][profile] = result
        log("")
        log(render(profile, result))
        log("")
        if args.strict and not all(row["met"] for row in result["targets"]):
            failed = True
    if args.json:
        text = json.dumps(_clean(report), indent=2, ensure_ascii=False)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
