"""The gateway's memory of what the statistics already hold: a turn is skipped only
when it brings no new outcome and no changed role, topic or substance."""
from __future__ import annotations

from bot.statistics.recording import RecentTallies

ADVICE = [{"text": "Råd", "custom": {"type": "recommendations", "role": "leder", "topic": "signaler"}}]
ADVICE_OTHER_TOPIC = [{"custom": {"type": "recommendations", "role": "leder", "topic": "testing"}}]
CRISIS = [{"custom": {"type": "crisis"}}]
PLAIN = [{"text": "Hei!"}]


def test_unknown_conversation_is_counted():
    assert RecentTallies().adds_something("a", ADVICE)


def test_plain_text_never_needs_the_statistics():
    assert not RecentTallies().adds_something("a", PLAIN)


def test_the_same_findings_again_are_skipped_new_ones_are_not():
    tallies = RecentTallies()
    tallies.remember("a", ADVICE)
    assert not tallies.adds_something("a", ADVICE)
    assert tallies.adds_something("a", ADVICE_OTHER_TOPIC)  # the topic changed
    assert tallies.adds_something("a", CRISIS)  # a new outcome
    assert tallies.adds_something("b", ADVICE)  # another conversation


def test_remembered_findings_accumulate():
    tallies = RecentTallies()
    tallies.remember("a", ADVICE)
    tallies.remember("a", CRISIS)
    assert not tallies.adds_something("a", ADVICE)
    assert not tallies.adds_something("a", CRISIS)


def test_forgotten_and_evicted_conversations_are_asked_again():
    tallies = RecentTallies(size=2)
    for conversation in ("a", "b", "c"):
        tallies.remember(conversation, ADVICE)
    assert tallies.adds_something("a", ADVICE)  # evicted: the oldest beyond the size
    assert not tallies.adds_something("c", ADVICE)
    tallies.forget("c")
    assert tallies.adds_something("c", ADVICE)
