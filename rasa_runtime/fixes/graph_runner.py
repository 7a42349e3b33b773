"""Rasa runs its model graph (the NLU pipeline for every message, the policies for
every prediction) through `dask.get`: dask orders the graph again at each call and
hands each node through its scheduler's queues and futures. On this graph, a chain
of components plus two policies, that was about a tenth of Rasa's CPU per message.

Here the graph is run by calling the same nodes directly, each after the nodes it
needs, in an order worked out once per set of targets and inputs. Nodes get and
return exactly what dask gave them: inputs as `(name, value)`, each node's
`(name, output)`. Errors are raised as under dask: a node's own exception as it
is, a RuntimeError as `GraphRunError`, an input named like a node refused.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_runtime.fixes.tripwire import Fix

logger = logging.getLogger("rasa.engine.runner.dask")


def execution_order(schema: Any, targets: tuple[Text, ...], inputs: frozenset[Text]) -> tuple[Text, ...]:
    """The nodes the targets depend on, each after everything it needs. Inputs take
    the place of nodes of the same name, as in Rasa's dask graph (where nodes needed
    only by such a node still ran; Rasa's inputs, `__message__` and `__tracker__`,
    name no node)."""
    order: list[Text] = []
    placed: set[Text] = set()

    def place(name: Text, path: tuple[Text, ...]) -> None:
        if name in placed or name in inputs or name not in schema.nodes:
            return
        if name in path:
            raise RuntimeError(f"Cycle in the graph at node '{name}'.")
        for needed in schema.nodes[name].needs.values():
            place(needed, path + (name,))
        placed.add(name)
        order.append(name)

    for target in targets:
        place(target, ())
    return tuple(order)


def run(self: Any, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    """DaskGraphRunner.run without dask (see the module docstring)."""
    from rasa.engine.exceptions import GraphRunError

    run_targets = list(targets if targets else self._graph_schema.target_names)
    inputs = inputs or {}
    plans = self.__dict__.setdefault("_execution_plans", {})
    key = (tuple(run_targets), tuple(inputs))
    try:
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = _plan(self._graph_schema, *key)
        nodes_and_earlier_inputs, order = plan
        for index, value in enumerate(inputs.values()):
            if isinstance(value, str) and value in nodes_and_earlier_inputs[index]:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure "
                    f"that none of the input names passed to the `run` method are the "
                    f"same as node names in the graph schema."
                )
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(f"Running graph with inputs: {inputs}, targets: {targets} and {self._execution_context}.")
        results: Dict[Text, Any] = {name: (name, value) for name, value in inputs.items()}
        for name in order:
            needs = self._graph_schema.nodes[name].needs.values()
            results[name] = self._instantiated_nodes[name](*(results.get(n, n) for n in needs))
        return dict(results[target] for target in run_targets)
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e


def _plan(schema: Any, targets: tuple[Text, ...], input_names: tuple[Text, ...]) -> tuple[list[frozenset], tuple[Text, ...]]:
    """For each input, the names it must not clash with (the nodes Rasa's dask graph
    holds, and the inputs added before it); and the order to run the nodes in."""
    nodes = frozenset(name for name in schema._all_dependencies_schema(list(targets)) if name in schema.nodes)
    names_before = [nodes | frozenset(input_names[:index]) for index in range(len(input_names))]
    return names_before, execution_order(schema, targets, frozenset(input_names))


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    from rasa.engine.runner.dask import DaskGraphRunner

    DaskGraphRunner.run = run


FIX = Fix(
    name="graph_runner",
    originals={
        # run replaced; _build_dask_graph: the graph whose nodes and inputs `run` hands on alike.
        "rasa.engine.runner.dask:DaskGraphRunner.run": "45f0f52f574f3aa9546a552bf671183e171092c18b66e97f5771a7fa295de37e",
        "rasa.engine.runner.dask:DaskGraphRunner._build_dask_graph": "5bb99f974d512a36acb61caaf77aafc851b90c04ce4d02c262f230c75086cbee",
    },
    apply=apply,
)
