"""Where the standard artifact types keep their files (TFX's layout), and reading them back.

Examples: ``Split-<name>/data.parquet``; ExampleStatistics: ``Split-<name>/FeatureStats.pb``;
Schema: ``schema.pbtxt``; ExampleAnomalies: ``Split-<name>/anomalies.pbtxt``. Artifacts with
splits list them in the custom property ``split_names`` (a JSON list, as TFX records it).
"""

from __future__ import annotations

import json
from pathlib import Path

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from datajourney.metadata.model import Artifact
from datajourney.schema import load_schema_text
from datajourney.stats import load_statistics
from datajourney.validation import load_anomalies_text

SPLIT_NAMES = "split_names"
FILES = {
    "Examples": "data.parquet",
    "ExampleStatistics": "FeatureStats.pb",
    "ExampleAnomalies": "anomalies.pbtxt",
}
SCHEMA_FILE = "schema.pbtxt"


def split_names(artifact: Artifact) -> list[str]:
    """The splits an artifact holds, in order."""
    return json.loads(str(artifact.custom_properties.get(SPLIT_NAMES, "[]")))


def set_split_names(artifact: Artifact, names: list[str]) -> None:
    """Record the splits an artifact holds."""
    artifact.custom_properties[SPLIT_NAMES] = json.dumps(names)


def split_file(artifact: Artifact, split: str, type_name: str) -> Path:
    """The file of one split of an Examples / ExampleStatistics / ExampleAnomalies artifact
    (its folder created)."""
    folder = Path(artifact.uri) / f"Split-{split}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / FILES[type_name]


def schema_file(artifact: Artifact) -> Path:
    """The schema file of a Schema artifact."""
    return Path(artifact.uri) / SCHEMA_FILE


def load_split_statistics(
    artifact: Artifact,
) -> dict[str, statistics_pb2.DatasetFeatureStatisticsList]:
    """The statistics of each split of an ExampleStatistics artifact."""
    return {
        s: load_statistics(split_file(artifact, s, "ExampleStatistics"))
        for s in split_names(artifact)
    }


def load_split_anomalies(artifact: Artifact) -> dict[str, anomalies_pb2.Anomalies]:
    """The anomalies of each split of an ExampleAnomalies artifact."""
    return {
        s: load_anomalies_text(split_file(artifact, s, "ExampleAnomalies"))
        for s in split_names(artifact)
    }


def load_schema(artifact: Artifact) -> schema_pb2.Schema:
    """The schema of a Schema artifact."""
    return load_schema_text(schema_file(artifact))
