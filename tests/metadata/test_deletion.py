"""Deleting nodes without breaking lineage: refusal, cascade, dry run, gc."""

from __future__ import annotations

import datetime

import pytest

import datajourney.metadata as dj
from datajourney.metadata.errors import FailedPreconditionError, InvalidArgumentError


def _pipeline(store):
    """raw -> clean(exec) -> table -> train(exec) -> model, all in context "exp"."""
    with store.run("Clean", context=("Experiment", "exp")) as run:
        raw = run.input("Data", uri="raw.csv")
        table = run.output("Data", uri="table.parquet")
    with store.run("Train", context=("Experiment", "exp")) as run:
        run.input(table)
        model = run.output("Model", uri="model/")
    return raw, table, model


def _counts(store):
    return (len(store.get_artifacts()), len(store.get_executions()), len(store.get_contexts()))


def test_deleting_what_others_derive_from_is_refused(store):
    _raw, table, _model = _pipeline(store)
    before = _counts(store)
    with pytest.raises(FailedPreconditionError, match="cascade=True"):
        store.delete_artifacts([table.id])
    assert _counts(store) == before


def test_dry_run_reports_and_changes_nothing(store):
    _raw, table, model = _pipeline(store)
    plan = store.delete_artifacts([table.id], cascade=True, dry_run=True)
    assert plan.artifacts == sorted([table.id, model.id]) and len(plan.executions) == 1
    assert plan.events == 3 and not plan.executed
    assert "would remove 2 artifacts" in str(plan)
    assert _counts(store) == (3, 2, 1)


def test_cascade_removes_everything_downstream(store):
    _raw, table, model = _pipeline(store)
    plan = store.delete_artifacts([table.id], cascade=True)
    assert plan.executed
    assert [a.uri for a in store.get_artifacts()] == ["raw.csv"]
    assert [e.type for e in store.get_executions()] == ["Clean"]
    assert store.get_events(artifact_ids=[table.id, model.id]) == []
    assert [a.uri for a in store.artifacts(context="exp")] == ["raw.csv"]


def test_leaf_deletion_needs_no_cascade(store):
    _raw, table, model = _pipeline(store)
    store.delete_artifacts([model.id])
    assert model.id not in {a.id for a in store.get_artifacts()}
    [train] = store.executions("Train")
    assert {e.artifact_id for e in store.get_events(execution_ids=[train.id])} == {table.id}
    with pytest.raises(FailedPreconditionError):
        store.delete_executions([store.executions("Clean")[0].id])


def test_contexts_and_their_children(store):
    _pipeline(store)
    ctx_type = store.put_type(dj.ContextType(name="Run"))
    [exp] = store.get_contexts(name="exp")
    [child] = store.put([dj.Context(type_id=ctx_type, name="run-1")])
    store.put_parent_contexts([dj.ParentContext(child_id=child, parent_id=exp.id)])
    with pytest.raises(FailedPreconditionError, match="children"):
        store.delete_contexts([exp.id])
    plan = store.delete_contexts([exp.id], cascade=True)
    assert plan.contexts == sorted([exp.id, child])
    assert store.get_contexts() == [] and len(store.get_artifacts()) == 3
    with pytest.raises(InvalidArgumentError):
        store.delete_contexts([exp.id])


def test_gc_keeps_what_remaining_nodes_derive_from(store):
    raw, table, model = _pipeline(store)
    later = datetime.datetime.now() + datetime.timedelta(days=1)
    with store.run("Evaluate") as run:  # outside the context: stays
        run.input(model)
        run.output("Metrics", uri="metrics.json")
    plan = store.gc(context="exp", dry_run=True)
    assert plan.artifacts == [] and plan.executions == []  # all of it feeds Evaluate
    store.delete_artifacts([a.id for a in store.artifacts("Metrics")])
    store.delete_executions([e.id for e in store.executions("Evaluate")])
    plan = store.gc(older_than=later, mark_artifacts=True)
    assert len(plan.executions) == 2 and sorted(plan.marked) == sorted([raw.id, table.id, model.id])
    states = {a.state for a in store.get_artifacts()}
    assert states == {dj.ArtifactState.MARKED_FOR_DELETION}
    assert store.get_executions() == []
    with pytest.raises(InvalidArgumentError):
        store.gc()


def test_the_drop_in_store_deletes_too(tmp_path):
    from datajourney.mlmd.metadata_store import metadata_store
    from datajourney.mlmd.proto import metadata_store_pb2 as pb

    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = str(tmp_path / "mlmd.sqlite")
    mlmd = metadata_store.MetadataStore(config)
    type_id = mlmd.put_artifact_type(pb.ArtifactType(name="Data"))
    [a, b] = mlmd.put_artifacts([pb.Artifact(type_id=type_id, uri=u) for u in ("a", "b")])
    plan = mlmd.delete_artifacts([a])
    assert plan.artifacts == [a]
    assert [x.id for x in mlmd.get_artifacts()] == [b]
