"""Anomalous examples as TFDV finds them (``validate_instance``, ``validate_examples_in_csv``,
``validate_examples_in_tfrecord``).

Each example is validated on its own: the statistics of that one example (computed with the
caller's ``StatsOptions``) against the schema, less the anomaly types that only make sense for a
whole data set (presence fractions and counts, comparators, example counts). Every reason of
every feature names a slice ``<feature>_<REASON TYPE>``; the answer is the statistics of each
slice's examples (again with the caller's options), one data set per slice, as TFDV's.

Columns are typed over the whole data (a CSV column with one "2054.5" is FLOAT everywhere, so an
INT feature is ``UNEXPECTED_DATA_TYPE`` in every example), as TFDV types them. A CSV row always
has every column of its file (an empty cell is a missing value); a tf.Example without a feature
does not have it (``SCHEMA_MISSING_COLUMN`` where the schema expects it).

Examples with the same value class for a feature (same presence, number of values, and, where the
schema constrains them, the same position against its domain) get the same reasons, so each class
is validated once.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from datajourney.stats.arrays import to_numpy
from datajourney.validation.examples import widest_types
from datajourney.validation.validate import validate_statistics

Type = anomalies_pb2.AnomalyInfo.Type

#: Anomaly types that do not apply to one example (TFDV's list).
GLOBAL_ONLY_TYPES = frozenset(
    Type.Value(name)
    for name in (
        "FEATURE_TYPE_LOW_FRACTION_PRESENT",
        "FEATURE_TYPE_LOW_NUMBER_PRESENT",
        "FEATURE_TYPE_NOT_PRESENT",
        "SCHEMA_TRAINING_SERVING_SKEW",
        "COMPARATOR_CONTROL_DATA_MISSING",
        "COMPARATOR_TREATMENT_DATA_MISSING",
        "COMPARATOR_L_INFTY_HIGH",
        "COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH",
        "COMPARATOR_LOW_NUM_EXAMPLES",
        "COMPARATOR_HIGH_NUM_EXAMPLES",
        "NO_DATA_IN_SPAN",
        "DATASET_LOW_NUM_EXAMPLES",
        "DATASET_HIGH_NUM_EXAMPLES",
    )
)
_ABSENT = "__datajourney_no_feature__"


def _checked_options(options: Any) -> Any:
    from datajourney.stats.options import StatsOptions

    if not isinstance(options, StatsOptions):
        raise ValueError("options must be a StatsOptions object.")
    if options.schema is None:
        raise ValueError("The specified stats_options must include a schema.")
    # one example, or one slice's examples: no further slicing, no sampling
    return dataclasses.replace(
        options,
        slice_functions=None,
        experimental_slice_functions=None,
        experimental_slice_sqls=None,
        slicing_config=None,
        sample_rate=None,
    )


def _without_global_only(anomalies: anomalies_pb2.Anomalies) -> None:
    for key in list(anomalies.anomaly_info):
        info = anomalies.anomaly_info[key]
        kept = [r for r in info.reason if r.type not in GLOBAL_ONLY_TYPES]
        if len(kept) == len(info.reason):
            continue
        if not kept:
            del anomalies.anomaly_info[key]
            continue
        del info.reason[:]
        info.reason.extend(kept)
        if len(kept) == 1:
            info.short_description = kept[0].short_description
        info.description = " ".join(r.description for r in kept)


def validate_instance(
    instance: pa.RecordBatch | pa.Table | Any,
    options: Any,
    environment: str | None = None,
) -> anomalies_pb2.Anomalies:
    """The anomalies of one example (a one-row Arrow batch or table, or pandas DataFrame)
    against ``options.schema``, without the anomaly types that need a whole data set (TFDV's
    ``validate_instance``)."""
    from datajourney.stats import generate_statistics

    row_options = _checked_options(options)
    if isinstance(instance, pa.RecordBatch):
        instance = pa.Table.from_batches([instance])
    statistics = generate_statistics(instance, row_options)
    anomalies = validate_statistics(statistics, options.schema, environment)
    _without_global_only(anomalies)
    return anomalies


def _allowed_strings(schema: schema_pb2.Schema, feature: schema_pb2.Feature) -> set | None:
    """The strings ``feature``'s string or bool domain allows (None for other domains)."""
    which = feature.WhichOneof("domain_info")
    if which == "bool_domain":
        return {feature.bool_domain.true_value, feature.bool_domain.false_value}
    if which == "string_domain":
        return set(feature.string_domain.value)
    if which == "domain":
        for domain in schema.string_domain:
            if domain.name == feature.domain:
                return set(domain.value)
    return None


def _element_class(value: Any, feature: schema_pb2.Feature | None, allowed: set | None) -> Any:
    """What of one value can change an example's reasons for ``feature``."""
    if feature is None:
        return 0  # a column the schema lacks: its presence is all that counts
    if isinstance(value, list):
        return (
            "list",
            len(value),
            frozenset(_element_class(v, feature, allowed) for v in value),
        )
    if value is None:
        return None
    which = feature.WhichOneof("domain_info")
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, (int, float)):
        if which in ("int_domain", "float_domain"):
            domain = getattr(feature, which)
            low = domain.HasField("min") and value < domain.min
            high = domain.HasField("max") and value > domain.max
            return ("range", low, high)
        if which == "bool_domain":
            return ("bool", value < 0, value > 1)
        return "number" if which is None else value
    if which is None:
        return "text"
    if allowed is not None:  # only whether the domain has it matters
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        return ("known", text in allowed)
    return value


def _signature(value: Any, feature: schema_pb2.Feature | None, allowed: set | None) -> Any:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    return (len(items), frozenset(_element_class(v, feature, allowed) for v in items))


def _keys(anomalies: anomalies_pb2.Anomalies, name: str | None = None) -> tuple[str, ...]:
    """The slice keys of ``anomalies`` (of feature ``name`` only, when given)."""
    return tuple(
        f"{key}_{Type.Name(reason.type)}"
        for key, info in sorted(anomalies.anomaly_info.items())
        if (key == name if name is not None else key != _ABSENT)
        for reason in info.reason
    )


_NULL = -1


def _codes(column: pa.Array, feature: schema_pb2.Feature | None, allowed: set | None) -> np.ndarray:
    """A class number per value (``_NULL`` for null): values of one class get the same reasons
    (vectorized for plain columns, value by value for lists and other domains)."""
    codes = np.zeros(len(column), np.int64)
    kind = column.type
    which = None if feature is None else feature.WhichOneof("domain_info")
    numeric = pa.types.is_integer(kind) or pa.types.is_floating(kind)
    text = pa.types.is_string(kind) or pa.types.is_binary(kind) or pa.types.is_large_string(kind)
    if feature is None and not pa.types.is_list(kind):
        pass
    elif numeric and which in (None, "int_domain", "float_domain", "bool_domain"):
        values = to_numpy(pc.fill_null(column, 0)).astype(np.float64)
        if which in ("int_domain", "float_domain"):
            domain = getattr(feature, which)
            low = domain.min if domain.HasField("min") else -np.inf
            high = domain.max if domain.HasField("max") else np.inf
        else:
            low, high = (0.0, 1.0) if which == "bool_domain" else (-np.inf, np.inf)
        codes += (values < low) + 2 * (values > high) + 4 * np.isnan(values)
    elif text and (which is None or allowed is not None):
        if allowed is not None:
            known = pc.is_in(column, value_set=pa.array(sorted(allowed), pa.string()).cast(kind))
            codes += to_numpy(pc.fill_null(known, False)).astype(np.int64)
    else:
        classes: dict[Any, int] = {}
        for row, value in enumerate(column.to_pylist()):
            signature = _signature(value, feature, allowed)
            codes[row] = _NULL if signature is None else classes.setdefault(signature, len(classes))
        return codes
    codes[~to_numpy(column.is_valid())] = _NULL
    return codes


def example_keys(table: pa.Table, options: Any, absent_when_null: bool) -> list[tuple[str, ...]]:
    """Each example's slice keys (``<feature>_<REASON>``), as TFDV's per-example validation
    gives them. ``absent_when_null``: a null value is an absent feature (tf.Example), not a
    missing value of a present column (CSV)."""
    schema = options.schema
    features = {f.name: f for f in schema.feature}
    per_row: list[set[str]] = [set() for _ in range(table.num_rows)]
    absent_cache: dict[frozenset[str], tuple[str, ...]] = {}
    # one example holding only a stand-in column: what the schema says of absent features
    stand_in = pa.table({_ABSENT: pa.array([None], pa.int64())})
    without_features = validate_instance(stand_in, options)

    def absent_keys(present: frozenset[str]) -> tuple[str, ...]:
        if present not in absent_cache:
            absent_cache[present] = tuple(
                key
                for name in sorted(without_features.anomaly_info)
                if name != _ABSENT and name not in present
                for key in _keys(without_features, name)
            )
        return absent_cache[present]

    nulls_by_row: list[set[str]] = [set() for _ in range(table.num_rows)]
    for name in table.column_names:
        column = table.column(name).combine_chunks()
        feature = features.get(name)
        allowed = None if feature is None else _allowed_strings(schema, feature)
        codes = _codes(column, feature, allowed)
        if absent_when_null:
            for row in np.flatnonzero(codes == _NULL).tolist():
                nulls_by_row[row].add(name)
        for code in np.unique(codes).tolist():
            if code == _NULL and absent_when_null:
                continue
            rows = np.flatnonzero(codes == code)
            one = pa.table({name: column.slice(int(rows[0]), 1)})
            keys = _keys(validate_instance(one, options), name)
            if keys:
                for row in rows.tolist():
                    per_row[row].update(keys)
    present_columns = frozenset(table.column_names)
    if not absent_when_null:
        keys = absent_keys(present_columns)
        if keys:
            for row_keys in per_row:
                row_keys.update(keys)
    else:
        for row in range(table.num_rows):
            per_row[row].update(absent_keys(present_columns - nulls_by_row[row]))
    return [tuple(sorted(keys)) for keys in per_row]


def anomalous_example_statistics(
    table: pa.Table,
    keys: Sequence[tuple[str, ...]],
    options: Any,
    drop_absent: bool,
    num_sampled_examples: int = 0,
) -> tuple[statistics_pb2.DatasetFeatureStatisticsList, dict[str, Any]]:
    """The statistics of each slice's examples (one data set per slice key, sorted), and up to
    ``num_sampled_examples`` of its examples: a list of tf.Example messages when read from
    tf.Examples (``drop_absent``), else a pandas DataFrame, as TFDV returns them."""
    from datajourney.stats import generate_statistics

    row_options = _checked_options(options)
    rows: dict[str, list[int]] = {}
    for row, row_keys in enumerate(keys):
        for key in row_keys:
            rows.setdefault(key, []).append(row)
    result = statistics_pb2.DatasetFeatureStatisticsList()
    samples: dict[str, Any] = {}
    for key in sorted(rows):
        subset = table.take(pa.array(rows[key], pa.int64()))
        if drop_absent:  # tf.Examples without a feature do not have its column
            subset = subset.select(
                [n for n in subset.column_names if subset[n].null_count < len(subset)]
            )
        dataset = generate_statistics(subset, row_options).datasets[0]
        dataset.name = key
        result.datasets.append(dataset)
        if num_sampled_examples:
            from datajourney.io.example import batch_to_examples

            sample = subset.slice(0, num_sampled_examples)
            samples[key] = list(batch_to_examples(sample)) if drop_absent else sample.to_pandas()
    return result, samples


def _finish(
    result: statistics_pb2.DatasetFeatureStatisticsList,
    samples: dict[str, Any],
    output_path: str | os.PathLike | None,
    num_sampled_examples: int,
):
    if output_path is not None:
        from datajourney.stats import write_stats_text

        write_stats_text(result, output_path)
    return (result, samples) if num_sampled_examples else result


def validate_examples_in_tfrecord(
    data_location: str | os.PathLike | Sequence[str],
    stats_options: Any,
    output_path: str | os.PathLike | None = None,
    pipeline_options: Any = None,
    num_sampled_examples: int = 0,
) -> (
    statistics_pb2.DatasetFeatureStatisticsList
    | tuple[statistics_pb2.DatasetFeatureStatisticsList, dict[str, Any]]
):
    """TFDV's per-example validation of TFRecord files of tf.Example: statistics of the
    anomalous examples, one data set per ``<feature>_<REASON>`` (against
    ``stats_options.schema``). With ``num_sampled_examples``, also up to that many examples per
    data set as tf.Example messages. ``output_path`` writes the statistics as text;
    ``pipeline_options`` is accepted and ignored."""
    from datajourney.io.example import TFRecordSource

    _checked_options(stats_options)
    source = TFRecordSource(data_location)
    tables = [pa.Table.from_batches([batch]) for batch in source]
    table = pa.concat_tables(tables, promote_options="permissive") if tables else pa.table({})
    keys = example_keys(table, stats_options, absent_when_null=True)
    result, samples = anomalous_example_statistics(
        table, keys, stats_options, drop_absent=True, num_sampled_examples=num_sampled_examples
    )
    return _finish(result, samples, output_path, num_sampled_examples)


def _csv_file_types(
    path: str, column_names: Sequence[str] | None, delimiter: str, declared: dict
) -> dict[str, pa.DataType]:
    """The column types one CSV file needs (a pass over it): runs on a Dask worker."""
    from datajourney.io.csv import CsvSource

    source = CsvSource([path], column_names, delimiter, column_types=declared, use_threads=False)
    for _ in source:
        pass
    return source.types


def _csv_table(
    paths: Sequence[str],
    column_names: Sequence[str] | None,
    delimiter: str,
    declared: dict,
    start_types: dict[str, pa.DataType] | None,
    use_threads: bool = True,
) -> pa.Table:
    """The CSV files as one table, every column typed as the whole of them types it."""
    from datajourney.io.csv import CsvSource

    source = CsvSource(
        paths,
        column_names,
        delimiter,
        column_types=declared,
        start_types=start_types,
        use_threads=use_threads,
    )
    batches = list(source)
    types = source.types
    if any(types.get(f.name, f.type) != f.type for b in batches for f in b.schema):
        # a column widened during the pass: read again starting from the final types
        source = CsvSource(
            paths,
            column_names,
            delimiter,
            column_types=declared,
            start_types=types,
            use_threads=use_threads,
        )
        batches = list(source)
    if not batches:
        return pa.table({})
    return pa.concat_tables(
        [pa.Table.from_batches([b]) for b in batches], promote_options="permissive"
    )


def _csv_file_anomalies(
    path: str,
    options: Any,
    column_names: Sequence[str] | None,
    delimiter: str,
    declared: dict,
    types: dict[str, pa.DataType],
) -> tuple[pa.Table, list[tuple[str, ...]]]:
    """One file's anomalous rows (typed as all the files type them) and their slice keys: runs
    on a Dask worker, so that only those rows travel back."""
    table = _csv_table([path], column_names, delimiter, declared, types, use_threads=False)
    keys = example_keys(table, options, absent_when_null=False)
    rows = [i for i, k in enumerate(keys) if k]
    return table.take(pa.array(rows, pa.int64())), [keys[i] for i in rows]


def validate_examples_in_csv(
    data_location: str | os.PathLike | Sequence[str],
    stats_options: Any,
    column_names: Sequence[str] | None = None,
    delimiter: str = ",",
    output_path: str | os.PathLike | None = None,
    pipeline_options: Any = None,
    num_sampled_examples: int = 0,
    client: Any = None,
) -> (
    statistics_pb2.DatasetFeatureStatisticsList
    | tuple[statistics_pb2.DatasetFeatureStatisticsList, dict[str, Any]]
):
    """TFDV's per-example validation of CSV files: statistics of the anomalous examples, one
    data set per ``<feature>_<REASON>`` (against ``stats_options.schema``, with the options'
    bucket counts and the rest). Files are read as ``generate_statistics_from_csv`` reads them
    (same errors; the schema's types with ``infer_type_from_schema``). With
    ``num_sampled_examples``, also up to that many examples per data set as pandas DataFrames.
    ``output_path`` writes the statistics as text; ``pipeline_options`` is ignored. With a
    ``dask.distributed`` ``client``, each file is read and validated on a worker and only its
    anomalous rows travel back (same answer as one process)."""
    from datajourney.stats.csv_files import csv_paths
    from datajourney.stats.generate import schema_types

    _checked_options(stats_options)
    paths = [str(p) for p in csv_paths(data_location, column_names, delimiter, "auto")]
    declared = schema_types(stats_options)
    if client is None and len(paths) == 1:
        table = _csv_table(paths, column_names, delimiter, declared, None)
        keys = example_keys(table, stats_options, absent_when_null=False)
    else:
        from datajourney.stats.distributed import map_parts

        settings = (column_names, delimiter, declared)
        found = map_parts(_csv_file_types, [(p, *settings) for p in paths], client)
        types = widest_types(found)
        parts = map_parts(
            _csv_file_anomalies, [(p, stats_options, *settings, types) for p in paths], client
        )
        tables = [t for t, _ in parts if t.num_columns]
        table = pa.concat_tables(tables, promote_options="permissive") if tables else pa.table({})
        keys = [k for _, part_keys in parts for k in part_keys]
    result, samples = anomalous_example_statistics(
        table, keys, stats_options, drop_absent=False, num_sampled_examples=num_sampled_examples
    )
    return _finish(result, samples, output_path, num_sampled_examples)
