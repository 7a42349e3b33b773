"""Turn predictions into the contract's figures and judge them against the SPEC targets.

Kept free of I/O so the arithmetic can be tested on hand-made predictions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

from evaluation import CRISIS_INTENT, HUMAN_INTENT
from evaluation.dev_set import DevItem

NOTHING = "(none)"


@dataclass(frozen=True)
class Prediction:
    """What a system said about one message, reduced to what the contract scores."""

    intent: Optional[str]
    role: Optional[str]
    topic: Optional[str]

    @property
    def crisis(self) -> bool:
        return self.intent == CRISIS_INTENT

    @property
    def human(self) -> bool:
        return self.intent == HUMAN_INTENT


def _first_value(entities: Sequence[Any], name: str) -> Optional[str]:
    """The contract says the first listed entity of a kind is the main one."""
    for entity in entities:
        if isinstance(entity, dict) and entity.get("entity") == name:
            value = entity.get("value")
            return None if value is None else str(value)
    return None


def prediction_from_parse(response: dict[str, Any]) -> Prediction:
    """Read a ``POST /model/parse`` response the way the contract defines it."""
    intent = response.get("intent") or {}
    entities = response.get("entities") or []
    return Prediction(
        intent=intent.get("name") if isinstance(intent, dict) else None,
        role=_first_value(entities, "role"),
        topic=_first_value(entities, "topic"),
    )


@dataclass(frozen=True)
class Miss:
    text: str
    expected: str
    got: str


@dataclass
class Metric:
    """``count`` of ``total`` items (hits for accuracy/recall, alarms for the false-alarm rate)."""

    key: str
    label: str
    count: int = 0
    total: int = 0
    misses: list[Miss] = field(default_factory=list)
    # Misses that are crises asking for a person, read as crisis: one intent cannot say both, and a
    # crisis hands the conversation over too. Still counted as misses; reported beside the figure.
    read_as_crisis: int = 0

    @property
    def value(self) -> Optional[float]:
        return self.count / self.total if self.total else None


@dataclass(frozen=True)
class Target:
    key: str
    threshold: float
    higher_is_better: bool = True

    def describe(self) -> str:
        if self.higher_is_better and self.threshold >= 1.0:
            return "100 %"
        return f"{'≥' if self.higher_is_better else '≤'} {self.threshold * 100:g} %"

    def verdict(self, value: Optional[float]) -> str:
        if value is None:
            return "n/a"
        # Round away float noise so exactly-on-target (e.g. 19/20 = 95 %) passes.
        value = round(value, 9)
        ok = value >= self.threshold if self.higher_is_better else value <= self.threshold
        return "PASS" if ok else "FAIL"


TARGETS: dict[str, Target] = {
    t.key: t
    for t in (
        Target("role_accuracy", 0.95),
        Target("topic_accuracy", 0.90),
        Target("crisis_recall", 1.0),
        Target("crisis_false_alarm_rate", 0.03, higher_is_better=False),
        Target("human_recall", 0.95),
    )
}


def _show(value: Optional[str]) -> str:
    return NOTHING if value is None else value


def _label_metric(
    key: str,
    label: str,
    items: Sequence[DevItem],
    predictions: Sequence[Prediction],
    expected_of: Callable[[DevItem], Optional[tuple[str, ...]]],
    got_of: Callable[[Prediction], Optional[str]],
) -> Metric:
    metric = Metric(key, label)
    for item, pred in zip(items, predictions):
        accepted = expected_of(item)
        if accepted is None:
            continue
        metric.total += 1
        got = got_of(pred)
        if got in accepted:
            metric.count += 1
        else:
            metric.misses.append(Miss(item.text, "|".join(accepted), _show(got)))
    return metric


def score(items: Sequence[DevItem], predictions: Sequence[Prediction]) -> dict[str, Metric]:
    """All five contract figures, with the misses behind each."""
    if len(items) != len(predictions):
        raise ValueError(f"{len(items)} items but {len(predictions)} predictions")
    role = _label_metric(
        "role_accuracy", "role accuracy", items, predictions, lambda i: i.role, lambda p: p.role
    )
    topic = _label_metric(
        "topic_accuracy", "topic accuracy", items, predictions, lambda i: i.topic, lambda p: p.topic
    )
    recall = Metric("crisis_recall", "crisis recall")
    alarms = Metric("crisis_false_alarm_rate", "crisis false alarms")
    human = Metric("human_recall", "request_human recall")
    for item, pred in zip(items, predictions):
        if item.crisis:
            recall.total += 1
            if pred.crisis:
                recall.count += 1
            else:
                recall.misses.append(Miss(item.text, CRISIS_INTENT, _show(pred.intent)))
        else:
            alarms.total += 1
            if pred.crisis:
                alarms.count += 1
                alarms.misses.append(Miss(item.text, "not crisis", CRISIS_INTENT))
        if item.human:
            human.total += 1
            if pred.human:
                human.count += 1
            else:
                human.misses.append(Miss(item.text, HUMAN_INTENT, _show(pred.intent)))
                human.read_as_crisis += item.crisis and pred.crisis
    return {m.key: m for m in (role, topic, recall, alarms, human)}


def verdicts(metrics: dict[str, Metric]) -> dict[str, str]:
    """PASS / FAIL / n/a for each target."""
    return {key: target.verdict(metrics[key].value) for key, target in TARGETS.items()}
