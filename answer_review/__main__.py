"""``python -m answer_review [--out FILE]``: every role × topic cell's first reply and its
"Vis flere råd" part, as the widget shows them, in one Markdown file for reading.

The replies come from the real actions and knowledge base, run on trackers built like the
gateway's (the widget shows sources under the reply, so they are listed once per cell here).
Prints one line per cell with its word count, and fails when a first reply is over the limit
or says something no reply may say.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from answer_review.cells import CellReplies, all_cells, problems

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = PROJECT_ROOT / "var" / "answers.md"


def markdown(cells: list[CellReplies]) -> str:
    lines = [
        "# Akan-veilederen: every first reply, by role and topic",
        "",
        "Written by `make answers` from the knowledge base and the actions. Each cell: the first reply",
        "(as the widget shows it), the sources listed under it, and what «Vis flere råd» adds.",
        "",
    ]
    for cell in cells:
        lines += [f"## {cell.role} × {cell.topic} ({cell.first_words} words)", "", cell.first_text, ""]
        if cell.sources:
            lines += ["*Kilder under svaret:* " + "; ".join(cell.sources), ""]
        if cell.more_text:
            lines += ["**Vis flere råd:**", "", cell.more_text, ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m answer_review", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"Markdown file to write (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    cells = all_cells()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(cells), encoding="utf-8")
    found = 0
    for cell in cells:
        issues = problems(cell)
        found += len(issues)
        print(f"{cell.role:<20} {cell.topic:<18} {cell.first_words:>4} words  {len(cell.ids)} points"
              + (f"  + {len(cell.more_ids)} more" if cell.more_ids else "") + ("  " + "; ".join(issues) if issues else ""))
    print(f"wrote {args.out} ({len(cells)} cells, {found} problems)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
