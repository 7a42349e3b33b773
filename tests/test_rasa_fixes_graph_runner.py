"""The model graph run without dask: the same results as Rasa's dask runner on the
trained model (NLU and policy predictions), nodes in dependency order, dask's errors."""
from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bench.messages import MESSAGES
from services.default_stack import MODEL, PROJECT_ROOT
from rasa_runtime.fixes import graph_runner
from tests.skips import missing

DASK_RUN = DaskGraphRunner.run  # Rasa's own: the tests never install the fix globally


@pytest.fixture(scope="module")
def agent():
    if not MODEL.exists():
        missing("live", f"no trained model at {MODEL.relative_to(PROJECT_ROOT)}: run `make train` (make test does)")
    from rasa.core.agent import Agent

    return Agent.load(str(MODEL))


@pytest.fixture
def with_runner(monkeypatch):
    def use(run):
        monkeypatch.setattr(DaskGraphRunner, "run", run)

    return use


def _parse_all(agent, texts):
    async def parse():
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(parse())


TEXTS = [*MESSAGES, "jeg orker ikke mer, jeg vil ikke leve", "kan jeg snakke med et menneske?", "", "hei"]


@pytest.mark.live  # the trained model, loaded in this process
def test_nlu_results_are_rasas(agent, with_runner):
    with_runner(DASK_RUN)
    expected = _parse_all(agent, TEXTS)
    with_runner(graph_runner.run)
    assert _parse_all(agent, TEXTS) == expected
    assert any(result["intent"]["name"] == "crisis" for result in expected)


def _trackers(agent):
    domain = agent.domain
    trackers = []
    for index, text in enumerate(TEXTS[:12]):
        parsed = _parse_all(agent, [text])[0]
        events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
        if index % 2:
            events += [UserUttered("hei", {"name": "greet", "confidence": 1.0}), ActionExecuted("utter_greet"),
                       ActionExecuted("action_listen"), SlotSet("role", "leder")]
        events.append(UserUttered(text, parsed["intent"], parsed["entities"]))
        trackers.append(DialogueStateTracker.from_events(f"c{index}", events, domain.slots))
    return trackers


def _predict_all(agent, trackers):
    predictions = [agent.processor._predict_next_with_tracker(tracker) for tracker in trackers]
    return [(p.max_confidence_index, p.policy_name, p.probabilities, p.events, p.is_end_to_end_prediction) for p in predictions]


@pytest.mark.live  # the trained model, loaded in this process
def test_policy_predictions_are_rasas(agent, with_runner):
    trackers = _trackers(agent)
    with_runner(DASK_RUN)
    expected = _predict_all(agent, trackers)
    with_runner(graph_runner.run)
    assert _predict_all(agent, trackers) == expected


def _toy(needs: dict[str, dict[str, str]], calls: list[str]):
    """A runner whose nodes record their call and return (name, what they got)."""

    def node(name):
        def call(*inputs):
            calls.append(name)
            return name, inputs

        return call

    schema = SimpleNamespace(nodes={name: SimpleNamespace(needs=n) for name, n in needs.items()})
    schema._all_dependencies_schema = lambda targets: _closure(needs, targets)
    schema.target_names = []
    return SimpleNamespace(
        _graph_schema=schema, _instantiated_nodes={name: node(name) for name in needs}, _execution_context=None
    )


def _closure(needs, targets):
    found = []
    for target in targets:
        found.append(target)
        found += _closure(needs, list(needs.get(target, {}).values()))
    return found


def test_each_node_runs_once_after_what_it_needs_and_gets_dasks_values():
    calls: list[str] = []
    runner = _toy(
        {"c": {"x": "a", "y": "b"}, "b": {"m": "a"}, "a": {"message": "__message__"}, "unused": {}}, calls
    )
    result = graph_runner.run(runner, inputs={"__message__": ["hei"]}, targets=["c"])
    assert calls == ["a", "b", "c"]
    a = ("a", (("__message__", ["hei"]),))
    assert result == {"c": (a, ("b", (a,)))}
    graph_runner.run(runner, inputs={"__message__": ["igjen"]}, targets=["c"])  # the order is kept
    assert calls == ["a", "b", "c"] * 2


def test_an_input_named_like_a_node_takes_its_place():
    calls: list[str] = []
    runner = _toy({"b": {"m": "a"}, "a": {}}, calls)
    assert graph_runner.run(runner, inputs={"a": 1}, targets=["b"]) == {"b": (("a", 1),)}
    assert calls == ["b"]


def test_dasks_errors():
    runner = _toy({"b": {"m": "a"}, "a": {}}, [])
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        graph_runner.run(runner, inputs={"x": "a"}, targets=["b"])
    cyclic = _toy({"b": {"m": "a"}, "a": {"m": "b"}}, [])
    with pytest.raises(GraphRunError):
        graph_runner.run(cyclic, targets=["b"])

    def fails(*_):
        raise ValueError("in the component")

    runner._instantiated_nodes["a"] = fails
    with pytest.raises(ValueError, match="in the component"):
        graph_runner.run(runner, targets=["b"])
