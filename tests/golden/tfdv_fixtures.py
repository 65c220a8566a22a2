"""Loading the golden TFDV fixtures (layout: tests/golden/README.md)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

ROOT = Path(__file__).resolve().parent / "tfdv"


@cache
def manifest() -> dict:
    return json.loads((ROOT / "manifest.json").read_text())


def _parse(relative: str, message):
    text_format.Parse((ROOT / relative).read_text(), message)
    return message


def statistics(name: str) -> statistics_pb2.DatasetFeatureStatisticsList:
    """TFDV's statistics of data set ``name``."""
    entry = manifest()["statistics"][name]
    return _parse(entry["path"], statistics_pb2.DatasetFeatureStatisticsList())


def data_path(name: str) -> Path:
    """The data file TFDV computed statistics ``name`` from."""
    return ROOT / manifest()["statistics"][name]["data"]


def schema(name: str) -> schema_pb2.Schema:
    return _parse(manifest()["schemas"][name]["path"], schema_pb2.Schema())


def anomalies(name: str) -> anomalies_pb2.Anomalies:
    return _parse(manifest()["validations"][name]["path"], anomalies_pb2.Anomalies())


def reasons_by_feature(found: anomalies_pb2.Anomalies) -> dict[str, list[str]]:
    """Feature name -> its reason type names, in order."""
    names = anomalies_pb2.AnomalyInfo.Type.Name
    return {key: [names(r.type) for r in info.reason] for key, info in found.anomaly_info.items()}
