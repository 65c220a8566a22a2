"""Each slice of sliced statistics against a schema (TFDV's ``validate_corresponding_slices``).

As TFDV does it, the slices are flattened into one data set whose features are renamed
``slice(<slice name>)::<feature>`` (the first path step), the schema's features are replicated
under the same names for every slice found in any of the statistics, and the result is validated
once: a slice missing from the current statistics thus shows as missing features, and the drift
and skew comparators compare each slice with the slice of the same name.
"""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from datajourney.schema.arguments import require_statistics
from datajourney.schema.statistics_view import DEFAULT_SLICE_NAME
from datajourney.validation.validate import validate_statistics

Statistics = statistics_pb2.DatasetFeatureStatisticsList


def _slice_name(slice_name: str, name: str) -> str:
    return f"slice({slice_name})::{name}"


def _flatten(statistics: Statistics) -> tuple[Statistics, set[str]]:
    """One data set holding every slice's features (renamed), with the default slice's counts."""
    datasets = list(statistics.datasets)
    default = datasets[0] if len(datasets) == 1 else None
    default = next((d for d in datasets if d.name == DEFAULT_SLICE_NAME), default)
    if default is None:
        raise ValueError("Missing default slice")
    flat = statistics_pb2.DatasetFeatureStatistics()
    flat.CopyFrom(default)
    flat.ClearField("features")
    flat.ClearField("cross_features")
    for dataset in datasets:
        for feature in dataset.features:
            copied = flat.features.add()
            copied.CopyFrom(feature)
            steps = list(feature.path.step) or [feature.name]
            copied.ClearField("name")
            copied.path.ClearField("step")
            copied.path.step.extend([_slice_name(dataset.name, steps[0]), *steps[1:]])
        for cross in dataset.cross_features:
            copied_cross = flat.cross_features.add()
            copied_cross.CopyFrom(cross)
            for path in (copied_cross.path_x, copied_cross.path_y):
                if path.step:
                    path.step[0] = _slice_name(dataset.name, path.step[0])
    return Statistics(datasets=[flat]), {dataset.name for dataset in datasets}


def _replicate(schema: schema_pb2.Schema, slice_names: set[str]) -> schema_pb2.Schema:
    """The schema's features (plain, sparse, weighted) once per slice, renamed; no dataset
    constraints (TFDV does not check them per slice)."""
    result = schema_pb2.Schema()
    result.string_domain.extend(schema.string_domain)
    result.float_domain.extend(schema.float_domain)
    result.int_domain.extend(schema.int_domain)
    for slice_name in sorted(slice_names):
        for field in ("feature", "sparse_feature", "weighted_feature"):
            for feature in getattr(schema, field):
                copied = getattr(result, field).add()
                copied.CopyFrom(feature)
                copied.name = _slice_name(slice_name, feature.name)
    return result


def validate_corresponding_slices(
    statistics: Statistics,
    schema: schema_pb2.Schema,
    environment: str | None = None,
    previous_statistics: Statistics | None = None,
    serving_statistics: Statistics | None = None,
) -> anomalies_pb2.Anomalies:
    """Anomalies of every slice of ``statistics``, each compared with the slice of the same name
    in ``previous_statistics`` / ``serving_statistics``; anomalies are keyed
    ``'slice(<slice name>)::<feature>'`` and ``baseline`` is the replicated schema, as in TFDV.
    Each statistics needs a default slice ("All Examples", or its only data set)."""
    require_statistics(statistics)
    for argument, other in (
        ("previous_statistics", previous_statistics),
        ("serving_statistics", serving_statistics),
    ):
        if other is not None:
            require_statistics(other, argument)
    flat, slice_names = _flatten(statistics)
    others = []
    for other in (previous_statistics, serving_statistics):
        if other:
            other, names = _flatten(other)
            slice_names |= names
        others.append(other)
    return validate_statistics(
        flat, _replicate(schema, slice_names), environment, others[0], others[1]
    )
