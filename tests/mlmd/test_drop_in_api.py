"""The drop-in's methods take ml-metadata's argument names, so calls written with keywords
run unchanged."""

from __future__ import annotations

from datajourney.mlmd.metadata_store import metadata_store
from datajourney.mlmd.proto import metadata_store_pb2 as pb


def _store() -> metadata_store.MetadataStore:
    config = pb.ConnectionConfig()
    config.fake_database.SetInParent()
    return metadata_store.MetadataStore(config)


def test_types_are_found_by_external_ids_passed_by_keyword() -> None:
    store = _store()
    store.put_artifact_type(pb.ArtifactType(name="DataSet", external_id="ds"))
    store.put_execution_type(pb.ExecutionType(name="Trainer", external_id="tr"))
    store.put_context_type(pb.ContextType(name="Run", external_id="run"))
    found = [
        store.get_artifact_types_by_external_ids(external_ids=["ds"]),
        store.get_execution_types_by_external_ids(external_ids=["tr"]),
        store.get_context_types_by_external_ids(external_ids=["run", "other"]),
    ]
    assert [[t.name for t in types] for types in found] == [["DataSet"], ["Trainer"], ["Run"]]
