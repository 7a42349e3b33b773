"""Tests for the evaluation package: scoring arithmetic, dev-set validation, the baseline.

No network and no Rasa server: predictions are hand-made, data lives in tmp_path.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from evaluation.__main__ import main, render
from evaluation.baseline import NO_LABEL, Baseline, TrainingDataError, load_training_examples
from evaluation.dev_set import DevItem, DevSetError, load_dev_set, verbatim_in
from evaluation.scoring import TARGETS, Prediction, prediction_from_parse, score, verdicts


def item(text="x", role=None, topic=None, crisis=False, human=False) -> DevItem:
    as_tuple = lambda v: None if v is None else (v,) if isinstance(v, str) else tuple(v)  # noqa: E731
    return DevItem(text=text, role=as_tuple(role), topic=as_tuple(topic), crisis=crisis, human=human)


def pred(intent="ask", role=None, topic=None) -> Prediction:
    return Prediction(intent=intent, role=role, topic=topic)


# --- reading Rasa's parse response ----------------------------------------------------


def test_first_role_and_topic_entity_wins():
    response = {
        "intent": {"name": "ask_advice", "confidence": 0.9},
        "entities": [
            {"entity": "substance", "value": "alkohol"},
            {"entity": "role", "value": "kollega", "start": 10},
            {"entity": "topic", "value": "signaler"},
            {"entity": "role", "value": "leder", "start": 0},
            {"entity": "topic", "value": "policy"},
        ],
    }
    p = prediction_from_parse(response)
    assert (p.intent, p.role, p.topic) == ("ask_advice", "kollega", "signaler")
    assert not p.crisis and not p.human


def test_parse_response_without_entities_or_intent():
    p = prediction_from_parse({"intent": None, "entities": []})
    assert (p.intent, p.role, p.topic) == (None, None, None)
    assert prediction_from_parse({"intent": {"name": "crisis"}}).crisis
    assert prediction_from_parse({"intent": {"name": "request_human"}}).human


# --- scoring --------------------------------------------------------------------------


def test_role_accepts_any_listed_value_and_skips_null():
    items = [
        item("a", role="leder"),
        item("b", role=["selv", "kollega"]),
        item("c", role=["selv", "kollega"]),
        item("d", role=None),  # not scored, whatever is predicted
        item("e", role="bht"),
    ]
    preds = [pred(role="leder"), pred(role="kollega"), pred(role="leder"), pred(role="behandler"), pred(role=None)]
    role = score(items, preds)["role_accuracy"]
    assert (role.count, role.total) == (2, 4)
    assert role.value == pytest.approx(0.5)
    assert [(m.text, m.expected, m.got) for m in role.misses] == [
        ("c", "selv|kollega", "leder"),
        ("e", "bht", "(none)"),
    ]


def test_topic_null_items_do_not_count():
    items = [item("a", topic=None), item("b", topic="policy"), item("c", topic=["testing", "juridisk"])]
    preds = [pred(topic="signaler"), pred(topic="policy"), pred(topic="juridisk")]
    topic = score(items, preds)["topic_accuracy"]
    assert (topic.count, topic.total, topic.misses) == (2, 2, [])


def test_crisis_recall_and_false_alarms_are_counted_separately():
    items = [
        item("c1", crisis=True),
        item("c2", crisis=True),
        item("n1"),
        item("n2"),
        item("n3"),
        item("n4", human=True),
    ]
    preds = [
        pred("crisis"),
        pred("request_human"),  # a missed crisis, even though a human is involved
        pred("crisis"),  # false alarm
        pred("ask"),
        pred("ask"),
        pred("request_human"),
    ]
    m = score(items, preds)
    assert (m["crisis_recall"].count, m["crisis_recall"].total) == (1, 2)
    assert [(x.text, x.got) for x in m["crisis_recall"].misses] == [("c2", "request_human")]
    assert (m["crisis_false_alarm_rate"].count, m["crisis_false_alarm_rate"].total) == (1, 4)
    assert m["crisis_false_alarm_rate"].value == pytest.approx(0.25)
    assert [x.text for x in m["crisis_false_alarm_rate"].misses] == ["n1"]
    assert (m["human_recall"].count, m["human_recall"].total) == (1, 1)


def test_human_recall_misses_report_the_intent_given():
    items = [item("h1", human=True), item("h2", human=True), item("h3")]
    preds = [pred("request_human"), pred("greet"), pred("request_human")]
    human = score(items, preds)["human_recall"]
    assert (human.count, human.total) == (1, 2)
    assert [(x.text, x.expected, x.got) for x in human.misses] == [("h2", "request_human", "greet")]


def test_verdicts_at_and_around_the_thresholds():
    assert TARGETS["role_accuracy"].verdict(19 / 20) == "PASS"
    assert TARGETS["role_accuracy"].verdict(18 / 20) == "FAIL"
    assert TARGETS["topic_accuracy"].verdict(0.9) == "PASS"
    assert TARGETS["crisis_recall"].verdict(4 / 5) == "FAIL"
    assert TARGETS["crisis_recall"].verdict(1.0) == "PASS"
    assert TARGETS["crisis_false_alarm_rate"].verdict(1 / 34) == "PASS"
    assert TARGETS["crisis_false_alarm_rate"].verdict(1 / 33) == "FAIL"
    assert TARGETS["human_recall"].verdict(None) == "n/a"


def test_empty_categories_are_not_applicable_rather_than_perfect():
    m = score([item("a", role="leder")], [pred(role="leder")])
    assert m["crisis_recall"].value is None and m["human_recall"].value is None
    judged = verdicts(m)
    assert judged["role_accuracy"] == "PASS"
    assert judged["crisis_recall"] == "n/a"
    assert judged["crisis_false_alarm_rate"] == "PASS"  # 0 of 1 non-crisis items
    assert judged["topic_accuracy"] == "n/a"


def test_score_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        score([item(), item()], [pred()])


def test_render_shows_both_systems_and_misses():
    items = [item("a", role="leder", crisis=True)]
    results = {"rasa": None, "baseline": score(items, [pred(role="kollega")])}
    out = render(results)
    assert "not run" in out
    assert "FAIL" in out and "≥ 95 %" in out and "≤ 3 %" in out
    assert "'a'  expected leder, got kollega" in out
    assert "'a'  expected crisis, got ask" in out


# --- dev-set loader -------------------------------------------------------------------


def write(tmp_path: Path, body: str, name: str = "dev.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_dev_set_loads_values_lists_and_null(tmp_path):
    path = write(
        tmp_path,
        """
        items:
        - {text: "en", role: leder, topic: [policy, testing], crisis: false, human: false}
        - {text: "to", role: null, topic: null, crisis: true, human: true, note: extra keys are fine}
        """,
    )
    items = load_dev_set(path)
    assert items[0] == DevItem("en", ("leder",), ("policy", "testing"), False, False)
    assert items[1] == DevItem("to", None, None, True, True)


@pytest.mark.parametrize(
    "body, message",
    [
        ("- {text: a}\n", "items"),
        ("items: []\n", "empty"),
        ("items:\n- just a string\n", "mapping"),
        ("items:\n- {text: a, role: leder, topic: policy, crisis: false}\n", "human"),
        ("items:\n- {text: '', role: leder, topic: policy, crisis: false, human: false}\n", "text"),
        ("items:\n- {text: a, role: sjef, topic: policy, crisis: false, human: false}\n", "sjef"),
        ("items:\n- {text: a, role: leder, topic: [policy, rus], crisis: false, human: false}\n", "rus"),
        ("items:\n- {text: a, role: [], topic: policy, crisis: false, human: false}\n", "role"),
        ("items:\n- {text: a, role: leder, topic: policy, crisis: 'no', human: false}\n", "crisis"),
        ("items: [unclosed\n", "YAML"),
    ],
)
def test_dev_set_rejects_malformed_files(tmp_path, body, message):
    with pytest.raises(DevSetError, match=message):
        load_dev_set(write(tmp_path, body))


def test_verbatim_overlap_ignores_case_and_punctuation_only():
    items = [item("Hei, er du en robot?"), item("hei er du et menneske"), item("god morgen")]
    training = ["hei er du en ROBOT", "god  morgen!", "er du en robot"]
    assert [i.text for i in verbatim_in(items, training)] == ["Hei, er du en robot?", "god morgen"]


def test_dev_set_missing_file(tmp_path):
    with pytest.raises(DevSetError, match="not found"):
        load_dev_set(tmp_path / "nope.yml")


# --- baseline ---------------------------------------------------------------------------

TINY_NLU = """
version: "3.1"
nlu:
- intent: ask_advice
  metadata: {brief: test, role: leder, topic: policy}
  examples: |
    - jeg er leder og lurer på policy for alkohol
    - som sjef vil jeg vite om rusreglene våre
    - jeg er leder og trenger en policy
    - sjefen her, hvordan lager vi retningslinjer for rus
    - jeg er leder og vil skrive rusreglene
- intent: ask_advice
  metadata: {brief: test, role: kollega, topic: signaler}
  examples: |
    - jeg er kollega og ser tegn på drikking
    - min kollega virker bakfull, er det et faresignal
    - en kollega har endret seg og viser tegn på rus
    - jeg er kollega og ser faresignal hos en på jobb
- intent: ask_advice
  metadata: {brief: test, role: parorende, topic: tilbakefall}
  examples: |
    - mannen min har fått tilbakefall
    - kona mi har sprukket igjen
    - mannen min har sprukket etter behandling
    - kona mi fikk tilbakefall i helgen
- intent: crisis
  metadata: {brief: test, role: none, topic: none}
  examples: |
    - jeg vil ikke leve lenger
    - jeg tenker på å ta livet mitt
    - han har tatt en overdose og svarer ikke
    - hun er bevisstløs etter piller
    - jeg orker ikke mer, vil dø
- intent: request_human
  examples: |
    - kan jeg snakke med et menneske
    - jeg vil snakke med en veileder
    - hvordan ringer jeg dere
    - få meg over til en ekte person
    - kan en veileder ringe meg
- intent: greet
  examples: |
    - hei
    - hallo
    - god morgen
    - hei hei
"""


@pytest.fixture(scope="module")
def tiny_nlu(tmp_path_factory) -> Path:
    nlu_dir = tmp_path_factory.mktemp("nlu")
    (nlu_dir / "tiny.yml").write_text(TINY_NLU, encoding="utf-8")
    return nlu_dir


def test_training_examples_take_their_labels_from_the_metadata(tiny_nlu):
    examples = load_training_examples(tiny_nlu)
    by_text = {e.text: e for e in examples}
    assert len(examples) == 27
    sjef = by_text["som sjef vil jeg vite om rusreglene våre"]
    assert (sjef.intent, sjef.role, sjef.topic) == ("ask_advice", "leder", "policy")
    sjefen = by_text["sjefen her, hvordan lager vi retningslinjer for rus"]
    assert (sjefen.role, sjefen.topic) == ("leder", "policy")
    spouse = by_text["kona mi har sprukket igjen"]
    assert (spouse.role, spouse.topic) == ("parorende", "tilbakefall")
    assert (by_text["hei"].role, by_text["hei"].topic) == (NO_LABEL, NO_LABEL)


def test_baseline_predicts_sensibly_on_new_wording(tiny_nlu):
    baseline = Baseline.from_nlu(tiny_nlu)
    leader, spouse, crisis, human, hello = baseline.predict(
        [
            "jeg er leder og vil ha en policy",
            "mannen min har sprukket",
            "jeg vil ikke leve, tenker på å dø",
            "kan jeg få snakke med en veileder",
            "hei hallo",
        ]
    )
    assert (leader.intent, leader.role, leader.topic) == ("ask_advice", "leder", "policy")
    assert (spouse.role, spouse.topic) == ("parorende", "tilbakefall")
    assert crisis.crisis and not crisis.human
    assert human.human and not human.crisis
    assert hello.intent == "greet" and hello.role is None and hello.topic is None


def test_baseline_is_deterministic(tiny_nlu):
    texts = ["jeg er kollega og ser tegn", "hjelp meg", "sjefen min sier noe"]
    assert Baseline.from_nlu(tiny_nlu).predict(texts) == Baseline.from_nlu(tiny_nlu).predict(texts)


def test_baseline_rejects_missing_training_data(tmp_path):
    with pytest.raises(TrainingDataError):
        load_training_examples(tmp_path / "missing")


# --- command line ------------------------------------------------------------------------


def test_main_baseline_only_writes_figures_without_texts(tiny_nlu, tmp_path, capsys):
    dev = write(
        tmp_path,
        """
        items:
        - {text: "jeg er sjef og vil skrive rusregler", role: leder, topic: policy, crisis: false, human: false}
        - {text: "jeg orker ikke å leve mer", role: null, topic: null, crisis: true, human: false}
        - {text: "vil snakke med et menneske", role: null, topic: null, crisis: false, human: true}
        - {text: "Hei!", role: null, topic: null, crisis: false, human: false}
        """,
    )
    out_json = tmp_path / "figures.json"
    code = main(["--no-rasa", "--dev-set", str(dev), "--nlu", str(tiny_nlu), "--json", str(out_json), "--cv-folds", "0"])
    assert code == 0
    stdout = capsys.readouterr().out
    assert "not run" in stdout and "role accuracy" in stdout
    assert "1 item(s) also occur in the training data" in stdout
    figures = json.loads(out_json.read_text(encoding="utf-8"))
    assert figures["rasa"] is None
    assert figures["items"] == 4
    assert figures["items_in_training_data"] == 1
    assert figures["baseline"]["crisis_recall"]["total"] == 1
    assert figures["baseline"]["human_recall"]["total"] == 1
    assert "rusregler" not in out_json.read_text(encoding="utf-8")


def test_main_invalid_dev_set_exits_non_zero(tmp_path, capsys):
    code = main(["--no-rasa", "--dev-set", str(write(tmp_path, "items: 3\n"))])
    assert code == 2
    assert "items" in capsys.readouterr().err
