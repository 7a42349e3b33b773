"""Understanding evaluation: the trained Rasa model and a TF-IDF baseline on the dev set.

Run with ``python -m evaluation``. The baseline shows how much the Rasa pipeline
adds over a plain bag-of-n-grams classifier trained on the same ``data/nlu``.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

CRISIS_INTENT = "crisis"
HUMAN_INTENT = "request_human"
