"""Reads give the same answers whichever path serves them: plain SQL for simple criteria,
SQLAlchemy for filter queries, a driver-level transaction on SQLite, joined inside a block."""

from __future__ import annotations

import pytest

import datajourney.metadata as dj
from datajourney.metadata.errors import InvalidArgumentError, NotFoundError


@pytest.fixture
def filled(store):
    """Two contexts, a parent link, artifacts of two types (one versioned), an execution."""
    data = store.put_type(dj.ArtifactType(name="D", properties={"n": dj.PropertyType.INT}))
    data_v2 = store.put_type(dj.ArtifactType(name="D", version="2"))
    model = store.put_type(dj.ArtifactType(name="M"))
    step = store.put_type(dj.ExecutionType(name="Step"))
    run = store.put_type(dj.ContextType(name="Run"))
    ids = store.put(
        [dj.Artifact(type_id=data, uri=f"/d/{i}", properties={"n": i}) for i in range(6)]
        + [dj.Artifact(type_id=data_v2, uri="/d/0"), dj.Artifact(type_id=model, uri="/m")]
    )
    parent, child = store.put(
        [dj.Context(type_id=run, name="parent"), dj.Context(type_id=run, name="child")]
    )
    [execution] = store.put([dj.Execution(type_id=step, name="s")])
    store.put_parent_contexts([dj.ParentContext(child_id=child, parent_id=parent)])
    store.put_attributions_and_associations(
        [dj.Attribution(child, i) for i in ids[:3]], [dj.Association(child, execution)]
    )
    return {"ids": ids, "parent": parent, "child": child, "execution": execution}


def _ids(nodes) -> list[int]:
    return [n.id for n in nodes]


def test_simple_criteria_select_what_they_name(store, filled):
    ids, child = filled["ids"], filled["child"]
    assert _ids(store.get_artifacts(type_name="D")) == ids[:6]
    assert _ids(store.get_artifacts(type_name="D", type_version="2")) == [ids[6]]
    assert _ids(store.get_artifacts(uris=["/d/0"])) == [ids[0], ids[6]]
    assert _ids(store.get_artifacts(type_name="D", uris=["/d/0", "/d/5", "/x"])) == [
        ids[0],
        ids[5],
    ]
    assert store.get_artifacts(uris=[]) == []
    assert store.get_artifacts(external_ids=[]) == []
    assert _ids(store.get_artifacts(context_id=child)) == ids[:3]
    assert _ids(store.get_artifacts(context_id=child, order_by="id", ascending=False, limit=2)) == [
        ids[2],
        ids[1],
    ]
    assert _ids(store.get_contexts(artifact_id=ids[0])) == [child]
    assert _ids(store.get_contexts(execution_id=filled["execution"])) == [child]
    assert _ids(store.get_contexts(parent_id=filled["parent"])) == [child]
    assert _ids(store.get_contexts(child_id=child)) == [filled["parent"]]
    assert _ids(store.get_contexts(type_name="Run", name="child")) == [child]
    assert [a.properties["n"] for a in store.get_artifacts(type_name="D", limit=3)] == [0, 1, 2]
    with pytest.raises(InvalidArgumentError, match="only artifacts have a uri"):
        store.get_executions(uris=["/d/0"])


def test_a_repeated_filter_query_sees_new_data(store, filled):
    where = "type = 'D' AND properties.n.int_value >= 4"
    assert len(store.get_artifacts(filter_query=where)) == 2
    data = store.get_type(dj.ArtifactType, "D").id
    store.put([dj.Artifact(type_id=data, uri="/d/9", properties={"n": 9})])
    assert len(store.get_artifacts(filter_query=where)) == 3


def test_reads_inside_a_transaction_see_its_writes_and_a_rollback_undoes_them(store, filled):
    data = store.get_type(dj.ArtifactType, "D").id
    with pytest.raises(RuntimeError), store.transaction():
        [new] = store.put([dj.Artifact(type_id=data, uri="/inside")])
        assert _ids(store.get_artifacts(uris=["/inside"])) == [new]
        assert store.get_events(artifact_ids=[new]) == []
        raise RuntimeError("roll back")
    assert store.get_artifacts(uris=["/inside"]) == []
    # and the store reads and writes normally afterwards
    [again] = store.put([dj.Artifact(type_id=data, uri="/inside")])
    assert _ids(store.get_artifacts(uris=["/inside"])) == [again]


def test_a_missing_type_is_not_found_and_the_next_read_works(store, filled):
    with pytest.raises(NotFoundError):
        store.get_type(dj.ArtifactType, "Nope")
    assert store.get_type(dj.ArtifactType, "M").name == "M"
