"""How well the scrubber does on the labelled privacy cases, and how fast it is.

    python -m bot.scrubber_report [--cases PATH] [--show-misses]

Prints, over tests/gateway/privacy_cases.yml (and, figures only, the blind-written
tests/gateway/privacy_blind.yml):
- recall and precision at token level: the text is cut into tokens (runs of letters and
  digits); a token is personal when a labelled detail covers any of it, and scrubbed when
  a detail the scrubber found covers any of it. Recall = personal tokens scrubbed / all
  personal tokens; precision = scrubbed tokens that are personal / all scrubbed tokens.
  Per kind too (a missed token counts for the kind it was labelled, a wrongly scrubbed
  one for the kind the scrubber gave it);
- how many cases come out exactly as labelled;
- the time to scrub 2,000 characters of chat text made of the cases (targets: recall
  >= 98 %, precision >= 95 %, <= 5 ms per 2,000 characters), and of a stress text made
  only of the cases with numbers (every phone-like run goes through libphonenumber).

The cases are made-up test text, so --show-misses may print them; the report never
reads user messages. Exits 1 when a target is missed, so it can gate a build.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.scrubber import PLACEHOLDERS, Detail, find_personal_details, scrub

CASES = Path(__file__).resolve().parents[1] / "tests" / "gateway" / "privacy_cases.yml"
# Written blind by someone who never saw the scrubber, its rules or the cases above; figures
# only: never read for a rule (a rule chosen by it would make its figures one more design score).
BLIND_CASES = CASES.with_name("privacy_blind.yml")
KINDS = tuple(PLACEHOLDERS)
RECALL_TARGET, PRECISION_TARGET, MS_TARGET = 0.98, 0.95, 5.0
_TOKEN_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Case:
    group: str
    number: int
    text: str
    labels: dict[str, list[str]]
    known_miss: str | None = None  # why the scrubber is expected to get this case wrong

    @property
    def id(self) -> str:
        return f"{self.group}-{self.number:03d}"

    def gold(self) -> list[Detail]:
        """Every occurrence of every labelled substring."""
        found = []
        for kind, strings in self.labels.items():
            for string in strings:
                found.extend(Detail(m.start(), m.end(), kind) for m in re.finditer(re.escape(string), self.text))
        return sorted(found, key=lambda d: d.start)

    def expected(self) -> str:
        """The text as the scrubber should leave it."""
        out, pos = [], 0
        for detail in self.gold():
            out += [self.text[pos : detail.start], PLACEHOLDERS[detail.kind]]
            pos = detail.end
        return "".join(out) + self.text[pos:]


def load_cases(path: Path = CASES) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for group, entries in data.items():
        for number, entry in enumerate(entries, 1):
            labels = {kind: [str(s) for s in entry.get(kind) or []] for kind in KINDS if entry.get(kind)}
            cases.append(Case(group, number, str(entry["text"]), labels, entry.get("known_miss")))
    return cases


def _covering_kind(start: int, end: int, details: list[Detail]) -> str | None:
    for detail in details:
        if detail.start < end and start < detail.end:
            return detail.kind
    return None


@dataclass
class Score:
    true_positives: Counter
    false_positives: Counter
    false_negatives: Counter
    exact: int
    cases: int
    misses: list[tuple[str, str, str]]  # (case id, scrubbed, expected)
    known_misses: int

    def recall(self, kind: str | None = None) -> float:
        tp = self.true_positives[kind] if kind else sum(self.true_positives.values())
        fn = self.false_negatives[kind] if kind else sum(self.false_negatives.values())
        return tp / (tp + fn) if tp + fn else 1.0

    def precision(self, kind: str | None = None) -> float:
        tp = self.true_positives[kind] if kind else sum(self.true_positives.values())
        fp = self.false_positives[kind] if kind else sum(self.false_positives.values())
        return tp / (tp + fp) if tp + fp else 1.0


def score(cases: list[Case]) -> Score:
    tp, fp, fn = Counter(), Counter(), Counter()
    exact, misses = 0, []
    for case in cases:
        gold, found = case.gold(), find_personal_details(case.text)
        for token in _TOKEN_RE.finditer(case.text):
            truth = _covering_kind(token.start(), token.end(), gold)
            guess = _covering_kind(token.start(), token.end(), found)
            if truth and guess:
                tp[truth] += 1
            elif truth:
                fn[truth] += 1
            elif guess:
                fp[guess] += 1
        scrubbed, expected = scrub(case.text), case.expected()
        if scrubbed == expected:
            exact += 1
        else:
            misses.append((case.id, scrubbed, expected))
    return Score(tp, fp, fn, exact, len(cases), misses, sum(1 for c in cases if c.known_miss))


def chat_text(cases: list[Case], size: int = 2000) -> str:
    """About `size` characters of chat: the cases' texts one after another, taking one
    from each group in turn, so names, numbers, addresses and plain text all come in."""
    groups: dict[str, list[str]] = {}
    for case in cases:
        groups.setdefault(case.group, []).append(case.text)
    parts = [texts[i] for i in range(max(map(len, groups.values()))) for texts in groups.values() if i < len(texts)]
    text = ""
    while len(text) < size:
        text += " ".join(parts) + " "
    return text[:size]


def ms_per_text(text: str, repeat: int = 200) -> float:
    """The median processor time in milliseconds to scrub `text` once (processor time, not
    wall-clock time, so other work on the machine does not count)."""
    scrub(text)  # warm up: compiled patterns, phone metadata
    times = []
    for _ in range(repeat):
        started = time.process_time()
        scrub(text)
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def print_report(path: Path, show_misses: bool) -> bool:
    """Print one corpus's figures; whether its targets are met."""
    cases = load_cases(path)
    result = score(cases)
    print(f"{len(cases)} labelled cases in {path.name}; token level (a token is a run of letters or digits)")
    print(f"  {'kind':<10} {'recall':>8} {'precision':>10}  tokens (personal / scrubbed wrongly / missed)")
    for kind in KINDS:
        personal = result.true_positives[kind] + result.false_negatives[kind]
        print(
            f"  {kind:<10} {result.recall(kind):>8.1%} {result.precision(kind):>10.1%}  "
            f"{personal} / {result.false_positives[kind]} / {result.false_negatives[kind]}"
        )
    recall, precision = result.recall(), result.precision()
    print(f"  {'all':<10} {recall:>8.1%} {precision:>10.1%}")
    print(
        f"cases scrubbed exactly as labelled: {result.exact} of {result.cases} "
        f"({result.known_misses} marked known_miss in the corpus, each with its reason)"
    )

    # Chat text of 2,000 characters (the target), and as a stress test the same length made
    # only of the cases with phone numbers: some 70 of them, each of which goes through
    # libphonenumber's matcher. Each figure is the median of 200 runs.
    mixed = chat_text(cases)
    phones = chat_text([c for c in cases if "phone" in c.labels])
    ms_mixed, ms_phones = ms_per_text(mixed), ms_per_text(phones)
    print(f"time per 2,000 characters: {ms_mixed:.2f} ms (chat text; target <= {MS_TARGET:g} ms)")
    print(f"  stress test, 2,000 characters of the phone-number cases only: {ms_phones:.2f} ms")

    if show_misses:
        for case_id, scrubbed, expected in result.misses:
            print(f"\n{case_id}\n  got:      {scrubbed!r}\n  expected: {expected!r}")

    met = recall >= RECALL_TARGET and precision >= PRECISION_TARGET and ms_mixed <= MS_TARGET
    print(
        f"targets (recall >= {RECALL_TARGET:.0%}, precision >= {PRECISION_TARGET:.0%}, "
        f"<= {MS_TARGET:g} ms per 2,000 characters of chat): " + ("met" if met else "NOT met")
    )
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Recall, precision and speed of bot/scrubber.py on the labelled cases.")
    parser.add_argument("--cases", type=Path, default=CASES, help=f"labelled cases (default {CASES})")
    parser.add_argument("--show-misses", action="store_true", help="print the design corpus's cases not scrubbed exactly as labelled")
    args = parser.parse_args(argv)

    met = print_report(args.cases, args.show_misses)
    if args.cases == CASES and BLIND_CASES.exists():
        print("\n== held out: written blind, figures only (its misses are never shown)")
        print_report(BLIND_CASES, show_misses=False)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
