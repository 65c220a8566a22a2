"""Write a varied store with the ml-metadata API, or dump everything a store holds as JSON.

    python roundtrip.py <import prefix> write <sqlite file>
    python roundtrip.py <import prefix> dump <sqlite file>

Runs unchanged on ``ml_metadata`` and ``datajourney.mlmd``: the file-compatibility test writes
with one library and dumps with both.
"""

from __future__ import annotations

import importlib
import json
import sys

from google.protobuf import json_format

ROWS = 10**12
"""The first "rows" int_value (MySQL and PostgreSQL stores hold 32-bit int_values only)."""


def connect(prefix: str, path: str, mode: int):
    ms = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
    pb = importlib.import_module(f"{prefix}.proto.metadata_store_pb2")
    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = path
    config.sqlite.connection_mode = mode
    return ms, pb, ms.MetadataStore(config)


def write(prefix: str, path: str) -> None:
    _, pb, store = connect(prefix, path, 3)
    dataset = pb.ArtifactType(name="DataSet", version="v1", description="training data")
    for name, kind in (
        ("split", pb.STRING),
        ("rows", pb.INT),
        ("ratio", pb.DOUBLE),
        ("meta", pb.STRUCT),
        ("spec", pb.PROTO),
        ("ok", pb.BOOLEAN),
    ):
        dataset.properties[name] = kind
    dataset.base_type = pb.ArtifactType.DATASET
    dataset.external_id = "type-dataset"
    dataset_id = store.put_artifact_type(dataset)
    model_id = store.put_artifact_type(pb.ArtifactType(name="Model"))
    trainer = pb.ExecutionType(name="Trainer", base_type=pb.ExecutionType.TRAIN)
    trainer.properties["lr"] = pb.DOUBLE
    trainer.input_type.simple.name = "DataSet"
    trainer_id = store.put_execution_type(trainer)
    run_id = store.put_context_type(pb.ContextType(name="PipelineRun"))
    pipeline_id = store.put_context_type(pb.ContextType(name="Pipeline"))

    artifacts = []
    for i in range(5):
        a = pb.Artifact(type_id=dataset_id, uri=f"/data/{i}", name=f"d{i}", state=pb.Artifact.LIVE)
        a.properties["split"].string_value = "train" if i % 2 else "eval"
        a.properties["rows"].int_value = ROWS + i
        a.properties["ratio"].double_value = i / 7
        a.properties["meta"].struct_value.update(
            {"cols": ["a", "b"], "n": i, "nested": {"x": None}}
        )
        a.properties["spec"].proto_value.Pack(pb.Artifact(uri=f"inner{i}"))
        a.properties["ok"].bool_value = bool(i % 2)
        a.custom_properties["note"].string_value = f"n{i}"
        a.custom_properties["flag"].bool_value = False
        artifacts.append(a)
    artifacts.append(pb.Artifact(type_id=model_id, uri="/model", external_id="model-ext"))
    ids = store.put_artifacts(artifacts)
    pipeline = store.put_contexts([pb.Context(type_id=pipeline_id, name="p")])[0]
    execution = pb.Execution(
        type_id=trainer_id, name="train-1", last_known_state=pb.Execution.COMPLETE
    )
    execution.properties["lr"].double_value = 0.01
    execution.custom_properties["epochs"].int_value = 3
    inputs = []
    for artifact_id in ids[:2]:
        event = pb.Event(artifact_id=artifact_id, type=pb.Event.INPUT)
        event.path.steps.add().key = "examples"
        event.path.steps.add().index = artifact_id
        inputs.append((pb.Artifact(id=artifact_id, type_id=dataset_id), event))
    store.put_execution(
        execution,
        [*inputs, (pb.Artifact(type_id=model_id, uri="/model/2"), pb.Event(type=pb.Event.OUTPUT))],
        [pb.Context(type_id=run_id, name="run-1")],
    )
    run = store.get_context_by_type_and_name("PipelineRun", "run-1")
    store.put_parent_contexts([pb.ParentContext(child_id=run.id, parent_id=pipeline)])
    store.put_attributions_and_associations(
        [pb.Attribution(artifact_id=ids[5], context_id=pipeline)], []
    )
    ids[1:2] = []
    updated = store.get_artifacts_by_id([ids[0]])[0]
    updated.custom_properties["note"].string_value = "updated"
    store.put_artifacts([updated])


def _clean(message) -> object:
    copy = type(message)()
    copy.CopyFrom(message)
    for field in (
        "create_time_since_epoch",
        "last_update_time_since_epoch",
        "milliseconds_since_epoch",
    ):
        if field in copy.DESCRIPTOR.fields_by_name:
            copy.ClearField(field)
    return _round(json_format.MessageToDict(copy, preserving_proto_field_name=True))


def _round(value):
    """Doubles to 12 digits: protobuf 4 and 7 render the last digits differently."""
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def dump(prefix: str, path: str) -> dict:
    ms, _, store = connect(prefix, path, 1)
    out: dict = {}
    for kind in ("artifact", "execution", "context"):
        out[f"{kind}_types"] = [_clean(t) for t in getattr(store, f"get_{kind}_types")()]
        nodes = getattr(store, f"get_{kind}s")()
        out[f"{kind}s"] = [_clean(n) for n in nodes]
    artifact_ids = [a.id for a in store.get_artifacts()]
    execution_ids = [e.id for e in store.get_executions()]
    out["events"] = [_clean(e) for e in store.get_events_by_artifact_ids(artifact_ids)]
    out["events_by_execution"] = [
        _clean(e) for e in store.get_events_by_execution_ids(execution_ids)
    ]
    for context in store.get_contexts():
        key = f"context {context.name}"
        out[key + " artifacts"] = sorted(a.id for a in store.get_artifacts_by_context(context.id))
        out[key + " executions"] = sorted(e.id for e in store.get_executions_by_context(context.id))
        out[key + " parents"] = [c.id for c in store.get_parent_contexts_by_context(context.id)]
        out[key + " children"] = [c.id for c in store.get_children_contexts_by_context(context.id)]
    out["by type DataSet v1"] = [a.id for a in store.get_artifacts_by_type("DataSet", "v1")]
    out["by uri"] = [a.id for a in store.get_artifacts_by_uri("/model")]
    out["by external id"] = [a.id for a in store.get_artifacts_by_external_ids(["model-ext"])]
    out["filtered"] = [
        a.id
        for a in store.get_artifacts(
            list_options=ms.ListOptions(
                filter_query="properties.split.string_value = 'train' AND contexts_a.name = 'run-1'"
            )
        )
    ]
    out["dataset type"] = _clean(store.get_artifact_type("DataSet", "v1"))
    return out


if __name__ == "__main__":
    prefix, action, path = sys.argv[1:4]
    if action == "write":
        write(prefix, path)
    else:
        json.dump(dump(prefix, path), sys.stdout, indent=1, sort_keys=True)
