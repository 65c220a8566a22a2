"""Record a data-validation run in the metadata store, query it, and print the schema's lineage.

Run with ``make demo``. The store is the embedded default, ./.datajourney/metadata.sqlite (or
$DATAJOURNEY_STORE); it is an ML Metadata schema-v10 database that ml-metadata itself can open.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import datajourney as dj
from datajourney.metadata import NodeKind


def write_sample_data(folder: Path) -> Path:
    path = folder / "train.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["trip_miles", "fare", "payment_type"])
        writer.writerows([[1.2, 6.5, "Cash"], [3.4, 12.0, "Credit Card"], [0.8, 5.0, "Cash"]])
    return path


def main() -> None:
    store = dj.MetadataStore()
    print(f"store: {store.url}")

    # Types are registered once; registering the same type again returns its id.
    dataset_type = store.put_type(
        dj.ArtifactType(
            "DataSet",
            properties={"split": dj.PropertyType.STRING, "version": dj.PropertyType.INT},
        )
    )
    schema_type = store.put_type(
        dj.ArtifactType("Schema", properties={"version": dj.PropertyType.INT})
    )
    validation_type = store.put_type(dj.ExecutionType("DataValidation"))
    experiment_type = store.put_type(dj.ContextType("Experiment"))

    data_file = write_sample_data(Path(tempfile.mkdtemp(prefix="datajourney-demo-")))
    with data_file.open() as f:
        columns = next(csv.reader(f))
    schema_file = data_file.with_name("schema.txt")
    schema_file.write_text("\n".join(columns) + "\n")

    # One atomic call records the execution, both artifacts, the events and the context links.
    execution_id, (data_id, schema_id), (experiment_id,) = store.put_execution(
        dj.Execution(
            type_id=validation_type,
            last_known_state=dj.ExecutionState.COMPLETE,
            custom_properties={"columns": len(columns)},
        ),
        [
            (
                dj.Artifact(
                    type_id=dataset_type,
                    uri=str(data_file),
                    properties={"split": "train", "version": 1},
                    state=dj.ArtifactState.LIVE,
                ),
                dj.Event(type=dj.EventType.INPUT),
            ),
            (
                dj.Artifact(
                    type_id=schema_type,
                    uri=str(schema_file),
                    properties={"version": 1},
                    state=dj.ArtifactState.LIVE,
                ),
                dj.Event(type=dj.EventType.OUTPUT),
            ),
        ],
        [dj.Context(type_id=experiment_type, name="demo")],
        reuse_context_if_already_exist=True,
    )
    print(f"recorded execution {execution_id}: DataSet {data_id} -> Schema {schema_id}")

    # Query: every schema recorded so far, and the data sets of the experiment.
    schemas = store.get_artifacts(type_name="Schema")
    print(f"{len(schemas)} Schema artifact(s) in the store; newest: {schemas[-1].uri}")
    train_sets = store.get_artifacts(
        context_id=experiment_id, filter_query="properties.split.string_value = 'train'"
    )
    print(f"experiment 'demo' holds {len(train_sets)} training data set(s)")

    # Lineage: walk the events upstream from the schema to the data it came from.
    print(f"lineage of Schema {schema_id}:")
    frontier, depth = [schema_id], 0
    while frontier:
        producers = [
            e.execution_id
            for e in store.get_events(artifact_ids=frontier)
            if e.type in (dj.EventType.OUTPUT, dj.EventType.DECLARED_OUTPUT)
        ]
        if not producers:
            break
        depth += 1
        for execution in store.get(NodeKind.EXECUTION, ids=producers):
            state = execution.last_known_state.name if execution.last_known_state else "?"
            print(f"{'  ' * depth}<- {execution.type} execution {execution.id} ({state})")
        inputs = [
            e.artifact_id
            for e in store.get_events(execution_ids=producers)
            if e.type in (dj.EventType.INPUT, dj.EventType.DECLARED_INPUT)
        ]
        depth += 1
        for artifact in store.get_artifacts(ids=inputs):
            print(f"{'  ' * depth}<- {artifact.type} {artifact.id} {artifact.uri}")
        frontier = inputs
    store.close()


if __name__ == "__main__":
    main()
