"""The concise tracking API: store.run, store.track, and the query helpers."""

from __future__ import annotations

import pytest

import datajourney.metadata as dj
from datajourney.metadata.errors import InvalidArgumentError, NotFoundError


def test_run_records_execution_inputs_outputs_and_context(store):
    with store.run("DataValidation", context=("Experiment", "demo"), params={"seed": 7}) as run:
        data = run.input("DataSet", uri="data/train.csv", split="train", version=1)
        [running] = store.get_executions()
        assert running.last_known_state == dj.ExecutionState.RUNNING
        schema = run.output("Schema", uri="schema.pbtxt", version=1)
    [execution] = store.executions("DataValidation")
    assert execution.last_known_state == dj.ExecutionState.COMPLETE
    assert execution.properties == {"seed": 7}
    assert data.id is not None and schema.id is not None
    assert store.get_type(dj.ArtifactType, "DataSet").properties == {
        "split": dj.PropertyType.STRING,
        "version": dj.PropertyType.INT,
    }
    events = {(e.artifact_id, e.type) for e in store.get_events(execution_ids=[execution.id])}
    assert events == {(data.id, dj.EventType.INPUT), (schema.id, dj.EventType.OUTPUT)}
    assert [a.uri for a in store.artifacts(context="demo")] == ["data/train.csv", "schema.pbtxt"]
    assert store.latest("Schema", context=("Experiment", "demo")).id == schema.id
    lineage = store.lineage(schema, "upstream")
    assert set(lineage.artifacts) == {data.id, schema.id}


def test_inputs_are_reused_and_types_widen(store):
    with store.run("Train", params={"lr": 0.1}) as run:
        first = run.input("DataSet", uri="d.csv", split="train")
        run.output("Model", uri="m1", accuracy=0.8)
    with store.run("Train", params={"lr": 0.2, "epochs": 3}) as run:
        again = run.input("DataSet", uri="d.csv", split="train")
        run.output("Model", uri="m2", accuracy=0.93)
    assert again.id == first.id
    assert len(store.artifacts("DataSet")) == 1
    assert "epochs" in store.get_type(dj.ExecutionType, "Train").properties
    good = store.artifacts("Model", where="properties.accuracy > 0.9")
    assert [m.uri for m in good] == ["m2"]
    assert store.latest("Model").uri == "m2"


def test_a_run_attaches_its_context_without_writing_it(store):
    """A run links itself to a stored context and leaves the context's row alone: a change
    another writer makes meanwhile is kept (issue 19: rewriting the shared row made runs in one
    context conflict, and put the run's stale copy back)."""
    store.put([dj.Context(type_id=store.put_type(dj.ContextType(name="Experiment")), name="e")])
    with store.run("Train", context=("Experiment", "e")) as run:
        [context] = store.get_contexts()
        context.custom_properties["owner"] = "ana"
        store.put([context])
        run.input("DataSet", uri="d.csv")
        run.output("Model", uri="m")
    [context] = store.get_contexts()
    assert context.custom_properties == {"owner": "ana"}
    assert [a.uri for a in store.artifacts(context=("Experiment", "e"))] == ["d.csv", "m"]
    assert len(store.executions("Train", context=("Experiment", "e"))) == 1


def test_a_whole_float_is_written_as_an_int_where_the_type_declares_int(store):
    """As sizes and counts the storage layers now give as floats, into a store whose types an
    earlier release registered with INTs (issue 14)."""
    with store.run("Train", params={"epochs": 3}) as run:
        run.output("Model", uri="m1", rows=10)
    with store.run("Train", params={"epochs": 4.0}) as run:
        run.output("Model", uri="m2", rows=20.0)
    assert [e.properties for e in store.executions("Train")] == [{"epochs": 3}, {"epochs": 4}]
    assert [type(m.properties["rows"]) for m in store.artifacts("Model")] == [int, int]
    assert store.get_type(dj.ArtifactType, "Model").properties == {"rows": dj.PropertyType.INT}
    with pytest.raises(InvalidArgumentError, match=r"Train\.epochs is declared INT"):
        store.run("Train", params={"epochs": 4.5})


def test_a_failing_block_is_recorded_failed_without_outputs(store):
    with pytest.raises(ValueError, match="bad data"), store.run("Clean") as run:
        run.input("DataSet", uri="raw.csv")
        run.output("DataSet", uri="clean.csv")
        raise ValueError("bad data")
    [execution] = store.executions("Clean")
    assert execution.last_known_state == dj.ExecutionState.FAILED
    assert "ValueError: bad data" in execution.custom_properties["error"]
    assert [a.uri for a in store.artifacts("DataSet")] == ["raw.csv"]


def test_track_decorator_records_each_call(store):
    @store.track("Square", context=("Experiment", "math"))
    def square(x: int, run=None) -> int:
        run.output("Number", value=x * x)
        return x * x

    assert square(3) == 9 and square(4) == 16
    executions = store.executions("Square", context="math")
    assert [e.properties["x"] for e in executions] == [3, 4]
    assert sorted(a.properties["value"] for a in store.artifacts("Number")) == [9, 16]


def test_bad_values_and_unknown_contexts(store):
    with pytest.raises(InvalidArgumentError, match="unsupported property value"):
        store.run("X", params={"bad": [1, 2]})
    with store.run("X", params={"n": 1}):
        pass
    with pytest.raises(InvalidArgumentError, match="INT"):
        store.run("X", params={"n": "one"})
    with pytest.raises(NotFoundError):
        store.artifacts(context="nowhere")


def test_friendly_filter_adds_value_fields():
    from datajourney.metadata.tracking import friendly_filter

    declared = {"accuracy": dj.PropertyType.DOUBLE, "split": dj.PropertyType.STRING}
    assert friendly_filter("properties.accuracy > 1", declared) == (
        "properties.accuracy.double_value > 1"
    )
    assert friendly_filter("custom_properties.tag = 'x' AND uri LIKE '%a'", {}) == (
        "custom_properties.tag.string_value = 'x' AND uri LIKE '%a'"
    )
    assert friendly_filter("custom_properties.n >= 3", {}) == "custom_properties.n.int_value >= 3"
    assert friendly_filter("custom_properties.ok = true", {}) == (
        "custom_properties.ok.bool_value = true"
    )
    already = "properties.split.string_value = 'train'"
    assert friendly_filter(already, declared) == already


def test_snapshot_inputs_and_restore_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "train.csv"
    data.write_text("a,b\n1,2\n")
    local = dj.MetadataStore("memory://")
    with local.run("Train") as run:
        first = run.input("DataSet", uri=str(data), snapshot=True)
        model = tmp_path / "model.txt"
        model.write_text("weights v1")
        out = run.output("Model", uri=str(model), snapshot=True)
    assert len(first.custom_properties["snapshot"]) == 64
    assert len(out.custom_properties["snapshot"]) == 64
    data.write_text("a,b\n9,9\n")  # the data changes later
    with local.run("Train") as run:
        second = run.input("DataSet", uri=str(data), snapshot=True)
    assert second.id != first.id  # other content: another artifact
    [execution] = local.executions("Train")[:1]
    restored = local.restore_inputs(execution, dest=str(tmp_path / "restored"))
    [path] = restored.values()
    assert path.read_text() == "a,b\n1,2\n"
