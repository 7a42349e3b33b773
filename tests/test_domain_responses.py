"""The domain's responses as Rasa renders them: button payloads arrive whole and
no placeholder error is logged (Rasa fills {slot} placeholders in buttons too)."""
from __future__ import annotations

import asyncio
import json

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from services.default_stack import PROJECT_ROOT


def test_greeting_buttons_reach_the_person_as_intent_payloads(monkeypatch):
    import rasa.core.nlg.interpolator as interpolator

    errors = []
    monkeypatch.setattr(interpolator.structlogger, "exception", lambda *a, **kw: errors.append(a))
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    tracker = DialogueStateTracker.from_events("c", [], domain.slots)
    rendered = asyncio.run(TemplatedNaturalLanguageGenerator(domain.responses).generate("utter_greet", tracker, "rest"))
    payloads = [button["payload"] for button in rendered["buttons"]]
    assert len(payloads) == 7
    for payload in payloads:
        intent, _, entities = payload.partition("{")
        assert intent == "/ask_advice"
        assert set(json.loads("{" + entities)) == {"role"}
    assert '/ask_advice{"role": "leder"}' in payloads
    assert errors == []
