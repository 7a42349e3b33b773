"""Random conversations as Rasa trackers, for comparing the fixes in
`rasa_runtime.fixes` with Rasa's own functions."""
from __future__ import annotations

import random
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# A domain whose slots shape the states (the project's own slots do not), next to the real one.
FEATURIZED_DOMAIN = """
version: "3.1"
intents: [greet, ask_advice, affirm, deny, crisis]
entities: [role, topic]
slots:
  role:
    type: categorical
    values: [leder, kollega, selv]
    influence_conversation: true
    mappings: [{type: from_entity, entity: role}]
  topic:
    type: text
    influence_conversation: true
    mappings: [{type: from_entity, entity: topic}]
  answered:
    type: bool
    influence_conversation: true
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: "Hei"}]
  utter_ok: [{text: "Ok"}]
actions: [action_answer_advice, action_crisis, action_greet]
"""


def domains() -> list[Domain]:
    return [Domain.from_yaml(FEATURIZED_DOMAIN), Domain.load(str(PROJECT_ROOT / "domain.yml"))]


def user_message(rng: random.Random, domain: Domain) -> UserUttered:
    entities = []
    if rng.random() < 0.4:
        entities.append({"entity": "role", "value": rng.choice(["leder", "kollega", "selv"]), "start": 0, "end": 3})
    if rng.random() < 0.3:
        entities.append({"entity": "topic", "value": rng.choice(["hjemmekontor", "policy"]), "start": 4, "end": 8})
    intent = rng.choice(domain.intents)
    return UserUttered(f"melding {rng.random()}", {"name": intent, "confidence": rng.random()}, entities)


def next_events(rng: random.Random, domain: Domain, rewrites: bool) -> list:
    """What a turn of a conversation can add, now and then rewriting history."""
    roll = rng.random()
    actions = [a for a in domain.action_names_or_texts if a.startswith(("action_", "utter_"))]
    if rewrites and roll < 0.03:
        return [UserUtteranceReverted()]
    if rewrites and roll < 0.05:
        return [ActionReverted()]
    if rewrites and roll < 0.06:
        return [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    if rewrites and roll < 0.07:
        return [Restarted(), ActionExecuted("action_listen")]
    if rewrites and roll < 0.08:
        return [ActiveLoop("some_form" if rng.random() < 0.5 else None)]
    if roll < 0.12:
        return [FollowupAction(rng.choice(actions))]
    if roll < 0.2:
        return [SlotSet(rng.choice(["role", "topic", "answered"]), rng.choice([None, "leder", "kollega", True]))]
    if roll < 0.5:
        return [ActionExecuted(rng.choice(actions), hide_rule_turn=rng.random() < 0.3), BotUttered("svar")]
    return [ActionExecuted("action_listen"), user_message(rng, domain)]


def new_tracker(domain: Domain) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("c", [ActionExecuted("action_session_start"), SessionStarted()], domain.slots)


def conversations_turn_by_turn(seed: int, rewrites: bool, turns: int):
    """Each domain's random conversation, yielded as (domain, tracker) after every turn."""
    for domain in domains():
        rng = random.Random(seed)
        tracker = new_tracker(domain)
        for _ in range(turns):
            for event in next_events(rng, domain, rewrites):
                tracker.update(event, domain)
            yield domain, tracker


def random_conversation(domain: Domain, seed: int, turns: int, rewrites: bool = False) -> DialogueStateTracker:
    """A tracker after `turns` random turns."""
    rng = random.Random(seed)
    tracker = new_tracker(domain)
    for _ in range(turns):
        for event in next_events(rng, domain, rewrites):
            tracker.update(event, domain)
    return tracker
