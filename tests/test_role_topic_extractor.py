"""Self-identification and the role/topic entities built from the classifiers' scores."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from akan_nlu.human_request_detector import HumanRequestDetector
from akan_nlu.intent_override import set_intent
from akan_nlu.reading import Thresholds, best_label, main_role
from akan_nlu.role_topic_extractor import RoleTopicExtractor
from akan_nlu.self_identification import SelfIdentification, SelfIdentificationError
from akan_nlu.sentence_classifier import SCORES
from akan_nlu.sentence_model import Scores

STATED = SelfIdentification.load()


@pytest.mark.parametrize(
    "text, role",
    [
        ("Jeg er verneombud og lurer på noe", "ansattrepresentant"),
        ("Som leder, hva gjør jeg nå?", "leder"),
        ("HR her: hvordan følger vi opp?", "leder"),
        ("vi i bedriftshelsetjenesten får mange spørsmål", "bht"),
        ("I am a GP and my patient drinks", "behandler"),
        ("Eg er tillitsvald for lærarane", "ansattrepresentant"),
        ("Hvordan kan jeg som teamleder hjelpe?", "leder"),
        ("jeg er pårørende", "parorende"),
        ("Fastlege her.", "behandler"),
        ("jag är chef på ett lager", "leder"),
        ("jeg er sykepleier i bedriftshelsetjenesten", "bht"),
        ("jeg jobber i BHT og har et spørsmål", "bht"),
        ("eg er rådgjevar i bedriftshelsetenesta", "bht"),
        ("Eg er bedriftssjukepleiar og skal halde eit kurs", "bht"),
        ("eg er avdelingsleiar på eit lager", "leder"),
        # a union club's leader represents the employees; a job inside a service names the service
        ("jeg er klubbleder på verkstedet", "ansattrepresentant"),
        ("Som fagforeningsleder får jeg mange spørsmål", "ansattrepresentant"),
        ("Jeg er psykolog i BHT og får spørsmål om spill", "bht"),
        ("jeg er psykolog og har en klient som drikker", "behandler"),
    ],
)
def test_stated_roles(text, role):
    assert STATED.find(text).role == role


@pytest.mark.parametrize(
    "text",
    [
        "mannen min jobber som leder", "jeg er redd for kollegaen min", "lederen min vil snakke med meg",
        "jeg er sint på lederen min", "jeg jobber hos en leder som drikker",
        # a nurse is not a leader because nynorsk "sjukepleiar" ends in "leiar"
        "eg er sjukepleiar på ein sengepost", "eg er hjelpepleiar",
    ],
)
def test_a_role_someone_else_has_is_not_a_statement(text):
    assert STATED.find(text) is None


def test_unknown_role_in_lexicon_is_an_error():
    with pytest.raises(SelfIdentificationError):
        SelfIdentification({"cues": ["{TERM}"], "terms": {"sjef": "sjef"}})


def scores(role: dict, topic: dict, human: float = 0.0) -> Scores:
    return Scores(labels={"role": role, "topic": topic, "substance": {"alkohol": 0.7, "none": 0.3}},
                  flags={"crisis": 0.0, "human": human})


def test_none_wins_unless_a_value_reaches_the_threshold():
    s = scores({"none": 0.5, "leder": 0.4, "kollega": 0.1}, {"none": 1.0})
    assert best_label(s, "role") == (None, 0.5)
    assert best_label(s, "role", over_none=0.35) == ("leder", 0.4)


def _parsed(text: str, s: Scores, intent: str = "ask_advice") -> Message:
    message = Message.build(text=text)
    set_intent(message, intent, 0.8)
    message.set(SCORES, s.as_dict())
    return message


def test_stated_role_comes_first_and_is_explicit_then_the_learned_one():
    extractor = RoleTopicExtractor({})
    message = _parsed("Jeg er verneombud. En ansatt drikker", scores({"leder": 0.8, "none": 0.2}, {"signaler": 0.9, "none": 0.1}))
    entities = extractor.process([message])[0].get("entities")
    roles = [(e["value"], e["explicit"]) for e in entities if e["entity"] == "role"]
    assert roles == [("ansattrepresentant", True), ("leder", False)]
    assert [e["value"] for e in entities if e["entity"] == "topic"] == ["signaler"]
    assert [e["value"] for e in entities if e["entity"] == "substance"] == ["alkohol"]


OWN_USE = "Jeg er lege, men nå gjelder det meg selv: jeg tar sovetabletter hver kveld"


def test_a_stated_role_gives_way_when_the_learned_head_is_sure_of_another():
    extractor = RoleTopicExtractor({"learned_over_stated": 0.5})
    message = _parsed(OWN_USE, scores({"selv": 0.7, "behandler": 0.2, "none": 0.1}, {"signaler": 0.9, "none": 0.1}))
    entities = extractor.process([message])[0].get("entities")
    roles = [(e["value"], e["explicit"]) for e in entities if e["entity"] == "role"]
    # still the reading of a statement about the writer, so it may replace a role said before
    assert roles == [("selv", True), ("behandler", True)]


@pytest.mark.parametrize("config", [{"learned_over_stated": 0.5}, {}])
def test_a_stated_role_stands_against_a_weak_learned_one_or_when_nothing_is_configured(config):
    role = {"selv": 0.45, "parorende": 0.3, "none": 0.25} if config else {"selv": 0.99, "none": 0.01}
    message = _parsed(OWN_USE, scores(role, {"signaler": 0.9, "none": 0.1}))
    entities = RoleTopicExtractor(config).process([message])[0].get("entities")
    roles = [(e["value"], e["explicit"]) for e in entities if e["entity"] == "role"]
    assert roles == [("behandler", True), ("selv", False)]


def test_main_role_is_what_the_cross_validation_reads_too():
    t = Thresholds(learned_over_stated=0.5)
    sure, weak = scores({"selv": 0.8, "none": 0.2}, {"none": 1.0}), scores({"selv": 0.4, "none": 0.6}, {"none": 1.0})
    assert main_role(sure, "behandler", t) == ("selv", 0.8, True)
    assert main_role(sure, "selv", t) == ("selv", 1.0, True)
    assert main_role(weak, "behandler", t) == ("behandler", 1.0, True)
    assert main_role(weak, None, t) == ("selv", 0.4, False)  # over "none" from 0.2
    assert main_role(scores({"none": 0.9, "selv": 0.1}, {"none": 1.0}), "behandler", t) == ("behandler", 1.0, True)


@pytest.mark.parametrize("intent, topic", [("ask_advice", "signaler"), ("more_advice", None), ("thank", None)])
def test_a_request_for_advice_takes_a_weaker_topic_than_other_intents(intent, topic):
    extractor = RoleTopicExtractor({"topic_over_none": 0.2, "advice_topic_over_none": 0.1})
    message = _parsed("hva gjør jeg?", scores({"none": 1.0}, {"none": 0.8, "signaler": 0.15, "policy": 0.05}), intent=intent)
    entities = extractor.process([message])[0].get("entities")
    assert [e["value"] for e in entities if e["entity"] == "topic"] == ([topic] if topic else [])


def test_the_thresholds_the_evaluation_reads_by_are_those_in_config_yml():
    """The cross-validation decides through akan_nlu.reading.Thresholds: it must measure what runs."""
    pipeline = {c["name"].rsplit(".", 1)[-1]: c for c in yaml.safe_load(Path("config.yml").read_text())["pipeline"]}
    t = Thresholds()
    assert pipeline["CrisisDetector"]["threshold"] == t.crisis
    assert pipeline["HumanRequestDetector"]["threshold"] == t.human
    extractor = pipeline["RoleTopicExtractor"]
    assert (extractor["role_over_none"], extractor["topic_over_none"], extractor["advice_topic_over_none"]) == (
        t.role_over_none, t.topic_over_none, t.advice_topic_over_none)
    assert extractor["learned_over_stated"] == t.learned_over_stated


def test_an_unplaced_message_that_shows_a_role_is_a_request_for_advice():
    message = _parsed("mannen min", scores({"parorende": 0.9, "none": 0.1}, {"none": 1.0}), intent="out_of_scope")
    assert RoleTopicExtractor({}).process([message])[0].get("intent")["name"] == "ask_advice"


def test_human_request_by_pattern_or_by_classifier_but_never_over_a_crisis():
    detector = HumanRequestDetector({"threshold": 0.5})
    by_pattern = detector.process([_parsed("kan jeg snakke med en veileder", scores({"none": 1}, {"none": 1}))])[0]
    assert by_pattern.get("intent")["name"] == "request_human"
    learned = detector.process([_parsed("sett meg over til noen", scores({"none": 1}, {"none": 1}, human=0.8))])[0]
    assert learned.get("intent")["name"] == "request_human"
    crisis = detector.process([_parsed("snakke med en veileder", scores({"none": 1}, {"none": 1}), intent="crisis")])[0]
    assert crisis.get("intent")["name"] == "crisis"


@pytest.mark.parametrize(
    "text",
    ["kan jeg snakke med HR om dette?", "kan eg snakke med fastlegen min om dette?", "can I talk to my GP about this?",
     "bør jeg si det til sjefen?"],
)
def test_a_short_question_about_someone_in_ones_own_life_is_not_a_request_for_the_service(text):
    """The human head reads "kan jeg snakke med …" strongly; talking to one's HR is not asking for us."""
    message = _parsed(text, scores({"none": 1}, {"none": 1}, human=0.9), intent="request_human")
    found = HumanRequestDetector({"threshold": 0.4}).process([message])[0]
    assert found.get("intent")["name"] != "request_human"


@pytest.mark.parametrize(
    "text",
    [
        "kan jeg snakke med en veileder om hvordan jeg skal snakke med HR?",  # a pattern: always a request, also on an own-life question
        # a longer message may ask for both: the classifier's reading stands
        "Jeg har hatt et tilbakefall og tør ikke si det til sjefen. Er det noen der jeg kan ringe anonymt i kveld før jeg gjør noe?",
    ],
)
def test_a_request_that_also_names_someone_in_ones_life_is_still_a_request(text):
    message = _parsed(text, scores({"none": 1}, {"none": 1}, human=0.9))
    assert HumanRequestDetector({"threshold": 0.4}).process([message])[0].get("intent")["name"] == "request_human"
