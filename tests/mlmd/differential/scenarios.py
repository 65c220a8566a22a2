"""Differential scenarios for the ml-metadata drop-in.

Each ``scenario_*`` function drives one implementation of ml-metadata 1.17 through an
``env`` (see ``runner.Env``): ``env.metadata_store``, ``env.pb`` (``metadata_store_pb2``),
``env.errors``, ``env.new_store()`` / ``env.new_fake_store()``, and the recorders
``env.record(label, value)`` / ``env.call(label, fn, *args, **kwargs)``.  The same
scenario runs against ``ml_metadata`` and against ``datajourney.mlmd``; the recorded
transcripts must be identical.

This module imports neither implementation: everything comes through ``env``.  Labels that
contain ``[any order]`` compare returned lists as multisets.
"""

from __future__ import annotations

import time
from typing import Any

ANY = "[any order]"
# A label with this marker records an answer of ml-metadata that is arguably a bug of its own
# (an InternalError for a plain constraint violation, a truncated string): a difference there
# is reported, not failed.
QUIRK = "[quirk]"


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
def _props(pb: Any, msg: Any, **props: str) -> Any:
    for name, kind in props.items():
        msg.properties[name] = getattr(pb, kind)
    return msg


def _artifact_type(env: Any, type_name: str, /, _v: str = "", **props: str) -> Any:
    t = env.pb.ArtifactType(name=type_name)
    if _v:
        t.version = _v
    return _props(env.pb, t, **props)


def _execution_type(env: Any, type_name: str, /, _v: str = "", **props: str) -> Any:
    t = env.pb.ExecutionType(name=type_name)
    if _v:
        t.version = _v
    return _props(env.pb, t, **props)


def _context_type(env: Any, type_name: str, /, _v: str = "", **props: str) -> Any:
    t = env.pb.ContextType(name=type_name)
    if _v:
        t.version = _v
    return _props(env.pb, t, **props)


def _set_value(value: Any, v: Any) -> None:
    if isinstance(v, bool):
        value.bool_value = v
    elif isinstance(v, int):
        value.int_value = v
    elif isinstance(v, float):
        value.double_value = v
    else:
        value.string_value = v


def _node(
    cls: Any, type_id: int = 0, props: dict | None = None, custom: dict | None = None, **fields: Any
) -> Any:
    node = cls(**fields)
    if type_id:
        node.type_id = type_id
    for k, v in (props or {}).items():
        _set_value(node.properties[k], v)
    for k, v in (custom or {}).items():
        _set_value(node.custom_properties[k], v)
    return node


def _artifact(
    env: Any, type_id: int = 0, props: dict | None = None, custom: dict | None = None, **fields: Any
) -> Any:
    return _node(env.pb.Artifact, type_id, props, custom, **fields)


def _execution(
    env: Any, type_id: int = 0, props: dict | None = None, custom: dict | None = None, **fields: Any
) -> Any:
    return _node(env.pb.Execution, type_id, props, custom, **fields)


def _context(
    env: Any, type_id: int = 0, props: dict | None = None, custom: dict | None = None, **fields: Any
) -> Any:
    return _node(env.pb.Context, type_id, props, custom, **fields)


def _event(
    env: Any, artifact_id: int, execution_id: int, kind: str = "INPUT", path: tuple = ()
) -> Any:
    event = env.pb.Event(type=getattr(env.pb.Event, kind))
    if artifact_id:
        event.artifact_id = artifact_id
    if execution_id:
        event.execution_id = execution_id
    for step in path:
        if isinstance(step, int):
            event.path.steps.add(index=step)
        else:
            event.path.steps.add(key=step)
    return event


def _ids(nodes: Any) -> list:
    return [n.id for n in nodes]


def _names(nodes: Any) -> list:
    return [n.name for n in nodes]


def _opts(env: Any, **kw: Any) -> Any:
    if "order_by" in kw and isinstance(kw["order_by"], str):
        kw["order_by"] = getattr(env.metadata_store.OrderByField, kw["order_by"])
    return env.metadata_store.ListOptions(**kw)


def _fails_softly(env: Any, label: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Whether the call fails must match ml-metadata; the error class is only reported."""
    try:
        result = fn(*args, **kwargs)
    except Exception as e:  # the error class is part of the record
        env.record(f"{label}: fails", True)
        env.record(f"{label} {QUIRK}", {"error": type(e).__name__})
        return None
    env.record(f"{label}: fails", False)
    env.record(f"{label} {QUIRK}", result)
    return result


def _tick() -> None:
    """Let the millisecond clock advance, so create / update times are distinct."""
    time.sleep(0.003)


def _basic_types(env: Any, store: Any) -> tuple[int, int, int]:
    at = store.put_artifact_type(_artifact_type(env, "DataSet", split="STRING", version="INT"))
    et = store.put_execution_type(_execution_type(env, "Trainer", state="STRING"))
    ct = store.put_context_type(_context_type(env, "Experiment", note="STRING"))
    return at, et, ct


# ---------------------------------------------------------------------------------------
# types
# ---------------------------------------------------------------------------------------
def scenario_types_fresh_store(env: Any) -> None:
    """What a brand-new store lists, and the ids handed to the first user types."""
    store = env.new_store()
    env.call("get_artifact_types on empty store", store.get_artifact_types)
    env.call("get_execution_types on empty store", store.get_execution_types)
    env.call("get_context_types on empty store", store.get_context_types)
    env.call("get_artifacts on empty store", store.get_artifacts)
    env.call("get_executions on empty store", store.get_executions)
    env.call("get_contexts on empty store", store.get_contexts)
    for name in ("mlmd.Dataset", "mlmd.Model", "mlmd.Metrics", "mlmd.Statistics"):
        env.call(f"get_artifact_type {name}", store.get_artifact_type, name)
    for name in ("mlmd.Train", "mlmd.Transform", "mlmd.Process", "mlmd.Evaluate", "mlmd.Deploy"):
        env.call(f"get_execution_type {name}", store.get_execution_type, name)
    env.call("get_artifact_types_by_id 1..12", store.get_artifact_types_by_id, range(1, 13))
    env.call("get_execution_types_by_id 1..12", store.get_execution_types_by_id, range(1, 13))
    env.call("put first artifact type", store.put_artifact_type, _artifact_type(env, "First"))
    env.call(
        "put first execution type", store.put_execution_type, _execution_type(env, "FirstExec")
    )
    env.call("put first context type", store.put_context_type, _context_type(env, "FirstCtx"))
    env.call("get_artifact_types after one put", store.get_artifact_types)
    env.call("get_execution_types after one put", store.get_execution_types)
    env.call("get_context_types after one put", store.get_context_types)


def scenario_types_register_and_get(env: Any) -> None:
    store = env.new_store()
    at = _artifact_type(
        env,
        "DataSet",
        name="STRING",
        split="STRING",
        version="INT",
        score="DOUBLE",
        meta="STRUCT",
        blob="PROTO",
        flag="BOOLEAN",
    )
    at.description = "a data set"
    at_id = env.call("put_artifact_type", store.put_artifact_type, at)
    env.call("put_artifact_type again, identical", store.put_artifact_type, at)
    et = _execution_type(env, "Trainer", state="STRING", epochs="INT")
    et.description = "trains"
    et_id = env.call("put_execution_type", store.put_execution_type, et)
    ct = _context_type(env, "Experiment", note="STRING")
    ct_id = env.call("put_context_type", store.put_context_type, ct)
    env.call("get_artifact_type", store.get_artifact_type, "DataSet")
    env.call("get_execution_type", store.get_execution_type, "Trainer")
    env.call("get_context_type", store.get_context_type, "Experiment")
    env.call("get_artifact_type missing", store.get_artifact_type, "Nope")
    env.call("get_execution_type missing", store.get_execution_type, "Nope")
    env.call("get_context_type missing", store.get_context_type, "Nope")
    env.call(
        "get_artifact_type with the name of an execution type", store.get_artifact_type, "Trainer"
    )
    env.call("get_artifact_types", store.get_artifact_types)
    env.call("get_execution_types", store.get_execution_types)
    env.call("get_context_types", store.get_context_types)
    env.call("get_artifact_types_by_id", store.get_artifact_types_by_id, [at_id])
    env.call(
        "get_artifact_types_by_id with a missing id", store.get_artifact_types_by_id, [at_id, 9999]
    )
    env.call(
        "get_artifact_types_by_id with an execution type id",
        store.get_artifact_types_by_id,
        [et_id],
    )
    env.call("get_execution_types_by_id", store.get_execution_types_by_id, [et_id, at_id])
    env.call("get_context_types_by_id", store.get_context_types_by_id, [ct_id])
    env.call("get_context_types_by_id empty", store.get_context_types_by_id, [])
    env.call(
        "same name as artifact type, as execution type",
        store.put_execution_type,
        _execution_type(env, "DataSet"),
    )
    env.call(
        "same name as artifact type, as context type",
        store.put_context_type,
        _context_type(env, "DataSet"),
    )
    env.call("get_artifact_types at end", store.get_artifact_types)
    env.call("get_execution_types at end", store.get_execution_types)
    env.call("get_context_types at end", store.get_context_types)


def scenario_types_invalid(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    env.call("artifact type without a name", store.put_artifact_type, pb.ArtifactType())
    env.call("execution type without a name", store.put_execution_type, pb.ExecutionType())
    env.call("context type without a name", store.put_context_type, pb.ContextType())
    bad = pb.ArtifactType(name="Bad")
    bad.properties["p"] = pb.UNKNOWN
    env.call("property of type UNKNOWN", store.put_artifact_type, bad)
    bad_e = pb.ExecutionType(name="BadE")
    bad_e.properties["p"] = pb.UNKNOWN
    env.call("execution property of type UNKNOWN", store.put_execution_type, bad_e)
    env.call(
        "artifact type with a missing id",
        store.put_artifact_type,
        pb.ArtifactType(name="WithId", id=4242),
    )
    tid = store.put_artifact_type(pb.ArtifactType(name="Real"))
    env.call(
        "artifact type with its own id",
        store.put_artifact_type,
        pb.ArtifactType(name="Real", id=tid),
    )
    env.call(
        "artifact type with another type's id",
        store.put_artifact_type,
        pb.ArtifactType(name="Other", id=tid),
    )
    env.call("get_artifact_types at end", store.get_artifact_types)
    env.call("get_execution_types at end", store.get_execution_types)


def scenario_types_evolution(env: Any) -> None:
    store = env.new_store()
    base = _artifact_type(env, "Model", a="INT", b="STRING")
    tid = env.call("put base", store.put_artifact_type, base)
    env.call(
        "same properties",
        store.put_artifact_type,
        _artifact_type(env, "Model", a="INT", b="STRING"),
    )
    env.call(
        "new field, no can_add_fields",
        store.put_artifact_type,
        _artifact_type(env, "Model", a="INT", b="STRING", c="DOUBLE"),
    )
    env.call("get after refused add", store.get_artifact_type, "Model")
    env.call(
        "new field, can_add_fields",
        store.put_artifact_type,
        _artifact_type(env, "Model", a="INT", b="STRING", c="DOUBLE"),
        can_add_fields=True,
    )
    env.call("get after add", store.get_artifact_type, "Model")
    env.call(
        "omit field, no can_omit_fields",
        store.put_artifact_type,
        _artifact_type(env, "Model", a="INT"),
    )
    env.call(
        "omit field, can_omit_fields",
        store.put_artifact_type,
        _artifact_type(env, "Model", a="INT"),
        can_omit_fields=True,
    )
    env.call("get after omit", store.get_artifact_type, "Model")
    env.call(
        "omit and add, both flags",
        store.put_artifact_type,
        _artifact_type(env, "Model", a="INT", d="BOOLEAN"),
        can_add_fields=True,
        can_omit_fields=True,
    )
    env.call("get after omit and add", store.get_artifact_type, "Model")
    env.call(
        "conflicting property type",
        store.put_artifact_type,
        _artifact_type(env, "Model", a="STRING", b="STRING", c="DOUBLE", d="BOOLEAN"),
    )
    env.call(
        "conflicting property type, both flags",
        store.put_artifact_type,
        _artifact_type(env, "Model", a="STRING"),
        can_add_fields=True,
        can_omit_fields=True,
    )
    env.call("get after conflicts", store.get_artifact_type, "Model")
    env.call(
        "no properties, can_omit_fields",
        store.put_artifact_type,
        _artifact_type(env, "Model"),
        can_omit_fields=True,
    )
    env.call("get at end", store.get_artifact_type, "Model")
    env.call("get_artifact_types_by_id", store.get_artifact_types_by_id, [tid])
    # Execution and context types evolve the same way.
    env.call("exec base", store.put_execution_type, _execution_type(env, "Run", a="INT"))
    env.call(
        "exec add refused", store.put_execution_type, _execution_type(env, "Run", a="INT", b="INT")
    )
    env.call(
        "exec add",
        store.put_execution_type,
        _execution_type(env, "Run", a="INT", b="INT"),
        can_add_fields=True,
    )
    env.call("exec omit refused", store.put_execution_type, _execution_type(env, "Run"))
    env.call(
        "exec conflict", store.put_execution_type, _execution_type(env, "Run", a="DOUBLE", b="INT")
    )
    env.call("exec get", store.get_execution_type, "Run")
    env.call("ctx base", store.put_context_type, _context_type(env, "Pipe", a="INT"))
    env.call(
        "ctx add",
        store.put_context_type,
        _context_type(env, "Pipe", a="INT", z="STRUCT"),
        can_add_fields=True,
    )
    env.call(
        "ctx omit",
        store.put_context_type,
        _context_type(env, "Pipe", z="STRUCT"),
        can_omit_fields=True,
    )
    env.call("ctx conflict", store.put_context_type, _context_type(env, "Pipe", z="PROTO"))
    env.call("ctx get", store.get_context_type, "Pipe")


def scenario_types_description_update(env: Any) -> None:
    store = env.new_store()
    t = _artifact_type(env, "Doc", a="INT")
    t.description = "first"
    env.call("put with description", store.put_artifact_type, t)
    t2 = _artifact_type(env, "Doc", a="INT")
    t2.description = "second"
    env.call("put with other description", store.put_artifact_type, t2)
    env.call("get after other description", store.get_artifact_type, "Doc")
    env.call(
        "put without description", store.put_artifact_type, _artifact_type(env, "Doc", a="INT")
    )
    env.call("get after no description", store.get_artifact_type, "Doc")
    t3 = _artifact_type(env, "Doc", a="INT")
    t3.external_id = "doc-ext"
    env.call("put adding external_id", store.put_artifact_type, t3)
    env.call("get after external_id", store.get_artifact_type, "Doc")
    t4 = _artifact_type(env, "Doc", a="INT")
    t4.external_id = "doc-ext-2"
    env.call("put changing external_id", store.put_artifact_type, t4)
    env.call("get after changing external_id", store.get_artifact_type, "Doc")


def scenario_types_versions(env: Any) -> None:
    store = env.new_store()
    v0 = env.call("put no version", store.put_artifact_type, _artifact_type(env, "Schema", a="INT"))
    v1 = env.call(
        "put v1", store.put_artifact_type, _artifact_type(env, "Schema", _v="v1", a="INT", b="INT")
    )
    env.call(
        "put v2 (conflicting property type is fine across versions)",
        store.put_artifact_type,
        _artifact_type(env, "Schema", _v="v2", a="STRING"),
    )
    env.call(
        "put v1 again",
        store.put_artifact_type,
        _artifact_type(env, "Schema", _v="v1", a="INT", b="INT"),
    )
    env.call(
        "empty version string is unset",
        store.put_artifact_type,
        _artifact_type(env, "Schema", _v="", a="INT"),
    )
    env.call("get no version", store.get_artifact_type, "Schema")
    env.call("get v1", store.get_artifact_type, "Schema", "v1")
    env.call("get v1 keyword", store.get_artifact_type, "Schema", type_version="v1")
    env.call("get v2", store.get_artifact_type, "Schema", "v2")
    env.call("get v3 missing", store.get_artifact_type, "Schema", "v3")
    env.call("get_artifact_types", store.get_artifact_types)
    env.call("get_artifact_types_by_id", store.get_artifact_types_by_id, [v0, v1])
    # Nodes of each version.
    store.put_artifacts(
        [_artifact(env, v0, uri="u0", name="n"), _artifact(env, v1, uri="u1", name="n")]
    )
    env.call("get_artifacts_by_type no version", store.get_artifacts_by_type, "Schema")
    env.call("get_artifacts_by_type v1", store.get_artifacts_by_type, "Schema", "v1")
    env.call("get_artifacts_by_type v2 (no nodes)", store.get_artifacts_by_type, "Schema", "v2")
    env.call("get_artifacts_by_type v9 (no type)", store.get_artifacts_by_type, "Schema", "v9")
    env.call(
        "get_artifact_by_type_and_name no version",
        store.get_artifact_by_type_and_name,
        "Schema",
        "n",
    )
    env.call(
        "get_artifact_by_type_and_name v1", store.get_artifact_by_type_and_name, "Schema", "n", "v1"
    )
    env.call(
        "get_artifact_by_type_and_name v2", store.get_artifact_by_type_and_name, "Schema", "n", "v2"
    )
    # Execution and context types with versions.
    e1 = store.put_execution_type(_execution_type(env, "Job", _v="1"))
    e2 = store.put_execution_type(_execution_type(env, "Job", _v="2"))
    env.record("execution type versions distinct", e1 != e2)
    store.put_executions([_execution(env, e2, name="x")])
    env.call("get_execution_type Job 2", store.get_execution_type, "Job", "2")
    env.call("get_execution_type Job (no version)", store.get_execution_type, "Job")
    env.call("get_executions_by_type Job 2", store.get_executions_by_type, "Job", "2")
    env.call("get_executions_by_type Job 1", store.get_executions_by_type, "Job", "1")
    env.call(
        "get_execution_by_type_and_name Job 2",
        store.get_execution_by_type_and_name,
        "Job",
        "x",
        "2",
    )
    env.call(
        "get_execution_by_type_and_name Job 1",
        store.get_execution_by_type_and_name,
        "Job",
        "x",
        "1",
    )
    c1 = store.put_context_type(_context_type(env, "Run", _v="a"))
    store.put_contexts([_context(env, c1, name="r")])
    env.call("get_context_type Run a", store.get_context_type, "Run", "a")
    env.call("get_contexts_by_type Run a", store.get_contexts_by_type, "Run", "a")
    env.call("get_contexts_by_type Run", store.get_contexts_by_type, "Run")
    env.call(
        "get_context_by_type_and_name Run r a", store.get_context_by_type_and_name, "Run", "r", "a"
    )
    env.call("get_context_by_type_and_name Run r", store.get_context_by_type_and_name, "Run", "r")
    env.call(
        "filter on type with versions",
        store.get_artifacts,
        _opts(env, filter_query="type = 'Schema'", order_by="ID"),
    )


def scenario_types_base_type(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    t = pb.ArtifactType(name="MyDataset", base_type=pb.ArtifactType.DATASET)
    env.call("artifact type with base_type DATASET", store.put_artifact_type, t)
    env.call("get it", store.get_artifact_type, "MyDataset")
    env.call(
        "same type, base_type MODEL",
        store.put_artifact_type,
        pb.ArtifactType(name="MyDataset", base_type=pb.ArtifactType.MODEL),
    )
    env.call("get after MODEL", store.get_artifact_type, "MyDataset")
    env.call(
        "same type, base_type unset", store.put_artifact_type, pb.ArtifactType(name="MyDataset")
    )
    env.call("get after unset", store.get_artifact_type, "MyDataset")
    env.call("type without base_type", store.put_artifact_type, pb.ArtifactType(name="NoBase"))
    env.call(
        "same type, base_type added",
        store.put_artifact_type,
        pb.ArtifactType(name="NoBase", base_type=pb.ArtifactType.DATASET),
    )
    env.call("get after adding base_type", store.get_artifact_type, "NoBase")
    for kind in ("MODEL", "METRICS", "STATISTICS"):
        env.call(
            f"artifact base_type {kind}",
            store.put_artifact_type,
            pb.ArtifactType(name=f"A{kind}", base_type=getattr(pb.ArtifactType, kind)),
        )
    for kind in ("TRAIN", "TRANSFORM", "PROCESS", "EVALUATE", "DEPLOY"):
        env.call(
            f"execution base_type {kind}",
            store.put_execution_type,
            pb.ExecutionType(name=f"E{kind}", base_type=getattr(pb.ExecutionType, kind)),
        )
    env.call("get_artifact_types", store.get_artifact_types)
    env.call("get_execution_types", store.get_execution_types)
    env.call("get_execution_type ETRAIN", store.get_execution_type, "ETRAIN")


def scenario_types_external_ids(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    a = pb.ArtifactType(name="A", external_id="ext-a")
    b = pb.ArtifactType(name="B", external_id="ext-b")
    env.call("put A", store.put_artifact_type, a)
    env.call("put B", store.put_artifact_type, b)
    env.call(
        "put C reusing ext-a",
        store.put_artifact_type,
        pb.ArtifactType(name="C", external_id="ext-a"),
    )
    _fails_softly(
        env,
        "execution type reusing ext-a",
        store.put_execution_type,
        pb.ExecutionType(name="E", external_id="ext-a"),
    )
    env.call(
        "context type ext-c", store.put_context_type, pb.ContextType(name="K", external_id="ext-c")
    )
    env.call(
        "get_artifact_types_by_external_ids [any order]",
        store.get_artifact_types_by_external_ids,
        ["ext-a", "ext-b", "missing"],
    )
    env.call(
        "get_artifact_types_by_external_ids none",
        store.get_artifact_types_by_external_ids,
        ["missing"],
    )
    env.call(
        "get_artifact_types_by_external_ids empty list",
        store.get_artifact_types_by_external_ids,
        [],
    )
    env.call(
        "get_execution_types_by_external_ids", store.get_execution_types_by_external_ids, ["ext-a"]
    )
    env.call(
        "get_context_types_by_external_ids",
        store.get_context_types_by_external_ids,
        ["ext-c", "ext-a"],
    )
    env.call("get_artifact_types", store.get_artifact_types)


def scenario_types_shared_namespace_ids(env: Any) -> None:
    """Type ids are drawn from one sequence for all three kinds."""
    store = env.new_store()
    ids = [
        store.put_artifact_type(_artifact_type(env, "T1")),
        store.put_execution_type(_execution_type(env, "T2")),
        store.put_context_type(_context_type(env, "T3")),
        store.put_artifact_type(_artifact_type(env, "T4")),
    ]
    env.record("type ids", ids)
    env.call(
        "get_execution_types_by_id with artifact type ids", store.get_execution_types_by_id, ids
    )
    env.call("get_context_types_by_id with all ids", store.get_context_types_by_id, ids)
    env.call("get_artifact_types_by_id with all ids", store.get_artifact_types_by_id, ids)


# ---------------------------------------------------------------------------------------
# artifacts, executions, contexts: insert, get, update
# ---------------------------------------------------------------------------------------
def scenario_artifacts_insert_and_get(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    at, _, _ = _basic_types(env, store)
    other = store.put_artifact_type(_artifact_type(env, "Other"))
    arts = [
        _artifact(
            env,
            at,
            {"split": "train", "version": 1},
            {"owner": "ann"},
            uri="/data/train",
            name="train",
            state=pb.Artifact.LIVE,
        ),
        _artifact(env, at, {"split": "eval"}, uri="/data/eval", state=pb.Artifact.PENDING),
        _artifact(env, other, custom={"n": 3, "x": 1.5, "b": True}, uri="/data/train"),
        _artifact(env, at, uri="/data/other", external_id="ext-1"),
    ]
    ids = env.call("put_artifacts", store.put_artifacts, arts)
    env.call("put_artifacts empty list", store.put_artifacts, [])
    env.call("get_artifacts", store.get_artifacts)
    env.call("get_artifacts_by_id", store.get_artifacts_by_id, ids)
    env.call("get_artifacts_by_id reversed", store.get_artifacts_by_id, list(reversed(ids)))
    env.call(
        "get_artifacts_by_id with missing ids", store.get_artifacts_by_id, [ids[1], 999, ids[0]]
    )
    env.call("get_artifacts_by_id duplicated ids", store.get_artifacts_by_id, [ids[0], ids[0]])
    env.call("get_artifacts_by_id empty", store.get_artifacts_by_id, [])
    env.call("get_artifacts_by_id generator", store.get_artifacts_by_id, (i for i in ids[:2]))
    env.call("get_artifacts_by_type DataSet", store.get_artifacts_by_type, "DataSet")
    env.call("get_artifacts_by_type Other", store.get_artifacts_by_type, "Other")
    env.call("get_artifacts_by_type missing type", store.get_artifacts_by_type, "Missing")
    env.call("get_artifacts_by_type execution type name", store.get_artifacts_by_type, "Trainer")
    env.call("get_artifacts_by_uri /data/train", store.get_artifacts_by_uri, "/data/train")
    env.call("get_artifacts_by_uri missing", store.get_artifacts_by_uri, "/nope")
    env.call("get_artifacts_by_uri empty", store.get_artifacts_by_uri, "")
    env.call(
        "get_artifact_by_type_and_name", store.get_artifact_by_type_and_name, "DataSet", "train"
    )
    env.call(
        "get_artifact_by_type_and_name missing name",
        store.get_artifact_by_type_and_name,
        "DataSet",
        "nope",
    )
    env.call(
        "get_artifact_by_type_and_name missing type",
        store.get_artifact_by_type_and_name,
        "Nope",
        "train",
    )
    env.call(
        "get_artifact_by_type_and_name empty name",
        store.get_artifact_by_type_and_name,
        "DataSet",
        "",
    )
    env.call(
        "get_artifacts_by_external_ids", store.get_artifacts_by_external_ids, ["ext-1", "nope"]
    )
    env.call(
        "get_artifacts_by_external_ids none found", store.get_artifacts_by_external_ids, ["nope"]
    )
    env.call("get_artifacts_by_external_ids empty", store.get_artifacts_by_external_ids, [])
    env.call(
        "get_artifacts_and_types_by_artifact_ids",
        store.get_artifacts_and_types_by_artifact_ids,
        ids,
    )
    env.call(
        "get_artifacts_and_types_by_artifact_ids with missing",
        store.get_artifacts_and_types_by_artifact_ids,
        [ids[2], 12345],
    )
    env.call(
        "get_artifacts_and_types_by_artifact_ids empty",
        store.get_artifacts_and_types_by_artifact_ids,
        [],
    )


def scenario_artifacts_update(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    at, _, _ = _basic_types(env, store)
    other = store.put_artifact_type(_artifact_type(env, "Other"))
    [aid] = store.put_artifacts(
        [_artifact(env, at, {"split": "train", "version": 1}, {"c": "x"}, uri="/u", name="a")]
    )
    upd = _artifact(
        env, at, {"split": "eval"}, {"d": 2}, id=aid, uri="/u2", name="a", state=pb.Artifact.LIVE
    )
    env.call("full update", store.put_artifacts, [upd])
    env.call("get after full update", store.get_artifacts_by_id, [aid])
    env.call(
        "update without type_id",
        store.put_artifacts,
        [_artifact(env, 0, id=aid, uri="/u3", name="a")],
    )
    env.call("get after update without type_id", store.get_artifacts_by_id, [aid])
    env.call(
        "update changing type_id", store.put_artifacts, [_artifact(env, other, id=aid, uri="/u4")]
    )
    env.call(
        "update renaming",
        store.put_artifacts,
        [_artifact(env, at, id=aid, uri="/u3", name="renamed")],
    )
    env.call(
        "update dropping the name", store.put_artifacts, [_artifact(env, at, id=aid, uri="/u3")]
    )
    env.call("get after renames", store.get_artifacts_by_id, [aid])
    env.call(
        "update of a missing id", store.put_artifacts, [_artifact(env, at, id=777, uri="/missing")]
    )
    env.call("get missing after update attempt", store.get_artifacts_by_id, [777])
    env.call("update identical", store.put_artifacts, [_artifact(env, at, id=aid, uri="/u3")])
    env.call(
        "set external_id on update",
        store.put_artifacts,
        [_artifact(env, at, id=aid, uri="/u3", external_id="e1")],
    )
    env.call("get after external_id", store.get_artifacts_by_id, [aid])
    env.call(
        "insert and update in one batch",
        store.put_artifacts,
        [_artifact(env, at, uri="/new"), _artifact(env, at, id=aid, uri="/u5")],
    )
    env.call("get_artifacts at end", store.get_artifacts)


def scenario_artifacts_field_mask(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    at = store.put_artifact_type(_artifact_type(env, "T", p1="INT", p2="STRING"))
    [aid] = store.put_artifacts(
        [
            _artifact(
                env,
                at,
                {"p1": 1, "p2": "a"},
                {"c1": 1, "c2": "z"},
                uri="/orig",
                name="n",
                external_id="x",
            )
        ]
    )
    env.call(
        "mask uri",
        store.put_artifacts,
        [_artifact(env, at, {"p1": 9}, {"c1": 9}, id=aid, uri="/masked")],
        ["uri"],
    )
    env.call("get after mask uri", store.get_artifacts_by_id, [aid])
    env.call(
        "mask properties.p1",
        store.put_artifacts,
        [_artifact(env, at, {"p1": 5, "p2": "ignored"}, id=aid)],
        ["properties.p1"],
    )
    env.call("get after mask properties.p1", store.get_artifacts_by_id, [aid])
    env.call(
        "mask custom_properties.c2 absent (deletes)",
        store.put_artifacts,
        [_artifact(env, at, custom={"c1": 100}, id=aid)],
        ["custom_properties.c2"],
    )
    env.call("get after deleting c2", store.get_artifacts_by_id, [aid])
    env.call(
        "mask custom_properties.c3 new",
        store.put_artifacts,
        [_artifact(env, at, custom={"c3": "new"}, id=aid)],
        ["custom_properties.c3"],
    )
    env.call("get after adding c3", store.get_artifacts_by_id, [aid])
    env.call(
        "mask properties (whole map)",
        store.put_artifacts,
        [_artifact(env, at, {"p2": "only"}, id=aid)],
        ["properties"],
    )
    env.call("get after whole properties", store.get_artifacts_by_id, [aid])
    env.call(
        "mask state",
        store.put_artifacts,
        [_artifact(env, at, id=aid, state=pb.Artifact.DELETED, uri="/no")],
        ["state"],
    )
    env.call("get after mask state", store.get_artifacts_by_id, [aid])
    env.call(
        "mask name and external_id",
        store.put_artifacts,
        [_artifact(env, at, id=aid, name="n2", external_id="x2")],
        ["name", "external_id"],
    )
    env.call("get after name mask", store.get_artifacts_by_id, [aid])
    env.call(
        "mask unknown path",
        store.put_artifacts,
        [_artifact(env, at, id=aid, uri="/zzz")],
        ["no_such_field"],
    )
    env.call("get after unknown mask", store.get_artifacts_by_id, [aid])
    env.call(
        "mask ignored on insert",
        store.put_artifacts,
        [_artifact(env, at, {"p1": 3}, uri="/ins", name="ins")],
        ["uri"],
    )
    env.call(
        "mask properties.unknown_prop",
        store.put_artifacts,
        [_artifact(env, at, id=aid)],
        ["properties.zz"],
    )
    env.call(
        "mask custom_properties (whole map)",
        store.put_artifacts,
        [_artifact(env, at, custom={"only": 1}, id=aid)],
        ["custom_properties"],
    )
    env.call(
        "mask without type_id",
        store.put_artifacts,
        [_artifact(env, 0, id=aid, uri="/no-type")],
        ["uri"],
    )
    env.call(
        "mask type_id change",
        store.put_artifacts,
        [_artifact(env, at + 100, id=aid, uri="/t")],
        ["uri"],
    )
    env.call("get_artifacts at end", store.get_artifacts)


def scenario_artifacts_invalid(env: Any) -> None:
    store = env.new_store()
    at = store.put_artifact_type(_artifact_type(env, "T", p="INT", s="STRING"))
    env.call("no type_id", store.put_artifacts, [_artifact(env, 0, uri="/a")])
    env.call("unknown type_id", store.put_artifacts, [_artifact(env, 999, uri="/a")])
    et = store.put_execution_type(_execution_type(env, "E"))
    env.call(
        "execution type id as artifact type", store.put_artifacts, [_artifact(env, et, uri="/a")]
    )
    env.call("builtin type id", store.put_artifacts, [_artifact(env, 1, uri="/a")])
    env.call("unknown property", store.put_artifacts, [_artifact(env, at, {"zz": 1}, uri="/a")])
    env.call(
        "wrong property value type (str for INT)",
        store.put_artifacts,
        [_artifact(env, at, {"p": "1"}, uri="/a")],
    )
    env.call(
        "wrong property value type (int for STRING)",
        store.put_artifacts,
        [_artifact(env, at, {"s": 1}, uri="/a")],
    )
    env.call(
        "wrong property value type (double for INT)",
        store.put_artifacts,
        [_artifact(env, at, {"p": 1.0}, uri="/a")],
    )
    env.call(
        "type name only (no type_id)", store.put_artifacts, [env.pb.Artifact(type="T", uri="/a")]
    )
    env.call(
        "type_id with a mismatching type name",
        store.put_artifacts,
        [env.pb.Artifact(type_id=at, type="Wrong", uri="/typed")],
    )
    env.call("get_artifacts_by_uri /typed", store.get_artifacts_by_uri, "/typed")
    env.call(
        "batch with one bad artifact",
        store.put_artifacts,
        [_artifact(env, at, uri="/good"), _artifact(env, 999, uri="/bad")],
    )
    env.call("get_artifacts after failures", store.get_artifacts)
    env.call("negative id update", store.put_artifacts, [_artifact(env, at, id=-5, uri="/n")])
    env.call("get_artifacts at end", store.get_artifacts)


def scenario_artifacts_duplicates(env: Any) -> None:
    store = env.new_store()
    at = store.put_artifact_type(_artifact_type(env, "T"))
    at2 = store.put_artifact_type(_artifact_type(env, "T2"))
    [a1] = store.put_artifacts([_artifact(env, at, name="same", uri="/1")])
    env.call(
        "duplicate name same type", store.put_artifacts, [_artifact(env, at, name="same", uri="/2")]
    )
    env.call(
        "same name other type", store.put_artifacts, [_artifact(env, at2, name="same", uri="/3")]
    )
    env.call(
        "duplicate names in one batch",
        store.put_artifacts,
        [_artifact(env, at, name="dup", uri="/4"), _artifact(env, at, name="dup", uri="/5")],
    )
    env.call("get_artifacts after batch failure", store.get_artifacts)
    env.call(
        "many unnamed artifacts",
        store.put_artifacts,
        [_artifact(env, at, uri="/x"), _artifact(env, at, uri="/x")],
    )
    [a2] = store.put_artifacts([_artifact(env, at, name="other", uri="/6")])
    env.call(
        "rename onto an existing name",
        store.put_artifacts,
        [_artifact(env, at, id=a2, name="same", uri="/6")],
    )
    env.call("external id", store.put_artifacts, [_artifact(env, at, uri="/e1", external_id="E")])
    env.call(
        "duplicate external id",
        store.put_artifacts,
        [_artifact(env, at, uri="/e2", external_id="E")],
    )
    env.call(
        "duplicate external id other type",
        store.put_artifacts,
        [_artifact(env, at2, uri="/e3", external_id="E")],
    )
    env.call(
        "same external id on an execution",
        store.put_executions,
        [_execution(env, store.put_execution_type(_execution_type(env, "X")), external_id="E")],
    )
    _fails_softly(
        env,
        "update onto an existing external id",
        store.put_artifacts,
        [_artifact(env, at, id=a1, name="same", uri="/1", external_id="E")],
    )
    env.call("get_artifacts at end", store.get_artifacts)


def scenario_executions(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    _, et, _ = _basic_types(env, store)
    et2 = store.put_execution_type(_execution_type(env, "Pusher"))
    exs = [
        _execution(
            env,
            et,
            {"state": "RUNNING"},
            {"k": 1},
            name="run1",
            last_known_state=pb.Execution.RUNNING,
        ),
        _execution(env, et, last_known_state=pb.Execution.NEW),
        _execution(
            env, et2, name="run1", external_id="ex-1", last_known_state=pb.Execution.COMPLETE
        ),
    ]
    ids = env.call("put_executions", store.put_executions, exs)
    env.call("get_executions", store.get_executions)
    env.call("get_executions_by_id", store.get_executions_by_id, [*reversed(ids), 99])
    env.call("get_executions_by_type Trainer", store.get_executions_by_type, "Trainer")
    env.call("get_executions_by_type missing", store.get_executions_by_type, "Missing")
    env.call(
        "get_execution_by_type_and_name", store.get_execution_by_type_and_name, "Pusher", "run1"
    )
    env.call(
        "get_execution_by_type_and_name missing",
        store.get_execution_by_type_and_name,
        "Pusher",
        "nope",
    )
    env.call("get_executions_by_external_ids", store.get_executions_by_external_ids, ["ex-1"])
    env.call("get_executions_by_external_ids missing", store.get_executions_by_external_ids, ["zz"])
    env.call(
        "update state",
        store.put_executions,
        [
            _execution(
                env,
                et,
                {"state": "COMPLETE"},
                id=ids[0],
                name="run1",
                last_known_state=pb.Execution.COMPLETE,
            )
        ],
    )
    env.call("get after update", store.get_executions_by_id, [ids[0]])
    env.call(
        "mask last_known_state",
        store.put_executions,
        [_execution(env, et, {"state": "X"}, id=ids[0], last_known_state=pb.Execution.FAILED)],
        ["last_known_state"],
    )
    env.call(
        "mask properties.state",
        store.put_executions,
        [_execution(env, et, {"state": "Y"}, id=ids[0])],
        ["properties.state"],
    )
    env.call("get after masks", store.get_executions_by_id, [ids[0]])
    env.call("duplicate name", store.put_executions, [_execution(env, et, name="run1")])
    env.call("unknown property", store.put_executions, [_execution(env, et, {"zz": 1})])
    env.call("wrong property type", store.put_executions, [_execution(env, et, {"state": 1})])
    env.call("no type", store.put_executions, [_execution(env, 0)])
    env.call(
        "artifact type id",
        store.put_executions,
        [_execution(env, store.put_artifact_type(_artifact_type(env, "A")))],
    )
    env.call("update missing id", store.put_executions, [_execution(env, et, id=500)])
    env.call(
        "duplicate external id", store.put_executions, [_execution(env, et, external_id="ex-1")]
    )
    for state in ("UNKNOWN", "CACHED", "CANCELED"):
        env.call(
            f"state {state}",
            store.put_executions,
            [_execution(env, et, last_known_state=getattr(pb.Execution, state))],
        )
    env.call("get_executions at end", store.get_executions)


def scenario_contexts(env: Any) -> None:
    store = env.new_store()
    _, _, ct = _basic_types(env, store)
    ct2 = store.put_context_type(_context_type(env, "Pipeline"))
    ids = env.call(
        "put_contexts",
        store.put_contexts,
        [
            _context(env, ct, {"note": "n"}, {"k": 2}, name="exp1"),
            _context(env, ct2, name="exp1", external_id="c-ext"),
        ],
    )
    env.call("context without name", store.put_contexts, [_context(env, ct)])
    env.call("context with empty name", store.put_contexts, [_context(env, ct, name="")])
    env.call("duplicate name", store.put_contexts, [_context(env, ct, name="exp1")])
    env.call("no type", store.put_contexts, [_context(env, 0, name="z")])
    env.call("unknown property", store.put_contexts, [_context(env, ct, {"x": 1}, name="z")])
    env.call("wrong property type", store.put_contexts, [_context(env, ct, {"note": 1}, name="z")])
    env.call("get_contexts", store.get_contexts)
    env.call("get_contexts_by_id", store.get_contexts_by_id, [ids[1], 50, ids[0]])
    env.call("get_contexts_by_type", store.get_contexts_by_type, "Experiment")
    env.call("get_contexts_by_type missing", store.get_contexts_by_type, "Nope")
    env.call("get_context_by_type_and_name", store.get_context_by_type_and_name, "Pipeline", "exp1")
    env.call(
        "get_context_by_type_and_name missing", store.get_context_by_type_and_name, "Pipeline", "zz"
    )
    env.call(
        "get_context_by_type_and_name missing type",
        store.get_context_by_type_and_name,
        "Zz",
        "exp1",
    )
    env.call("get_contexts_by_external_ids", store.get_contexts_by_external_ids, ["c-ext", "zz"])
    env.call(
        "update", store.put_contexts, [_context(env, ct, {"note": "m"}, id=ids[0], name="exp1")]
    )
    env.call(
        "update renaming to empty", store.put_contexts, [_context(env, ct, id=ids[0], name="")]
    )
    env.call(
        "update without name with mask",
        store.put_contexts,
        [_context(env, ct, {"note": "q"}, id=ids[0])],
        ["properties.note"],
    )
    env.call("update missing id", store.put_contexts, [_context(env, ct, id=99, name="q")])
    env.call(
        "update renaming onto existing",
        store.put_contexts,
        [_context(env, ct2, id=ids[1], name="exp1")],
    )
    env.call("get_contexts at end", store.get_contexts)


def scenario_property_value_kinds(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    t = _artifact_type(
        env, "Kinds", i="INT", d="DOUBLE", s="STRING", st="STRUCT", pr="PROTO", b="BOOLEAN"
    )
    at = env.call("put type with every property kind", store.put_artifact_type, t)
    art = pb.Artifact(type_id=at, uri="/kinds")
    art.properties["i"].int_value = -42
    art.properties["d"].double_value = 0.1
    art.properties["s"].string_value = 'héllo "quoted"\n'
    art.properties["st"].struct_value.update(
        {"a": 1, "b": [1, "two", None, True], "c": {"nested": 2.5}}
    )
    packed = pb.Artifact(uri="packed", name="inner")
    packed.properties["x"].int_value = 7
    art.properties["pr"].proto_value.Pack(packed)
    art.properties["b"].bool_value = True
    art.custom_properties["ci"].int_value = 2**62
    art.custom_properties["cd"].double_value = -1e300
    art.custom_properties["cs"].string_value = ""
    art.custom_properties["cst"].struct_value.SetInParent()
    art.custom_properties["cpr"].proto_value.Pack(pb.Execution(name="inner-exec"))
    art.custom_properties["cb"].bool_value = False
    [aid] = env.call("put artifact with every kind", store.put_artifacts, [art])
    env.call("get it back", store.get_artifacts_by_id, [aid])
    env.call(
        "struct for a STRUCT property only",
        store.put_artifacts,
        [_with_struct(pb, pb.Artifact(type_id=at), "st", {"k": "v"})],
    )
    wrong = pb.Artifact(type_id=at)
    wrong.properties["st"].string_value = "not a struct"
    env.call("string for a STRUCT property", store.put_artifacts, [wrong])
    wrong2 = pb.Artifact(type_id=at)
    wrong2.properties["b"].int_value = 1
    env.call("int for a BOOLEAN property", store.put_artifacts, [wrong2])
    wrong3 = pb.Artifact(type_id=at)
    wrong3.properties["pr"].string_value = "x"
    env.call("string for a PROTO property", store.put_artifacts, [wrong3])
    wrong4 = pb.Artifact(type_id=at)
    wrong4.properties["i"].bool_value = True
    env.call("bool for an INT property", store.put_artifacts, [wrong4])
    # Same kinds on executions and contexts.
    et = store.put_execution_type(_execution_type(env, "EK", st="STRUCT", b="BOOLEAN"))
    ex = _with_struct(pb, pb.Execution(type_id=et), "st", {"z": [1, 2]})
    ex.properties["b"].bool_value = True
    ex.custom_properties["p"].proto_value.Pack(pb.Context(name="c"))
    [eid] = store.put_executions([ex])
    env.call("execution with struct/bool/proto", store.get_executions_by_id, [eid])
    ct = store.put_context_type(_context_type(env, "CK", d="DOUBLE"))
    cx = pb.Context(type_id=ct, name="ck")
    cx.properties["d"].double_value = 3.0
    cx.custom_properties["s"].struct_value.update({"list": []})
    [cid] = store.put_contexts([cx])
    env.call("context with double/struct", store.get_contexts_by_id, [cid])
    env.call(
        "filter on bool property",
        store.get_artifacts,
        _opts(env, filter_query="properties.b.bool_value = true"),
    )
    env.call(
        "filter on double property",
        store.get_artifacts,
        _opts(env, filter_query="properties.d.double_value < 0.5"),
    )
    env.call(
        "filter on custom int",
        store.get_artifacts,
        _opts(env, filter_query=f"custom_properties.ci.int_value = {2**62}"),
    )


def _with_struct(pb: Any, node: Any, prop: str, data: dict) -> Any:
    node.properties[prop].struct_value.update(data)
    return node


def scenario_custom_properties_replace(env: Any) -> None:
    """A full update replaces the property maps; absent keys disappear."""
    store = env.new_store()
    at = store.put_artifact_type(_artifact_type(env, "T", p="INT", q="INT"))
    [aid] = store.put_artifacts([_artifact(env, at, {"p": 1, "q": 2}, {"a": 1, "b": 2})])
    env.call(
        "update with fewer properties",
        store.put_artifacts,
        [_artifact(env, at, {"p": 5}, {"b": "now a string"}, id=aid)],
    )
    env.call("get after", store.get_artifacts_by_id, [aid])
    env.call("update with no properties", store.put_artifacts, [_artifact(env, at, id=aid)])
    env.call("get after clearing", store.get_artifacts_by_id, [aid])
    env.call(
        "custom property changing kind",
        store.put_artifacts,
        [_artifact(env, at, custom={"b": 2.5}, id=aid)],
    )
    env.call("get after kind change", store.get_artifacts_by_id, [aid])


# ---------------------------------------------------------------------------------------
# events, attributions, associations, parent contexts
# ---------------------------------------------------------------------------------------
def _small_graph(env: Any, store: Any) -> dict:
    at, et, ct = _basic_types(env, store)
    a = store.put_artifacts([_artifact(env, at, uri=f"/a{i}") for i in range(3)])
    e = store.put_executions([_execution(env, et, name=f"e{i}") for i in range(2)])
    c = store.put_contexts([_context(env, ct, name=f"c{i}") for i in range(3)])
    return {"at": at, "et": et, "ct": ct, "a": a, "e": e, "c": c}


def scenario_events(env: Any) -> None:
    store = env.new_store()
    g = _small_graph(env, store)
    a, e = g["a"], g["e"]
    evs = [
        _event(env, a[0], e[0], "INPUT", ("examples", 0)),
        _event(env, a[1], e[0], "OUTPUT", ("model",)),
        _event(env, a[1], e[1], "DECLARED_INPUT", (3, "k", 7)),
        _event(env, a[2], e[1], "INTERNAL_OUTPUT"),
    ]
    env.call("put_events", store.put_events, evs)
    env.call("put_events empty", store.put_events, [])
    env.call("get_events_by_artifact_ids", store.get_events_by_artifact_ids, [a[1]])
    _events_both_ways(env, "get_events_by_artifact_ids all", store.get_events_by_artifact_ids, a)
    env.call("get_events_by_artifact_ids missing", store.get_events_by_artifact_ids, [99])
    env.call("get_events_by_artifact_ids empty", store.get_events_by_artifact_ids, [])
    env.call("get_events_by_execution_ids", store.get_events_by_execution_ids, [e[1]])
    _events_both_ways(env, "get_events_by_execution_ids all", store.get_events_by_execution_ids, e)
    env.call("get_events_by_execution_ids missing", store.get_events_by_execution_ids, [99])
    env.call(
        "duplicate event (same artifact, execution, type)",
        store.put_events,
        [_event(env, a[0], e[0], "INPUT")],
    )
    env.call("same pair, other type", store.put_events, [_event(env, a[0], e[0], "OUTPUT")])
    env.call(
        "duplicate inside one batch",
        store.put_events,
        [_event(env, a[2], e[0], "INPUT"), _event(env, a[2], e[0], "INPUT")],
    )
    env.call("events of a[2] after batch", store.get_events_by_artifact_ids, [a[2]])
    env.call("missing artifact", store.put_events, [_event(env, 999, e[0])])
    env.call("missing execution", store.put_events, [_event(env, a[0], 999)])
    env.call("no artifact id", store.put_events, [_event(env, 0, e[0])])
    env.call("no execution id", store.put_events, [_event(env, a[0], 0)])
    env.call("no type", store.put_events, [env.pb.Event(artifact_id=a[2], execution_id=e[1])])
    env.call("PENDING_OUTPUT", store.put_events, [_event(env, a[2], e[1], "PENDING_OUTPUT")])
    env.call(
        "batch with a bad event",
        store.put_events,
        [_event(env, a[2], e[1], "INPUT"), _event(env, 999, e[1], "INPUT")],
    )
    _events_both_ways(env, "events at end", store.get_events_by_execution_ids, e)


def scenario_attributions_associations(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    g = _small_graph(env, store)
    a, e, c = g["a"], g["e"], g["c"]
    attrs = [
        pb.Attribution(artifact_id=a[0], context_id=c[0]),
        pb.Attribution(artifact_id=a[1], context_id=c[0]),
        pb.Attribution(artifact_id=a[0], context_id=c[1]),
    ]
    assocs = [
        pb.Association(execution_id=e[0], context_id=c[0]),
        pb.Association(execution_id=e[1], context_id=c[1]),
    ]
    env.call(
        "put_attributions_and_associations", store.put_attributions_and_associations, attrs, assocs
    )
    env.call("repeat (idempotent?)", store.put_attributions_and_associations, attrs, assocs)
    env.call("empty", store.put_attributions_and_associations, [], [])
    env.call("get_contexts_by_artifact a0", store.get_contexts_by_artifact, a[0])
    env.call("get_contexts_by_artifact a2", store.get_contexts_by_artifact, a[2])
    env.call("get_contexts_by_artifact missing", store.get_contexts_by_artifact, 999)
    env.call("get_contexts_by_execution e0", store.get_contexts_by_execution, e[0])
    env.call("get_contexts_by_execution missing", store.get_contexts_by_execution, 999)
    env.call("get_artifacts_by_context c0", store.get_artifacts_by_context, c[0])
    env.call("get_artifacts_by_context c2", store.get_artifacts_by_context, c[2])
    env.call("get_artifacts_by_context missing", store.get_artifacts_by_context, 999)
    env.call("get_executions_by_context c0", store.get_executions_by_context, c[0])
    env.call("get_executions_by_context c1", store.get_executions_by_context, c[1])
    env.call(
        "attribution to missing context",
        store.put_attributions_and_associations,
        [pb.Attribution(artifact_id=a[2], context_id=999)],
        [],
    )
    env.call(
        "attribution of missing artifact",
        store.put_attributions_and_associations,
        [pb.Attribution(artifact_id=999, context_id=c[2])],
        [],
    )
    env.call(
        "association to missing context",
        store.put_attributions_and_associations,
        [],
        [pb.Association(execution_id=e[0], context_id=999)],
    )
    env.call(
        "association of missing execution",
        store.put_attributions_and_associations,
        [],
        [pb.Association(execution_id=999, context_id=c[2])],
    )
    env.call(
        "attribution with no ids", store.put_attributions_and_associations, [pb.Attribution()], []
    )
    env.call(
        "good then bad in one call",
        store.put_attributions_and_associations,
        [pb.Attribution(artifact_id=a[2], context_id=c[2])],
        [pb.Association(execution_id=999, context_id=c[2])],
    )
    env.call("artifacts of c2 after the failed call", store.get_artifacts_by_context, c[2])
    env.call("contexts of a1", store.get_contexts_by_artifact, a[1])


def scenario_parent_contexts(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    _, _, ct = _basic_types(env, store)
    c = store.put_contexts([_context(env, ct, name=f"c{i}") for i in range(5)])

    def pc(child: int, parent: int) -> Any:
        return pb.ParentContext(child_id=child, parent_id=parent)

    env.call(
        "put_parent_contexts",
        store.put_parent_contexts,
        [pc(c[1], c[0]), pc(c[2], c[0]), pc(c[2], c[1])],
    )
    env.call("put_parent_contexts empty", store.put_parent_contexts, [])
    env.call("parents of c2", store.get_parent_contexts_by_context, c[2])
    env.call("parents of c0", store.get_parent_contexts_by_context, c[0])
    env.call("children of c0", store.get_children_contexts_by_context, c[0])
    env.call("children of c2", store.get_children_contexts_by_context, c[2])
    env.call("parents of missing", store.get_parent_contexts_by_context, 999)
    env.call("children of missing", store.get_children_contexts_by_context, 999)
    env.call("duplicate", store.put_parent_contexts, [pc(c[1], c[0])])
    env.call("self parent", store.put_parent_contexts, [pc(c[3], c[3])])
    env.call("direct cycle", store.put_parent_contexts, [pc(c[0], c[1])])
    env.call("longer cycle", store.put_parent_contexts, [pc(c[0], c[2])])
    env.call("missing parent", store.put_parent_contexts, [pc(c[3], 999)])
    env.call("missing child", store.put_parent_contexts, [pc(999, c[3])])
    env.call("no ids", store.put_parent_contexts, [pb.ParentContext()])
    env.call(
        "good then duplicate in one call",
        store.put_parent_contexts,
        [pc(c[4], c[3]), pc(c[1], c[0])],
    )
    env.call("parents of c4 after failed call", store.get_parent_contexts_by_context, c[4])
    env.call(
        "duplicate inside one call", store.put_parent_contexts, [pc(c[4], c[2]), pc(c[4], c[2])]
    )
    env.call("parents of c4 at end", store.get_parent_contexts_by_context, c[4])
    env.call(
        "filter parent_contexts_a.name",
        lambda: _ids(
            store.get_contexts(
                _opts(env, filter_query="parent_contexts_a.name = 'c0'", order_by="ID")
            )
        ),
    )
    env.call(
        "filter child_contexts_a.name",
        lambda: _ids(
            store.get_contexts(
                _opts(env, filter_query="child_contexts_a.name = 'c2'", order_by="ID")
            )
        ),
    )


# ---------------------------------------------------------------------------------------
# list options
# ---------------------------------------------------------------------------------------
def scenario_list_options_paging(env: Any) -> None:
    store = env.new_store()
    at = store.put_artifact_type(_artifact_type(env, "T", i="INT"))
    ids = store.put_artifacts(
        [_artifact(env, at, {"i": i % 7}, uri=f"/u{i:03d}", name=f"n{i:03d}") for i in range(250)]
    )
    env.record("ids", ids)
    env.call("get_artifacts (no options)", lambda: _ids(store.get_artifacts()))
    env.call("limit 10", lambda: _ids(store.get_artifacts(_opts(env, limit=10))))
    env.call("limit 150", lambda: _ids(store.get_artifacts(_opts(env, limit=150))))
    env.call("limit 1000", lambda: _ids(store.get_artifacts(_opts(env, limit=1000))))
    env.call("limit 0", lambda: _ids(store.get_artifacts(_opts(env, limit=0))))
    env.call("limit -1", lambda: _ids(store.get_artifacts(_opts(env, limit=-1))))
    env.call("ID desc", lambda: _ids(store.get_artifacts(_opts(env, order_by="ID", is_asc=False))))
    env.call(
        "ID asc limit 5",
        lambda: _ids(store.get_artifacts(_opts(env, order_by="ID", is_asc=True, limit=5))),
    )
    env.call(
        "ID desc limit 120",
        lambda: _ids(store.get_artifacts(_opts(env, order_by="ID", is_asc=False, limit=120))),
    )
    env.call(
        "is_asc False without order_by",
        lambda: _ids(store.get_artifacts(_opts(env, is_asc=False, limit=5))),
    )
    env.call(
        "filter with paging",
        lambda: _ids(
            store.get_artifacts(
                _opts(env, filter_query="properties.i.int_value = 3", order_by="ID", is_asc=False)
            )
        ),
    )
    env.call(
        "filter with limit",
        lambda: _ids(
            store.get_artifacts(_opts(env, filter_query="properties.i.int_value = 3", limit=4))
        ),
    )
    et = store.put_execution_type(_execution_type(env, "E"))
    eids = store.put_executions([_execution(env, et, name=f"e{i}") for i in range(120)])
    env.call(
        "executions limit 101 desc",
        lambda: (
            _ids(store.get_executions(_opts(env, limit=101, order_by="ID", is_asc=False)))
            == list(reversed(eids))[:101]
        ),
    )
    env.call("executions all", lambda: _ids(store.get_executions()) == eids)
    ct = store.put_context_type(_context_type(env, "C"))
    cids = store.put_contexts([_context(env, ct, name=f"c{i}") for i in range(105)])
    env.call("contexts all", lambda: _ids(store.get_contexts()) == cids)
    env.call(
        "contexts limit 3 desc",
        lambda: _ids(store.get_contexts(_opts(env, limit=3, order_by="ID", is_asc=False))),
    )


def scenario_list_options_time_order(env: Any) -> None:
    store = env.new_store()
    at, et, ct = _basic_types(env, store)
    ids = []
    for i in range(6):
        ids += store.put_artifacts([_artifact(env, at, uri=f"/t{i}")])
        _tick()
    # Update in a different order than created.
    for i in (3, 0, 5):
        store.put_artifacts([_artifact(env, at, id=ids[i], uri=f"/t{i}-updated")])
        _tick()

    def get(**kw: Any) -> list:
        return _ids(store.get_artifacts(_opts(env, **kw)))

    env.call("CREATE_TIME asc", get, order_by="CREATE_TIME")
    env.call("CREATE_TIME desc", get, order_by="CREATE_TIME", is_asc=False)
    env.call("UPDATE_TIME asc", get, order_by="UPDATE_TIME")
    env.call("UPDATE_TIME desc", get, order_by="UPDATE_TIME", is_asc=False)
    env.call("UPDATE_TIME desc limit 2", get, order_by="UPDATE_TIME", is_asc=False, limit=2)
    env.call("CREATE_TIME desc limit 4", get, order_by="CREATE_TIME", is_asc=False, limit=4)
    env.call(
        "count with filter last_update_time_since_epoch > 0",
        lambda: len(
            store.get_artifacts(_opts(env, filter_query="last_update_time_since_epoch > 0"))
        ),
    )
    # Executions / contexts by context, with list options.
    [cid] = store.put_contexts([_context(env, ct, name="ctx")])
    eids = []
    for i in range(4):
        eids += store.put_executions([_execution(env, et, name=f"e{i}")])
        _tick()
    store.put_attributions_and_associations(
        [env.pb.Attribution(artifact_id=i, context_id=cid) for i in ids],
        [env.pb.Association(execution_id=i, context_id=cid) for i in eids],
    )
    store.put_executions([_execution(env, et, id=eids[1], name="e1-updated")])
    env.call(
        "get_executions_by_context default order",
        lambda: _ids(store.get_executions_by_context(cid)),
    )
    env.call(
        "get_executions_by_context ID asc",
        lambda: _ids(store.get_executions_by_context(cid, _opts(env, order_by="ID"))),
    )
    env.call(
        "get_executions_by_context UPDATE_TIME desc limit 2",
        lambda: _ids(
            store.get_executions_by_context(
                cid, _opts(env, order_by="UPDATE_TIME", is_asc=False, limit=2)
            )
        ),
    )
    env.call(
        "get_executions_by_context with filter",
        lambda: _ids(
            store.get_executions_by_context(cid, _opts(env, filter_query="name LIKE 'e1%'"))
        ),
    )
    env.call(
        "get_artifacts_by_context default order", lambda: _ids(store.get_artifacts_by_context(cid))
    )
    env.call(
        "get_artifacts_by_context CREATE_TIME desc",
        lambda: _ids(
            store.get_artifacts_by_context(cid, _opts(env, order_by="CREATE_TIME", is_asc=False))
        ),
    )
    env.call(
        "get_artifacts_by_context limit 2",
        lambda: _ids(store.get_artifacts_by_context(cid, _opts(env, limit=2, order_by="ID"))),
    )
    env.call(
        "get_artifacts_by_context with filter",
        lambda: _ids(
            store.get_artifacts_by_context(cid, _opts(env, filter_query="uri LIKE '%updated'"))
        ),
    )
    env.call(
        "get_executions UPDATE_TIME desc",
        lambda: _ids(store.get_executions(_opts(env, order_by="UPDATE_TIME", is_asc=False))),
    )
    env.call(
        "get_contexts CREATE_TIME",
        lambda: _ids(store.get_contexts(_opts(env, order_by="CREATE_TIME"))),
    )
    env.call(
        "get_artifacts_by_context limit 0", store.get_artifacts_by_context, cid, _opts(env, limit=0)
    )
    env.call(
        "get_executions_by_context limit -3",
        store.get_executions_by_context,
        cid,
        _opts(env, limit=-3),
    )
    env.call(
        "get_artifacts_by_context missing context",
        store.get_artifacts_by_context,
        999,
        _opts(env, order_by="ID"),
    )


# ---------------------------------------------------------------------------------------
# filter queries
# ---------------------------------------------------------------------------------------
def _filter_store(env: Any) -> tuple[Any, dict]:
    """Two experiments, a pipeline with parent / child contexts, events with paths."""
    store = env.new_store()
    pb = env.pb
    at = store.put_artifact_type(
        _artifact_type(env, "DataSet", split="STRING", rows="INT", score="DOUBLE", ok="BOOLEAN")
    )
    mt = store.put_artifact_type(_artifact_type(env, "Model", _v="2", acc="DOUBLE"))
    et = store.put_execution_type(_execution_type(env, "Trainer", lr="DOUBLE"))
    et2 = store.put_execution_type(_execution_type(env, "Evaluator"))
    ct = store.put_context_type(_context_type(env, "Experiment", owner="STRING"))
    pt = store.put_context_type(_context_type(env, "Pipeline"))
    a = store.put_artifacts(
        [
            _artifact(
                env,
                at,
                {"split": "train", "rows": 100, "score": 0.5, "ok": True},
                {"tag": "gold", "n": 1},
                uri="/d/train",
                name="train",
                state=pb.Artifact.LIVE,
                external_id="x-train",
            ),
            _artifact(
                env,
                at,
                {"split": "eval", "rows": 20, "score": 0.25, "ok": False},
                {"tag": "silver"},
                uri="/d/eval",
                name="eval",
                state=pb.Artifact.LIVE,
            ),
            _artifact(
                env,
                at,
                {"split": "test"},
                uri="/d/test",
                name="test_set",
                state=pb.Artifact.DELETED,
            ),
            _artifact(env, mt, {"acc": 0.9}, {"n": 5}, uri="/m/1", name="model-1"),
            _artifact(env, mt, {"acc": 0.7}, uri="/m/2"),
            _artifact(env, at, uri="/d/100%_done", name="it's"),
        ]
    )
    e = store.put_executions(
        [
            _execution(
                env,
                et,
                {"lr": 0.1},
                {"user": "ann"},
                name="train-1",
                last_known_state=pb.Execution.COMPLETE,
            ),
            _execution(env, et, {"lr": 0.01}, name="train-2", last_known_state=pb.Execution.FAILED),
            _execution(env, et2, name="eval-1", last_known_state=pb.Execution.RUNNING),
        ]
    )
    c = store.put_contexts(
        [
            _context(env, ct, {"owner": "ann"}, name="exp-a"),
            _context(env, ct, {"owner": "bob"}, {"prio": 2}, name="exp-b"),
            _context(env, pt, name="pipe"),
        ]
    )
    store.put_parent_contexts(
        [
            pb.ParentContext(child_id=c[0], parent_id=c[2]),
            pb.ParentContext(child_id=c[1], parent_id=c[2]),
        ]
    )
    store.put_events(
        [
            _event(env, a[0], e[0], "INPUT", ("examples", 0)),
            _event(env, a[1], e[0], "INPUT", ("examples", 1)),
            _event(env, a[3], e[0], "OUTPUT", ("model",)),
            _event(env, a[0], e[1], "INPUT"),
            _event(env, a[4], e[1], "OUTPUT"),
            _event(env, a[3], e[2], "INPUT"),
            _event(env, a[1], e[2], "INPUT"),
        ]
    )
    store.put_attributions_and_associations(
        [pb.Attribution(artifact_id=a[i], context_id=c[0]) for i in (0, 1, 3)]
        + [pb.Attribution(artifact_id=a[i], context_id=c[1]) for i in (0, 4)],
        [
            pb.Association(execution_id=e[0], context_id=c[0]),
            pb.Association(execution_id=e[2], context_id=c[0]),
            pb.Association(execution_id=e[1], context_id=c[1]),
        ],
    )
    return store, {"a": a, "e": e, "c": c}


ARTIFACT_FILTERS = [
    "id = 2",
    "id != 2",
    "id > 2 AND id <= 5",
    "id IN (1, 3, 5)",
    "id NOT IN (1, 3, 5)",
    "name = 'train'",
    "name != 'train'",
    "name LIKE 'tr%'",
    "name LIKE '%e%'",
    "name NOT LIKE '%e%'",
    "name IS NULL",
    "name IS NOT NULL",
    "name = 'it''s'",
    'name = "train"',
    "uri = '/d/train'",
    "uri LIKE '/d/%'",
    "uri LIKE '%\\%%'",
    "type = 'DataSet'",
    "type = 'Model'",
    "type IN ('Model', 'DataSet')",
    "type LIKE 'Mod%'",
    "state = LIVE",
    "state = DELETED",
    "state IN (LIVE, DELETED)",
    "state IS NULL",
    "state != LIVE",
    "external_id = 'x-train'",
    "external_id IS NULL",
    "external_id IS NOT NULL",
    "create_time_since_epoch > 0",
    "last_update_time_since_epoch < 1",
    "properties.split.string_value = 'train'",
    "properties.split.string_value IN ('train', 'test')",
    "properties.split.string_value LIKE '%e%'",
    "properties.rows.int_value > 50",
    "properties.rows.int_value >= 20",
    "properties.rows.int_value IS NULL",
    "properties.rows.int_value IS NOT NULL",
    "properties.score.double_value < 0.3",
    "properties.ok.bool_value = true",
    "properties.ok.bool_value = false",
    "properties.acc.double_value > 0.8",
    "properties.missing.int_value = 1",
    "properties.split.int_value = 1",
    "custom_properties.tag.string_value = 'gold'",
    "custom_properties.tag.string_value != 'gold'",
    "custom_properties.n.int_value >= 1",
    "custom_properties.n.int_value IS NULL",
    "custom_properties.tag.string_value IS NOT NULL",
    "NOT(name = 'train')",
    "NOT(custom_properties.n.int_value = 1)",
    "NOT (type = 'Model') AND NOT (name = 'eval')",
    "name = 'train' OR name = 'eval'",
    "(name = 'train' OR name = 'eval') AND properties.rows.int_value < 50",
    "name = 'train' OR name = 'eval' AND properties.rows.int_value < 50",
    "contexts_a.name = 'exp-a'",
    "contexts_a.name = 'exp-a' AND contexts_b.name = 'exp-b'",
    "contexts_a.type = 'Experiment'",
    "contexts_a.id = 2",
    "contexts_a.name LIKE 'exp-%'",
    "contexts_a.name IN ('exp-b')",
    "contexts_a.properties.owner.string_value = 'bob'",
    "contexts_a.custom_properties.prio.int_value = 2",
    "contexts_a.create_time_since_epoch > 0",
    "NOT(contexts_a.name = 'exp-a')",
    "events_a.type = INPUT",
    "events_a.type = OUTPUT",
    "events_a.type IN (INPUT, OUTPUT)",
    "events_a.execution_id = 1",
    "events_a.execution_id = 3 AND events_b.type = OUTPUT",
    "events_a.milliseconds_since_epoch > 0",
    "type = 'DataSet' AND contexts_a.name = 'exp-b' AND events_a.type = INPUT",
]

EXECUTION_FILTERS = [
    "name = 'train-1'",
    "type = 'Trainer'",
    "last_known_state = COMPLETE",
    "last_known_state IN (FAILED, RUNNING)",
    "last_known_state != COMPLETE",
    "properties.lr.double_value < 0.05",
    "custom_properties.user.string_value = 'ann'",
    "contexts_a.name = 'exp-a'",
    "contexts_a.type = 'Experiment' AND last_known_state = RUNNING",
    "events_a.artifact_id = 1",
    "events_a.type = OUTPUT",
    "events_a.artifact_id = 4 AND events_a.type = INPUT",
    "NOT(events_a.type = OUTPUT)",
    "external_id IS NULL",
]

CONTEXT_FILTERS = [
    "name = 'exp-a'",
    "type = 'Pipeline'",
    "properties.owner.string_value = 'bob'",
    "custom_properties.prio.int_value > 1",
    "parent_contexts_a.name = 'pipe'",
    "parent_contexts_a.type = 'Pipeline'",
    "child_contexts_a.name = 'exp-b'",
    "child_contexts_a.name IN ('exp-a', 'exp-b')",
    "NOT(parent_contexts_a.name = 'pipe')",
    "name LIKE 'exp%' AND properties.owner.string_value = 'ann'",
    "id IN (1, 3)",
]

BAD_FILTERS = [
    "invalid syntax",
    "name = ",
    "name == 'x'",
    "unknown_attribute = 1",
    "properties.split = 'x'",
    "properties.split.unknown_value = 'x'",
    "name = 1 AND",
    "contexts_a.bogus = 1",
    "events_a.name = 'x'",
    "state = NOT_A_STATE",
    "name = 'unterminated",
    "parent_contexts_a.name = 'x'",
]


def _filter_ids(env: Any, getter: Any, query: str) -> list:
    return _ids(getter(_opts(env, filter_query=query, order_by="ID")))


def scenario_filter_artifacts(env: Any) -> None:
    store, _ = _filter_store(env)
    for q in ARTIFACT_FILTERS:
        env.call(f"artifacts where {q}", _filter_ids, env, store.get_artifacts, q)


def scenario_filter_executions_and_contexts(env: Any) -> None:
    store, _ = _filter_store(env)
    for q in EXECUTION_FILTERS:
        env.call(f"executions where {q}", _filter_ids, env, store.get_executions, q)
    for q in CONTEXT_FILTERS:
        env.call(f"contexts where {q}", _filter_ids, env, store.get_contexts, q)


def scenario_filter_errors(env: Any) -> None:
    store, _ = _filter_store(env)
    for q in BAD_FILTERS:
        env.call(f"artifacts where {q}", _filter_ids, env, store.get_artifacts, q)
    env.call("executions where invalid syntax", _filter_ids, env, store.get_executions, "x y")
    env.call(
        "contexts where events_a.type = INPUT",
        _filter_ids,
        env,
        store.get_contexts,
        "events_a.type = INPUT",
    )
    env.call("contexts where invalid syntax", _filter_ids, env, store.get_contexts, "((")
    env.call("empty filter string", _filter_ids, env, store.get_artifacts, "")


def scenario_filter_with_by_context(env: Any) -> None:
    store, ids = _filter_store(env)
    c = ids["c"]
    env.call(
        "artifacts of exp-a where split",
        lambda: _ids(
            store.get_artifacts_by_context(
                c[0], _opts(env, filter_query="properties.split.string_value = 'train'")
            )
        ),
    )
    env.call(
        "artifacts of exp-a where type Model",
        lambda: _ids(
            store.get_artifacts_by_context(
                c[0], _opts(env, filter_query="type = 'Model'", order_by="ID", is_asc=False)
            )
        ),
    )
    env.call(
        "executions of exp-a where state",
        lambda: _ids(
            store.get_executions_by_context(
                c[0], _opts(env, filter_query="last_known_state = COMPLETE")
            )
        ),
    )
    env.call(
        "executions of exp-a where events",
        lambda: _ids(
            store.get_executions_by_context(
                c[0], _opts(env, filter_query="events_a.type = OUTPUT", order_by="ID")
            )
        ),
    )
    env.call(
        "artifacts of exp-b bad filter",
        store.get_artifacts_by_context,
        c[1],
        _opts(env, filter_query="bogus"),
    )


# ---------------------------------------------------------------------------------------
# put_execution
# ---------------------------------------------------------------------------------------
def _dump_all(env: Any, store: Any, prefix: str) -> None:
    env.call(f"{prefix}: artifacts", store.get_artifacts)
    env.call(f"{prefix}: executions", store.get_executions)
    env.call(f"{prefix}: contexts", store.get_contexts)
    _events_both_ways(
        env,
        f"{prefix}: events",
        lambda: store.get_events_by_execution_ids(_ids(store.get_executions())),
    )
    env.call(
        f"{prefix}: contexts per artifact",
        lambda: [
            _context_ids_or_error(store.get_contexts_by_artifact, a.id)
            for a in store.get_artifacts()
        ],
    )
    env.call(
        f"{prefix}: contexts per execution",
        lambda: [
            _context_ids_or_error(store.get_contexts_by_execution, e.id)
            for e in store.get_executions()
        ],
    )


def _events_both_ways(env: Any, label: str, fn: Any, *args: Any) -> None:
    """Events as a multiset (strict) and in the order returned (only reported).

    ml-metadata does not document the order of events for several ids; on SQLite it follows
    the index it happens to use.
    """
    env.call(f"{label} {ANY}", fn, *args)
    env.call(f"{label}, order {QUIRK}", fn, *args)


def _context_ids_or_error(getter: Any, node_id: int) -> Any:
    try:
        return _ids(getter(node_id))
    except Exception as e:  # the error class is part of the record
        return type(e).__name__


def scenario_put_execution_new_nodes(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    at, et, ct = _basic_types(env, store)
    ex = _execution(
        env, et, {"state": "RUNNING"}, name="run", last_known_state=pb.Execution.RUNNING
    )
    inp = _artifact(env, at, {"split": "train"}, uri="/in")
    out = _artifact(env, at, uri="/out", name="out")
    ctx = _context(env, ct, name="exp")
    ctx2 = _context(env, ct, name="exp2")
    env.call(
        "put_execution",
        store.put_execution,
        ex,
        [
            (inp, _event(env, 0, 0, "INPUT", ("examples", 0))),
            (out, pb.Event(type=pb.Event.OUTPUT)),
        ],
        [ctx, ctx2],
    )
    _dump_all(env, store, "after put_execution")
    env.call(
        "put_execution with no artifacts, no contexts",
        store.put_execution,
        _execution(env, et, name="lonely"),
        [],
        [],
    )
    env.call(
        "put_execution with contexts=None",
        store.put_execution,
        _execution(env, et, name="lonely2"),
        [],
        None,
    )
    env.call(
        "artifact without an event",
        store.put_execution,
        _execution(env, et, name="no-event"),
        [(_artifact(env, at, uri="/ne"), None)],
        [],
    )
    env.call(
        "artifact in a 1-tuple",
        store.put_execution,
        _execution(env, et, name="one-tuple"),
        [(_artifact(env, at, uri="/1t"),)],
        [],
    )
    _dump_all(env, store, "at end")


def scenario_put_execution_existing_nodes(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    at, et, ct = _basic_types(env, store)
    [a0, a1] = store.put_artifacts([_artifact(env, at, uri="/a0"), _artifact(env, at, uri="/a1")])
    [cid] = store.put_contexts([_context(env, ct, {"note": "old"}, name="exp")])
    eid, _, _ = env.call(
        "new execution, existing artifacts and context",
        store.put_execution,
        _execution(env, et, name="run", last_known_state=pb.Execution.RUNNING),
        [
            (_artifact(env, at, id=a0, uri="/a0"), _event(env, a0, 0, "INPUT")),
            (_artifact(env, at, id=a1, uri="/a1-changed"), _event(env, a1, 0, "OUTPUT")),
        ],
        [_context(env, ct, {"note": "new"}, id=cid, name="exp")],
    )
    _dump_all(env, store, "after first put")
    env.call(
        "update the execution, same events again",
        store.put_execution,
        _execution(env, et, id=eid, name="run", last_known_state=pb.Execution.COMPLETE),
        [(_artifact(env, at, id=a0, uri="/a0"), _event(env, a0, eid, "INPUT"))],
        [_context(env, ct, id=cid, name="exp")],
    )
    env.call("events after repeat", store.get_events_by_execution_ids, [eid])
    env.call("execution after update", store.get_executions_by_id, [eid])
    env.call(
        "new context with an existing name",
        store.put_execution,
        _execution(env, et, name="run2"),
        [],
        [_context(env, ct, name="exp")],
    )
    env.call("executions after failure", lambda: _names(store.get_executions()))
    _tick()
    env.call(
        "reuse_context_if_already_exist",
        store.put_execution,
        _execution(env, et, name="run2"),
        [],
        [_context(env, ct, name="exp")],
        reuse_context_if_already_exist=True,
    )
    env.call("executions of exp", lambda: _names(store.get_executions_by_context(cid)))
    env.call(
        "missing execution id", store.put_execution, _execution(env, et, id=999, name="zz"), [], []
    )
    env.call(
        "missing artifact id",
        store.put_execution,
        _execution(env, et, name="zz"),
        [(_artifact(env, at, id=999, uri="/"), None)],
        [],
    )
    env.call(
        "missing context id",
        store.put_execution,
        _execution(env, et, name="zz"),
        [],
        [_context(env, ct, id=999, name="q")],
    )
    env.call("executions at end", lambda: _names(store.get_executions()))


def scenario_put_execution_misaligned(env: Any) -> None:
    store = env.new_store()
    at, et, ct = _basic_types(env, store)
    [a0, a1] = store.put_artifacts([_artifact(env, at, uri="/a0"), _artifact(env, at, uri="/a1")])
    [e0] = store.put_executions([_execution(env, et, name="e0")])
    env.call(
        "event artifact_id differs from artifact.id",
        store.put_execution,
        _execution(env, et, name="x1"),
        [(_artifact(env, at, id=a0, uri="/a0"), _event(env, a1, 0, "INPUT"))],
        [],
    )
    env.call(
        "event artifact_id set, artifact new",
        store.put_execution,
        _execution(env, et, name="x2"),
        [(_artifact(env, at, uri="/new"), _event(env, a1, 0, "INPUT"))],
        [],
    )
    env.call(
        "event execution_id differs",
        store.put_execution,
        _execution(env, et, name="x3"),
        [(_artifact(env, at, id=a0, uri="/a0"), _event(env, a0, e0, "INPUT"))],
        [],
    )
    env.call(
        "event execution_id differs from existing execution",
        store.put_execution,
        _execution(env, et, id=e0, name="e0"),
        [(_artifact(env, at, id=a0, uri="/a0"), _event(env, a0, e0 + 100, "INPUT"))],
        [],
    )
    env.call(
        "invalid artifact (unknown property)",
        store.put_execution,
        _execution(env, et, name="x4"),
        [(_artifact(env, at, {"zz": 1}, uri="/bad"), _event(env, 0, 0, "OUTPUT"))],
        [],
    )
    env.call("invalid execution (no type)", store.put_execution, _execution(env, 0), [], [])
    env.call(
        "context without a name",
        store.put_execution,
        _execution(env, et, name="x5"),
        [],
        [_context(env, ct)],
    )
    env.call(
        "event without a type",
        store.put_execution,
        _execution(env, et, name="x6"),
        [(_artifact(env, at, uri="/t"), env.pb.Event())],
        [],
    )
    env.call(
        "same artifact twice with the same event type",
        store.put_execution,
        _execution(env, et, name="x7"),
        [
            (_artifact(env, at, id=a0, uri="/a0"), _event(env, a0, 0, "INPUT")),
            (_artifact(env, at, id=a0, uri="/a0"), _event(env, a0, 0, "INPUT")),
        ],
        [],
    )
    _dump_all(env, store, "at end")


def scenario_put_execution_external_ids_and_force(env: Any) -> None:
    store = env.new_store()
    at, et, ct = _basic_types(env, store)
    [a0] = store.put_artifacts(
        [_artifact(env, at, {"split": "old"}, uri="/a0", external_id="art-x")]
    )
    [cid] = store.put_contexts([_context(env, ct, {"note": "stored"}, name="exp")])
    env.call(
        "new artifact with an existing external_id",
        store.put_execution,
        _execution(env, et, name="r1"),
        [
            (
                _artifact(env, at, {"split": "new"}, uri="/a0-new", external_id="art-x"),
                _event(env, 0, 0, "OUTPUT"),
            )
        ],
        [],
    )
    env.call(
        "reuse_artifact_if_already_exist_by_external_id",
        store.put_execution,
        _execution(env, et, name="r1"),
        [
            (
                _artifact(env, at, {"split": "new"}, uri="/a0-new", external_id="art-x"),
                _event(env, 0, 0, "OUTPUT"),
            )
        ],
        [],
        reuse_artifact_if_already_exist_by_external_id=True,
    )
    env.call("artifact after reuse", store.get_artifacts_by_id, [a0])
    env.call(
        "context with id, no force_reuse_context (updates it)",
        store.put_execution,
        _execution(env, et, name="r2"),
        [],
        [_context(env, ct, {"note": "changed"}, id=cid, name="exp")],
    )
    env.call("context after update", store.get_contexts_by_id, [cid])
    env.call(
        "force_reuse_context",
        store.put_execution,
        _execution(env, et, name="r3"),
        [],
        [_context(env, ct, {"note": "ignored"}, id=cid, name="exp")],
        force_reuse_context=True,
    )
    env.call("context after force reuse", store.get_contexts_by_id, [cid])
    env.call(
        "force_reuse_context with a new context",
        store.put_execution,
        _execution(env, et, name="r4"),
        [],
        [_context(env, ct, name="fresh")],
        force_reuse_context=True,
    )
    env.call(
        "force_update_time",
        store.put_execution,
        _execution(env, et, name="r5"),
        [],
        [],
        force_update_time=True,
    )
    env.call(
        "context external id",
        store.put_execution,
        _execution(env, et, name="r6"),
        [],
        [_context(env, ct, name="c-ext", external_id="ctx-x")],
    )
    env.call(
        "new context reusing that external id",
        store.put_execution,
        _execution(env, et, name="r7"),
        [],
        [_context(env, ct, name="c-ext-2", external_id="ctx-x")],
    )
    env.call(
        "put_contexts reusing that external id",
        store.put_contexts,
        [_context(env, ct, name="c-ext-3", external_id="ctx-x")],
    )
    _dump_all(env, store, "at end")


# ---------------------------------------------------------------------------------------
# put_lineage_subgraph / get_lineage_subgraph
# ---------------------------------------------------------------------------------------
def scenario_put_lineage_subgraph(env: Any) -> None:
    store = env.new_store()
    pb = env.pb
    at, et, ct = _basic_types(env, store)
    [old_a] = store.put_artifacts([_artifact(env, at, uri="/old")])
    [old_c] = store.put_contexts([_context(env, ct, name="old-ctx")])
    execs = [_execution(env, et, name="s1"), _execution(env, et, name="s2")]
    arts = [
        _artifact(env, at, uri="/p0"),
        _artifact(env, at, uri="/p1"),
        _artifact(env, at, id=old_a, uri="/old-updated"),
    ]
    ctxs = [_context(env, ct, name="new-ctx"), _context(env, ct, id=old_c, name="old-ctx")]
    edges = [
        (0, 0, pb.Event(type=pb.Event.INPUT)),
        (0, 1, pb.Event(type=pb.Event.OUTPUT)),
        (1, 1, pb.Event(type=pb.Event.INPUT)),
        (
            1,
            2,
            pb.Event(
                type=pb.Event.OUTPUT, path=pb.Event.Path(steps=[pb.Event.Path.Step(key="out")])
            ),
        ),
    ]
    result = env.call("put_lineage_subgraph", store.put_lineage_subgraph, execs, arts, ctxs, edges)
    _dump_all(env, store, "after put")
    env.call("empty subgraph", store.put_lineage_subgraph, [], [], [], [])
    env.call(
        "execution index out of range",
        store.put_lineage_subgraph,
        [_execution(env, et, name="z1")],
        [_artifact(env, at, uri="/z")],
        [],
        [(5, 0, pb.Event(type=pb.Event.INPUT))],
    )
    env.call(
        "artifact index out of range",
        store.put_lineage_subgraph,
        [_execution(env, et, name="z2")],
        [_artifact(env, at, uri="/z")],
        [],
        [(0, 3, pb.Event(type=pb.Event.INPUT))],
    )
    env.call(
        "edge with no execution",
        store.put_lineage_subgraph,
        [],
        [_artifact(env, at, uri="/z")],
        [],
        [(None, 0, pb.Event(type=pb.Event.INPUT))],
    )
    if result:
        eids, aids, _ = result
        env.call(
            "edge by ids only",
            store.put_lineage_subgraph,
            [],
            [],
            [],
            [
                (
                    None,
                    None,
                    pb.Event(type=pb.Event.OUTPUT, execution_id=eids[0], artifact_id=aids[0]),
                )
            ],
        )
        env.call(
            "edge with mismatching ids",
            store.put_lineage_subgraph,
            [_execution(env, et, id=eids[0], name="s1")],
            [],
            [],
            [(0, None, pb.Event(type=pb.Event.INPUT, execution_id=eids[1], artifact_id=aids[0]))],
        )
    env.call(
        "context name clash",
        store.put_lineage_subgraph,
        [_execution(env, et, name="z3")],
        [],
        [_context(env, ct, name="new-ctx")],
        [],
    )
    env.call(
        "context name clash, reuse_context_if_already_exist",
        store.put_lineage_subgraph,
        [_execution(env, et, name="z3")],
        [],
        [_context(env, ct, name="new-ctx")],
        [],
        reuse_context_if_already_exist=True,
    )
    store.put_artifacts([_artifact(env, at, uri="/ext", external_id="ax")])
    env.call(
        "artifact external id clash",
        store.put_lineage_subgraph,
        [],
        [_artifact(env, at, uri="/ext2", external_id="ax")],
        [],
        [],
    )
    env.call(
        "artifact external id reuse",
        store.put_lineage_subgraph,
        [],
        [_artifact(env, at, uri="/ext2", external_id="ax")],
        [],
        [],
        reuse_artifact_if_already_exist_by_external_id=True,
    )
    _dump_all(env, store, "at end")


def _chain_store(env: Any) -> tuple[Any, dict]:
    """a0 -> e0 -> a1 -> e1 -> a2 -> e2 -> a3, plus a side branch a1 -> e3 -> a4."""
    store = env.new_store()
    pb = env.pb
    at = store.put_artifact_type(_artifact_type(env, "Data"))
    mt = store.put_artifact_type(_artifact_type(env, "Model"))
    et = store.put_execution_type(_execution_type(env, "Step"))
    ct = store.put_context_type(_context_type(env, "Run"))
    a = store.put_artifacts(
        [_artifact(env, at if i != 3 else mt, uri=f"/a{i}", name=f"a{i}") for i in range(5)]
    )
    e = store.put_executions([_execution(env, et, name=f"e{i}") for i in range(4)])
    c = store.put_contexts([_context(env, ct, name="run-1"), _context(env, ct, name="run-2")])
    store.put_events(
        [
            _event(env, a[0], e[0], "INPUT"),
            _event(env, a[1], e[0], "OUTPUT"),
            _event(env, a[1], e[1], "INPUT"),
            _event(env, a[2], e[1], "OUTPUT"),
            _event(env, a[2], e[2], "INPUT"),
            _event(env, a[3], e[2], "OUTPUT"),
            _event(env, a[1], e[3], "INPUT"),
            _event(env, a[4], e[3], "OUTPUT"),
        ]
    )
    store.put_attributions_and_associations(
        [pb.Attribution(artifact_id=x, context_id=c[0]) for x in a[:3]]
        + [pb.Attribution(artifact_id=a[4], context_id=c[1])],
        [pb.Association(execution_id=x, context_id=c[0]) for x in e[:2]]
        + [pb.Association(execution_id=e[3], context_id=c[1])],
    )
    return store, {"a": a, "e": e, "c": c}


def _lineage(
    env: Any,
    start: str = "",
    start_kind: str = "artifacts",
    hops: int | None = None,
    direction: str = "",
    end_artifacts: str = "",
    end_executions: str = "",
    include_ending: bool = False,
) -> Any:
    pb = env.pb
    q = pb.LineageSubgraphQueryOptions()
    if start_kind == "artifacts":
        q.starting_artifacts.filter_query = start
    elif start_kind == "executions":
        q.starting_executions.filter_query = start
    if hops is not None:
        q.max_num_hops = hops
    if direction:
        q.direction = getattr(pb.LineageSubgraphQueryOptions, direction)
    if end_artifacts:
        q.ending_artifacts.filter_query = end_artifacts
        q.ending_artifacts.include_ending_nodes = include_ending
    if end_executions:
        q.ending_executions.filter_query = end_executions
        q.ending_executions.include_ending_nodes = include_ending
    return q


def _graph_summary(graph: Any) -> dict:
    """Names of the nodes and the edges of a LineageGraph, order-insensitive."""
    return {
        "artifacts": sorted(a.name for a in graph.artifacts),
        "executions": sorted(e.name for e in graph.executions),
        "contexts": sorted(c.name for c in graph.contexts),
        "artifact_types": sorted(t.name for t in graph.artifact_types),
        "execution_types": sorted(t.name for t in graph.execution_types),
        "context_types": sorted(t.name for t in graph.context_types),
        "events": sorted([ev.artifact_id, ev.execution_id, ev.type] for ev in graph.events),
        "attributions": sorted([x.artifact_id, x.context_id] for x in graph.attributions),
        "associations": sorted([x.execution_id, x.context_id] for x in graph.associations),
    }


def scenario_lineage_hops_and_directions(env: Any) -> None:
    store, _ = _chain_store(env)

    def summary(*args: Any, **kw: Any) -> dict:
        return _graph_summary(store.get_lineage_subgraph(_lineage(env, *args, **kw)))

    env.call(
        "full graph from a3 (full messages)",
        store.get_lineage_subgraph,
        _lineage(env, "name = 'a3'", hops=20),
    )
    for hops in (0, 1, 2, 3, 4, 6):
        env.call(f"from a3, {hops} hops", summary, "name = 'a3'", hops=hops)
    env.call("from a3, hops unset", summary, "name = 'a3'")
    env.call("from a0, 2 hops", summary, "name = 'a0'", hops=2)
    for direction in ("UPSTREAM", "DOWNSTREAM", "BIDIRECTIONAL", "DIRECTION_UNSPECIFIED"):
        env.call(
            f"from a1, 2 hops, {direction}", summary, "name = 'a1'", hops=2, direction=direction
        )
        env.call(
            f"from e1, 3 hops, {direction}",
            summary,
            "name = 'e1'",
            "executions",
            hops=3,
            direction=direction,
        )
    env.call(
        "from executions by context", summary, "contexts_a.name = 'run-2'", "executions", hops=0
    )
    env.call("from artifacts by type", summary, "type = 'Model'", hops=1)
    env.call("from several artifacts", summary, "name IN ('a0', 'a4')", hops=1)
    env.call("from nothing matching", summary, "name = 'zzz'", hops=2)
    env.call("negative hops", summary, "name = 'a1'", hops=-1)


def scenario_lineage_ending_nodes_and_masks(env: Any) -> None:
    store, _ = _chain_store(env)

    def summary(*args: Any, **kw: Any) -> dict:
        return _graph_summary(store.get_lineage_subgraph(_lineage(env, *args, **kw)))

    env.call(
        "upstream from a3 ending at a1",
        summary,
        "name = 'a3'",
        hops=10,
        direction="UPSTREAM",
        end_artifacts="name = 'a1'",
    )
    env.call(
        "upstream from a3 ending at a1, include",
        summary,
        "name = 'a3'",
        hops=10,
        direction="UPSTREAM",
        end_artifacts="name = 'a1'",
        include_ending=True,
    )
    env.call(
        "downstream from a0 ending at e1",
        summary,
        "name = 'a0'",
        hops=10,
        direction="DOWNSTREAM",
        end_executions="name = 'e1'",
    )
    env.call(
        "downstream from a0 ending at e1, include",
        summary,
        "name = 'a0'",
        hops=10,
        direction="DOWNSTREAM",
        end_executions="name = 'e1'",
        include_ending=True,
    )
    env.call(
        "bidirectional with ending nodes",
        summary,
        "name = 'a2'",
        hops=10,
        direction="BIDIRECTIONAL",
        end_artifacts="name = 'a1'",
    )
    env.call(
        "ending nodes without direction",
        summary,
        "name = 'a2'",
        hops=10,
        end_artifacts="name = 'a1'",
    )
    env.call(
        "starting node is an ending node",
        summary,
        "name = 'a2'",
        hops=10,
        direction="UPSTREAM",
        end_artifacts="name = 'a2'",
        include_ending=True,
    )
    q = _lineage(env, "name = 'a2'", hops=2)
    for mask in (
        ["artifacts"],
        ["executions"],
        ["contexts"],
        ["events"],
        ["associations", "attributions"],
        ["artifact_types"],
        ["execution_types"],
        ["context_types"],
        ["artifacts", "artifact_types"],
        ["parent_contexts"],
        ["no_such_path"],
    ):
        env.call(
            f"field mask {mask}", lambda m=mask: _graph_summary(store.get_lineage_subgraph(q, m))
        )
    env.call(
        "field mask [] (everything)", lambda: _graph_summary(store.get_lineage_subgraph(q, []))
    )
    env.call("events mask, full messages", store.get_lineage_subgraph, q, ["events"])
    env.call(
        "types mask, full messages",
        store.get_lineage_subgraph,
        q,
        ["artifact_types", "execution_types", "context_types"],
    )


def scenario_lineage_errors(env: Any) -> None:
    store, _ = _chain_store(env)
    pb = env.pb
    env.call(
        "no starting nodes",
        store.get_lineage_subgraph,
        pb.LineageSubgraphQueryOptions(max_num_hops=2),
    )
    env.call("empty starting filter", store.get_lineage_subgraph, _lineage(env, "", hops=2))
    env.call(
        "bad starting filter", store.get_lineage_subgraph, _lineage(env, "nonsense ((", hops=2)
    )
    env.call(
        "bad ending filter",
        store.get_lineage_subgraph,
        _lineage(env, "name = 'a1'", hops=2, direction="UPSTREAM", end_artifacts="zz zz"),
    )
    at = store.get_artifact_type("Data").id
    store.put_artifacts([_artifact(env, at, uri=f"/bulk{i}", name=f"bulk{i}") for i in range(101)])
    env.call(
        "more than 100 starting nodes",
        lambda: _graph_summary(
            store.get_lineage_subgraph(_lineage(env, "name LIKE 'bulk%'", hops=1))
        ),
    )
    env.call(
        "exactly 100 starting nodes",
        lambda: len(
            store.get_lineage_subgraph(
                _lineage(env, "name LIKE 'bulk%' AND name != 'bulk0'", hops=1)
            ).artifacts
        ),
    )
    env.call(
        "starting executions, bad filter",
        store.get_lineage_subgraph,
        _lineage(env, "((", "executions", hops=1),
    )


# ---------------------------------------------------------------------------------------
# the seed lab ("ML Metadata in action"), made runnable
# ---------------------------------------------------------------------------------------
def scenario_seed_lab(env: Any) -> None:
    metadata_store = env.metadata_store
    metadata_store_pb2 = env.pb
    # Setup metadata store (backend).
    connection_config = metadata_store_pb2.ConnectionConfig()
    connection_config.sqlite.filename_uri = env.new_db_path()
    connection_config.sqlite.connection_mode = 3  # READWRITE_OPENCREATE
    store = metadata_store.MetadataStore(connection_config)

    # Register Artifact Types, here DataSet and Schema.
    data_artifact_type = metadata_store_pb2.ArtifactType()
    data_artifact_type.name = "DataSet"
    data_artifact_type.properties["name"] = metadata_store_pb2.STRING
    data_artifact_type.properties["split"] = metadata_store_pb2.STRING
    data_artifact_type.properties["version"] = metadata_store_pb2.INT
    data_artifact_type_id = env.call(
        "put DataSet type", store.put_artifact_type, data_artifact_type
    )
    schema_artifact_type = metadata_store_pb2.ArtifactType()
    schema_artifact_type.name = "Schema"
    schema_artifact_type.properties["name"] = metadata_store_pb2.STRING
    schema_artifact_type.properties["version"] = metadata_store_pb2.INT
    schema_artifact_type_id = env.call(
        "put Schema type", store.put_artifact_type, schema_artifact_type
    )

    # Register Execution Types, here DataValidation.
    dv_execution_type = metadata_store_pb2.ExecutionType()
    dv_execution_type.name = "Data Validation"
    dv_execution_type.properties["state"] = metadata_store_pb2.STRING
    dv_execution_type_id = env.call(
        "put execution type", store.put_execution_type, dv_execution_type
    )

    # Register Artifact, here input CSV file.
    data_artifact = metadata_store_pb2.Artifact()
    data_artifact.uri = "./data/train/data.csv"
    data_artifact.type_id = data_artifact_type_id
    data_artifact.properties["name"].string_value = "Chicago Taxi dataset"
    data_artifact.properties["split"].string_value = "train"
    data_artifact.properties["version"].int_value = 1
    data_artifact_id = env.call("put data artifact", store.put_artifacts, [data_artifact])[0]

    # Register Execution, here DataValidation.
    dv_execution = metadata_store_pb2.Execution()
    dv_execution.type_id = dv_execution_type_id
    dv_execution.properties["state"].string_value = "RUNNING"
    dv_execution_id = env.call("put execution", store.put_executions, [dv_execution])[0]

    # Register input Event.
    input_event = metadata_store_pb2.Event()
    input_event.artifact_id = data_artifact_id
    input_event.execution_id = dv_execution_id
    input_event.type = metadata_store_pb2.Event.DECLARED_INPUT
    env.call("put input event", store.put_events, [input_event])

    # (The lab runs TFDV here and writes ./schema.pbtxt.)
    schema_file = "./schema.pbtxt"

    # Register output artifact, i.e. Schema.
    schema_artifact = metadata_store_pb2.Artifact()
    schema_artifact.uri = schema_file
    schema_artifact.type_id = schema_artifact_type_id
    schema_artifact.properties["version"].int_value = 1
    schema_artifact.properties["name"].string_value = "Chicago Taxi Schema"
    schema_artifact_id = env.call("put schema artifact", store.put_artifacts, [schema_artifact])[0]

    # Register output event.
    output_event = metadata_store_pb2.Event()
    output_event.artifact_id = schema_artifact_id
    output_event.execution_id = dv_execution_id
    output_event.type = metadata_store_pb2.Event.DECLARED_OUTPUT
    env.call("put output event", store.put_events, [output_event])

    # Register state of the component to 'COMPLETED'.
    dv_execution.id = dv_execution_id
    dv_execution.properties["state"].string_value = "COMPLETED"
    env.call("update execution", store.put_executions, [dv_execution])

    # The part the seed leaves out: a context type and a context for the experiment.
    expt_context_type = metadata_store_pb2.ContextType()
    expt_context_type.name = "Experiment"
    expt_context_type.properties["note"] = metadata_store_pb2.STRING
    expt_context_type_id = env.call("put context type", store.put_context_type, expt_context_type)
    expt_context = metadata_store_pb2.Context()
    expt_context.type_id = expt_context_type_id
    expt_context.name = "Demo"
    expt_context.properties["note"].string_value = "Walkthrough of metadata"
    expt_context_id = env.call("put context", store.put_contexts, [expt_context])[0]

    # Register Attribution and Association.
    expt_attribution = metadata_store_pb2.Attribution()
    expt_attribution.artifact_id = schema_artifact_id
    expt_attribution.context_id = expt_context_id
    expt_association = metadata_store_pb2.Association()
    expt_association.execution_id = dv_execution_id
    expt_association.context_id = expt_context_id
    env.call(
        "put attribution and association",
        store.put_attributions_and_associations,
        [expt_attribution],
        [expt_association],
    )

    # Retrieve Information from the metadata store.
    env.call("get_artifact_types", store.get_artifact_types)
    schema_to_inv = env.call("get_artifacts_by_type Schema", store.get_artifacts_by_type, "Schema")[
        0
    ]
    schema_events = env.call(
        "get_events_by_artifact_ids", store.get_events_by_artifact_ids, [schema_to_inv.id]
    )
    execution_events = env.call(
        "get_events_by_execution_ids",
        store.get_events_by_execution_ids,
        [schema_events[0].execution_id],
    )
    artifact_input = execution_events[0]  # Pick first Execution.
    env.call(
        "get_artifacts_by_id (the CSV file)",
        store.get_artifacts_by_id,
        [artifact_input.artifact_id],
    )
    env.call("get_execution_types", store.get_execution_types)
    env.call("get_context_types", store.get_context_types)
    env.call("get_executions_by_context", store.get_executions_by_context, expt_context_id)
    env.call("get_artifacts_by_context", store.get_artifacts_by_context, expt_context_id)
    env.call("get_contexts_by_artifact schema", store.get_contexts_by_artifact, schema_artifact_id)
    env.call(
        "lineage of the schema",
        store.get_lineage_subgraph,
        _lineage(env, "type = 'Schema'", hops=4, direction="UPSTREAM"),
    )


# ---------------------------------------------------------------------------------------
# stores: fake database, reopening, read-only
# ---------------------------------------------------------------------------------------
def scenario_fake_database(env: Any) -> None:
    store = env.new_fake_store()
    at, et, ct = _basic_types(env, store)
    env.record("type ids", [at, et, ct])
    env.call("put_artifacts", store.put_artifacts, [_artifact(env, at, uri="/f")])
    env.call("get_artifacts", store.get_artifacts)
    env.call("get_artifact_types", store.get_artifact_types)
    other = env.new_fake_store()
    env.call("a second fake store is empty", other.get_artifacts)
    env.call("a second fake store has no user types", other.get_artifact_types)


def scenario_reopen_sqlite(env: Any) -> None:
    path = env.new_db_path()
    store = env.open_store(path)
    at, et, _ = _basic_types(env, store)
    [aid] = store.put_artifacts([_artifact(env, at, {"split": "x"}, uri="/persist")])
    [eid] = store.put_executions([_execution(env, et, name="e")])
    store.put_events([_event(env, aid, eid, "OUTPUT")])
    again = env.open_store(path)
    env.call("reopened: artifact types", again.get_artifact_types)
    env.call("reopened: artifacts", again.get_artifacts)
    env.call("reopened: events", again.get_events_by_artifact_ids, [aid])
    env.call("reopened: next artifact id", again.put_artifacts, [_artifact(env, at, uri="/2")])
    env.call("first handle sees the second's write", lambda: _ids(store.get_artifacts()))
    env.call(
        "reopened: put the same type again",
        again.put_artifact_type,
        _artifact_type(env, "DataSet", split="STRING", version="INT"),
    )
    ro = env.open_store(path, "READONLY")
    env.call("read-only: get_artifacts", lambda: _ids(ro.get_artifacts()))
    _fails_softly(
        env, "read-only: put_artifacts", ro.put_artifacts, [_artifact(env, at, uri="/ro")]
    )
    _fails_softly(
        env, "read-only: put_artifact_type", ro.put_artifact_type, _artifact_type(env, "New")
    )
    env.call("after read-only attempts", lambda: _ids(store.get_artifacts()))


def scenario_open_errors(env: Any) -> None:
    missing = env.new_db_path() + ".missing"
    env.call(
        "READONLY on a missing file",
        lambda: _ids(env.open_store(missing, "READONLY").get_artifacts()),
    )
    env.call(
        "READWRITE on a missing file",
        lambda: _ids(env.open_store(missing, "READWRITE").get_artifacts()),
    )
    env.call(
        "config that is not a ConnectionConfig",
        lambda: env.metadata_store.MetadataStore("sqlite:///x") and None,
    )
    env.call(
        "empty ConnectionConfig",
        lambda: _ids(env.metadata_store.MetadataStore(env.pb.ConnectionConfig()).get_artifacts()),
    )


# ---------------------------------------------------------------------------------------
# odds and ends
# ---------------------------------------------------------------------------------------
def scenario_batch_order_ties(env: Any) -> None:
    """Nodes put in one call may share a timestamp; ties must break consistently."""
    store = env.new_store()
    at, et, ct = _basic_types(env, store)
    store.put_artifacts([_artifact(env, at, uri=f"/b{i}") for i in range(6)])
    store.put_executions([_execution(env, et, name=f"b{i}") for i in range(6)])
    [cid] = store.put_contexts([_context(env, ct, name="ctx")])
    store.put_attributions_and_associations(
        [], [env.pb.Association(execution_id=i, context_id=cid) for i in range(1, 7)]
    )

    def get(getter: Any, **kw: Any) -> list:
        return _ids(getter(_opts(env, **kw)))

    for field in ("CREATE_TIME", "UPDATE_TIME", "ID"):
        for asc in (True, False):
            env.call(
                f"artifacts {field} asc={asc}", get, store.get_artifacts, order_by=field, is_asc=asc
            )
            env.call(
                f"executions {field} asc={asc} limit 4",
                get,
                store.get_executions,
                order_by=field,
                is_asc=asc,
                limit=4,
            )
    env.call(
        "executions by context, default order", lambda: _ids(store.get_executions_by_context(cid))
    )


def scenario_python_argument_types(env: Any) -> None:
    """Wrong Python types fail the same way (protobuf raises before the store sees them)."""
    store = env.new_store()
    at, _, _ = _basic_types(env, store)
    env.call("get_artifacts_by_id with strings", store.get_artifacts_by_id, ["1"])
    env.call("get_artifacts_by_id with None", store.get_artifacts_by_id, None)
    env.call("put_artifacts with a dict", store.put_artifacts, [{"uri": "/x"}])
    env.call(
        "put_artifact_type with an Artifact", store.put_artifact_type, env.pb.Artifact(type_id=at)
    )
    env.call("get_artifact_type with None", store.get_artifact_type, None)
    env.call("get_artifacts_by_type with an int", store.get_artifacts_by_type, 5)
    env.call("get_artifacts with a non-ListOptions", store.get_artifacts, {"limit": 2})
    env.call(
        "ListOptions defaults",
        lambda: [
            env.metadata_store.ListOptions().limit,
            env.metadata_store.ListOptions().order_by,
            env.metadata_store.ListOptions().is_asc,
            env.metadata_store.ListOptions().filter_query,
        ],
    )
    env.call(
        "OrderByField values",
        lambda: [(f.name, int(f.value)) for f in env.metadata_store.OrderByField],
    )
    env.call(
        "error codes",
        lambda: [
            (name, getattr(env.errors, name)("m").error_code)
            for name in (
                "CancelledError",
                "InvalidArgumentError",
                "DeadlineExceededError",
                "NotFoundError",
                "AlreadyExistsError",
                "PermissionDeniedError",
                "UnauthenticatedError",
                "ResourceExhaustedError",
                "FailedPreconditionError",
                "AbortedError",
                "OutOfRangeError",
                "UnimplementedError",
                "InternalError",
                "UnavailableError",
                "DataLossError",
                "UnknownError",
            )
        ],
    )
    env.call(
        "error class hierarchy",
        lambda: [
            [
                c.__name__
                for c in getattr(env.errors, name).__mro__
                if getattr(env.errors, c.__name__, None) is c
            ]
            for name in ("NotFoundError", "AlreadyExistsError", "InvalidArgumentError")
        ],
    )
    env.call(
        "make_exception",
        lambda: [type(env.errors.make_exception("msg", code)).__name__ for code in range(0, 18)],
    )


def scenario_atomic_failures(env: Any) -> None:
    """A failed call leaves the store as it was."""
    store = env.new_store()
    at, et, ct = _basic_types(env, store)
    [cid] = store.put_contexts([_context(env, ct, name="taken")])
    env.call(
        "put_execution failing on its context",
        store.put_execution,
        _execution(env, et, name="half"),
        [(_artifact(env, at, uri="/half"), _event(env, 0, 0, "OUTPUT"))],
        [_context(env, ct, name="taken")],
    )
    env.call(
        "put_lineage_subgraph failing on an edge",
        store.put_lineage_subgraph,
        [_execution(env, et, name="half2")],
        [_artifact(env, at, uri="/half2")],
        [_context(env, ct, name="new")],
        [(0, 7, env.pb.Event(type=env.pb.Event.INPUT))],
    )
    env.call(
        "put_executions with one bad",
        store.put_executions,
        [_execution(env, et, name="ok"), _execution(env, et, {"nope": 1})],
    )
    env.call(
        "put_contexts with one bad",
        store.put_contexts,
        [_context(env, ct, name="ok"), _context(env, ct, name="taken")],
    )
    env.call("put_events with one bad", store.put_events, [_event(env, 1, 1), _event(env, 1, 99)])
    _dump_all(env, store, "after failures")
    env.record("context id", cid)


def scenario_get_contexts_by_node_edge_cases(env: Any) -> None:
    store = env.new_store()
    g = _small_graph(env, store)
    a, e, c = g["a"], g["e"], g["c"]
    pb = env.pb
    env.call("contexts of an artifact with none", store.get_contexts_by_artifact, a[0])
    env.call("contexts of an execution with none", store.get_contexts_by_execution, e[0])
    env.call("artifacts of a context with none", store.get_artifacts_by_context, c[0])
    env.call("executions of a context with none", store.get_executions_by_context, c[0])
    store.put_attributions_and_associations(
        [pb.Attribution(artifact_id=a[0], context_id=x) for x in reversed(c)],
        [pb.Association(execution_id=e[0], context_id=x) for x in reversed(c)],
    )
    env.call("contexts of a0 (attributed in reverse order)", store.get_contexts_by_artifact, a[0])
    env.call("contexts of e0 (associated in reverse order)", store.get_contexts_by_execution, e[0])
    env.call("contexts_by_artifact id 0", store.get_contexts_by_artifact, 0)
    env.call("contexts_by_execution id -1", store.get_contexts_by_execution, -1)
    env.call("get_contexts_by_id id 0", store.get_contexts_by_id, [0])
    env.call("parents of id 0", store.get_parent_contexts_by_context, 0)


def scenario_import_paths(env: Any) -> None:
    """The import lines users write for ml_metadata resolve to the same objects."""
    pkg = env.import_module(env.prefix)
    store_pkg = env.import_module(f"{env.prefix}.metadata_store")
    proto_pkg = env.import_module(f"{env.prefix}.proto")
    ms = env.metadata_store
    names = ("MetadataStore", "ListOptions", "OrderByField", "downgrade_schema")
    env.record("package exports", [getattr(pkg, n, None) is getattr(ms, n) for n in names])
    env.record(
        "metadata_store package exports",
        [getattr(store_pkg, n, None) is getattr(ms, n) for n in names],
    )
    env.record(
        "proto package exports",
        [
            getattr(proto_pkg, n, None) is getattr(env.pb, n)
            for n in (
                "Artifact",
                "ArtifactType",
                "Association",
                "Attribution",
                "ConnectionConfig",
                "Context",
                "ContextType",
                "Event",
                "Execution",
                "ExecutionType",
                "FakeDatabaseConfig",
                "MetadataStoreClientConfig",
                "MySQLDatabaseConfig",
                "ParentContext",
                "SqliteMetadataSourceConfig",
            )
        ],
    )
    env.record(
        "errors.make_exception exists", callable(getattr(env.errors, "make_exception", None))
    )
    env.record(
        "message full names",
        [
            getattr(env.pb, n).DESCRIPTOR.full_name
            for n in (
                "Artifact",
                "LineageGraph",
                "LineageSubgraphQueryOptions",
                "Value",
                "ListOperationOptions",
                "PropertyType",
            )
            if hasattr(getattr(env.pb, n), "DESCRIPTOR")
        ],
    )
    env.record(
        "enum numbers",
        [
            env.pb.INT,
            env.pb.DOUBLE,
            env.pb.STRING,
            env.pb.STRUCT,
            env.pb.PROTO,
            env.pb.BOOLEAN,
            env.pb.UNKNOWN,
            env.pb.Event.PENDING_OUTPUT,
            env.pb.Artifact.REFERENCE,
            env.pb.Execution.CANCELED,
            env.pb.ExecutionType.DEPLOY,
            env.pb.LineageSubgraphQueryOptions.BIDIRECTIONAL,
        ],
    )
    env.record("proto file name", env.pb.DESCRIPTOR.name)
    env.record("proto package", env.pb.DESCRIPTOR.package)
    env.record("message names", sorted(env.pb.DESCRIPTOR.message_types_by_name))
    env.record("enum names", sorted(env.pb.DESCRIPTOR.enum_types_by_name))


def scenario_module_surface(env: Any) -> None:
    """Keyword arguments, extra_options, pipeline_asset, downgrade_schema, migrations."""
    ms = env.metadata_store
    path = env.new_db_path()
    config = env.pb.ConnectionConfig()
    config.sqlite.filename_uri = path
    config.sqlite.connection_mode = env.pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
    store = env.call(
        "enable_upgrade_migration=True on a new file",
        lambda: ms.MetadataStore(config, enable_upgrade_migration=True),
    )
    if store is None:
        store = ms.MetadataStore(config)
    env.call("pipeline_asset", lambda: store.pipeline_asset)
    extra = ms.ExtraOptions()
    at = env.call(
        "put_artifact_type with keywords",
        store.put_artifact_type,
        artifact_type=_artifact_type(env, "K", p="INT"),
        can_add_fields=False,
        can_omit_fields=False,
        extra_options=extra,
    )
    env.call(
        "put_artifacts with keywords",
        store.put_artifacts,
        artifacts=[_artifact(env, at, uri="/k")],
        field_mask_paths=None,
        extra_options=extra,
    )
    env.call(
        "get_artifacts with keywords", store.get_artifacts, list_options=None, extra_options=extra
    )
    env.call(
        "get_artifact_type with keywords",
        store.get_artifact_type,
        type_name="K",
        type_version=None,
        extra_options=extra,
    )
    env.call(
        "get_artifacts_by_type with keywords",
        store.get_artifacts_by_type,
        type_name="K",
        type_version=None,
    )
    env.call("get_artifacts_by_id with a tuple", store.get_artifacts_by_id, (1,))
    env.call("get_artifacts_by_id with a set", store.get_artifacts_by_id, {1})
    env.call(
        "ListOptions positional",
        lambda: _ids(
            store.get_artifacts(ms.ListOptions(1, ms.OrderByField.ID, False, "uri = '/k'"))
        ),
    )
    env.call(
        "ListOptions repr has the fields",
        lambda: sorted(
            k
            for k in ("limit", "order_by", "is_asc", "filter_query")
            if k in repr(ms.ListOptions())
        ),
    )
    env.call("ListOptions equality", lambda: ms.ListOptions(limit=3) == ms.ListOptions(limit=3))
    env.call("MAX_NUM_RESULT", lambda: ms.MAX_NUM_RESULT)
    env.call("downgrade_schema to -1", ms.downgrade_schema, config, -1)
    env.call("downgrade_schema to a future version", ms.downgrade_schema, config, 10**6)
    env.call("store still usable", lambda: _ids(store.get_artifacts()))


def scenario_timestamps(env: Any) -> None:
    """Clock fields: user-supplied values, what updates move them, force_update_time."""
    store = env.new_store()
    at, et, ct = _basic_types(env, store)
    before = int(time.time() * 1000)
    _tick()
    supplied = _artifact(env, at, uri="/t")
    supplied.create_time_since_epoch = 5
    supplied.last_update_time_since_epoch = 6
    [aid] = store.put_artifacts([supplied])
    [eid] = store.put_executions([_execution(env, et, name="e")])
    [cid] = store.put_contexts([_context(env, ct, name="c")])
    ev = _event(env, aid, eid, "INPUT")
    ev.milliseconds_since_epoch = 12345
    store.put_events([ev, _event(env, aid, eid, "OUTPUT")])
    _tick()
    after = int(time.time() * 1000)

    def art() -> Any:
        return store.get_artifacts_by_id([aid])[0]

    def exe() -> Any:
        return store.get_executions_by_id([eid])[0]

    a0 = art()
    env.record("supplied create_time kept", a0.create_time_since_epoch == 5)
    env.record("create_time is now", before <= a0.create_time_since_epoch <= after)
    env.record("last_update_time is now", before <= a0.last_update_time_since_epoch <= after)
    env.record("has create_time", a0.HasField("create_time_since_epoch"))
    evs = store.get_events_by_artifact_ids([aid])
    env.record("event milliseconds [any order]", [e.milliseconds_since_epoch == 12345 for e in evs])
    env.record(
        "event time is now or supplied [any order]",
        [
            e.milliseconds_since_epoch == 12345 or before <= e.milliseconds_since_epoch <= after
            for e in evs
        ],
    )
    e0 = exe()
    _tick()
    store.put_executions([_execution(env, et, id=eid, name="e")])
    e1 = exe()
    env.record(
        "identical update keeps last_update_time",
        [
            e1.create_time_since_epoch == e0.create_time_since_epoch,
            e1.last_update_time_since_epoch == e0.last_update_time_since_epoch,
        ],
    )
    _tick()
    store.put_executions([_execution(env, et, {"state": "x"}, id=eid, name="e")])
    e2 = exe()
    env.record(
        "changing update moves last_update_time only",
        [
            e2.create_time_since_epoch == e0.create_time_since_epoch,
            e2.last_update_time_since_epoch > e1.last_update_time_since_epoch,
        ],
    )
    _tick()
    store.put_execution(_execution(env, et, {"state": "x"}, id=eid, name="e"), [], [])
    e3 = exe()
    env.record(
        "identical put_execution",
        e3.last_update_time_since_epoch == e2.last_update_time_since_epoch,
    )
    _tick()
    store.put_execution(
        _execution(env, et, {"state": "x"}, id=eid, name="e"), [], [], force_update_time=True
    )
    e4 = exe()
    env.record(
        "put_execution force_update_time",
        e4.last_update_time_since_epoch > e3.last_update_time_since_epoch,
    )
    _tick()
    c0 = store.get_contexts_by_id([cid])[0]
    store.put_attributions_and_associations(
        [env.pb.Attribution(artifact_id=aid, context_id=cid)], []
    )
    c1 = store.get_contexts_by_id([cid])[0]
    env.record(
        "attribution leaves the context's update time",
        c1.last_update_time_since_epoch == c0.last_update_time_since_epoch,
    )
    a1 = art()
    _tick()
    store.put_artifacts([_artifact(env, at, id=aid, uri="/t")], ["uri"])
    a2 = art()
    env.record(
        "masked identical update keeps last_update_time",
        a2.last_update_time_since_epoch == a1.last_update_time_since_epoch,
    )
    _tick()
    store.put_artifacts([_artifact(env, at, id=aid, uri="/t2")], ["uri"])
    a3 = art()
    env.record(
        "masked changing update moves last_update_time",
        a3.last_update_time_since_epoch > a2.last_update_time_since_epoch,
    )
    t = store.get_artifact_type("DataSet")
    env.record("types carry no timestamps", [f.name for f, _ in t.ListFields() if "time" in f.name])


def scenario_special_values(env: Any) -> None:
    """Unicode, quotes, odd property keys, int64 limits, non-finite doubles."""
    store = env.new_store()
    at = store.put_artifact_type(_artifact_type(env, "Ünïcode type", s="STRING", d="DOUBLE"))
    env.call("get unicode type", store.get_artifact_type, "Ünïcode type")
    odd = _artifact(env, at, {"s": "日本語 ✓"}, uri='s3://bucket/it\'s "here"', name="naïve")
    [aid] = env.call("put unicode / quoted artifact", store.put_artifacts, [odd]) or [0]
    specials = (
        ("a.b", "dotted"),
        ("with space", 2**63 - 1),
        ("min", -(2**63)),
        ("", "empty key"),
        ("long", "x" * 100_000),
        ("bytes", "\udcff"),
        # ml-metadata cannot store non-finite doubles and cuts strings at a NUL: each goes to
        # a store of its own, and a difference is only reported.
        ("inf", float("inf")),
        ("-inf", float("-inf")),
        ("nan", float("nan")),
        ("nul", "a\x00b"),
    )
    for key, value in specials:
        quirky = key in ("inf", "-inf", "nan", "nul")
        soft = f" {QUIRK}" if quirky else ""
        target = env.new_store() if quirky else store
        target_type = target.put_artifact_type(_artifact_type(env, "Q")) if quirky else at
        one = _artifact(env, target_type, uri=f"/{key}")
        try:
            _set_value(one.custom_properties[key], value)
        except Exception as e:  # protobuf refuses some strings itself
            env.record(f"setting {key!r}", type(e).__name__)
            continue
        [oid] = env.call(f"put {key!r} custom property{soft}", target.put_artifacts, [one]) or [0]
        env.call(
            f"get {key!r} back{soft}",
            lambda t=target, i=oid: _summarize(t.get_artifacts_by_id([i])),
        )
    env.call("get it (long value summarized)", lambda: _summarize(store.get_artifacts_by_id([aid])))
    env.call("by uri", lambda: _ids(store.get_artifacts_by_uri('s3://bucket/it\'s "here"')))
    env.call(
        "by type and name",
        lambda: _ids([store.get_artifact_by_type_and_name("Ünïcode type", "naïve")]),
    )
    env.call("filter unicode name", _filter_ids, env, store.get_artifacts, "name = 'naïve'")
    env.call(
        "filter unicode property",
        _filter_ids,
        env,
        store.get_artifacts,
        "properties.s.string_value = '日本語 ✓'",
    )
    env.call(
        "filter backquoted key",
        _filter_ids,
        env,
        store.get_artifacts,
        "custom_properties.`a.b`.string_value = 'dotted'",
    )
    env.call(
        "filter backquoted key with space",
        _filter_ids,
        env,
        store.get_artifacts,
        "custom_properties.`with space`.int_value > 0",
    )
    env.call(
        "filter int64 min",
        _filter_ids,
        env,
        store.get_artifacts,
        f"custom_properties.min.int_value = {-(2**63)}",
    )
    env.call(
        "filter type with space", _filter_ids, env, store.get_artifacts, "type = 'Ünïcode type'"
    )
    env.call("empty-name execution type", store.put_execution_type, _execution_type(env, " "))
    env.call(
        "type name with surrounding spaces",
        store.put_artifact_type,
        _artifact_type(env, " padded "),
    )
    env.call("get padded", store.get_artifact_type, " padded ")
    env.call("get unpadded", store.get_artifact_type, "padded")
    env.call("get case-different", store.get_artifact_type, "ünïcode type")


def _summarize(nodes: list) -> list:
    """Text of each node, with very long strings shortened to their length."""
    out = []
    for node in nodes:
        copy = type(node)()
        copy.CopyFrom(node)
        for value in copy.custom_properties.values():
            if value.WhichOneof("value") == "string_value" and len(value.string_value) > 1000:
                value.string_value = f"<{len(value.string_value)} chars>"
        out.append(copy)
    return out


def scenario_types_evolution_with_nodes(env: Any) -> None:
    """Nodes stored before and after a type evolves."""
    store = env.new_store()
    at = store.put_artifact_type(_artifact_type(env, "Evolving", a="INT"))
    [old] = store.put_artifacts([_artifact(env, at, {"a": 1}, uri="/old")])
    env.call(
        "property not yet in the type",
        store.put_artifacts,
        [_artifact(env, at, {"b": "x"}, uri="/early")],
    )
    env.call(
        "add b",
        store.put_artifact_type,
        _artifact_type(env, "Evolving", a="INT", b="STRING"),
        can_add_fields=True,
    )
    env.call(
        "node with b", store.put_artifacts, [_artifact(env, at, {"a": 2, "b": "y"}, uri="/new")]
    )
    env.call("old node unchanged", store.get_artifacts_by_id, [old])
    env.call(
        "omit a (stored type keeps it)",
        store.put_artifact_type,
        _artifact_type(env, "Evolving", b="STRING"),
        can_omit_fields=True,
    )
    env.call("node still using a", store.put_artifacts, [_artifact(env, at, {"a": 3}, uri="/a")])
    env.call(
        "type re-registered with b only, no flags",
        store.put_artifact_type,
        _artifact_type(env, "Evolving", b="STRING"),
    )
    env.call("all nodes of the type", store.get_artifacts_by_type, "Evolving")
    env.call(
        "filter on the added property",
        _filter_ids,
        env,
        store.get_artifacts,
        "properties.b.string_value = 'y'",
    )
    env.call(
        "execution type add field, then node",
        lambda: [
            store.put_execution_type(_execution_type(env, "EvolvingE"), can_add_fields=True),
            store.put_execution_type(
                _execution_type(env, "EvolvingE", n="INT"), can_add_fields=True
            ),
            store.put_executions(
                [_execution(env, store.get_execution_type("EvolvingE").id, {"n": 4})]
            ),
        ],
    )
    env.call(
        "context type add field, then node",
        lambda: [
            store.put_context_type(_context_type(env, "EvolvingC")),
            store.put_context_type(
                _context_type(env, "EvolvingC", n="DOUBLE"), can_add_fields=True
            ),
            store.put_contexts(
                [_context(env, store.get_context_type("EvolvingC").id, {"n": 0.5}, name="c")]
            ),
        ],
    )
    env.call(
        "evolved types",
        lambda: [store.get_execution_type("EvolvingE"), store.get_context_type("EvolvingC")],
    )


def scenario_names_on_update(env: Any) -> None:
    """What an update does to a node's name, per kind; optional fields read back."""
    store = env.new_store()
    at, et, ct = _basic_types(env, store)
    [a] = store.put_artifacts([_artifact(env, at, name="a")])
    [e] = store.put_executions([_execution(env, et, name="e")])
    [c] = store.put_contexts([_context(env, ct, name="c")])
    [bare] = store.put_artifacts([_artifact(env, at)])
    env.call("artifact inserted without uri or name", store.get_artifacts_by_id, [bare])
    env.call(
        "presence of optional fields on a bare artifact",
        lambda: [
            (f, store.get_artifacts_by_id([bare])[0].HasField(f))
            for f in ("uri", "name", "external_id", "state", "type")
        ],
    )
    env.call("artifact rename", store.put_artifacts, [_artifact(env, at, id=a, name="a2")])
    env.call("artifact after rename", lambda: _names(store.get_artifacts_by_id([a])))
    env.call("artifact without name", store.put_artifacts, [_artifact(env, at, id=a)])
    env.call("artifact after nameless update", lambda: _names(store.get_artifacts_by_id([a])))
    env.call(
        "artifact name via mask",
        store.put_artifacts,
        [_artifact(env, at, id=a, name="a3")],
        ["name"],
    )
    env.call("artifact after masked rename", lambda: _names(store.get_artifacts_by_id([a])))
    env.call(
        "bare artifact gets a name", store.put_artifacts, [_artifact(env, at, id=bare, name="late")]
    )
    env.call("bare artifact after naming", lambda: _names(store.get_artifacts_by_id([bare])))
    env.call("execution rename", store.put_executions, [_execution(env, et, id=e, name="e2")])
    env.call("execution after rename", lambda: _names(store.get_executions_by_id([e])))
    env.call("execution without name", store.put_executions, [_execution(env, et, id=e)])
    env.call("execution after nameless update", lambda: _names(store.get_executions_by_id([e])))
    env.call("context rename", store.put_contexts, [_context(env, ct, id=c, name="c2")])
    env.call("context after rename", lambda: _names(store.get_contexts_by_id([c])))
    env.call("context without name", store.put_contexts, [_context(env, ct, id=c)])
    env.call("context after nameless update", lambda: _names(store.get_contexts_by_id([c])))
    env.call(
        "lookup by old artifact name",
        lambda: store.get_artifact_by_type_and_name("DataSet", "a") is not None,
    )
    env.call(
        "lookup by old context name",
        lambda: store.get_context_by_type_and_name("Experiment", "c") is not None,
    )
