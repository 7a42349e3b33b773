"""The shared contract (akan_contract) agrees with the Rasa domain and the action server."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from actions.buttons import COUNSELLOR_BUTTON
from actions.handoff import BACK
from akan_contract import payloads, taxonomy
from akan_contract.dates import describe_next_opening

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_the_domain_knows_the_intents_and_entities_of_the_contract():
    assert payloads.REQUEST_HUMAN_INTENT in DOMAIN["intents"]
    assert payloads.RESUME_INTENT in DOMAIN["intents"]
    assert {"role", "topic", "substance", payloads.OUTCOME_ENTITY} <= set(DOMAIN["entities"])


def test_the_counsellor_button_sends_the_request_human_payload():
    assert payloads.REQUEST_HUMAN_PAYLOAD == "/request_human"
    assert COUNSELLOR_BUTTON["payload"] == payloads.REQUEST_HUMAN_PAYLOAD


def test_the_bot_has_words_for_every_way_a_handoff_ends():
    assert set(BACK) == set(payloads.HANDOFF_OUTCOMES)


def test_taxonomy_values_are_distinct():
    for values in (taxonomy.ROLES, taxonomy.TOPICS, taxonomy.SUBSTANCES):
        assert len(set(values)) == len(values)


def test_next_opening_in_norwegian():
    oslo = ZoneInfo("Europe/Oslo")
    assert describe_next_opening(datetime(2026, 11, 23, 8, 0, tzinfo=oslo)) == "mandag 23. november kl. 08.00"
    assert describe_next_opening(datetime(2027, 5, 1, 9, 5, tzinfo=oslo)) == "lørdag 1. mai kl. 09.05"
