"""generate_statistics and TFDV's generate_statistics_from_* names."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.io.csv import CsvSource
from datajourney.io.dataframe import DataFrameSource
from datajourney.io.example import TFRecordSource
from datajourney.io.open import open_source
from datajourney.io.source import (
    ArrowSource,
    Location,
    Source,
    is_dask_dataframe,
    is_pandas_dataframe,
)
from datajourney.stats.accumulator import StatisticsAccumulator
from datajourney.stats.csv_files import csv_compression, csv_paths
from datajourney.stats.options import StatsOptions
from datajourney.stats.storage import write_stats_binary

_SCHEMA_TYPES = {
    schema_pb2.INT: pa.int64(),
    schema_pb2.FLOAT: pa.float64(),
    schema_pb2.BYTES: pa.string(),
}


def schema_types(options: StatsOptions) -> dict[str, pa.DataType]:
    """Column types declared by the schema, when the options ask to read data with them."""
    if not options.infer_type_from_schema or options.schema is None:
        return {}
    features = options.schema.feature
    return {f.name: _SCHEMA_TYPES[f.type] for f in features if f.type in _SCHEMA_TYPES}


def accumulate(source: Source, options: StatsOptions) -> StatisticsAccumulator:
    """The accumulators of one pass over ``source`` (two when a CSV column widened to text),
    with the problems the reader found. In-memory data (a DataFrame, an Arrow table) is one
    batch for the semantic-domain detectors, as TFDV takes it."""
    in_memory = isinstance(source, (DataFrameSource, ArrowSource))
    accumulator = StatisticsAccumulator(options, in_memory)
    for batch in source:
        accumulator.add(batch)
    if isinstance(source, CsvSource) and source.widened_to_text:
        # A column turned out to be text after numbers were counted: count again, typed right.
        accumulator = StatisticsAccumulator(options, in_memory)
        for batch in source:
            accumulator.add(batch)
    accumulator.problems.merge(source.problems)
    return accumulator


def generate_statistics(
    data: Any,
    options: StatsOptions | None = None,
    output_path: str | os.PathLike | None = None,
    client: Any = None,
) -> statistics_pb2.DatasetFeatureStatisticsList:
    """Statistics of ``data``: a file path or glob (CSV, Parquet, JSON lines, TFRecord), a
    pandas DataFrame, an Arrow table, a :class:`~datajourney.io.Source`, or a Dask DataFrame.

    Returns a ``DatasetFeatureStatisticsList`` with "All Examples" first and one data set per
    slice; ``output_path`` also writes it as TFDV does (a TFRecord file of the binary proto).
    Bad data does not stop it: problems are recorded in the statistics (see
    :mod:`datajourney.stats.problems`). With a ``dask.distributed`` ``client`` (or a Dask
    DataFrame, on the current client) each file or partition is computed on a worker and the
    results merged (see :mod:`datajourney.stats.distributed`).
    """
    options = options or StatsOptions()
    declared = schema_types(options)
    if client is not None or is_dask_dataframe(data):
        from datajourney.stats.distributed import distributed_accumulator

        accumulator, _ = distributed_accumulator(data, options, client, declared)
        return _finish(accumulator.result(), output_path)
    source = open_source(data)
    if declared and isinstance(source, CsvSource):
        source = CsvSource(
            source.paths, source.column_names, source.delimiter, source.quote_char, declared
        )
    return _finish(accumulate(source, options).result(), output_path)


def _finish(
    result: statistics_pb2.DatasetFeatureStatisticsList, output_path: str | os.PathLike | None
) -> statistics_pb2.DatasetFeatureStatisticsList:
    if output_path is not None:
        write_stats_binary(result, output_path)
    return result


def generate_statistics_from_csv(
    data_location: Location,
    column_names: Sequence[str] | None = None,
    delimiter: str = ",",
    output_path: str | os.PathLike | None = None,
    stats_options: StatsOptions | None = None,
    pipeline_options: Any = None,
    compression_type: str = "auto",
    client: Any = None,
) -> statistics_pb2.DatasetFeatureStatisticsList:
    """Statistics of CSV files, as TFDV's function of that name (``pipeline_options`` is
    accepted for compatibility). ``compression_type`` is TFDV's (``"auto"``: from the file
    name, ``"gzip"``, ``"bzip2"``, ``"zstd"``, ``"uncompressed"``). As TFDV, a location that
    matches no file, a file without a header line and files whose headers differ raise
    ValueError. With a ``dask.distributed`` ``client``, each file is read on a worker."""
    options = stats_options or StatsOptions()
    compression = csv_compression(compression_type)
    paths = csv_paths(data_location, column_names, delimiter, compression)
    source = CsvSource(
        paths,
        column_names,
        delimiter,
        column_types=schema_types(options),
        compression=compression,
    )
    return generate_statistics(source, options, output_path, client)


def generate_statistics_from_dataframe(
    dataframe: Any, stats_options: StatsOptions | None = None, n_jobs: int = 1, client: Any = None
) -> statistics_pb2.DatasetFeatureStatisticsList:
    """Statistics of a pandas DataFrame, as TFDV's function of that name, or of a Dask
    DataFrame partition by partition (on ``client``, default the current one). ``n_jobs``
    is checked as TFDV checks it (-1 or at least 1); the statistics take one pass."""
    if is_dask_dataframe(dataframe):
        return generate_statistics(
            dataframe, _columns_order(stats_options, dataframe), client=client
        )
    if not is_pandas_dataframe(dataframe):
        raise TypeError(
            f"dataframe argument is of type {type(dataframe).__name__}. Must be a pandas DataFrame."
        )
    if n_jobs < 1 and n_jobs != -1:
        raise ValueError(f"Invalid n_jobs parameter {n_jobs}. Should be either  -1 or >= 1.")
    return generate_statistics(DataFrameSource(dataframe), _columns_order(stats_options, dataframe))


def _columns_order(options: StatsOptions | None, dataframe: Any) -> StatsOptions | None:
    """The options with the allowlist in the DataFrame's column order: TFDV's DataFrame path
    lists the allowed features in that order (its file readers keep the allowlist's order)."""
    if not isinstance(options, StatsOptions) or options.feature_allowlist is None:
        return options
    allowed = set(options.feature_allowlist)
    ordered = [name for name in dataframe.columns if name in allowed]
    return dataclasses.replace(options, feature_allowlist=ordered)


def generate_statistics_from_tfrecord(
    data_location: Location,
    output_path: str | os.PathLike | None = None,
    stats_options: StatsOptions | None = None,
    pipeline_options: Any = None,
) -> statistics_pb2.DatasetFeatureStatisticsList:
    """Statistics of TFRecord files of tf.Example (plain or gzip), as TFDV's function."""
    return generate_statistics(TFRecordSource(data_location), stats_options, output_path)
