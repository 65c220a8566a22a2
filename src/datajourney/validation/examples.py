"""Which rows of a CSV file break the schema (TFDV's ``validate_examples_in_csv``).

Each value is checked against its feature: its column exists, it parses as the feature's type,
it is present when the feature is required (``presence.min_fraction`` 1), it lies in the
feature's domain (string values, numeric range, booleans). Reasons carry TFDV's anomaly type names.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.io import read_csv
from datajourney.schema.environments import in_environment
from datajourney.schema.features import get_domain


@dataclass(frozen=True)
class BadExample:
    """One value of one row that breaks the schema (``row``: 0-based, header not counted)."""

    row: int
    feature: str
    reason: str
    value: str | None


def _parse(text: str, feature_type: int) -> float | None:
    try:
        return float(int(text)) if feature_type == schema_pb2.INT else float(text)
    except ValueError:
        return None


def _value_reason(schema: schema_pb2.Schema, feature: schema_pb2.Feature, text: str) -> str | None:
    """The anomaly type name that ``text`` as a value of ``feature`` raises, or None."""
    which = feature.WhichOneof("domain_info")
    if feature.type in (schema_pb2.INT, schema_pb2.FLOAT):
        number = _parse(text, feature.type)
        if number is None:
            return (
                "INT_TYPE_NOT_INT_STRING"
                if feature.type == schema_pb2.INT
                else "FLOAT_TYPE_STRING_NOT_FLOAT"
            )
        if which == "bool_domain" and number not in (0, 1):
            return "BOOL_TYPE_SMALL_INT" if number < 0 else "BOOL_TYPE_BIG_INT"
        if which in ("int_domain", "float_domain"):
            bounds, kind = getattr(feature, which), "INT" if which == "int_domain" else "FLOAT"
            if bounds.HasField("min") and number < bounds.min:
                return f"{kind}_TYPE_SMALL_{kind}"
            if bounds.HasField("max") and number > bounds.max:
                return f"{kind}_TYPE_BIG_{kind}"
        return None
    if which in ("domain", "string_domain") and text not in get_domain(schema, feature.name).value:
        return "ENUM_TYPE_UNEXPECTED_STRING_VALUES"
    if which == "bool_domain" and text not in (
        feature.bool_domain.true_value,
        feature.bool_domain.false_value,
    ):
        return "BOOL_TYPE_UNEXPECTED_STRING"
    return None


def find_bad_examples(
    data_location: str | os.PathLike | Sequence[str],
    schema: schema_pb2.Schema,
    environment: str | None = None,
    column_names: Sequence[str] | None = None,
    delimiter: str = ",",
) -> list[BadExample]:
    """Every value of the CSV data that breaks ``schema`` (in ``environment``), row by row."""
    features = [
        f
        for f in schema.feature
        if f.lifecycle_stage != schema_pb2.DEPRECATED and in_environment(schema, f, environment)
    ]
    source = read_csv(
        data_location, column_names, delimiter, column_types={f.name: pa.string() for f in features}
    )
    bad: list[BadExample] = []
    offset = 0
    for batch in source:
        columns = {name: batch.column(name).to_pylist() for name in batch.schema.names}
        for feature in features:
            if feature.name not in columns:
                bad += [
                    BadExample(offset + index, feature.name, "SCHEMA_MISSING_COLUMN", None)
                    for index in range(batch.num_rows)
                ]
                continue
            required = feature.presence.min_fraction >= 1.0
            for index, text in enumerate(columns[feature.name]):
                if text is None or text == "":
                    reason = "FEATURE_TYPE_LOW_FRACTION_PRESENT" if required else None
                else:
                    reason = _value_reason(schema, feature, text)
                if reason is not None:
                    bad.append(BadExample(offset + index, feature.name, reason, text or None))
        offset += batch.num_rows
    return sorted(bad, key=lambda b: (b.row, b.feature))


def validate_examples_in_csv(
    data_location: str | os.PathLike | Sequence[str],
    stats_options: Any,
    column_names: Sequence[str] | None = None,
    delimiter: str = ",",
    output_path: str | os.PathLike | None = None,
    pipeline_options: Any = None,
    num_sampled_examples: int = 0,
) -> (
    statistics_pb2.DatasetFeatureStatisticsList
    | tuple[statistics_pb2.DatasetFeatureStatisticsList, dict[str, Any]]
):
    """TFDV's row-level validation: statistics of the bad rows, one data set per
    ``<feature>_<REASON>`` (against ``stats_options.schema``).

    With ``num_sampled_examples``, also returns up to that many bad rows per data set as pandas
    DataFrames. ``output_path`` writes the statistics as text; ``pipeline_options`` is ignored.
    """
    import pandas as pd

    from datajourney.stats import generate_statistics_from_dataframe, write_stats_text
    from datajourney.stats.options import StatsOptions

    schema = getattr(stats_options, "schema", None)
    if schema is None:
        raise ValueError("validate_examples_in_csv needs stats_options.schema")
    rows: dict[str, list[int]] = {}
    for bad in find_bad_examples(data_location, schema, None, column_names, delimiter):
        rows.setdefault(f"{bad.feature}_{bad.reason}", []).append(bad.row)
    frame = (
        pd.concat(
            [b.to_pandas() for b in read_csv(data_location, column_names, delimiter)],
            ignore_index=True,
        )
        if rows
        else None
    )
    result = statistics_pb2.DatasetFeatureStatisticsList()
    samples: dict[str, Any] = {}
    for name, indices in sorted(rows.items()):
        subset = frame.iloc[sorted(set(indices))]
        dataset = generate_statistics_from_dataframe(subset, StatsOptions()).datasets[0]
        dataset.name = name
        result.datasets.append(dataset)
        if num_sampled_examples:
            samples[name] = subset.head(num_sampled_examples)
    if output_path is not None:
        write_stats_text(result, output_path)
    return (result, samples) if num_sampled_examples else result
