"""The lexicon-first role/topic/substance extractor: canonical values, main one first."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from akan_nlu.human_request_detector import HumanRequestDetector
from akan_nlu.lexicon import LexiconError, load_lexicons
from akan_nlu.role_topic_extractor import RoleTopicExtractor

LEX = load_lexicons()


def main(kind: str, text: str):
    found = getattr(LEX, kind).find(text)
    return found[0].value if found else None


@pytest.mark.parametrize(
    "text, role",
    [
        ("Jeg er avdelingsleder i en kommune", "leder"),
        ("HR-rådgiver her. Hva gjør vi nå?", "leder"),
        ("eg er leiar for ei lita gruppe", "leder"),
        ("en av mine ansatte lukter sprit om morgenen", "leder"),
        ("noen i teamet mitt har endret seg", "leder"),
        ("Kan vi si opp en som har sprukket?", "leder"),
        ("jeg jobber sammen med en som drikker i lunsjen", "kollega"),
        ("arbeidskameraten min virker sliten", "kollega"),
        ("kollegaen min har begynt å spille mye", "kollega"),
        ("samboeren min ruser seg i helgene", "parorende"),
        ("mor mi drikk kvar kveld", "parorende"),
        ("broren min har fått tilbud om en avtale", "parorende"),
        ("Jeg er gift med en som spiller bort lønna", "parorende"),
        ("Jeg har fått tilbud om en Akan-avtale", "selv"),
        ("sjefen min ba meg om et møte om drikkinga mi", "selv"),
        ("eg drikk for mykje og er redd for jobben", "selv"),
        ("jeg har et spilleproblem", "selv"),
        ("vi i bedriftshelsetjenesten får mange spørsmål", "bht"),
        ("Jeg er BHT-sykepleier", "bht"),
        ("som hovedverneombud lurer jeg på noe", "ansattrepresentant"),
        ("Eg er tillitsvald", "ansattrepresentant"),
        ("akan-kontakt her", "ansattrepresentant"),
        ("jeg er psykolog og har en klient", "behandler"),
        ("pasienten min ønsker å involvere jobben", "behandler"),
        ("hvordan er været i morgen", None),
    ],
)
def test_role(text, role):
    assert main("roles", text) == role


@pytest.mark.parametrize(
    "text, topic",
    [
        ("hvordan følger vi opp folk som jobber hjemmefra", "hjemmekontor"),
        ("hun er så ensom nå", "hjemmekontor"),
        ("hvordan tar jeg den praten", "bekymringssamtale"),
        ("kan jeg gjennomføre samtalen på teams", "bekymringssamtale"),
        ("hva står i en akanavtale", "akan_avtale"),
        ("hvor lenge varer en slik avtale", "akan_avtale"),
        ("han kommer ofte for sent og gjør feil", "signaler"),
        ("hva er varseltegn på pillemisbruk", "signaler"),
        ("hun har sprukket igjen", "tilbakefall"),
        ("jeg er sugen hele tiden", "tilbakefall"),
        ("skal det serveres vin på julebordet", "policy"),
        ("hvordan lager vi retningslinjer", "policy"),
        ("kan vi innføre rustesting", "testing"),
        ("alkolås i firmabilene?", "testing"),
        ("har arbeidsgiver taushetsplikt", "juridisk"),
        ("kan hun bli sagt opp", "juridisk"),
        ("god morgen", None),
    ],
)
def test_topic(text, topic):
    assert main("topics", text) == topic


def test_higher_priority_topic_comes_first():
    found = [m.value for m in LEX.topics.find("testing av ansatte på hjemmekontor")]
    assert found == ["testing", "hjemmekontor"]


@pytest.mark.parametrize(
    "text, substance",
    [("han drikker", "alkohol"), ("hun tar sovepiller", "legemidler"), ("hasj i helgene", "narkotika"),
     ("odds og nettkasino", "spill")],
)
def test_substance(text, substance):
    assert main("substances", text) == substance


@pytest.mark.parametrize(
    "text, expected",
    [
        ("kan jeg få prate med et menneske", True),
        ("hva er telefonnummeret deres", True),
        ("kan noen ringe meg i morgen", True),
        ("Er du et menneske?", False),
        ("hvordan snakke med noen som drikker", False),
        ("jeg vil snakke med kollegaen min", False),
    ],
)
def test_human_request_patterns(text, expected):
    assert LEX.human_request.matches(text) is expected


def message(text: str, intent: str = "ask_advice", entities=None) -> Message:
    msg = Message(data={"text": text})
    msg.set("intent", {"name": intent, "confidence": 0.9}, add_to_output=True)
    msg.set("intent_ranking", [{"name": intent, "confidence": 0.9}], add_to_output=True)
    msg.set("entities", entities or [], add_to_output=True)
    return msg


def test_component_puts_lexicon_value_first_and_canonicalises_extracted():
    extracted = [
        {"entity": "role", "value": "avdelingslederen", "start": 0, "end": 16, "extractor": "CRFEntityExtractor"},
        {"entity": "topic", "value": "nonsense", "start": 0, "end": 3, "extractor": "CRFEntityExtractor"},
    ]
    msg = message("avdelingslederen min vil ha et møte om drikkingen min", entities=extracted)
    RoleTopicExtractor({}).process([msg])
    roles = [e["value"] for e in msg.get("entities") if e["entity"] == "role"]
    topics = [e["value"] for e in msg.get("entities") if e["entity"] == "topic"]
    assert roles == ["selv", "leder"]  # own use outranks the extractor's span, which is mapped to canonical
    assert [e.get("explicit") for e in msg.get("entities") if e["entity"] == "role"] == [False, None]
    assert topics == []  # an unmappable extracted value is dropped


def test_component_marks_stated_roles_explicit():
    msg = message("jeg er verneombud og en ansatt drikker")
    RoleTopicExtractor({}).process([msg])
    roles = [(e["value"], e["explicit"]) for e in msg.get("entities") if e["entity"] == "role"]
    assert roles == [("ansattrepresentant", True), ("leder", False)]


def test_component_turns_unplaced_message_with_role_into_advice():
    msg = message("svigerfaren min", intent="nlu_fallback")
    msg.set("text", "svigerfaren min drikker på hytta")
    RoleTopicExtractor({}).process([msg])
    assert msg.get("intent")["name"] == "ask_advice"


def test_component_leaves_button_payloads_alone():
    ents = [{"entity": "role", "value": "kollega"}]
    msg = message('/ask_advice{"role": "kollega"}', entities=ents)
    RoleTopicExtractor({}).process([msg])
    assert msg.get("entities") == ents


def test_human_request_detector_sets_intent_but_never_over_crisis():
    asked = message("kan jeg snakke med en veileder", intent="ask_advice")
    crisis = message("jeg vil snakke med noen, jeg vil ikke leve", intent="crisis")
    HumanRequestDetector({}).process([asked, crisis])
    assert asked.get("intent")["name"] == "request_human"
    assert asked.get("intent_ranking")[0]["name"] == "request_human"
    assert crisis.get("intent")["name"] == "crisis"


def test_bad_lexicon_is_rejected(tmp_path):
    for name in ("roles.yml", "substances.yml", "human_request.yml"):
        (tmp_path / name).write_text((LEXICON_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "topics.yml").write_text("topics:\n  - topic: weather\n    patterns: ['sol']\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="weather"):
        load_lexicons(tmp_path)


from akan_nlu.lexicon import DEFAULT_LEXICON_DIR as LEXICON_DIR  # noqa: E402


def test_short_intent_guard_turns_mash_into_a_misunderstanding():
    from akan_nlu.short_intent_guard import ShortIntentGuard

    mash = message("xcvb nmmm qqq", intent="affirm")
    yes = message("ja, gjerne det", intent="affirm")
    advice = message("jeg er leder", intent="ask_advice")
    ShortIntentGuard({}).process([mash, yes, advice])
    assert mash.get("intent")["name"] == "nlu_fallback"
    assert yes.get("intent")["name"] == "affirm"
    assert advice.get("intent")["name"] == "ask_advice"


def test_every_short_intent_training_example_has_its_words():
    from rasa.shared.nlu.training_data.loading import load_data

    from akan_nlu.lexicon import normalise
    from akan_nlu.short_intent_guard import load_short_intents

    required = load_short_intents()
    examples = load_data(str(LEXICON_DIR.parent / "nlu")).training_examples
    missing = [
        (ex.get("intent"), ex.get("text"))
        for ex in examples
        if ex.get("intent") in required and not required[ex.get("intent")].search(normalise(ex.get("text")))
    ]
    assert missing == []
