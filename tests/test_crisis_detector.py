"""The crisis decision: safety patterns always win; the learned classifier adds the rest."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from akan_nlu.crisis_detector import CrisisDetector
from akan_nlu.safety_patterns import CrisisLexiconError, SafetyPatterns
from akan_nlu.intent_override import set_intent
from akan_nlu.sentence_classifier import SCORES
from akan_nlu.sentence_model import Scores

PATTERNS = SafetyPatterns.load()


@pytest.mark.parametrize(
    "text, category",
    [
        ("jeg vil ikke leve mer", "suicide"),
        ("Eg orkar ikkje leve lenger", "suicide"),
        ("Kollegaen min sier hun har tenkt å ta livet sitt", "suicide"),
        ("I am going to kill myself tonight", "suicide"),
        ("i dont want to live anymore", "suicide"),
        ("jeg ser ingen vei ut", "suicide"),
        ("Han sendte: takk for alt, dere hører ikke mer fra meg", "suicide"),
        ("alle har det bedre uten meg", "suicide"),
        ("Ho har planlagt korleis ho skal gjere det", "suicide"),
        ("jeg har kuttet meg igjen", "self_harm"),
        ("Har skåret meg hver kveld denne uka", "self_harm"),
        ("my brother has been cutting himself", "self_harm"),
        ("hvor mange sovetabletter må til for å dø?", "overdose"),
        ("how many of these pills would it take", "overdose"),
        ("han har tatt alle pillene sine og drukket", "overdose"),
        ("jeg har samlet opp tabletter i flere uker", "overdose"),
        ("hun puster ikke", "overdose"),
        ("mannen min våkner ikke", "overdose"),
        ("samboeren truer med å drepe meg", "violence"),
        ("han slår meg når han er full", "violence"),
        ("pappa er alene med ungene og er dritfull", "children"),
        ("hun er full og skal hente barna i barnehagen", "children"),
        ("sjåføren sitter bak rattet nå og er full", "drunk_driving"),
    ],
)
def test_plain_crisis_statements_hit_a_safety_pattern(text, category):
    assert PATTERNS.category(text) == category


@pytest.mark.parametrize(
    "text",
    [
        "møtene tar livet av meg",
        "jeg skal dø av latter",
        "Vi hadde kurs om selvmord i dag",
        "budsjettet sprekker, full krise",
        "overdose av møter denne uka",
        "kan jeg kjøre bil dagen etter julebordet?",
        "hvor mange dør av overdose i Norge hvert år?",
        "vi har fått en ny rusmiddelpolicy",
        "he is cutting himself off from the team",
        "hvor mange tabletter paracet kan jeg ta på en dag?",
    ],
)
def test_talk_about_a_theme_and_idioms_hit_no_safety_pattern(text):
    assert PATTERNS.category(text) is None


def test_unknown_macro_is_a_clear_error(tmp_path):
    path = tmp_path / "crisis.yml"
    path.write_text("categories:\n  suicide:\n    - '{NOPE} dø'\n", encoding="utf-8")
    with pytest.raises(CrisisLexiconError, match="NOPE"):
        SafetyPatterns.load(path)


def _message(text: str, intent: str, crisis_probability: float | None) -> Message:
    message = Message.build(text=text)
    set_intent(message, intent, 0.9)
    if crisis_probability is not None:
        scores = Scores(labels={"role": {"none": 1.0}, "topic": {"none": 1.0}, "substance": {"none": 1.0}},
                        flags={"crisis": crisis_probability, "human": 0.0})
        message.set(SCORES, scores.as_dict())
    return message


DETECTOR = CrisisDetector({"threshold": 0.6})


def test_a_pattern_hit_is_a_crisis_whatever_the_classifier_says():
    message = DETECTOR.process([_message("jeg vil ikke leve mer", "greet", 0.01)])[0]
    assert message.get("intent")["name"] == "crisis"
    assert message.get("crisis") == {"category": "suicide", "source": "pattern"}


def test_the_classifier_adds_indirect_crises_at_its_threshold():
    message = DETECTOR.process([_message("ta vare på hunden min for meg", "ask_advice", 0.61)])[0]
    assert message.get("intent")["name"] == "crisis"
    assert message.get("crisis")["source"] == "classifier"
    below = DETECTOR.process([_message("ta vare på hunden min for meg", "ask_advice", 0.59)])[0]
    assert below.get("intent")["name"] == "ask_advice"


def test_the_intent_classifier_alone_does_not_make_a_crisis():
    message = _message("hvordan lager vi en policy", "crisis", 0.05)
    message.set("intent_ranking", [{"name": "crisis", "confidence": 0.5}, {"name": "ask_advice", "confidence": 0.4}])
    message = DETECTOR.process([message])[0]
    assert message.get("intent")["name"] == "ask_advice"


def test_button_payloads_are_left_alone():
    message = DETECTOR.process([_message("/ask_advice", "ask_advice", 0.99)])[0]
    assert message.get("intent")["name"] == "ask_advice"
