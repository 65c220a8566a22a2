"""Writing nodes: updates rewrite only what changed, and types evolve under a store's feet."""

from __future__ import annotations

import pytest

import datajourney as dj
from datajourney.metadata.errors import AlreadyExistsError, InvalidArgumentError

P = dj.PropertyType


def _dataset_type(store: dj.MetadataStore) -> int:
    return store.put_type(dj.ArtifactType("DataSet", {"rows": P.INT, "split": P.STRING}))


def test_update_keeps_unchanged_properties_and_replaces_the_rest(store):
    type_id = _dataset_type(store)
    [artifact_id] = store.put(
        [
            dj.Artifact(
                type_id=type_id,
                uri="/d/1",
                properties={"rows": 10, "split": "train"},
                custom_properties={"note": 1, "gone": "x"},
            )
        ]
    )
    [before] = store.get_artifacts(ids=[artifact_id])
    store.put(
        [
            dj.Artifact(
                type_id=type_id,
                id=artifact_id,
                uri="/d/2",
                properties={"rows": 10, "split": "eval"},
                custom_properties={"note": "now a string", "new": 2.5},
            )
        ]
    )
    [after] = store.get_artifacts(ids=[artifact_id])
    assert after.uri == "/d/2"
    assert after.properties == {"rows": 10, "split": "eval"}
    assert after.custom_properties == {"note": "now a string", "new": 2.5}
    assert after.last_update_time_since_epoch >= before.last_update_time_since_epoch
    assert store.artifacts("DataSet", where="properties.split = 'eval'")[0].id == artifact_id
    assert store.artifacts("DataSet", where="properties.split = 'train'") == []


def test_the_same_node_twice_in_one_call_ends_as_the_last_says(store):
    type_id = _dataset_type(store)
    [artifact_id] = store.put([dj.Artifact(type_id=type_id, uri="/d")])
    store.put(
        [
            dj.Artifact(type_id=type_id, id=artifact_id, uri="/d", properties={"rows": 1}),
            dj.Artifact(type_id=type_id, id=artifact_id, uri="/d", properties={"rows": 2}),
        ]
    )
    [stored] = store.get_artifacts(ids=[artifact_id])
    assert stored.properties == {"rows": 2}


@pytest.mark.parametrize("store_url", ["sqlite", "mysql", "postgresql"], indirect=True)
def test_a_property_added_by_another_connection_is_accepted(store_url):
    """(An in-memory store cannot be opened by a second connection.)"""
    with dj.MetadataStore(store_url) as first, dj.MetadataStore(store_url) as second:
        type_id = _dataset_type(first)
        first.put([dj.Artifact(type_id=type_id, uri="/d/1", properties={"rows": 1})])
        second.put_type(
            dj.ArtifactType("DataSet", {"rows": P.INT, "split": P.STRING, "owner": P.STRING}),
            can_add_fields=True,
        )
        first.put([dj.Artifact(type_id=type_id, uri="/d/2", properties={"owner": "ana"})])
        assert [a.properties for a in first.artifacts("DataSet")] == [
            {"rows": 1},
            {"owner": "ana"},
        ]


def test_a_property_declared_in_a_rolled_back_transaction_is_refused(store):
    type_id = _dataset_type(store)
    with pytest.raises(RuntimeError, match="abandon"), store.transaction():
        store.put_type(
            dj.ArtifactType("DataSet", {"rows": P.INT, "split": P.STRING, "owner": P.STRING}),
            can_add_fields=True,
        )
        store.put([dj.Artifact(type_id=type_id, uri="/d/1", properties={"owner": "ana"})])
        raise RuntimeError("abandon")
    with pytest.raises(InvalidArgumentError, match="'owner' is not declared"):
        store.put([dj.Artifact(type_id=type_id, uri="/d/2", properties={"owner": "ana"})])
    assert store.artifacts("DataSet") == []


@pytest.mark.parametrize("count", [500, 10])
def test_a_put_keeps_every_value_exactly(store, count):
    """Large puts take the bulk path of each backend (PostgreSQL: COPY), small ones their
    batched writes (PostgreSQL: held back, then pipelined); values with tabs, newlines,
    backslashes, quotes, placeholders and non-ASCII text come back as they went in."""
    type_id = _dataset_type(store)
    awkward = ["tab\there", "line\nbreak", "back\\slash", "quote'\"", "naïve ✓", "\\N", ""]
    awkward += ["100%", "%s %(x)s ? $1", "'); DROP TABLE Artifact; --"]
    artifacts = [
        dj.Artifact(
            type_id=type_id,
            uri=f"/d/{awkward[i % len(awkward)]}/{i}",
            properties={"rows": i, "split": awkward[i % len(awkward)]},
            custom_properties={"ok": i % 2 == 0, "score": i / 3, "blob": {"k": [i, "v"]}},
        )
        for i in range(count)
    ]
    ids = store.put(artifacts)
    assert ids == sorted(ids) and len(set(ids)) == count
    stored = store.get_artifacts(ids=ids)
    assert [(a.uri, a.properties, a.custom_properties) for a in stored] == [
        (a.uri, a.properties, a.custom_properties) for a in artifacts
    ]


def _step_types(store: dj.MetadataStore) -> tuple[int, int, int]:
    return (
        _dataset_type(store),
        store.put_type(dj.ExecutionType("Trainer", {"step": P.INT})),
        store.put_type(dj.ContextType("Experiment")),
    )


def test_a_composite_write_that_fails_late_leaves_nothing(store):
    """The error of a write that fails after others were sent (on PostgreSQL they go without
    waiting for each other) names its cause, and the whole call is undone."""
    dataset, trainer, experiment = _step_types(store)
    store.put([dj.Context(type_id=experiment, name="taken")])
    [kept] = store.put([dj.Artifact(type_id=dataset, uri="/kept", properties={"rows": 1})])
    with pytest.raises(AlreadyExistsError, match="already exists"):
        store.put_execution(
            dj.Execution(type_id=trainer, properties={"step": 1}),
            [
                (
                    dj.Artifact(type_id=dataset, id=kept, uri="/changed"),
                    dj.Event(type=dj.EventType.INPUT),
                ),
                (dj.Artifact(type_id=dataset, uri="/new"), dj.Event(type=dj.EventType.OUTPUT)),
            ],
            [dj.Context(type_id=experiment, name="taken")],
        )
    assert [a.uri for a in store.get_artifacts()] == ["/kept"]
    assert store.get_artifacts()[0].properties == {"rows": 1}
    assert store.get_executions() == []
    assert store.get_events(artifact_ids=[kept]) == []
    # The same connection goes on working.
    execution_id, [output], [context] = store.put_execution(
        dj.Execution(type_id=trainer),
        [(dj.Artifact(type_id=dataset, uri="/new"), dj.Event(type=dj.EventType.OUTPUT))],
        [dj.Context(type_id=experiment, name="fresh")],
    )
    assert [e.execution_id for e in store.get_events(artifact_ids=[output])] == [execution_id]
    assert [c.name for c in store.get_contexts(ids=[context])] == ["fresh"]


def test_a_new_context_given_twice_with_reuse_is_written_once(store):
    dataset, trainer, experiment = _step_types(store)
    _, artifact_ids, context_ids = store.put_execution(
        dj.Execution(type_id=trainer),
        [
            (dj.Artifact(type_id=dataset, uri=f"/out/{i}"), dj.Event(type=dj.EventType.OUTPUT))
            for i in range(3)
        ],
        [dj.Context(type_id=experiment, name="run"), dj.Context(type_id=experiment, name="run")],
        reuse_context_if_already_exist=True,
    )
    assert context_ids[0] == context_ids[1]
    assert [c.name for c in store.get_contexts()] == ["run"]
    assert artifact_ids == sorted(artifact_ids)
    stored = store.get_artifacts(ids=artifact_ids)
    assert [a.uri for a in stored] == ["/out/0", "/out/1", "/out/2"]


def test_a_nan_value_is_refused_not_turned_into_nothing(store):
    # SQLite keeps NaN as NULL (the value would come back as None) and MySQL refuses it; every
    # backend says so up front, naming the property, and writes nothing
    type_id = store.put_type(dj.ArtifactType(name="Model"))
    with pytest.raises(InvalidArgumentError, match=r"'loss'.*NaN"):
        store.put([dj.Artifact(type_id=type_id, uri="m", custom_properties={"loss": float("nan")})])
    assert store.get_artifacts() == []
    infinite = dj.Artifact(type_id=type_id, uri="m", custom_properties={"loss": float("inf")})
    if store.url.startswith("mysql"):  # MySQL's DOUBLE holds no infinity
        with pytest.raises(InvalidArgumentError, match=r"'loss'.*infinity"):
            store.put([infinite])
        assert store.get_artifacts() == []
        return
    [kept] = store.put([infinite])
    assert store.get_artifacts(ids=[kept])[0].custom_properties["loss"] == float("inf")
