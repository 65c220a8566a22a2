"""store.lineage(): upstream / downstream closures over events, and the graph's exports."""

from __future__ import annotations

import json

import pytest

import datajourney.metadata as dj
from datajourney.metadata.errors import InvalidArgumentError, NotFoundError

IN, OUT = dj.EventType.INPUT, dj.EventType.OUTPUT


def _types(store):
    data = store.put_type(dj.ArtifactType(name="Data"))
    step = store.put_type(dj.ExecutionType(name="Step"))
    return data, step


def _run(store, step_type, inputs, outputs_n, data_type, name):
    """An execution reading ``inputs`` (artifacts) and writing ``outputs_n`` new artifacts."""
    outputs = [dj.Artifact(type_id=data_type, uri=f"/{name}/{i}") for i in range(outputs_n)]
    execution = dj.Execution(type_id=step_type, name=name)
    pairs = [(a, dj.Event(type=IN)) for a in inputs] + [(a, dj.Event(type=OUT)) for a in outputs]
    execution_id, ids, _ = store.put_execution(execution, pairs)
    for artifact, artifact_id in zip(outputs, ids[len(inputs) :]):
        artifact.id = artifact_id
    execution.id = execution_id
    return execution, outputs


def _chain(store, steps):
    data, step = _types(store)
    [seed_id] = store.put([dj.Artifact(type_id=data, uri="/seed")])
    seed = store.get_artifacts(ids=[seed_id])[0]
    artifacts, executions = [seed], []
    for i in range(steps):
        execution, [out] = _run(store, step, [artifacts[-1]], 1, data, f"s{i}")
        artifacts.append(out)
        executions.append(execution)
    return artifacts, executions


def test_upstream_of_a_long_chain_reaches_the_seed(store):
    artifacts, executions = _chain(store, 300)
    graph = store.lineage(artifacts[-1], "upstream")
    assert sorted(graph.artifacts) == sorted(a.id for a in artifacts)
    assert sorted(graph.executions) == sorted(e.id for e in executions)
    assert len(graph.events) == 600
    assert graph.path(artifacts[0], artifacts[-1])[0] == ("artifact", artifacts[0].id)
    assert len(graph.path(artifacts[0], artifacts[-1])) == 601


def test_max_hops_counts_events(store):
    artifacts, executions = _chain(store, 5)
    graph = store.lineage(artifacts[-1].id, "upstream", max_hops=3)
    assert sorted(graph.artifacts) == [artifacts[-2].id, artifacts[-1].id]
    assert sorted(graph.executions) == [executions[-2].id, executions[-1].id]
    assert len(graph.events) == 3
    only_me = store.lineage(artifacts[-1], "upstream", max_hops=0)
    assert list(only_me.artifacts) == [artifacts[-1].id] and not only_me.events


def test_a_dag_with_skip_connections_matches_a_graph_search(store):
    """Step k reads every earlier artifact: nodes are reached by paths of many lengths, and
    each is found once, at its shortest distance, with and without max_hops."""
    networkx = pytest.importorskip("networkx")
    data, step = _types(store)
    _, [seed] = _run(store, step, [], 1, data, "seed")
    artifacts = [seed]
    for k in range(25):
        _, [out] = _run(store, step, list(artifacts), 1, data, f"k{k}")
        artifacts.append(out)
    whole = store.lineage(artifacts[-1], "upstream")
    reference = networkx.DiGraph(
        (("artifact", e.artifact_id), ("execution", e.execution_id))
        if e.type == IN
        else (("execution", e.execution_id), ("artifact", e.artifact_id))
        for e in whole.events
    )
    target = ("artifact", artifacts[-1].id)
    assert len(whole.artifacts) == 26 and len(whole.executions) == 26
    assert set(networkx.ancestors(reference, target)) | {target} == set(whole.to_networkx().nodes)
    for hops in (1, 2, 3, 5):
        near = store.lineage(artifacts[-1], "upstream", max_hops=hops)
        distance = dict(networkx.single_target_shortest_path_length(reference, target))
        assert set(near.to_networkx().nodes) == {node for node, d in distance.items() if d <= hops}


def test_directions_and_execution_focus(store):
    artifacts, executions = _chain(store, 4)
    middle = executions[1]
    up = store.lineage(middle, "upstream")
    down = store.lineage(middle, "downstream")
    both = store.lineage(middle)
    assert sorted(up.artifacts) == [artifacts[0].id, artifacts[1].id]
    assert sorted(down.artifacts) == [a.id for a in artifacts[2:]]
    assert set(both.artifacts) == set(up.artifacts) | set(down.artifacts)
    assert both.upstream().artifacts.keys() == up.artifacts.keys()
    assert both.downstream().executions.keys() == down.executions.keys()


def test_fan_in_and_fan_out(store):
    data, step = _types(store)
    sources = []
    for i in range(3):
        _, [a] = _run(store, step, [], 1, data, f"ingest{i}")
        sources.append(a)
    _, [joined] = _run(store, step, sources, 1, data, "join")
    consumers = [_run(store, step, [joined], 2, data, f"use{i}") for i in range(4)]
    up = store.lineage(joined, "upstream")
    assert sorted(up.artifacts) == sorted([joined.id] + [a.id for a in sources])
    assert len(up.executions) == 4  # three ingests and the join
    down = store.lineage(joined, "downstream")
    assert len(down.executions) == 4 and len(down.artifacts) == 1 + 8
    # an unrelated branch never leaks in: the other sources are not downstream of one source
    assert set(store.lineage(sources[0], "downstream").artifacts).isdisjoint(
        {sources[1].id, sources[2].id}
    )
    with pytest.raises(NotFoundError):
        up.path(consumers[0][1][0], joined)


def test_contexts_come_along(store):
    data, step = _types(store)
    ctx_type = store.put_type(dj.ContextType(name="Experiment"))
    execution = dj.Execution(type_id=step)
    out = dj.Artifact(type_id=data, uri="/out")
    context = dj.Context(type_id=ctx_type, name="exp-1")
    _, [out_id], [ctx_id] = store.put_execution(execution, [(out, dj.Event(type=OUT))], [context])
    graph = store.lineage(out_id, "upstream")
    assert [c.name for c in graph.contexts.values()] == ["exp-1"]
    assert graph.memberships[("artifact", out_id)] == [ctx_id]


def test_exports(store):
    artifacts, _ = _chain(store, 2)
    graph = store.lineage(artifacts[-1], "upstream")
    dot = graph.to_dot()
    assert dot.startswith("digraph lineage {") and dot.count("->") == 4
    mermaid = graph.to_mermaid()
    assert mermaid.startswith("flowchart LR") and mermaid.count("-->") == 4
    data = json.loads(graph.to_json())
    assert data["focus"] == {"kind": "artifact", "id": artifacts[-1].id}
    assert [a["uri"] for a in data["artifacts"]] == ["/seed", "/s0/0", "/s1/0"]
    assert {e["type"] for e in data["events"]} == {"INPUT", "OUTPUT"}
    networkx = pytest.importorskip("networkx")
    g = graph.to_networkx()
    assert isinstance(g, networkx.DiGraph) and g.number_of_edges() == 4


def test_bad_requests(store):
    artifacts, _ = _chain(store, 1)
    with pytest.raises(NotFoundError):
        store.lineage(12345)
    with pytest.raises(InvalidArgumentError):
        store.lineage(artifacts[0], "sideways")
    with pytest.raises(InvalidArgumentError):
        store.lineage(artifacts[0], max_hops=-1)
    with pytest.raises(InvalidArgumentError):
        store.lineage(dj.Artifact(type_id=1))  # never stored: no id
