"""Lineage subgraphs: the native engine, and ``get_lineage_subgraph`` against ml-metadata 1.17.1.

The differential half builds graphs with the real ml-metadata (the peer interpreter) into SQLite
files, runs a table of LineageSubgraphQueryOptions and field masks on each file with both
libraries, and compares the LineageGraph messages (text format, clock fields cleared): first as
multisets per field, then in order. The graph builder and the query runner below are plain
functions of the ``metadata_store`` / ``metadata_store_pb2`` modules they are given; the peer
runs their source (``inspect.getsource``), so both sides use the same code.

Run the peer half by hand::

    .venv/bin/python -m pytest tests/metadata/test_lineage_subgraph.py -k matches
"""

from __future__ import annotations

import inspect
import json
import os
import random
import subprocess
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from datajourney.metadata import (
    Artifact,
    ArtifactType,
    Association,
    Attribution,
    Context,
    ContextType,
    Event,
    EventType,
    Execution,
    ExecutionType,
    MetadataStore,
)
from datajourney.metadata.errors import InvalidArgumentError, NotFoundError
from datajourney.metadata.lineage import (
    MAX_NUM_HOPS,
    MAX_STARTING_NODES,
    PARTS,
    Direction,
    EndingNodes,
    LineageSubgraph,
    lineage_subgraph,
)
from datajourney.metadata.model import OUTPUT_EVENT_TYPES, NodeKind
from datajourney.metadata.sql import subgraph_walk
from tests.peer import mlmd_python

# ---------------------------------------------------------------------------------------------
# Shared by both sides of the differential test (the peer runs this source): keep these
# functions self-contained, importing only the standard library and google.protobuf.
# ---------------------------------------------------------------------------------------------


def build_graphs(ms: Any, pb: Any, workdir: str) -> dict[str, str]:
    """Write the test graphs, one SQLite file each; returns {graph name: path}."""
    import os
    import random

    rng = random.Random(20240517)
    paths: dict[str, str] = {}
    INPUT, OUTPUT = pb.Event.INPUT, pb.Event.OUTPUT

    def open_store(name: str) -> Any:
        path = os.path.join(workdir, name + ".sqlite")
        config = pb.ConnectionConfig()
        config.sqlite.filename_uri = path
        config.sqlite.connection_mode = 3
        paths[name] = path
        return ms.MetadataStore(config)

    def put_types(store: Any) -> dict[str, int]:
        # Interleaved, so type ids do not follow node ids; enough of them that small Python
        # sets of type ids do not iterate in numeric order.
        t = {}
        stats = pb.ArtifactType(name="Stats")
        t["Stats"] = store.put_artifact_type(stats)
        trainer = pb.ExecutionType(
            name="Trainer", base_type=pb.ExecutionType.TRAIN, external_id="t-trainer"
        )
        trainer.properties["lr"] = pb.DOUBLE
        t["Trainer"] = store.put_execution_type(trainer)
        dataset = pb.ArtifactType(
            name="DataSet",
            version="v1",
            description="rows",
            external_id="t-dataset",
            base_type=pb.ArtifactType.DATASET,
        )
        dataset.properties["split"] = pb.STRING
        dataset.properties["version"] = pb.INT
        t["DataSet"] = store.put_artifact_type(dataset)
        t["Run"] = store.put_context_type(pb.ContextType(name="Run"))
        t["Transform"] = store.put_execution_type(pb.ExecutionType(name="Transform", version="2"))
        model = pb.ArtifactType(name="Model", base_type=pb.ArtifactType.MODEL)
        model.properties["accuracy"] = pb.DOUBLE
        t["Model"] = store.put_artifact_type(model)
        t["Evaluator"] = store.put_execution_type(pb.ExecutionType(name="Evaluator"))
        experiment = pb.ContextType(name="Experiment", description="e", external_id="t-exp")
        experiment.properties["note"] = pb.STRING
        t["Experiment"] = store.put_context_type(experiment)
        t["Pipeline"] = store.put_context_type(pb.ContextType(name="Pipeline"))
        return t

    def kind_of(name: str) -> str:
        return {"d": "DataSet", "m": "Model", "s": "Stats"}.get(name[0], "DataSet")

    def exec_kind(name: str) -> str:
        return {"t": "Trainer", "x": "Transform", "v": "Evaluator"}.get(name[0], "Trainer")

    def put_nodes(store: Any, t: dict, artifacts: list, executions: list) -> dict[str, int]:
        """Create the named nodes in a shuffled order, so ids do not follow the graph."""
        ids = {}
        order = [("a", n) for n in artifacts] + [("e", n) for n in executions]
        rng.shuffle(order)
        for what, name in order:
            if what == "a":
                a = pb.Artifact(type_id=t[kind_of(name)], name=name, uri="/data/" + name)
                if kind_of(name) == "DataSet":
                    a.properties["split"].string_value = "train" if len(name) % 2 else "eval"
                    a.properties["version"].int_value = len(name)
                if kind_of(name) == "Model":
                    a.properties["accuracy"].double_value = 0.5
                    a.state = pb.Artifact.LIVE
                a.custom_properties["tag"].string_value = name.upper()
                [ids[name]] = store.put_artifacts([a])
            else:
                e = pb.Execution(type_id=t[exec_kind(name)], name=name)
                if exec_kind(name) == "Trainer":
                    e.properties["lr"].double_value = 0.1
                    e.last_known_state = pb.Execution.COMPLETE
                e.custom_properties["n"].int_value = len(name)
                [ids[name]] = store.put_executions([e])
        return ids

    def put_events(store: Any, ids: dict, edges: list) -> None:
        """edges: (artifact, execution, event type[, path]); stored in a shuffled order."""
        edges = list(edges)
        rng.shuffle(edges)
        events = []
        for edge in edges:
            e = pb.Event(artifact_id=ids[edge[0]], execution_id=ids[edge[1]], type=edge[2])
            for step in edge[3] if len(edge) > 3 else ():
                if isinstance(step, int):
                    e.path.steps.add().index = step
                else:
                    e.path.steps.add().key = step
            events.append(e)
        store.put_events(events)

    def put_contexts(store: Any, t: dict, ids: dict, members: dict) -> None:
        """members: {context name: (context type, [node names])}; links in a shuffled order."""
        names = list(members)
        rng.shuffle(names)
        cids = {}
        for name in names:
            c = pb.Context(type_id=t[members[name][0]], name=name)
            if members[name][0] == "Experiment":
                c.properties["note"].string_value = "n-" + name
            [cids[name]] = store.put_contexts([c])
        attributions, associations = [], []
        for name, (_, nodes) in members.items():
            for node in nodes:
                if node[0] in "tvx":
                    associations.append(
                        pb.Association(context_id=cids[name], execution_id=ids[node])
                    )
                else:
                    attributions.append(
                        pb.Attribution(context_id=cids[name], artifact_id=ids[node])
                    )
        rng.shuffle(attributions)
        rng.shuffle(associations)
        store.put_attributions_and_associations(attributions, associations)

    # chain: d0 -> t1 -> d1 -> x2 -> d2 -> t3 -> d3 -> v4 -> m4, plus a lone artifact.
    store = open_store("chain")
    t = put_types(store)
    arts = ["d0", "d1", "d2", "d3", "m4", "dlone"]
    exes = ["t1", "x2", "t3", "v4"]
    ids = put_nodes(store, t, arts, exes)
    edges = []
    for i, e in enumerate(exes):
        edges.append((arts[i], e, INPUT, ["in", i]))
        edges.append((arts[i + 1], e, OUTPUT, [i, "out"]))
    put_events(store, ids, edges)
    put_contexts(
        store,
        t,
        ids,
        {
            "exp": ("Experiment", arts + exes),
            "run1": ("Run", ["d0", "t1", "d1"]),
            "run2": ("Run", ["d2", "t3", "d3", "v4"]),
            "pipe": ("Pipeline", ["x2"]),
        },
    )

    # fan: many inputs to one execution, many outputs, one artifact read by several.
    store = open_store("fan")
    t = put_types(store)
    ins = [f"d_in{i}" for i in range(8)]
    outs = [f"m_out{i}" for i in range(5)]
    arts = [*ins, *outs, "s_metrics", "d_raw"]
    exes = ["t_train", "x_prep", "v_eval", "v_eval2", "v_eval3"]
    ids = put_nodes(store, t, arts, exes)
    edges = [(a, "t_train", INPUT) for a in ins]
    edges += [(a, "t_train", OUTPUT, ["model", i]) for i, a in enumerate(outs)]
    edges += [("d_raw", "x_prep", INPUT)] + [(a, "x_prep", OUTPUT) for a in ins[:4]]
    edges += [(a, "v_eval", INPUT) for a in outs[:3]] + [("s_metrics", "v_eval", OUTPUT)]
    edges += [
        ("d_in0", "v_eval2", INPUT),
        ("d_in0", "v_eval3", INPUT),
        ("m_out4", "v_eval3", INPUT),
    ]
    put_events(store, ids, edges)
    put_contexts(
        store,
        t,
        ids,
        {
            "exp": ("Experiment", ["t_train", "d_in0", "m_out0"]),
            "run_a": ("Run", [*ins[:4], "x_prep", "d_raw"]),
            "run_b": ("Run", [*outs, "v_eval", "s_metrics"]),
        },
    )

    # diamond: d0 feeds x1 and x2, both feed t3 (so does d0 directly), then v4.
    store = open_store("diamond")
    t = put_types(store)
    arts = ["d0", "d1", "d2", "m3", "s4", "d5"]
    exes = ["x1", "x2", "t3", "v4", "x5"]
    ids = put_nodes(store, t, arts, exes)
    edges = [
        ("d0", "x1", INPUT),
        ("d0", "x2", INPUT),
        ("d1", "x1", OUTPUT),
        ("d2", "x2", OUTPUT),
        ("d1", "t3", INPUT),
        ("d2", "t3", INPUT),
        ("d0", "t3", INPUT),
        ("m3", "t3", OUTPUT),
        ("m3", "v4", INPUT),
        ("s4", "v4", OUTPUT),
        ("d2", "x5", INPUT),
        ("d5", "x5", OUTPUT),
        ("d5", "v4", INPUT),
    ]
    put_events(store, ids, edges)
    put_contexts(
        store,
        t,
        ids,
        {
            "exp": ("Experiment", ["d0", "m3"]),
            "left": ("Run", ["x1", "d1"]),
            "right": ("Run", ["x2", "d2", "x5", "d5"]),
            "eval": ("Pipeline", ["v4", "s4", "m3"]),
        },
    )

    # events: every event type; an execution that reads and rewrites the same artifact.
    store = open_store("events")
    t = put_types(store)
    arts = ["d0", "d1", "d2", "m3", "s4", "d5"]
    exes = ["t1", "x2", "v3", "t4"]
    ids = put_nodes(store, t, arts, exes)
    edges = [
        ("d0", "t1", pb.Event.DECLARED_INPUT, ["a", 0]),
        ("d1", "t1", pb.Event.DECLARED_OUTPUT),
        ("d1", "x2", pb.Event.INTERNAL_INPUT),
        ("d2", "x2", pb.Event.INTERNAL_OUTPUT, ["b"]),
        ("d2", "v3", INPUT),
        ("m3", "v3", pb.Event.PENDING_OUTPUT),
        ("m3", "t4", INPUT),
        ("m3", "t4", OUTPUT),
        ("s4", "t4", OUTPUT, [1, 2, 3]),
        ("d5", "t4", pb.Event.DECLARED_INPUT),
        ("d5", "t4", INPUT),
        ("d0", "v3", pb.Event.INTERNAL_INPUT),
    ]
    put_events(store, ids, edges)
    put_contexts(store, t, ids, {"exp": ("Experiment", ["t1", "x2", "v3", "t4", "d0", "s4"])})

    # contexts: nodes in many contexts of several types.
    store = open_store("contexts")
    t = put_types(store)
    arts = ["d0", "d1", "m2", "s3"]
    exes = ["t1", "v2", "x3"]
    ids = put_nodes(store, t, arts, exes)
    put_events(
        store,
        ids,
        [
            ("d0", "t1", INPUT),
            ("d1", "t1", INPUT),
            ("m2", "t1", OUTPUT),
            ("m2", "v2", INPUT),
            ("s3", "v2", OUTPUT),
            ("s3", "x3", INPUT),
        ],
    )
    members = {
        f"c{i}": (("Experiment", "Run", "Pipeline")[i % 3], rng.sample(arts + exes, 3))
        for i in range(9)
    }
    members["only_x3"] = ("Pipeline", ["x3"])
    put_contexts(store, t, ids, members)

    # wide: more matching starting nodes than ml-metadata uses.
    store = open_store("wide")
    t = put_types(store)
    arts = [f"d{i}" for i in range(130)]
    ids = put_nodes(store, t, arts, ["t_sink", "x_src"])
    edges = [(a, "t_sink", INPUT) for a in arts[::3]] + [(a, "x_src", OUTPUT) for a in arts[100:]]
    put_events(store, ids, edges)

    # long: a chain of 120 hops, longer than the hop limit.
    store = open_store("long")
    t = put_types(store)
    arts = [f"d{i}" for i in range(61)]
    exes = [f"t{i}" for i in range(1, 61)]
    ids = put_nodes(store, t, arts, exes)
    edges = [(arts[i - 1], exes[i - 1], INPUT) for i in range(1, 61)]
    edges += [(arts[i], exes[i - 1], OUTPUT) for i in range(1, 61)]
    put_events(store, ids, edges)
    return paths


def query_specs(graph: str) -> list[dict]:
    """The option sets run on one graph: {start, filter, hops, direction, ending_*, mask}."""
    starts = {
        "chain": [
            ("artifacts", "name = 'd0'"),
            ("artifacts", "name = 'd2'"),
            ("executions", "name = 'x2'"),
            ("artifacts", "name = 'm4' OR name = 'dlone'"),
        ],
        "fan": [
            ("artifacts", "name = 'd_in0'"),
            ("executions", "name = 't_train'"),
            ("artifacts", "name LIKE 'm_out%'"),
            ("executions", "type = 'Evaluator'"),
        ],
        "diamond": [
            ("artifacts", "name = 'd0'"),
            ("artifacts", "name = 's4'"),
            ("executions", "name = 't3'"),
            ("artifacts", "name = 'd2'"),
        ],
        "events": [
            ("artifacts", "name = 'd0'"),
            ("artifacts", "name = 'm3'"),
            ("executions", "name = 't4'"),
            ("artifacts", "name = 's4'"),
        ],
        "contexts": [
            ("artifacts", "name = 'd0'"),
            ("executions", "name = 'v2'"),
            ("artifacts", "contexts_c.name = 'c1'"),
        ],
        "wide": [
            ("artifacts", "type = 'DataSet'"),
            ("artifacts", "name = 'd120'"),
            ("executions", "name = 'x_src'"),
        ],
        "long": [("artifacts", "name = 'd0'"), ("executions", "name = 't60'")],
    }[graph]
    endings = {
        "chain": [
            ("artifacts", "name = 'd2'"),
            ("executions", "name = 't3'"),
            ("artifacts", "name = 'd0'"),
        ],
        "fan": [("artifacts", "type = 'Model'"), ("executions", "name = 'x_prep'")],
        "diamond": [
            ("artifacts", "name = 'd2'"),
            ("executions", "name = 't3'"),
            ("executions", "type = 'Transform'"),
        ],
        "events": [("artifacts", "name = 'm3'"), ("executions", "name = 'x2'")],
        "contexts": [("artifacts", "name = 'm2'")],
        "wide": [("executions", "name = 't_sink'")],
        "long": [("artifacts", "name = 'd30'"), ("executions", "name = 't50'")],
    }[graph]
    hop_values = [None, 0, 1, 2, 3, 5] if graph != "long" else [None, 0, 7, 99, 100, 101, 1000]
    specs = []
    for start, query in starts:
        for direction in (0, 1, 2, 3):
            for hops in hop_values:
                specs.append(
                    {"start": start, "filter": query, "hops": hops, "direction": direction}
                )
            for kind, end_query in endings:
                for include in (False, True):
                    specs.append(
                        {
                            "start": start,
                            "filter": query,
                            "hops": None if graph != "long" else 100,
                            "direction": direction,
                            "ending_" + kind: [end_query, include],
                        }
                    )
        specs.append(
            {
                "start": start,
                "filter": query,
                "hops": 4,
                "direction": 3,
                "ending_artifacts": [endings[0][1], True],
                "ending_executions": ["type = 'Trainer'", False],
            }
        )
    start, query = starts[0]
    masks = [
        [],
        ["artifacts"],
        ["executions"],
        ["contexts"],
        ["events"],
        ["attributions"],
        ["associations"],
        ["artifact_types"],
        ["execution_types"],
        ["context_types"],
        ["artifacts", "artifact_types"],
        ["executions", "execution_types"],
        ["contexts", "context_types"],
        ["artifact_types", "events"],
        ["execution_types", "context_types"],
        ["context_types", "attributions", "contexts"],
        ["parent_contexts"],
        ["no_such_field"],
        ["artifacts.id"],
        ["events", "events"],
        [
            "artifact_types",
            "execution_types",
            "context_types",
            "artifacts",
            "executions",
            "contexts",
            "events",
            "attributions",
            "associations",
            "parent_contexts",
        ],
    ]
    for mask in masks:
        specs.append({"start": start, "filter": query, "direction": 3, "mask": mask})
        specs.append({"start": start, "filter": query, "direction": 1, "hops": 2, "mask": mask})
    specs += [
        {"start": None},
        {"start": None, "hops": -1},
        {"start": start, "filter": None},
        {"start": start, "filter": ""},
        {"start": start, "filter": query, "hops": -1},
        {"start": start, "filter": "name = 'no such node'"},
        {"start": start, "filter": "name = 'no such node'", "hops": -2},
        {"start": start, "filter": "id = = 1"},
        {"start": start, "filter": "no_such_attribute = 1"},
        {"start": start, "filter": query, "ending_artifacts": ["id = = 1", False]},
        {"start": start, "filter": query, "ending_executions": ["id = = 1", True]},
        {"start": start, "filter": query, "hops": 0, "ending_executions": ["id = = 1", True]},
        {"start": start, "filter": query, "ending_artifacts": ["", False]},
        {"start": start, "filter": query, "ending_executions": ["", True]},
        {"start": start, "filter": query, "ending_executions": [None, True]},
        {"start": start, "filter": query, "ending_artifacts": [None, False]},
    ]
    return specs


def run_specs(ms: Any, pb: Any, path: str, specs: list) -> list:
    """Each spec's LineageGraph as {field: [one-line text per item]}, or {"error": class}."""
    from google.protobuf import text_format

    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = path
    config.sqlite.connection_mode = 3
    store = ms.MetadataStore(config)
    volatile = (
        "create_time_since_epoch",
        "last_update_time_since_epoch",
        "milliseconds_since_epoch",
    )
    results = []
    for spec in specs:
        options = pb.LineageSubgraphQueryOptions()
        if spec.get("start"):
            starting = getattr(options, "starting_" + spec["start"])
            starting.SetInParent()
            if spec.get("filter") is not None:
                starting.filter_query = spec["filter"]
        if spec.get("hops") is not None:
            options.max_num_hops = spec["hops"]
        if spec.get("direction"):
            options.direction = spec["direction"]
        for kind in ("artifacts", "executions"):
            ending = spec.get("ending_" + kind)
            if ending is not None:
                message = getattr(options, "ending_" + kind)
                message.SetInParent()
                if ending[0] is not None:
                    message.filter_query = ending[0]
                if ending[1]:
                    message.include_ending_nodes = True
        try:
            graph = store.get_lineage_subgraph(options, spec.get("mask"))
        except Exception as error:
            results.append({"error": type(error).__name__})
            continue
        found = {}
        for field in graph.DESCRIPTOR.fields:
            items = []
            for item in getattr(graph, field.name):
                copy = type(item)()
                copy.CopyFrom(item)
                for name in volatile:
                    if name in copy.DESCRIPTOR.fields_by_name:
                        copy.ClearField(name)
                items.append(text_format.MessageToString(copy, as_one_line=True))
            if items:
                found[field.name] = items
        results.append(found)
    return results


_PEER_MAIN = """
import json
import sys

from ml_metadata.metadata_store import metadata_store as ms
from ml_metadata.proto import metadata_store_pb2 as pb

paths = build_graphs(ms, pb, sys.argv[1])
results = {name: run_specs(ms, pb, path, query_specs(name)) for name, path in paths.items()}
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump({"paths": paths, "results": results}, out)
"""


# ---------------------------------------------------------------------------------------------
# Differential tests
# ---------------------------------------------------------------------------------------------

GRAPHS = ("chain", "fan", "diamond", "events", "contexts", "wide", "long")
PEER_TIMEOUT_S = 600


@pytest.fixture(scope="module")
def peer_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Graphs built and queried by ml-metadata 1.17.1: {"paths": ..., "results": ...}."""
    python = mlmd_python()
    workdir = tmp_path_factory.mktemp("lineage_peer")
    script = workdir / "peer_lineage.py"
    shared = (inspect.getsource(f) for f in (build_graphs, query_specs, run_specs))
    script.write_text(
        "from __future__ import annotations\nfrom typing import Any\n\n"
        + "\n\n".join(shared)
        + textwrap.dedent(_PEER_MAIN),
        encoding="utf-8",
    )
    out = workdir / "peer.json"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [python, str(script), str(workdir), str(out)],
        capture_output=True,
        text=True,
        timeout=PEER_TIMEOUT_S,
        check=False,
        env=env,
        cwd=workdir,
    )
    if done.returncode != 0 or not out.exists():
        pytest.fail(f"the peer script exited {done.returncode}:\n{done.stderr[-4000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def our_results(peer_run: dict[str, Any]) -> dict[str, list]:
    """The same queries through ``datajourney.mlmd`` on the peer's files."""
    from datajourney.mlmd.metadata_store import metadata_store as ms
    from datajourney.mlmd.proto import metadata_store_pb2 as pb

    return {
        name: run_specs(ms, pb, path, query_specs(name)) for name, path in peer_run["paths"].items()
    }


def _mismatches(graph: str, peer: list, ours: list, ordered: bool) -> list[str]:
    specs = query_specs(graph)
    lines = []
    for spec, want, got in zip(specs, peer, ours, strict=True):
        if not ordered:
            want = {k: sorted(v) for k, v in want.items()} if "error" not in want else want
            got = {k: sorted(v) for k, v in got.items()} if "error" not in got else got
        if want == got:
            continue
        lines.append(f"{graph} {json.dumps(spec, sort_keys=True)}")
        for key in sorted(set(want) | set(got)):
            if want.get(key) != got.get(key):
                lines.append(f"  {key}:\n    ml_metadata:      {want.get(key)}")
                lines.append(f"    datajourney.mlmd: {got.get(key)}")
    return lines


@pytest.mark.parametrize("graph", GRAPHS)
def test_drop_in_matches_ml_metadata(
    graph: str, peer_run: dict[str, Any], our_results: dict[str, list]
) -> None:
    lines = _mismatches(graph, peer_run["results"][graph], our_results[graph], ordered=False)
    assert not lines, "\n".join(lines[:40])


@pytest.mark.parametrize("graph", GRAPHS)
def test_drop_in_matches_ml_metadata_order(
    graph: str, peer_run: dict[str, Any], our_results: dict[str, list]
) -> None:
    lines = _mismatches(graph, peer_run["results"][graph], our_results[graph], ordered=True)
    assert not lines, "\n".join(lines[:40])


def test_peer_results_are_not_trivial(peer_run: dict[str, Any]) -> None:
    results = [r for graph in GRAPHS for r in peer_run["results"][graph]]
    errors = {r["error"] for r in results if "error" in r}
    assert {"InvalidArgumentError", "NotFoundError"} <= errors
    graphs = [r for r in results if "error" not in r]
    assert len(graphs) > 1000
    assert sum(1 for r in graphs if len(r.get("events", ())) >= 5) > 100
    # The starting-node cap: 101 of the 130 DataSet artifacts with max_num_hops 0.
    wide = peer_run["results"]["wide"][
        query_specs("wide").index(
            {"start": "artifacts", "filter": "type = 'DataSet'", "hops": 0, "direction": 0}
        )
    ]
    assert len(wide["artifacts"]) == MAX_STARTING_NODES


# ---------------------------------------------------------------------------------------------
# Native engine
# ---------------------------------------------------------------------------------------------


class Graph:
    """A native in-memory store with named nodes; edges as (artifact, execution, type)."""

    def __init__(
        self,
        edges: list[tuple],
        artifacts: tuple = (),
        executions: tuple = (),
        url: str = "memory://",
    ):
        self.store = MetadataStore(url)
        s = self.store
        self.at = s.put_type(ArtifactType(name="Data"))
        self.mt = s.put_type(ArtifactType(name="Model"))
        self.et = s.put_type(ExecutionType(name="Step"))
        self.ct = s.put_type(ContextType(name="Run"))
        names_a = list(dict.fromkeys([*artifacts, *(e[0] for e in edges)]))
        names_e = list(dict.fromkeys([*executions, *(e[1] for e in edges)]))
        ids = s.put(
            [Artifact(type_id=self.mt if n.startswith("m") else self.at, name=n) for n in names_a]
        )
        self.ids = dict(zip(names_a, ids, strict=True))
        ids = s.put([Execution(type_id=self.et, name=n) for n in names_e])
        self.ids.update(zip(names_e, ids, strict=True))
        self.names = {}
        for name in names_a:
            self.names["a", self.ids[name]] = name
        for name in names_e:
            self.names["e", self.ids[name]] = name
        s.put_events(
            [
                Event(
                    artifact_id=self.ids[a],
                    execution_id=self.ids[e],
                    type=kind,
                    path=list(rest[0]) if rest else [],
                )
                for a, e, kind, *rest in edges
            ]
        )

    def query(self, **options: Any) -> LineageSubgraph:
        for key in ("starting_artifacts", "starting_executions"):
            if isinstance(options.get(key), list):
                options[key] = [self.ids[n] for n in options[key]]
        for key in ("ending_artifacts", "ending_executions"):
            ending = options.get(key)
            if ending is not None and not isinstance(ending.nodes, str):
                options[key] = EndingNodes([self.ids[n] for n in ending.nodes], ending.include)
        with self.store.transaction() as conn:
            return lineage_subgraph(conn, **options)

    def nodes(self, graph: LineageSubgraph) -> set[str]:
        return {a.name for a in graph.artifacts} | {e.name for e in graph.executions}

    def edges(self, graph: LineageSubgraph) -> list[tuple[str, str, EventType]]:
        return [
            (self.names["a", ev.artifact_id], self.names["e", ev.execution_id], ev.type)
            for ev in graph.events
        ]


IN, OUT = EventType.INPUT, EventType.OUTPUT
A, E = NodeKind.ARTIFACT, NodeKind.EXECUTION
# a0 -> e1 -> a1 -> e2 -> a2 -> e3 -> a3
CHAIN = [
    ("a0", "e1", IN),
    ("a1", "e1", OUT),
    ("a1", "e2", IN),
    ("a2", "e2", OUT),
    ("a2", "e3", IN),
    ("a3", "e3", OUT),
]


def test_each_hop_crosses_one_event() -> None:
    g = Graph(CHAIN)
    expected = ["a0", "e1", "a1", "e2", "a2", "e3", "a3"]
    for hops in range(7):
        graph = g.query(starting_artifacts=["a0"], max_num_hops=hops)
        assert g.nodes(graph) == set(expected[: hops + 1])
        assert len(graph.events) == hops
    graph = g.query(starting_executions=["e2"], max_num_hops=1)
    assert g.nodes(graph) == {"e2", "a1", "a2"}


def test_unset_or_large_max_num_hops_is_the_limit() -> None:
    n = 60  # 120 hops from one end to the other
    edges = [(f"a{i - 1}", f"e{i}", IN) for i in range(1, n + 1)]
    edges += [(f"a{i}", f"e{i}", OUT) for i in range(1, n + 1)]
    g = Graph(edges)
    unset = g.query(starting_artifacts=["a0"])
    assert len(unset.events) == MAX_NUM_HOPS == 100
    assert g.nodes(unset) == g.nodes(g.query(starting_artifacts=["a0"], max_num_hops=1000))
    assert "a50" in g.nodes(unset) and "e51" not in g.nodes(unset)
    assert len(g.query(starting_artifacts=["a0"], max_num_hops=99).events) == 99


def test_directions_follow_event_types() -> None:
    edges = [
        ("a0", "e1", EventType.DECLARED_INPUT),
        ("a1", "e1", EventType.INTERNAL_OUTPUT),
        ("a1", "e2", EventType.INTERNAL_INPUT),
        ("a2", "e2", EventType.PENDING_OUTPUT),
        ("a2", "e3", IN),
        ("a3", "e3", EventType.DECLARED_OUTPUT),
        ("a9", "e2", IN),  # a sibling input of e2
    ]
    g = Graph(edges)
    down = g.query(starting_artifacts=["a1"], direction=Direction.DOWNSTREAM)
    assert g.nodes(down) == {"a1", "e2", "a2", "e3", "a3"}
    up = g.query(starting_artifacts=["a2"], direction=Direction.UPSTREAM)
    assert g.nodes(up) == {"a2", "e2", "a1", "a9", "e1", "a0"}
    both = g.query(starting_artifacts=["a1"], direction=Direction.BIDIRECTIONAL)
    assert g.nodes(both) == g.nodes(g.query(starting_artifacts=["a1"], direction=0))
    assert len(g.nodes(both)) == 8
    up_from_execution = g.query(starting_executions=["e2"], direction=Direction.UPSTREAM)
    assert g.nodes(up_from_execution) == {"e2", "a1", "a9", "e1", "a0"}


def test_directional_walks_keep_events_into_visited_nodes() -> None:
    # a1 -> e1 -> a2 -> e2 and a1 -> e2: reaching e2 again through a2 still counts as an edge.
    g = Graph([("a1", "e1", IN), ("a2", "e1", OUT), ("a2", "e2", IN), ("a1", "e2", IN)])
    down = g.query(starting_artifacts=["a1"], direction=Direction.DOWNSTREAM, max_num_hops=3)
    assert sorted(g.edges(down)) == [
        ("a1", "e1", IN),
        ("a1", "e2", IN),
        ("a2", "e1", OUT),
        ("a2", "e2", IN),
    ]
    both = g.query(starting_artifacts=["a1"], max_num_hops=3)
    assert len(both.events) == len({(e.artifact_id, e.execution_id, e.type) for e in both.events})
    assert sorted(g.edges(both)) == sorted(g.edges(down))


def test_ending_nodes_stop_the_walk() -> None:
    g = Graph(CHAIN)
    excluded = g.query(starting_artifacts=["a0"], ending_executions=EndingNodes(["e2"]))
    assert g.nodes(excluded) == {"a0", "e1", "a1"}
    assert g.edges(excluded) == [("a0", "e1", IN), ("a1", "e1", OUT)]
    included = g.query(
        starting_artifacts=["a0"], ending_executions=EndingNodes(["e2"], include=True)
    )
    assert g.nodes(included) == {"a0", "e1", "a1", "e2"}
    assert g.edges(included)[-1] == ("a1", "e2", IN)
    # A starting node can itself be an ending node: it is not expanded.
    start_ends = g.query(starting_artifacts=["a0"], ending_artifacts=EndingNodes(["a0"]))
    assert start_ends == LineageSubgraph()
    kept = g.query(starting_artifacts=["a0"], ending_artifacts=EndingNodes(["a0"], True))
    assert g.nodes(kept) == {"a0"} and kept.events == []


def test_filter_queries_select_starting_and_ending_nodes() -> None:
    g = Graph(CHAIN)
    graph = g.query(
        starting_artifacts="name = 'a1'",
        ending_artifacts=EndingNodes("name = 'a3' OR name = 'a0'", include=True),
        ending_executions=EndingNodes("name = 'e3'"),
    )
    assert g.nodes(graph) == {"a0", "e1", "a1", "e2", "a2"}
    everything_ends = g.query(starting_artifacts="name = 'a1'", ending_executions=EndingNodes(""))
    assert g.nodes(everything_ends) == {"a1"}
    with pytest.raises(InvalidArgumentError):
        g.query(starting_artifacts="name = = 'a1'")
    # An ending filter is only compiled when there are nodes to test against it.
    isolated = Graph([], artifacts=("z",))
    assert isolated.nodes(
        isolated.query(starting_artifacts=["z"], ending_executions=EndingNodes("id = = 1"))
    ) == {"z"}
    with pytest.raises(InvalidArgumentError):
        g.query(starting_artifacts=["a1"], ending_executions=EndingNodes("id = = 1"))


def test_starting_nodes_are_capped_lowest_ids_first() -> None:
    g = Graph([], artifacts=tuple(f"a{i}" for i in range(120)))
    capped = g.query(starting_artifacts="type = 'Data'", max_num_hops=0, parts={"artifacts"})
    assert [a.name for a in capped.artifacts] == [f"a{i}" for i in range(MAX_STARTING_NODES)]
    all_of_them = g.query(
        starting_artifacts="type = 'Data'", max_num_hops=0, max_starting_nodes=None
    )
    assert len(all_of_them.artifacts) == 120
    by_id = g.query(starting_artifacts=list(reversed(list(g.ids)))[:110], max_num_hops=0)
    assert len(by_id.artifacts) == MAX_STARTING_NODES


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({}, InvalidArgumentError, "Missing arguments for listing starting nodes."),
        ({"starting_artifacts": ""}, InvalidArgumentError, "`filter_query` is unspecified"),
        ({"starting_artifacts": [1], "starting_executions": [1]}, InvalidArgumentError, "not both"),
        ({"starting_artifacts": [1], "max_num_hops": -1}, InvalidArgumentError, "negative"),
        ({"starting_artifacts": [1], "direction": 7}, InvalidArgumentError, "unknown lineage"),
        ({"starting_artifacts": [12345]}, NotFoundError, "Cannot find qualified nodes"),
        ({"starting_artifacts": "name = 'nope'"}, NotFoundError, "Cannot find qualified"),
        (
            {"starting_artifacts": [1], "parts": ["artifacts", "nodes"]},
            InvalidArgumentError,
            "unknown lineage subgraph parts",
        ),
    ],
)
def test_bad_options(options: dict, error: type, message: str) -> None:
    g = Graph(CHAIN)
    with g.store.transaction() as conn, pytest.raises(error, match=message):
        lineage_subgraph(conn, **options)


def test_parts_contexts_and_types() -> None:
    g = Graph(CHAIN)
    s = g.store
    [c1, c2] = s.put([Context(type_id=g.ct, name="c1"), Context(type_id=g.ct, name="c2")])
    s.put_attributions_and_associations(
        [Attribution(c2, g.ids["a1"]), Attribution(c1, g.ids["a3"])],
        [Association(c1, g.ids["e1"])],
    )
    full = g.query(starting_artifacts=["a0"], max_num_hops=2)
    assert [c.name for c in full.contexts] == ["c1", "c2"]
    assert full.attributions == [Attribution(c2, g.ids["a1"])]
    assert full.associations == [Association(c1, g.ids["e1"])]
    assert [t.name for t in full.artifact_types] == ["Data"]
    assert [t.name for t in full.execution_types] == ["Step"]
    assert [t.name for t in full.context_types] == ["Run"]
    only = g.query(starting_artifacts=["a0"], max_num_hops=2, parts={"events", "context_types"})
    assert only.artifacts == only.executions == only.contexts == []
    assert len(only.events) == 2 and [t.name for t in only.context_types] == ["Run"]
    nothing = g.query(starting_artifacts=["a0"], parts=())
    assert nothing == LineageSubgraph()
    assert set(PARTS) == {f for f in LineageSubgraph.__dataclass_fields__}


def test_event_order_and_paths() -> None:
    # e1 reads a0 and a2 and writes a1 and m3; stored in an order unlike the walk's.
    g = Graph(
        [
            ("m3", "e1", OUT, ["model", 0]),
            ("a2", "e1", IN),
            ("a1", "e1", OUT, [1]),
            ("a0", "e1", IN, ["x"]),
            ("a0", "e0", OUT),
            ("a0", "e5", IN, ["y", 7]),
            ("a1", "e6", IN),
        ],
    )
    graph = g.query(starting_executions=["e1"], max_num_hops=2)
    assert g.edges(graph) == [
        ("m3", "e1", OUT),  # hop 1 leaves the execution: its events by event id
        ("a2", "e1", IN),
        ("a1", "e1", OUT),
        ("a0", "e1", IN),
        ("a1", "e6", IN),  # hop 2 leaves artifacts: by (artifact id, execution id, type)
        ("a0", "e0", OUT),
        ("a0", "e5", IN),
    ]
    assert [e.path for e in graph.events] == [["model", 0], [], [1], ["x"], [], [], ["y", 7]]
    assert [t.name for t in graph.artifact_types] == ["Model", "Data"]  # m3 has the lowest id


@contextmanager
def counting(store: MetadataStore) -> Iterator[dict[str, int]]:
    """Counts the statements an in-memory store runs meanwhile, and the thousands of steps
    SQLite's virtual machine takes: work that a wall clock would measure only noisily."""
    counts = {"statements": 0, "steps": 0}

    def statement(_sql: str) -> None:
        counts["statements"] += 1

    def step() -> int:
        counts["steps"] += 1
        return 0

    with store.transaction() as conn:  # one connection serves every transaction in memory
        driver = conn.connection.dbapi_connection
    driver.set_trace_callback(statement)
    driver.set_progress_handler(step, 1000)
    try:
        yield counts
    finally:
        driver.set_trace_callback(None)
        driver.set_progress_handler(None, 1000)


def hub(width: int) -> Graph:
    """One artifact read by ``width`` executions that output five artifacts each."""
    edges = [("a0", f"e{i}", IN) for i in range(width)]
    edges += [(f"m{i}_{k}", f"e{i}", OUT) for i in range(width) for k in range(5)]
    return Graph(edges)


def test_statements_do_not_grow_with_hops_or_width() -> None:
    def statements(g: Graph, **options: Any) -> int:
        with counting(g.store) as counts:
            g.query(**options)
        return counts["statements"]

    n = 60  # 120 hops from one end to the other
    edges = [(f"a{i - 1}", f"e{i}", IN) for i in range(1, n + 1)]
    edges += [(f"a{i}", f"e{i}", OUT) for i in range(1, n + 1)]
    chain = Graph(edges)
    two = statements(chain, starting_artifacts="name = 'a0'", max_num_hops=2)
    assert statements(chain, starting_artifacts="name = 'a0'") == two
    narrow, wide = hub(5), hub(200)
    options = {"starting_artifacts": "name = 'a0'", "ending_artifacts": EndingNodes("name = 'x'")}
    assert statements(narrow, **options) == statements(wide, **options) == two
    # The walk itself is one statement.
    with chain.store.transaction() as conn, counting(chain.store) as counts:
        levels = subgraph_walk.walk(
            conn, NodeKind.ARTIFACT, [chain.ids["a0"]], 100, {A: None, E: None}, {A: None, E: None}
        )
    assert counts["statements"] == 1 and len(levels.hops[A]) == 51


def test_hub_nodes_are_expanded_once() -> None:
    # Bidirectional, every output artifact is two hops from each of its siblings' executions: a
    # walk that expanded a node once per path length would go on to the hop limit.
    def work(g: Graph, hops: int) -> int:
        with counting(g.store) as counts:
            graph = g.query(starting_artifacts=["a0"], max_num_hops=hops, parts={"events"})
        assert len(graph.events) == len(g.ids) - 1  # a tree: an event into each node but a0
        return counts["steps"]

    g = hub(100)
    assert work(g, 100) < 1.2 * work(g, 4)
    assert work(hub(400), 100) < 5 * work(g, 100)  # linear in the width
    with g.store.transaction() as conn:
        levels = subgraph_walk.walk(
            conn, NodeKind.ARTIFACT, [g.ids["a0"]], 100, {A: None, E: None}, {A: None, E: None}
        )
    assert sorted(levels.hops[A].values()) == [0] + [2] * 500
    assert len(levels.events) == 2 * 600  # each event read once from either end


def _reference(
    events: list[tuple[int, int, int, int]],
    start_kind: NodeKind,
    start: set[int],
    hops: int,
    direction: Direction,
    ending: dict[NodeKind, set[int]],
    include: dict[NodeKind, bool],
) -> tuple[dict[NodeKind, list[int]], list[tuple[int, int, int]]]:
    """The documented walk, hop by hop in Python over (id, artifact, execution, type) rows."""
    other = {A: E, E: A}
    column = {A: 1, E: 2}
    visited = {A: set(), E: set()}
    reached_ends = {A: set(), E: set()}
    reached_ends[start_kind] = start & ending[start_kind]
    frontier = start - ending[start_kind]
    visited[start_kind] = set(frontier)
    kind, crossed = start_kind, []
    for _ in range(hops):
        to = other[kind]
        outputs = (direction is Direction.UPSTREAM) == (kind is A)
        hop = [
            ev
            for ev in events
            if ev[column[kind]] in frontier
            and (direction is Direction.BIDIRECTIONAL or (ev[3] in OUTPUTS) == outputs)
        ]
        hop.sort(key=lambda ev: (ev[1], ev[2], ev[3]) if kind is A else (ev[2], ev[0]))
        new = set()
        for ev in hop:
            end = ev[column[to]]
            if end in ending[to]:
                reached_ends[to].add(end)
                keep = include[to]
            elif end in visited[to]:
                keep = direction is not Direction.BIDIRECTIONAL
            else:
                new.add(end)
                keep = True
            if keep:
                crossed.append(ev[1:])
        visited[to] |= new
        frontier, kind = new, to
        if not frontier:
            break
    nodes = {k: sorted(visited[k] | (reached_ends[k] if include[k] else set())) for k in (A, E)}
    return nodes, crossed


OUTPUTS = {int(t) for t in OUTPUT_EVENT_TYPES}


def test_walk_matches_reference_on_every_backend(store_url: str) -> None:
    if store_url.startswith("http"):
        pytest.skip("walks SQL over a database connection; a remote store has none")
    rng = random.Random(7)
    types = [t for t in EventType if t is not EventType.UNKNOWN]
    edges = {
        (f"a{rng.randrange(30)}", f"e{rng.randrange(20)}", rng.choice(types)) for _ in range(70)
    }
    g = Graph(sorted(edges), artifacts=("lonely",), url=store_url)
    try:
        with g.store.transaction() as conn:
            rows = [
                tuple(row)
                for row in conn.exec_driver_sql(
                    "SELECT id, artifact_id, execution_id, type FROM Event"
                )
            ]
        ids = {k: [i for (c, i) in g.names if c == k] for k in ("a", "e")}
        for case in range(40):
            start_kind = rng.choice([A, E])
            start = set(rng.sample(ids["a" if start_kind is A else "e"], rng.randint(1, 3)))
            hops = rng.choice([0, 1, 2, 3, 6, 100])
            direction = Direction(rng.randint(1, 3))
            ending = {k: set(rng.sample(ids["a" if k is A else "e"], 3)) for k in (A, E)}
            include = {k: rng.random() < 0.5 for k in (A, E)}
            as_filter = case % 2 == 0  # ending nodes as a filter query or as ids
            options = {
                ("ending_artifacts" if k is A else "ending_executions"): EndingNodes(
                    f"id IN ({', '.join(map(str, sorted(ending[k])))})"
                    if as_filter
                    else sorted(ending[k]),
                    include[k],
                )
                for k in (A, E)
            }
            with g.store.transaction() as conn:
                graph = lineage_subgraph(
                    conn,
                    **{
                        "starting_artifacts" if start_kind is A else "starting_executions": sorted(
                            start
                        )
                    },
                    max_num_hops=hops,
                    direction=direction,
                    parts={"artifacts", "executions", "events"},
                    **options,
                )
            nodes, crossed = _reference(rows, start_kind, start, hops, direction, ending, include)
            assert [a.id for a in graph.artifacts] == nodes[A], case
            assert [e.id for e in graph.executions] == nodes[E], case
            assert [(e.artifact_id, e.execution_id, int(e.type)) for e in graph.events] == [
                (a, e, t) for a, e, t in crossed
            ], case
    finally:
        g.store.close()


def test_native_engine_reads_files_the_drop_in_wrote(tmp_path: Path) -> None:
    from datajourney.mlmd.metadata_store import metadata_store as ms
    from datajourney.mlmd.proto import metadata_store_pb2 as pb

    paths = build_graphs(ms, pb, str(tmp_path))
    store = MetadataStore(f"sqlite:///{paths['diamond']}")
    with store.transaction() as conn:
        graph = lineage_subgraph(
            conn, starting_artifacts="name = 's4'", direction=Direction.UPSTREAM
        )
    store.close()
    assert {a.name for a in graph.artifacts} == {"s4", "m3", "d5", "d0", "d1", "d2"}
    assert {e.name for e in graph.executions} == {"v4", "t3", "x1", "x2", "x5"}
