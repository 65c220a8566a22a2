"""Each slice of sliced statistics against a schema (TFDV's ``validate_corresponding_slices``)."""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from datajourney.schema.arguments import require_statistics
from datajourney.validation.validate import validate_statistics

Statistics = statistics_pb2.DatasetFeatureStatisticsList


def _one_slice(statistics: Statistics | None, name: str) -> Statistics | None:
    if statistics is None:
        return None
    found = [d for d in statistics.datasets if d.name == name]
    return Statistics(datasets=found) if found else None


def validate_corresponding_slices(
    statistics: Statistics,
    schema: schema_pb2.Schema,
    environment: str | None = None,
    previous_statistics: Statistics | None = None,
    serving_statistics: Statistics | None = None,
) -> anomalies_pb2.Anomalies:
    """Anomalies of every slice of ``statistics``, each compared with the slice of the same name
    in ``previous_statistics`` / ``serving_statistics`` when they have it; anomalies are keyed
    ``'slice(<slice name>)::<feature>'`` as TFDV keys them."""
    require_statistics(statistics)
    for argument, other in (
        ("previous_statistics", previous_statistics),
        ("serving_statistics", serving_statistics),
    ):
        if other is not None:
            require_statistics(other, argument)
    result = anomalies_pb2.Anomalies()
    for dataset in statistics.datasets:
        found = validate_statistics(
            Statistics(datasets=[dataset]),
            schema,
            environment,
            _one_slice(previous_statistics, dataset.name),
            _one_slice(serving_statistics, dataset.name),
        )
        if not result.HasField("baseline"):
            result.baseline.CopyFrom(found.baseline)
            result.anomaly_name_format = found.anomaly_name_format
        for feature, info in found.anomaly_info.items():
            result.anomaly_info[f"'slice({dataset.name})::{feature}'"].CopyFrom(info)
        result.drift_skew_info.extend(found.drift_skew_info)
    return result
