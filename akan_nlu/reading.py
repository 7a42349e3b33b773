"""What a message says, decided from the learned scores and the small explicit layer.

The one place where the sentence classifiers' probabilities meet the reviewed patterns; the Rasa
components (role/topic extractor, crisis and human-request detectors) and the cross-validation in
`make eval` both decide through these functions, so what is measured is what runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from akan_nlu.sentence_model import NONE, Scores

DEFAULT_CRISIS_THRESHOLD = 0.3
DEFAULT_HUMAN_THRESHOLD = 0.4
DEFAULT_LABEL_THRESHOLD = 0.0
ADVICE_INTENT = "ask_advice"


@dataclass(frozen=True)
class Thresholds:
    """Set in config.yml; how each was chosen is in docs/understanding.md (never by the sealed set)."""

    crisis: float = DEFAULT_CRISIS_THRESHOLD
    human: float = DEFAULT_HUMAN_THRESHOLD
    # A role/topic is given when it is the most probable value, or when the most probable is
    # "none" but it reaches this probability (0 = never: "none" wins when it is the most probable).
    role_over_none: float = 0.2
    topic_over_none: float = 0.2
    # The same for the topic of a request for advice: such a question is almost always about
    # something, so a weaker topic is given rather than asking "what is it about?".
    advice_topic_over_none: float = 0.1
    # A role the writer states ("jeg er lege") gives way when the learned role head names another
    # role with at least this probability: "jeg er lege, men nå er det meg selv det gjelder" is
    # the person themself. Above 1: the stated role always stands.
    learned_over_stated: float = 0.5

    def over_none(self, head: str, intent: Optional[str] = None) -> float:
        """The "over none" threshold of a label head for a message with this intent (substance: never)."""
        if head == "role":
            return self.role_over_none
        if head == "topic":
            return self.advice_topic_over_none if intent == ADVICE_INTENT else self.topic_over_none
        return DEFAULT_LABEL_THRESHOLD


def best_label(scores: Scores, head: str, over_none: float = 0.0) -> tuple[Optional[str], float]:
    """The value to give for a label head and its probability (None: nothing shown)."""
    ranked = sorted(scores.labels[head].items(), key=lambda kv: kv[1], reverse=True)
    value, probability = ranked[0]
    if value != NONE:
        return value, probability
    runner_up = next(((v, p) for v, p in ranked[1:] if v != NONE), None)
    if runner_up and over_none and runner_up[1] >= over_none:
        return runner_up
    return None, probability


def flag(pattern_hit: bool, probability: Optional[float], threshold: float) -> tuple[bool, str]:
    """A yes/no reading and what made it: "pattern", "classifier" or "none"."""
    if pattern_hit:
        return True, "pattern"
    if probability is not None and probability >= threshold:
        return True, "classifier"
    return False, "none"


def main_role(scores: Scores, stated_role: Optional[str], thresholds: Thresholds) -> tuple[Optional[str], float, bool]:
    """The message's main role, its probability, and whether the writer stated one.

    A stated role comes first unless the learned head is sure of another; either way a message
    with a statement is a statement about the writer (`stated` True), so it may replace a role
    carried over in the conversation (actions/conversation.py).
    """
    learned, probability = best_label(scores, "role", thresholds.over_none("role"))
    if stated_role is None:
        return learned, probability, False
    if learned and learned != stated_role and probability >= thresholds.learned_over_stated:
        return learned, probability, True
    return stated_role, 1.0, True


def human_flag(pattern_hit: bool, own_life: bool, probability: Optional[float], threshold: float) -> tuple[bool, str]:
    """A request for a person: a pattern hit always; the classifier's reading unless the message is
    a short question about talking to someone in the person's own life ("kan jeg snakke med HR?")."""
    if not pattern_hit and own_life:
        return False, "own life"
    return flag(pattern_hit, probability, threshold)


@dataclass(frozen=True)
class Reading:
    """The contract's view of one message (what /model/parse reports, without the intent classifier)."""

    role: Optional[str]
    topic: Optional[str]
    crisis: bool
    human: bool


def read(
    scores: Scores, stated_role: Optional[str], crisis_pattern: bool, human_pattern: bool, thresholds: Thresholds,
    intent: Optional[str] = None, human_own_life: bool = False,
) -> Reading:
    """Combine as the Rasa components do: stated role first unless the learned head is sure of
    another; crisis outranks a human request.
    `intent` is the message's intent as the intent classifier gave it (it sets the topic's threshold);
    `human_own_life`: the message is a short question about talking to someone in the writer's life."""
    role = main_role(scores, stated_role, thresholds)[0]
    topic = best_label(scores, "topic", thresholds.over_none("topic", intent))[0]
    crisis, _ = flag(crisis_pattern, scores.flags.get("crisis"), thresholds.crisis)
    human, _ = human_flag(human_pattern, human_own_life, scores.flags.get("human"), thresholds.human)
    return Reading(role=role, topic=topic, crisis=crisis, human=human and not crisis)
