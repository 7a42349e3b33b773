"""Dedicated crisis detection that does not depend on the intent classifier alone.

Crisis recall must be 100 % on unseen wording, so a reviewed regex lexicon
(`data/lexicon/crisis.yml`) decides first and the intent classifier's `crisis` prediction is a
second chance, vetoed only by a known idiom ("møtene tar livet av meg").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Pattern, Text, Tuple

import yaml

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
CRISIS_KEY = "crisis"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LEXICON_PATH = PROJECT_ROOT / "data" / "lexicon" / "crisis.yml"

_MACRO_REF = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'"})
_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W\d_]+")
MIN_FUZZY_KEYWORD_LENGTH = 7


@dataclass(frozen=True)
class CrisisSignal:
    """What the lexicon says about one text."""

    is_crisis: bool
    category: str | None = None
    idiom: bool = False
    # Whether the text has any word of danger at all (lexicon `risk_words`);
    # without one, a classifier-only crisis is not trusted.
    risk_words: bool = True


@dataclass(frozen=True)
class CrisisLexicon:
    """Compiled lexicon: one alternation per category, in file order."""

    categories: Tuple[Tuple[str, Pattern[str], Optional[Pattern[str]]], ...]
    idioms: Optional[Pattern[str]]
    pattern_count: int
    fuzzy_keywords: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    risk_words: Optional[Pattern[str]] = None


def normalise(text: str) -> str:
    """Bring text to the form the lexicon patterns are written against."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = text.translate(_APOSTROPHES)
    return _WHITESPACE.sub(" ", text).strip()


def _expand(pattern: str, macros: Dict[str, str], where: str, depth: int = 0) -> str:
    if depth > 5:
        raise ValueError(f"crisis lexicon: macros nested too deeply in {where}")

    def replace(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name not in macros:
            raise ValueError(f"crisis lexicon: unknown macro {{{name}}} in {where}")
        return "(?:" + _expand(macros[name], macros, where, depth + 1) + ")"

    return _MACRO_REF.sub(replace, pattern)


def _compile(patterns: List[str], macros: Dict[str, str], where: str) -> Pattern[str]:
    parts = []
    for index, raw in enumerate(patterns):
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(f"crisis lexicon: empty pattern #{index} in {where}")
        expanded = _expand(raw, macros, f"{where} #{index}")
        try:
            re.compile(expanded)
        except re.error as error:
            raise ValueError(
                f"crisis lexicon: bad regex #{index} in {where}: {error}"
            ) from error
        parts.append(f"(?:{expanded})")
    return re.compile("|".join(parts))


def load_crisis_lexicon(path: str | Path | None = None) -> CrisisLexicon:
    """Read and compile the lexicon once; fail loudly on any broken entry."""
    lexicon_path = _resolve_path(path)
    with open(lexicon_path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}

    macros = {}
    for name, value in (data.get("macros") or {}).items():
        alternatives = value if isinstance(value, list) else [value]
        macros[str(name)] = "|".join(str(item).strip() for item in alternatives)

    categories = []
    count = 0
    for name, spec in (data.get("categories") or {}).items():
        patterns = (spec or {}).get("patterns") or []
        if not patterns:
            raise ValueError(f"crisis lexicon: category {name} has no patterns")
        skip = (spec or {}).get("skip_sentences") or []
        skip_pattern = _compile(skip, macros, f"{name} skip_sentences") if skip else None
        categories.append((str(name), _compile(patterns, macros, str(name)), skip_pattern))
        count += len(patterns)
    if not categories:
        raise ValueError(f"crisis lexicon: no categories in {lexicon_path}")

    idiom_patterns = data.get("idioms") or []
    idioms = _compile(idiom_patterns, macros, "idioms") if idiom_patterns else None
    fuzzy = _fuzzy_keywords(data.get("fuzzy_keywords") or {})
    risk_patterns = data.get("risk_words") or []
    risk_words = _compile(risk_patterns, macros, "risk_words") if risk_patterns else None
    return CrisisLexicon(tuple(categories), idioms, count, fuzzy, risk_words)


def _fuzzy_keywords(raw: Dict[str, Any]) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    result = []
    for category, words in raw.items():
        normalised = tuple(normalise(str(word)) for word in words or [])
        short = [word for word in normalised if len(word) < MIN_FUZZY_KEYWORD_LENGTH]
        if short:
            raise ValueError(f"crisis lexicon: fuzzy keywords too short: {short}")
        result.append((str(category), normalised))
    return tuple(result)


def _resolve_path(path: str | Path | None) -> Path:
    if path is None:
        return DEFAULT_LEXICON_PATH
    candidate = Path(path)
    if candidate.is_absolute() or candidate.exists():
        return candidate
    return PROJECT_ROOT / candidate


def detect_crisis(text: str, lexicon: CrisisLexicon) -> CrisisSignal:
    """Crisis patterns first; an idiom only counts when none of them matched."""
    normalised = normalise(text)
    if not normalised:
        return CrisisSignal(is_crisis=False)
    sentences = _SENTENCE_END.split(normalised)
    for category, pattern, skip in lexicon.categories:
        if skip is None:
            found = pattern.search(normalised) is not None
        else:
            found = any(pattern.search(s) for s in sentences if not skip.search(s))
        if found:
            return CrisisSignal(is_crisis=True, category=category)
    category = _fuzzy_category(normalised, lexicon.fuzzy_keywords)
    if category is not None:
        return CrisisSignal(is_crisis=True, category=category)
    idiom = bool(lexicon.idioms and lexicon.idioms.search(normalised))
    risk = lexicon.risk_words is None or lexicon.risk_words.search(normalised) is not None
    return CrisisSignal(is_crisis=False, idiom=idiom, risk_words=risk)


def _fuzzy_category(
    normalised: str, keywords: Tuple[Tuple[str, Tuple[str, ...]], ...]
) -> Optional[str]:
    """A word starting with a key word give or take one typo ("selvmodrstanker")."""
    if not keywords:
        return None
    words = set(_WORD.findall(normalised))
    for category, candidates in keywords:
        for keyword in candidates:
            size = len(keyword)
            for word in words:
                # a wrong first letter is rare and checking it is what costs
                # time; a correct spelling is the regexes' business
                if word[0] != keyword[0] or len(word) < size - 1:
                    continue
                if word.startswith(keyword):
                    continue
                for length in (size - 1, size, size + 1):
                    if length <= len(word) and _within_one_edit(word[:length], keyword):
                        return category
    return None


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1 (one swap, insert, delete or change)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    for i in range(len(longer)):
        if longer[:i] + longer[i + 1 :] == shorter:
            return True
    return False


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisDetector(GraphComponent, IntentClassifier):
    """Overrides the intent with `crisis` when the lexicon or the intent classifier sees one.

    Place it after the intent classifier and FallbackClassifier so that neither can
    overwrite its decision.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Lexicon location and how much the classifier must trust `crisis` under fallback."""
        return {
            # None: <project root>/data/lexicon/crisis.yml; relative paths are
            # tried against the working directory, then the project root.
            "lexicon_path": None,
            # when FallbackClassifier put nlu_fallback on top, the classifier's crisis
            # still wins if it is the best real intent with this confidence
            "fallback_crisis_threshold": 0.35,
        }

    def __init__(self, config: Dict[Text, Any], lexicon: CrisisLexicon) -> None:
        """Keeps the config and the already compiled lexicon."""
        self.component_config = config
        self.lexicon = lexicon

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisDetector:
        """Compiles the lexicon once per model load."""
        lexicon = load_crisis_lexicon(config.get("lexicon_path"))
        logger.debug("crisis_detector.lexicon_loaded patterns=%d", lexicon.pattern_count)
        return cls(config, lexicon)

    def process(self, messages: List[Message]) -> List[Message]:
        """Sets intent `crisis` (and `message.data["crisis"]`) where warranted."""
        for message in messages:
            self._process_message(message)
        return messages

    def _process_message(self, message: Message) -> None:
        signal = detect_crisis(message.get(TEXT) or "", self.lexicon)
        ranking = list(message.get(INTENT_RANKING_KEY) or [])

        if signal.is_crisis:
            self._set_crisis(message, ranking, 1.0, signal.category, "lexicon")
            return

        classifier_confidence = self._classifier_crisis_confidence(message, ranking)
        if classifier_confidence is None:
            return
        if signal.idiom or not signal.risk_words:
            # The classifier can be sure and wrong ("kan jeg avskjedige noen som har drukket?"):
            # without a single word of danger, or with only an idiom, it is not a crisis.
            self._downgrade(message, ranking)
            return
        self._set_crisis(message, ranking, classifier_confidence, None, "classifier")

    def _classifier_crisis_confidence(
        self, message: Message, ranking: List[Dict[Text, Any]]
    ) -> Optional[float]:
        """The classifier's crisis confidence if it ranks crisis first, or high enough anywhere.

        A miss costs far more than a false alarm, so crisis need not win the
        ranking: a confidence at or above `fallback_crisis_threshold` is enough.
        """
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) == CRISIS_INTENT:
            return float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
        threshold = self.component_config.get("fallback_crisis_threshold", 0.35)
        for entry in ranking:
            if entry.get(INTENT_NAME_KEY) == CRISIS_INTENT:
                confidence = float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
                return confidence if confidence >= threshold else None
        return None

    @staticmethod
    def _set_crisis(
        message: Message,
        ranking: List[Dict[Text, Any]],
        confidence: float,
        category: Optional[str],
        source: str,
    ) -> None:
        crisis = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: confidence}
        rest = [e for e in ranking if e.get(INTENT_NAME_KEY) != CRISIS_INTENT]
        message.set(INTENT, dict(crisis), add_to_output=True)
        message.set(INTENT_RANKING_KEY, [dict(crisis)] + rest, add_to_output=True)
        message.set(
            CRISIS_KEY, {"category": category, "source": source}, add_to_output=True
        )
        logger.info("crisis_detector.crisis category=%s source=%s", category, source)

    @staticmethod
    def _downgrade(message: Message, ranking: List[Dict[Text, Any]]) -> None:
        """An idiom and no crisis pattern: take the classifier's best non-crisis intent."""
        skip = {CRISIS_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME}
        best = next((e for e in ranking if e.get(INTENT_NAME_KEY) not in skip), None)
        if best is None:
            best = {
                INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                PREDICTED_CONFIDENCE_KEY: 1.0,
            }
        rest = [
            e
            for e in ranking
            if e.get(INTENT_NAME_KEY) not in (CRISIS_INTENT, best[INTENT_NAME_KEY])
        ]
        message.set(INTENT, dict(best), add_to_output=True)
        message.set(INTENT_RANKING_KEY, [dict(best)] + rest, add_to_output=True)
        logger.info(
            "crisis_detector.idiom_downgrade intent=%s", best[INTENT_NAME_KEY]
        )
