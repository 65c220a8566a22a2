"""The metadata link: snapshot properties on artifacts, restoring an execution's inputs."""

from __future__ import annotations

import pytest

import datajourney as dj
from datajourney import versioning as v

from .conftest import write


def record_run(store: dj.MetadataStore, inputs: dict[str, dict], output: str) -> int:
    dataset = store.put_type(dj.ArtifactType("DataSet"))
    trainer = store.put_type(dj.ExecutionType("Trainer"))
    pairs = [
        (
            dj.Artifact(type_id=dataset, uri=uri, state=dj.ArtifactState.LIVE, custom_properties=p),
            dj.Event(type=dj.EventType.INPUT),
        )
        for uri, p in inputs.items()
    ]
    pairs.append((dj.Artifact(type_id=dataset, uri=output), dj.Event(type=dj.EventType.OUTPUT)))
    execution_id, _, _ = store.put_execution(dj.Execution(type_id=trainer), pairs)
    return execution_id


def test_snapshot_property_is_the_custom_property_to_record(data):
    properties = v.snapshot_property(data)
    assert properties == {"snapshot": v.snapshot(data)}


def test_restore_inputs_puts_back_exactly_what_a_run_read(data, work):
    store = dj.MetadataStore("memory://")
    inputs = {
        "data": v.snapshot_property("data"),
        "data/train.csv": v.snapshot_property(data / "train.csv"),
    }
    run = record_run(store, inputs, "model.bin")
    write(data / "train.csv", "changed")
    (data / "test.csv").unlink()
    placed = v.restore_inputs(store, run, dest=work / "replay")
    assert sorted(placed.values()) == [
        work / "replay" / "data",
        work / "replay" / "data" / "train.csv",
    ]
    assert (work / "replay" / "data" / "test.csv").read_bytes() == b"a,b\n3,4\n"
    assert (work / "replay" / "data" / "train.csv").read_bytes() == b"a,b\n1,2\n"
    assert not (work / "replay" / "model.bin").exists()
    with pytest.raises(v.LocalChangesError) as refused:  # in place: train.csv was edited
        v.restore_inputs(store, run)
    assert refused.value.files == [str(data / "train.csv")] * 2  # as data/ and as the file
    assert not (data / "test.csv").exists()  # nothing was written
    v.restore_inputs(store, run, force=True)
    assert (data / "test.csv").exists() and (data / "train.csv").read_bytes() == b"a,b\n1,2\n"


def test_an_input_without_snapshot_is_refused_before_anything_is_written(data, work):
    store = dj.MetadataStore("memory://")
    run = record_run(store, {"data": v.snapshot_property("data"), "other.csv": {}}, "m")
    with pytest.raises(v.NotSnapshottedError, match=r"other\.csv"):
        v.restore_inputs(store, run, dest=work / "replay")
    assert not (work / "replay").exists()


def test_a_table_version_input_stays_in_its_table_and_the_rest_is_restored(data, work):
    store = dj.MetadataStore("memory://")
    run = record_run(store, {"data": v.snapshot_property("data")}, "model.bin")
    table_version = store.put_type(
        dj.ArtifactType(
            "WarehouseTableVersion",
            properties={"table": dj.PropertyType.STRING, "version": dj.PropertyType.INT},
        )
    )
    read, [version_id], _ = store.put_execution(
        store.get_executions(ids=[run])[0],
        [
            (
                dj.Artifact(
                    type_id=table_version,
                    uri=str(work / "warehouse" / "sales" / "orders"),
                    properties={"table": "sales.orders", "version": 4},
                ),
                dj.Event(type=dj.EventType.INPUT),
            )
        ],
    )
    placed = v.restore_inputs(store, read, dest=work / "replay")
    assert list(placed.values()) == [work / "replay" / "data"]
    assert list(placed.skipped) == [version_id]
    note = placed.skipped[version_id]
    assert "sales.orders" in note and "version 4" in note
    assert not (work / "replay" / "warehouse").exists()
