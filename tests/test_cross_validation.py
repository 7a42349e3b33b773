"""The grouped cross-validation of `make eval`: folds by brief, every message scored once, read as Rasa reads."""
from __future__ import annotations

import multiprocessing

import pytest

from akan_nlu.reading import Reading, Thresholds
from akan_nlu.sentence_model import LabelledText, ModelSettings, SentenceModel
from akan_nlu.norwegian import normalise
from evaluation.cross_validation import SCORED_HEADS, Explicit, cross_validate, figures, percent, readings, splits
from evaluation.fold_pool import FoldPool
from evaluation.learning import CrossValidationRun

SETTINGS = ModelSettings(max_char_features=500)

# Four briefs, each with the same kinds of message in its own words.
EXAMPLES = [
    example
    for brief, (leader, spouse, crisis, person) in {
        "a": ("jeg er leder og en ansatt lukter alkohol", "mannen min drikker hver kveld",
              "jeg ser ingen vei ut lenger", "kan jeg snakke med en veileder"),
        "b": ("en i teamet mitt virker bakfull hver mandag", "kona mi drikker i smug",
              "jeg vil ikke leve mer", "får jeg prate med et menneske"),
        "c": ("som avdelingsleder ser jeg at en medarbeider drikker", "samboeren min drikker for mye",
              "jeg har samlet opp piller og vil dø", "jeg vil snakke med en veileder nå"),
        "d": ("medarbeideren min lukter alkohol på jobb", "mannen min drikker seg full hver helg",
              "har tenkt å ta livet mitt i natt", "kan noen ringe meg, en veileder"),
    }.items()
    for example in (
        LabelledText(leader, "ask_advice", role="leder", topic="signaler", brief=brief),
        LabelledText(spouse, "ask_advice", role="parorende", topic="signaler", brief=brief),
        LabelledText(crisis, "crisis", crisis=True, brief=brief),
        LabelledText(person, "request_human", human=True, brief=brief),
        LabelledText(f"møtene tar livet av meg ({brief})", "out_of_scope", brief=brief),
    )
]


@pytest.fixture(scope="module")
def explicit() -> Explicit:
    return Explicit.load()


def test_every_message_is_scored_once_across_the_folds(explicit):
    total = cross_validate(EXAMPLES, SETTINGS, Thresholds(), explicit, folds=4)
    assert total["role"][1] == total["topic"][1] == 8
    assert total["crisis_recall"][1] == 4
    assert total["crisis_false_alarms"][1] == len(EXAMPLES) - 4
    assert total["human_recall"][1] == 4
    for count, seen in total.values():
        assert 0 <= count <= seen


def test_the_safety_patterns_find_the_crises_a_tiny_model_cannot(explicit):
    with_patterns = cross_validate(EXAMPLES, SETTINGS, Thresholds(crisis=1.01), explicit, folds=4)
    without = cross_validate(EXAMPLES, SETTINGS, Thresholds(crisis=1.01), explicit, folds=4, use_explicit=False)
    assert without["crisis_recall"][0] == 0  # no probability reaches 1.01
    assert with_patterns["crisis_recall"][0] > 0


def test_a_learning_curve_point_trains_on_part_of_each_fold(explicit, monkeypatch):
    sizes = []
    fit = SentenceModel.fit

    def recording_fit(self, examples, *args, **kwargs):
        sizes.append(len(examples))
        return fit(self, examples, *args, **kwargs)

    monkeypatch.setattr(SentenceModel, "fit", recording_fit)
    total = cross_validate(EXAMPLES, SETTINGS, Thresholds(), explicit, folds=4, fraction=0.5)
    assert sizes == [7, 7, 7, 7]  # half of the 15 messages of the three other briefs
    assert total["crisis_recall"][1] == 4  # every held-out message is still read


def test_readings_work_on_a_model_without_the_intent_head(explicit):
    """The cross-validation fits no intent head; the labelled intent sets the topic's threshold."""
    model = SentenceModel(SETTINGS).fit(EXAMPLES, heads=SCORED_HEADS)
    texts = ["jeg er verneombud og lurer på noe", "jeg ser ingen vei ut lenger"]
    # The tiny model knows no ansattrepresentant; with the stated role always first, only the
    # explicit layer can name it.
    stated_first = Thresholds(learned_over_stated=1.01)
    found = readings(model, texts, explicit, stated_first, intents=["ask_advice", "crisis"])
    assert found[0].role == "ansattrepresentant"  # stated, from the explicit layer
    assert found[1].crisis and not found[1].human
    unstated = readings(model, texts[:1], explicit, stated_first, use_explicit=False)
    assert unstated[0].role != "ansattrepresentant"  # the tiny model never saw one


def test_figures_count_crisis_and_person_and_none_labels():
    examples = [
        LabelledText("a", role="leder", topic=None, crisis=True, human=True),
        LabelledText("b", role=None, topic="policy"),
    ]
    found = [Reading("leder", None, crisis=True, human=False), Reading("selv", "testing", crisis=True, human=False)]
    total = figures(examples, found)
    assert total == {
        "role": (1, 1), "topic": (0, 1), "crisis_recall": (1, 1), "crisis_false_alarms": (1, 1),
        "human_recall": (0, 1),
    }
    assert percent(total["topic"]) == 0.0 and percent((0, 0)) is None


def test_folds_in_worker_processes_give_the_same_figures(explicit):
    """make eval runs the folds in a pool of processes; the figures are those of one after another."""
    normalised = [normalise(e.text) for e in EXAMPLES]
    one_by_one = cross_validate(EXAMPLES, SETTINGS, Thresholds(), explicit, folds=4, fraction=0.5, normalised=normalised)
    with FoldPool(EXAMPLES, normalised, processes=2) as pool:
        futures = [pool.submit(split, SETTINGS, Thresholds()) for split in splits(EXAMPLES, 4, fraction=0.5)]
        assert pool.total(futures) == one_by_one


def test_cross_validation_run_prints_every_row_in_order_with_the_figures_of_one_fold_after_another(explicit, capsys):
    """make eval submits the folds largest first; the rows still print in order, and the whole
    system's figures are those of the folds one after another."""
    normalised = [normalise(e.text) for e in EXAMPLES]
    one_by_one = cross_validate(EXAMPLES, ModelSettings(), Thresholds(), explicit, folds=4, normalised=normalised)
    with CrossValidationRun(EXAMPLES, folds=4) as run:
        figures_by_row = run.print_figures()
    printed = capsys.readouterr().out
    assert printed.index("learning curve 25 %") < printed.index("whole system")
    assert "4 folds grouped by brief" in printed
    assert set(figures_by_row) == {"fraction_0.25", "fraction_1.0"}
    assert {k: tuple(v) for k, v in figures_by_row["fraction_1.0"].items()} == one_by_one


def test_a_pool_abandoned_stops_its_workers_without_finishing_the_folds():
    """When the evaluation ends with an error before the figures are asked for, nobody waits for them."""
    normalised = [normalise(e.text) for e in EXAMPLES]
    with FoldPool(EXAMPLES, normalised, processes=1) as pool:
        pending = [pool.submit(split, SETTINGS, Thresholds()) for split in splits(EXAMPLES, 4)]
        pool.abandon()
    assert not any(result.ready() for result in pending)
    assert multiprocessing.active_children() == []


def test_a_cross_validation_run_left_without_its_figures_abandons_its_folds():
    with CrossValidationRun(EXAMPLES, folds=4) as run:
        pending = [result for results in run._results.values() for result in results]
    assert len(pending) == 8 and not any(result.ready() for result in pending)
    assert multiprocessing.active_children() == []
