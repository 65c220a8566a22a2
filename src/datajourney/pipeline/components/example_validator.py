"""``ExampleValidator``: statistics of each split against a schema -> anomalies."""

from __future__ import annotations

import json

from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.schema import environments as schema_environments
from datajourney.validation import validate_statistics, write_anomalies_text

from ..artifacts import load_schema, load_split_statistics, set_split_names, split_file
from ..component import component
from ..ports import Input, Output
from ..types import ExampleAnomalies, ExampleStatistics, Schema


def split_environment(schema: schema_pb2.Schema, split: str, given: dict) -> str | None:
    """The schema environment a split is checked in: ``given[split]``, else SERVING for a
    ``serving`` split and TRAINING for the others when the schema has those environments."""
    if split in given:
        return given[split]
    wanted = "SERVING" if split == "serving" else "TRAINING"
    return wanted if wanted in schema_environments(schema) else None


@component
def ExampleValidator(
    statistics: Input[ExampleStatistics],
    schema: Input[Schema],
    anomalies: Output[ExampleAnomalies],
    exclude_splits: list | None = None,
    environments: dict | None = None,
) -> None:
    """Anomalies of each split, in its schema environment (see :func:`split_environment`).

    The artifact's ``anomaly_counts`` property maps each split to its number of anomalous
    features.
    """
    curated = load_schema(schema)
    counts = {}
    for split, stats in load_split_statistics(statistics).items():
        if split in (exclude_splits or []):
            continue
        found = validate_statistics(
            stats, curated, split_environment(curated, split, environments or {})
        )
        write_anomalies_text(found, split_file(anomalies, split, "ExampleAnomalies"))
        counts[split] = len(found.anomaly_info) + bool(found.dataset_anomaly_info.reason)
    set_split_names(anomalies, list(counts))
    anomalies.custom_properties["anomaly_counts"] = json.dumps(counts)
