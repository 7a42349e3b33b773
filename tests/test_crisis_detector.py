"""Crisis detector: every crisis wording below must be caught, ordinary Akan
questions and idioms must not be, and the Rasa component must put `crisis`
on top (or take it away for an idiom) without touching anything else."""

import copy
import dataclasses
import logging
from pathlib import Path

import pytest

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from akan_nlu.crisis_detector import (
    DEFAULT_LEXICON_PATH,
    CrisisDetector,
    CrisisSignal,
    detect_crisis,
    load_crisis_lexicon,
    normalise,
)

CATEGORIES = {
    "suicide_self_harm",
    "overdose_poisoning",
    "acute_medical",
    "violence_threat",
    "child_at_risk",
    "impaired_driving",
}

# category -> statements that must be detected (own wording: direct, indirect,
# third person, nynorsk, English, no capitals, typos)
CRISES = {
    "suicide_self_harm": [
        "jeg har lyst til å dø",
        "Jeg har tenkt på å ta mitt eget liv",
        "jeg orker ikke mer av dette livet",
        "Jeg vil bare sove og aldri våkne igjen",
        "hva er vitsen med å leve",
        "Eg har ikkje lyst å leve lenger",
        "eg har planar om å ta livet mitt",
        "kollegaen min har snakket om å ta livet av seg",
        "Min venn sa at han ikke orker å leve mer",
        "hun har begynt å skade seg selv",
        "jeg har kuttet meg i armene igjen",
        "datteren min risper seg",
        "vil bare bli borte for alltid",
        "Jeg er en byrde for familien",
        "takk for alt, dette er siste gang dere hører fra meg",
        "jeg har skrevet avskjedsbrev",
        "Jeg har gitt bort alle tingene mine",
        "jeg har ingenting å leve for",
        "jeg skulle ønske jeg aldri var født",
        "Ingen kommer til å savne meg",
        "jeg ser ingen utvei",
        "jeg tar livet av meg i kveld",
        "jeg vurderer å avslutte livet",
        "Jeg tenker på å hoppe foran toget",
        "jeg har et tau og har funnet et sted å henge meg",
        "det er ingen som bryr seg om eg lever eller døyr",
        "Eg har ikkje lyst til å vakne i morgon",
        "eg har skrive avskilsbrev",
        "Jeg har vært sykmeldt lenge og mistet alt. Det er like greit at jeg ikke er her mer.",
        "jeg tenker at barna fortjener en bedre mor enn meg",
        "jeg skriver dette fordi jeg ikke vet om jeg er her i morgen",
        "hvordan kan jeg avslutte alt uten at det gjør vondt",
        "en i teamet mitt har fortalt at han har tenkt på å hoppe fra kontorbygget",
        "kjæresten min har sluttet å svare og sa i går at hun ikke orket mer",
        "døden frister",
        "ikke lenger lyst til å være her",
        "JEG VIL DØ",
        "Eg vil ikkje meir",
        "jeg tenker på selvmort",
        "selvmodrstanker hver natt",
        "I keep thinking about ending my life",
        "everyone would be better off without me",
        "I don't see the point anymore",
        "my coworker said he has a plan to kill himself",
        "I'm going to jump",
        "I cut myself again last night",
    ],
    "overdose_poisoning": [
        "har samla opp tabletter i flere uker",
        "pillene er talt opp og klare",
        "Han har tatt 30 paracet",
        "kona mi har tatt for mange tabletter",
        "Jeg tok alle tablettene i glasset for en time siden",
        "hun sier hun har tatt hele dosetten",
        "jeg drakk en flaske vodka og tok sovetabletter",
        "Hun har blandet piller og alkohol og er helt borte",
        "datteren min på 13 har tatt piller på en fest og kaster opp",
        "kollegaen min sendte en sms om at hun har tatt noe og vil sove lenge",
        "mannen min har sittet i garasjen med bilen i gang",
        "noen puttet noe i drinken min",
        "Ho har teke ein overdose",
        "piller og sprit",
        "my sister swallowed too many pills",
        "my colleague overdosed at the office",
        "jeg har tatt en overdsoe",
    ],
    "acute_medical": [
        "mamma puster ikke",
        "han pustar ikkje ordentleg",
        "hun er helt slapp og lar seg ikke vekke",
        "han ligger på badegulvet og jeg får ikke svar",
        "han har falt og slått hodet og er forvirret",
        "kjæresten min ble plutselig helt stiv og ristet",
        "Han skummer rundt munnen",
        "kollega ser syner og skjelver etter at han sluttet å drikke",
        "han ligg medvitslaus",
        "Han er bevistløs",
        "vi får ikke kontakt med pappa",
        "han har gått ut i kulda full og uten jakke og svarer ikke på telefonen",
        "Skal jeg ringe 113?",
        "I found my husband unconscious and he won't wake up",
    ],
    "violence_threat": [
        "Mannen min har slått meg flere ganger",
        "han tok kvelertak på meg",
        "Kona mi kastet ting på meg i går",
        "jeg tør ikke dra hjem",
        "jeg har låst meg inne på badet",
        "eksmannen min forfølger meg",
        "han sier han skal drepe meg hvis jeg går",
        "jeg er redd jeg kommer til å skade noen",
        "En ansatt truet en kollega i dag",
        "eg vart slegen av sambuaren min i går",
        "han trugar meg",
        "medarbeideren min har blitt slått av samboeren, hun har blåmerker",
        "en av de ansatte sa han skulle skyte sjefen",
        "kollegaen min har med seg en pistol på jobb",
        "my husband threatened to kill me",
        "my partner is choking me",
    ],
    "child_at_risk": [
        "ungene er aleine hjemme og mora er rusa",
        "min 5-åring er alene hjemme",
        "barna er hjemme med en mor som sovner av pillene",
        "pappa har drukket hele dagen og skal hente minsten i barnehagen",
        "jeg er redd for hva mannen min gjør med barna når han drikker",
        "jeg er 14 og pappa er full og sinna",
        "Naboen lar barna sine være alene hele helga mens hun drikker",
        "borna er åleine heime medan ho er rusa",
        "the kids are home alone and their mother is drunk",
    ],
    "impaired_driving": [
        "far min kjørte hjem fra festen i fylla",
        "han tok bilen selv om han var drita",
        "Kollega skal kjøre lastebil i morgen tidlig og har drukket til langt på natt",
        "han har promille og kjører rundt",
        "kollegaen er helt rusa og skal operere kranen",
        "en av pilotene våre har drukket før avgang",
        "sjåføren luktet alkohol og kjørte bussen",
        "han køyrer rundt i fylla",
        "he drove home drunk",
    ],
}

ALL_CRISES = [text for texts in CRISES.values() for text in texts]

# must not be crises: ordinary Akan questions, worry without acute danger,
# rules questions, work language that happens to contain risky words
NOT_CRISES = [
    "pappa har sprukket igjen",
    "kollegaen min drikker for mye",
    "jeg er bekymret for mannen min",
    "alkolås i firmabilene?",
    "Hvordan tar jeg opp bekymring med en ansatt som drikker?",
    "Jeg har en Akan-avtale og er redd for tilbakefall",
    "Hvor lenge varer en individuell Akan-avtale?",
    "Kan arbeidsgiver teste meg for narkotika?",
    "Kan sjefen sparke meg for at jeg drikker?",
    "en i teamet mitt lukter alkohol på mandager",
    "Hva sier policyen om alkohol på julebordet?",
    "Mannen min drikker hver kveld og jeg vet ikke hva jeg skal gjøre",
    "Hvordan følger jeg opp en ansatt på hjemmekontor som jeg tror drikker?",
    "jeg har sprukket etter to år uten alkohol",
    "Hvor lenge bør man vente med å kjøre etter å ha drukket?",
    "Jeg jobber full stilling og har to barn",
    "En ansatt kom full på jobb i går, hva gjør jeg?",
    "Jeg vil ta livet mitt tilbake",
    "jeg klarer ikke å leve uten vin om kvelden, er det et problem?",
    "Vi kan ikke leve med at det drikkes på jobb",
    "jeg vil ikke være til bry, men kan jeg spørre om noe?",
    "vi slo oss sammen med en annen avdeling",
    "Hvordan slår jeg av en prat med kollegaen min om drikkingen?",
    "Det slår meg at han ofte har fri på mandager",
    "Han truer med å slutte hvis vi tar det opp",
    "Ledelsen truer hele avdelingen med nedbemanning",
    "Vi har en ansatt som ble tatt for promillekjøring i fjor",
    "Han sa farvel til kollegaene sine da han sluttet",
    "Kollegaen min svarer ikke på meldinger etter kl 16",
    "Han har blitt slått ut av sykdom flere ganger i år",
    "Vi bruker en løkke i Excel for å telle fravær",
    "Jeg orker ikke flere Teams-møter i dag",
    "Hva er vitsen med en Akan-avtale?",
    "Jeg har gitt opp å få ham til å innse problemet",
    "Jeg er 16 og pappa drikker mye, hvordan kan jeg snakke med ham?",
    "Kan en ansatt som tar metadon kjøre truck?",
    "Er det farlig å blande alkohol og medisiner i jobbsammenheng?",
    "Barna merker at pappa drikker, hvordan snakker jeg med dem?",
    "Jeg vil snakke med en veileder",
    "Hei",
    "My colleague drinks too much at lunch",
    "How long does an Akan agreement last?",
]

# figures of speech: not a crisis, and recognised as an idiom
IDIOMS = [
    "møtene tar livet av meg",
    "jobben dreper meg",
    "jeg dør av latter",
    "kill me now this meeting",
    "Deadlinen kommer til å ta livet av meg",
    "kjedsomheten på hjemmekontoret dreper meg",
    "Jeg dør av kjedsomhet på hjemmekontoret",
    "Han har skutt seg selv i foten ved å lyve",
    "Hjelp, jeg drukner i arbeid",
    "this commute is killing me",
    "I'm dying to know how Akan agreements work",
    "Jeg er dødssliten etter denne uka",
]


@pytest.fixture(scope="module")
def lexicon():
    return load_crisis_lexicon()


@pytest.mark.parametrize("text", ALL_CRISES)
def test_crisis_statement_is_detected(lexicon, text):
    signal = detect_crisis(text, lexicon)
    assert signal.is_crisis, text
    assert signal.category in CATEGORIES
    assert not signal.idiom


@pytest.mark.parametrize(
    "category, text",
    [(category, text) for category, texts in CRISES.items() for text in texts[:3]],
)
def test_crisis_gets_its_category(lexicon, category, text):
    assert detect_crisis(text, lexicon).category == category


@pytest.mark.parametrize("text", NOT_CRISES)
def test_ordinary_message_is_not_a_crisis(lexicon, text):
    signal = detect_crisis(text, lexicon)
    assert not signal.is_crisis, text
    assert signal.category is None


@pytest.mark.parametrize("text", IDIOMS)
def test_idiom_is_recognised_and_not_a_crisis(lexicon, text):
    signal = detect_crisis(text, lexicon)
    assert (signal.is_crisis, signal.category, signal.idiom) == (False, None, True)


@pytest.mark.parametrize(
    "text",
    [
        "jeg vil ta livet av meg",
        "Møtene tar livet av meg, jeg vil ikke leve lenger",
        "jeg kommer til å ta livet av meg",
        "kill me now, I want to die",
        "han slår meg, og sjefen dreper meg med alle fristene",
    ],
)
def test_idiom_never_hides_a_real_crisis(lexicon, text):
    signal = detect_crisis(text, lexicon)
    assert signal.is_crisis and not signal.idiom


def test_lexicon_covers_every_category(lexicon):
    assert {name for name, _, _ in lexicon.categories} == CATEGORIES
    assert lexicon.idioms is not None
    assert lexicon.pattern_count >= 150


def test_every_fuzzy_keyword_is_also_caught_by_its_regexes(lexicon):
    # correct spellings are left to the regexes, so the regexes must know them
    regex_only = dataclasses.replace(lexicon, fuzzy_keywords=())
    for category, keywords in lexicon.fuzzy_keywords:
        for keyword in keywords:
            assert detect_crisis(keyword, regex_only).category == category, keyword


@pytest.mark.parametrize("typo", ["selvmodrstanker", "bevisstlsø", "overdsoe", "voldtat"])
def test_one_typo_in_a_key_word_is_caught_only_by_fuzzy_matching(lexicon, typo):
    regex_only = dataclasses.replace(lexicon, fuzzy_keywords=())
    assert not detect_crisis(typo, regex_only).is_crisis
    assert detect_crisis(typo, lexicon).is_crisis


def test_normalise_lowercases_collapses_whitespace_and_keeps_norwegian_letters():
    assert normalise("  JEG   vil\n\tDØ  ") == "jeg vil dø"
    assert normalise("I don\u2019t WANT") == "i don't want"
    assert normalise("ÆØÅ") == "æøå"
    assert normalise("") == ""


def test_empty_text_is_not_a_crisis(lexicon):
    assert detect_crisis("", lexicon) == CrisisSignal(is_crisis=False)
    assert detect_crisis("   ", lexicon) == CrisisSignal(is_crisis=False)


def test_default_lexicon_path_is_in_the_project():
    assert DEFAULT_LEXICON_PATH == Path(__file__).resolve().parents[1] / "data" / "lexicon" / "crisis.yml"
    assert DEFAULT_LEXICON_PATH.is_file()


def test_relative_lexicon_path_falls_back_to_project_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lexicon = load_crisis_lexicon("data/lexicon/crisis.yml")
    assert detect_crisis("jeg vil dø", lexicon).is_crisis


def _write_lexicon(tmp_path, body):
    path = tmp_path / "crisis.yml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "body, message",
    [
        ("categories:\n  a:\n    patterns: ['(unclosed']\n", "bad regex"),
        ("categories:\n  a:\n    patterns: ['{NOPE} x']\n", "unknown macro"),
        ("categories:\n  a:\n    patterns: []\n", "no patterns"),
        ("categories: {}\n", "no categories"),
        (
            "categories:\n  a:\n    patterns: ['x']\nfuzzy_keywords:\n  a: [kort]\n",
            "too short",
        ),
    ],
)
def test_broken_lexicon_fails_loudly(tmp_path, body, message):
    with pytest.raises(ValueError, match=message):
        load_crisis_lexicon(_write_lexicon(tmp_path, body))


def test_macros_expand_and_skip_sentences_apply_per_sentence(tmp_path):
    path = _write_lexicon(
        tmp_path,
        "macros:\n  WHO: [han, hun]\n"
        "categories:\n  danger:\n"
        "    skip_sentences: ['^kan man']\n"
        "    patterns: ['\\b{WHO} kjører full']\n"
        "idioms: ['\\bsnart full']\n",
    )
    lexicon = load_crisis_lexicon(path)
    assert detect_crisis("hun kjører full", lexicon).category == "danger"
    assert not detect_crisis("kan man si at han kjører full?", lexicon).is_crisis
    assert detect_crisis("kan man hjelpe? han kjører full!", lexicon).is_crisis
    assert detect_crisis("kalenderen er snart full", lexicon).idiom


# ---- the Rasa component -------------------------------------------------


@pytest.fixture(scope="module")
def detector(tmp_path_factory):
    return CrisisDetector.create(
        CrisisDetector.get_default_config(),
        LocalModelStorage(tmp_path_factory.mktemp("storage")),
        Resource("crisis_detector"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def _intent(name, confidence):
    return {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}


def _message(text, ranking=None, top=None):
    """A message as the intent classifier (+ FallbackClassifier) leaves it."""
    data = {TEXT: text}
    if ranking is not None:
        ranking = [_intent(name, confidence) for name, confidence in ranking]
        data[INTENT] = dict(ranking[0]) if top is None else _intent(*top)
        if top is not None:
            ranking.insert(0, _intent(*top))
        data[INTENT_RANKING_KEY] = ranking
    return Message(data=data, output_properties={INTENT, INTENT_RANKING_KEY})


def _names(message):
    return [entry[INTENT_NAME_KEY] for entry in message.get(INTENT_RANKING_KEY)]


def test_lexicon_crisis_overrides_another_classifier_intent(detector):
    message = _message(
        "Mannen min slår meg når han er full",
        [("ask_signaler", 0.7), ("greet", 0.2), ("crisis", 0.1)],
    )
    assert detector.process([message]) == [message]
    assert message.get(INTENT) == _intent("crisis", 1.0)
    assert _names(message) == ["crisis", "ask_signaler", "greet"]
    assert message.get(INTENT_RANKING_KEY)[1] == _intent("ask_signaler", 0.7)
    assert message.get("crisis") == {"category": "violence_threat", "source": "lexicon"}
    output = message.as_dict(only_output_properties=True)
    assert output["crisis"]["category"] == "violence_threat"
    assert output[INTENT][INTENT_NAME_KEY] == "crisis"


def test_lexicon_crisis_beats_nlu_fallback(detector):
    message = _message(
        "eg har samla på tablettar",
        [("ask_akan_avtale", 0.3), ("greet", 0.2)],
        top=(DEFAULT_NLU_FALLBACK_INTENT_NAME, 0.7),
    )
    detector.process([message])
    assert message.get(INTENT)[INTENT_NAME_KEY] == "crisis"
    assert _names(message) == ["crisis", DEFAULT_NLU_FALLBACK_INTENT_NAME, "ask_akan_avtale", "greet"]
    assert message.get("crisis")["category"] == "overdose_poisoning"


def test_lexicon_crisis_without_any_classifier_output(detector):
    message = _message("he is not breathing")
    detector.process([message])
    assert message.get(INTENT) == _intent("crisis", 1.0)
    assert _names(message) == ["crisis"]


def test_idiom_downgrades_classifier_crisis_to_next_intent(detector):
    message = _message(
        "møtene på hjemmekontoret tar livet av meg",
        [("crisis", 0.8), ("ask_hjemmekontor", 0.15), ("greet", 0.05)],
    )
    detector.process([message])
    assert message.get(INTENT) == _intent("ask_hjemmekontor", 0.15)
    assert _names(message) == ["ask_hjemmekontor", "greet"]
    assert message.get("crisis") is None


def test_idiom_downgrade_skips_nlu_fallback(detector):
    message = _message(
        "jobben dreper meg",
        [("crisis", 0.5), ("ask_policy", 0.3)],
        top=(DEFAULT_NLU_FALLBACK_INTENT_NAME, 0.7),
    )
    detector.process([message])
    assert message.get(INTENT)[INTENT_NAME_KEY] == "ask_policy"
    assert _names(message) == ["ask_policy", DEFAULT_NLU_FALLBACK_INTENT_NAME]


def test_idiom_without_alternative_falls_back(detector):
    message = _message("jeg dør av latter", [("crisis", 0.9)])
    detector.process([message])
    assert message.get(INTENT)[INTENT_NAME_KEY] == DEFAULT_NLU_FALLBACK_INTENT_NAME
    assert "crisis" not in _names(message)


def test_classifier_crisis_without_idiom_is_kept(detector):
    message = _message(
        "alt er så tungt for tiden",
        [("crisis", 0.66), ("ask_tilbakefall", 0.3)],
    )
    detector.process([message])
    assert message.get(INTENT) == _intent("crisis", 0.66)
    assert _names(message) == ["crisis", "ask_tilbakefall"]
    assert message.get("crisis") == {"category": None, "source": "classifier"}


@pytest.mark.parametrize(
    "crisis_confidence, expected", [(0.4, "crisis"), (0.35, "crisis"), (0.2, DEFAULT_NLU_FALLBACK_INTENT_NAME)]
)
def test_classifier_crisis_under_nlu_fallback_needs_threshold(detector, crisis_confidence, expected):
    message = _message(
        "alt er så tungt for tiden",
        [("crisis", crisis_confidence), ("ask_tilbakefall", 0.1)],
        top=(DEFAULT_NLU_FALLBACK_INTENT_NAME, 0.7),
    )
    detector.process([message])
    assert message.get(INTENT)[INTENT_NAME_KEY] == expected
    assert _names(message)[0] == expected


def test_crisis_second_behind_a_real_intent_still_counts_above_threshold(detector):
    message = _message(
        "det går ikke lenger, alt er svart",
        [("ask_advice", 0.55), ("crisis", 0.4)],
    )
    detector.process([message])
    assert message.get(INTENT)[INTENT_NAME_KEY] == "crisis"
    assert message.get("crisis")["source"] == "classifier"


def test_crisis_far_behind_a_real_intent_is_left_to_the_classifier(detector):
    message = _message(
        "kan dere si noe om policy på julebordet",
        [("ask_advice", 0.8), ("crisis", 0.1)],
    )
    before = copy.deepcopy(message.data)
    detector.process([message])
    assert message.data == before


@pytest.mark.parametrize(
    "text, ranking",
    [
        ("pappa har sprukket igjen", [("ask_tilbakefall", 0.9), ("crisis", 0.05)]),
        ("møtene tar livet av meg", [("ask_hjemmekontor", 0.6), ("crisis", 0.3)]),
        ("Hva er en Akan-avtale?", [("ask_akan_avtale", 0.95)]),
    ],
)
def test_non_crisis_message_is_untouched(detector, text, ranking):
    message = _message(text, ranking)
    before = copy.deepcopy(message.data)
    detector.process([message])
    assert message.data == before


def test_process_handles_a_batch(detector):
    crisis = _message("jeg vil ikke leve lenger", [("greet", 0.9)])
    calm = _message("Hei, hvordan fungerer dette?", [("greet", 0.9)])
    detector.process([crisis, calm])
    assert crisis.get(INTENT)[INTENT_NAME_KEY] == "crisis"
    assert calm.get(INTENT)[INTENT_NAME_KEY] == "greet"


def test_user_text_is_never_logged(detector, caplog):
    text = "jeg har samlet piller og skal ta dem i kveld"
    with caplog.at_level(logging.DEBUG):
        detector.process([_message(text, [("greet", 0.9)])])
    assert "crisis_detector.crisis" in caplog.text
    assert "piller" not in caplog.text


def test_component_uses_configured_lexicon(tmp_path):
    path = _write_lexicon(tmp_path, "categories:\n  test_only:\n    patterns: ['\\bbanan']\n")
    config = {**CrisisDetector.get_default_config(), "lexicon_path": str(path)}
    component = CrisisDetector.create(
        config,
        LocalModelStorage(tmp_path),
        Resource("crisis_detector"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    message = _message("en banan", [("greet", 0.9)])
    component.process([message])
    assert message.get("crisis")["category"] == "test_only"


def test_component_validates_in_a_rasa_pipeline_after_fallback():
    from rasa.engine import validation
    from rasa.shared.data import TrainingType

    config = {
        "recipe": "default.v1",
        "language": "nb",
        "pipeline": [
            {"name": "WhitespaceTokenizer"},
            {"name": "CountVectorsFeaturizer"},
            {"name": "akan_nlu.intent_classifier.LinearIntentClassifier"},
            {"name": "FallbackClassifier", "threshold": 0.4},
            {"name": "akan_nlu.crisis_detector.CrisisDetector"},
        ],
    }
    model_config = DefaultV1Recipe().graph_config_for_recipe(
        config, {}, training_type=TrainingType.NLU
    )
    validation.validate(model_config)
    nodes = model_config.predict_schema.nodes
    crisis_node = next(node for node in nodes.values() if node.uses is CrisisDetector)
    assert crisis_node.fn == "process"
    assert "FallbackClassifier" in crisis_node.needs["messages"]


def test_every_crisis_training_example_can_reach_crisis(lexicon):
    """Each crisis example is caught by a pattern or at least carries a risk word,
    so the risk-word gate never blocks what the classifier was taught."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data(str(DEFAULT_LEXICON_PATH.parents[1] / "nlu")).training_examples
    blocked = [
        ex.get("text")
        for ex in examples
        if ex.get("intent") == "crisis"
        and not (signal := detect_crisis(ex.get("text"), lexicon)).is_crisis
        and not signal.risk_words
    ]
    assert blocked == []


@pytest.mark.parametrize(
    "text",
    ["Kan vi si opp en som har drukket i arbeidstiden?", "Mamma har sprukket igjen og jeg er helt rådvill"],
)
def test_classifier_crisis_without_any_risk_word_is_not_trusted(detector, text):
    message = _message(text, [("crisis", 1.0), ("ask_advice", 0.0)])
    detector.process([message])
    assert message.get(INTENT)[INTENT_NAME_KEY] == "ask_advice"


def test_classifier_crisis_with_a_risk_word_is_kept(detector):
    message = _message("det kjennes helt håpløst nå", [("crisis", 0.9), ("ask_advice", 0.1)])
    detector.process([message])
    assert message.get(INTENT)[INTENT_NAME_KEY] == "crisis"
