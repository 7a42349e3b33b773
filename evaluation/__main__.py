"""``python -m evaluation``: score the Rasa model and the baseline on the dev set, side by side.

It is a report: exit 0 even when targets fail; non-zero only when Rasa cannot be
reached (exit 1) or the input is invalid (exit 2).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Optional, Sequence

import psutil

from evaluation import PROJECT_ROOT
from evaluation.baseline import Baseline, TrainingDataError, read_labelled, training_examples
from evaluation.budgets import report as budgets_report
from evaluation.dev_set import DevItem, DevSetError, load_dev_set, verbatim_in
from evaluation.learning import CrossValidationRun
from evaluation.scoring import TARGETS, Metric, Prediction, prediction_from_parse, score, verdicts

logger = logging.getLogger("evaluation")

EXIT_RASA_UNREACHABLE = 1
EXIT_INVALID_INPUT = 2
CONCURRENCY = 4
REQUEST_TIMEOUT_S = 60
SYSTEMS = (("rasa", "Rasa model"), ("baseline", "baseline"))


class RasaError(RuntimeError):
    """Rasa could not be asked (not running, no API, wrong token, no model)."""


# --- Rasa HTTP API -----------------------------------------------------------------


async def _parse_all(url: str, token: Optional[str], texts: Sequence[str]) -> tuple[Optional[str], list[dict]]:
    """Ask ``/model/parse`` for every text, a few at a time; also report which model answered."""
    import aiohttp  # Installed with Rasa; imported late so --no-rasa does not need it.

    # In a header: Rasa (rasa_runtime/fixes/api_token_header.py) refuses a token in the URL.
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    semaphore = asyncio.Semaphore(CONCURRENCY)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)

    async def check(response: "aiohttp.ClientResponse", what: str) -> Any:
        if response.status in (401, 403):
            raise RasaError(f"Rasa refused {what} (HTTP {response.status}): set RASA_TOKEN to the server's token")
        if response.status != 200:
            body = (await response.text())[:300]
            raise RasaError(f"Rasa answered {what} with HTTP {response.status}: {body}")
        return await response.json(content_type=None)

    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def parse(text: str) -> dict:
            async with semaphore:
                async with session.post(f"{url}/model/parse", json={"text": text}, headers=headers) as resp:
                    result = await check(resp, "/model/parse")
            if not isinstance(result, dict):
                raise RasaError("Rasa's /model/parse did not return a JSON object")
            return result

        try:
            async with session.get(f"{url}/status", headers=headers) as resp:
                status = await check(resp, "/status")
            model_file = status.get("model_file") if isinstance(status, dict) else None
            results = await asyncio.gather(*(parse(t) for t in texts))
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise RasaError(
                f"cannot reach Rasa at {url} ({exc.__class__.__name__}: {exc}). Start it with "
                "`rasa run --enable-api`, set --rasa-url / RASA_URL, or use --no-rasa"
            ) from exc
    return model_file, list(results)


def wait_for_rasa(url: str, token: Optional[str], seconds: float, pid: Optional[int]) -> None:
    """Wait until Rasa answers /status (it loads while the baseline trains); RasaError if it never does."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(urllib.request.Request(f"{url}/status", headers=headers), timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if pid is not None and not psutil.pid_exists(pid):
            raise RasaError("Rasa stopped while starting; see its log (make eval: var/logs/eval-rasa.log)")
        if time.monotonic() > deadline:
            raise RasaError(f"Rasa did not answer at {url} within {seconds:.0f} s")
        time.sleep(1)


def rasa_predictions(url: str, token: Optional[str], items: Sequence[DevItem]) -> tuple[Optional[str], list[Prediction]]:
    model_file, responses = asyncio.run(_parse_all(url, token, [i.text for i in items]))
    return model_file, [prediction_from_parse(r) for r in responses]


# --- report ------------------------------------------------------------------------


def _cell(metric: Optional[Metric], verdict: str) -> str:
    if metric is None:
        return "not run"
    if metric.value is None:
        return "n/a (no items)"
    return f"{metric.value * 100:5.1f} % ({metric.count}/{metric.total}) {verdict}"


def render(results: dict[str, Optional[dict[str, Metric]]]) -> str:
    """Side-by-side table (metric | Rasa model | baseline | target), then each system's misses."""
    judged = {name: verdicts(m) if m else {} for name, m in results.items()}
    header = ["metric", *(title for _, title in SYSTEMS), "target"]
    rows = [header]
    for key, target in TARGETS.items():
        label = next(m[key].label for m in results.values() if m)
        cells = [_cell(results[name][key] if results[name] else None, judged[name].get(key, "")) for name, _ in SYSTEMS]
        rows.append([label, *cells, target.describe()])
    widths = [max(len(row[c]) for row in rows) for c in range(len(header))]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    for name, title in SYSTEMS:
        human = (results[name] or {}).get("human_recall")
        if human and human.read_as_crisis:
            lines.append(f"{title}: {human.read_as_crisis} of the request_human misses ask for a person in a crisis "
                         "and were read as crisis (one intent cannot be both; a crisis hands over too)")

    for name, title in SYSTEMS:
        metrics = results[name]
        if not metrics:
            continue
        lines += ["", f"Misses — {title}:"]
        any_miss = False
        for metric in metrics.values():
            if not metric.misses:
                continue
            any_miss = True
            lines.append(f"  {metric.label} ({len(metric.misses)}):")
            lines += [f"    {m.text!r}  expected {m.expected}, got {m.got}" for m in metric.misses]
        if not any_miss:
            lines.append("  none")
    return "\n".join(lines)


def figures(
    results: dict[str, Optional[dict[str, Metric]]], dev_set: Path, n_items: int, n_in_training: int
) -> dict[str, Any]:
    """Numbers only: the dev-set texts must not leave the evaluation report."""
    out: dict[str, Any] = {
        "dev_set": str(dev_set),
        "items": n_items,
        "items_in_training_data": n_in_training,
        "targets": {k: {"threshold": t.threshold, "higher_is_better": t.higher_is_better} for k, t in TARGETS.items()},
    }
    for name, _ in SYSTEMS:
        metrics = results[name]
        if metrics is None:
            out[name] = None
            continue
        judged = verdicts(metrics)
        out[name] = {
            k: {"value": m.value, "count": m.count, "total": m.total, "misses": len(m.misses), "verdict": judged[k]}
            for k, m in metrics.items()
        }
    return out


# --- command line ------------------------------------------------------------------


def _default_rasa_url() -> str:
    return os.environ.get("RASA_URL") or f"http://127.0.0.1:{os.environ.get('RASA_PORT') or '5005'}"


def _default_dev_set() -> Path:
    return Path(os.environ.get("EVAL_SET") or PROJECT_ROOT.parent / "shared" / "eval" / "dev.yml")


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("--dev-set", type=Path, default=None, help="one evaluation YAML (env EVAL_SET); default: the dev set and every set in evaluation/sets/")
    parser.add_argument("--misses", action="store_true", help="list each system's misses (never for a sealed set)")
    parser.add_argument("--cv-folds", type=int, default=3, help="grouped cross-validation folds on the training data (0: skip)")
    parser.add_argument("--ablation", action="store_true", help="also cross-validate without each component")
    parser.add_argument("--rasa-url", default=_default_rasa_url(), help="Rasa server with --enable-api (env RASA_URL)")
    parser.add_argument("--no-rasa", action="store_true", help="score the baseline only")
    parser.add_argument("--wait-for-rasa", type=float, default=0, metavar="SECONDS", help="wait this long for Rasa to answer (it may load while the baseline trains)")
    parser.add_argument("--skip-sealed", action="store_true", help="leave the sealed set out (for choosing a fix: the sealed set never guides one)")
    parser.add_argument("--no-budgets", action="store_true", help="skip the parse latency, memory and training-time figures")
    parser.add_argument("--nlu", type=Path, default=PROJECT_ROOT / "data" / "nlu", help="baseline training data")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures (no texts) as JSON")
    return parser.parse_args(argv)


def _sets(args: argparse.Namespace) -> list[Path]:
    if args.dev_set or os.environ.get("EVAL_SET"):
        return [args.dev_set or _default_dev_set()]
    sets = sorted((PROJECT_ROOT / "evaluation" / "sets").glob("*.yml"))
    return [_default_dev_set(), *(p for p in sets if not (args.skip_sealed and _sealed(p)))]


def _rasa_pid() -> Optional[int]:
    """The Rasa process `make eval` started (env RASA_PID), for its memory and to notice it dying."""
    return int(os.environ["RASA_PID"]) if os.environ.get("RASA_PID", "").isdigit() else None


def _sealed(path: Path) -> bool:
    return path.name.startswith("sealed")


def _score_set(args, path: Path, baseline_fit: Future, examples) -> tuple[int, Optional[dict]]:
    """`baseline_fit`: the baseline being trained (Rasa is asked first, while it trains)."""
    try:
        items = load_dev_set(path)
    except DevSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID_INPUT, None
    results: dict[str, Optional[dict[str, Metric]]] = {"rasa": None, "baseline": None}
    model_file = None
    if not args.no_rasa:
        try:
            model_file, rasa_preds = rasa_predictions(args.rasa_url.rstrip("/"), os.environ.get("RASA_TOKEN") or None, items)
        except RasaError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_RASA_UNREACHABLE, None
        results["rasa"] = score(items, rasa_preds)
    results["baseline"] = score(items, baseline_fit.result().predict([i.text for i in items]))
    sealed = _sealed(path)
    print(f"== {path.name} ({len(items)} items){' — SEALED: figures only' if sealed else ''}")
    if not args.no_rasa:
        print(f"Rasa model: {args.rasa_url} ({model_file or 'model file unknown'})")
    leaked = verbatim_in(items, (e.text for e in examples))
    if leaked:
        print(f"Note: {len(leaked)} item(s) also occur in the training data; their scores measure memory.")
    table = render(results)
    if not args.misses or sealed:
        table = table.split("\n\nMisses")[0]
    print(table)
    print()
    return 0, figures(results, path, len(items), len(leaked))


def _score_sets(args: argparse.Namespace, examples, report: dict[str, Any]) -> int:
    """Every set through Rasa and the baseline; 0, or the exit code of the first failure.
    The baseline trains while Rasa loads and answers the first set (liblinear releases the GIL)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        baseline_fit = pool.submit(Baseline, examples)
        if not args.no_rasa and args.wait_for_rasa:
            try:
                wait_for_rasa(args.rasa_url.rstrip("/"), os.environ.get("RASA_TOKEN") or None, args.wait_for_rasa, _rasa_pid())
            except RasaError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return EXIT_RASA_UNREACHABLE
        if args.no_rasa:
            print("Rasa model: not run (--no-rasa)")
        print()
        for path in _sets(args):
            code, result = _score_set(args, path, baseline_fit, examples)
            if code:
                return code
            report["sets"][path.name] = result
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)

    try:
        labelled = read_labelled(args.nlu)  # read once: the baseline and the cross-validation both learn from it
        examples = training_examples(labelled, args.nlu)
    except TrainingDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    print(f"Baseline: TF-IDF + logistic regression on {args.nlu} ({len(examples)} examples)")
    report: dict[str, Any] = {"sets": {}}
    # The cross-validation's folds train in worker processes from the start, while Rasa loads and
    # the sets are scored (its figures print after the sets). The budgets are measured last, when
    # the folds are done, so the parse latency is that of an idle machine.
    with CrossValidationRun(labelled, args.cv_folds, args.ablation) if args.cv_folds else nullcontext() as cross_validation:
        code = _score_sets(args, examples, report)
        if code:
            return code
        if cross_validation is not None:
            report["cross_validation"] = cross_validation.print_figures()
    if not args.no_rasa and not args.no_budgets:
        texts = [item.text for item in load_dev_set(_default_dev_set())]
        train_seconds = Path(os.environ.get("VAR_DIR", PROJECT_ROOT / "var")) / "train-seconds"
        report["budgets"] = budgets_report(args.rasa_url, os.environ.get("RASA_TOKEN"), texts, _rasa_pid(), train_seconds)
    if args.json:
        try:
            single = len(report["sets"]) == 1 and "cross_validation" not in report
            out = next(iter(report["sets"].values())) if single else report
            args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot write {args.json}: {exc}", file=sys.stderr)
            return EXIT_INVALID_INPUT
    return 0


if __name__ == "__main__":
    sys.exit(main())
