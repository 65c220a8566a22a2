"""One entry point that picks the reader from what it is given."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from datajourney.io.csv import CsvSource
from datajourney.io.dataframe import DataFrameSource
from datajourney.io.errors import DataReadError
from datajourney.io.example import TFRecordSource
from datajourney.io.jsonl import JsonLinesSource
from datajourney.io.parquet import ParquetSource
from datajourney.io.source import ArrowSource, Source, expand_paths, is_pandas_dataframe

_BY_SUFFIX = {
    ".csv": CsvSource,
    ".tsv": CsvSource,
    ".txt": CsvSource,
    ".parquet": ParquetSource,
    ".pq": ParquetSource,
    ".jsonl": JsonLinesSource,
    ".ndjson": JsonLinesSource,
    ".json": JsonLinesSource,
    ".tfrecord": TFRecordSource,
    ".tfrecords": TFRecordSource,
}


def _reader_for(name: str) -> type[Source]:
    suffixes = [s.lower() for s in name.split("/")[-1].split(".")[1:]]
    for suffix in reversed(suffixes):
        if suffix in ("gz", "gzip", "bz2", "zst"):
            continue
        reader = _BY_SUFFIX.get("." + suffix)
        if reader is not None:
            return reader
        break
    raise DataReadError(
        "unknown data format; use a .csv, .tsv, .parquet, .jsonl or .tfrecord name, "
        "or a reader from datajourney.io",
        name,
    )


def open_source(data: Any) -> Source:
    """A :class:`Source` for ``data``: a source, a path or glob (format from the file name; a
    ``.tsv`` file is tab-separated), a list of paths, a pandas DataFrame, an Arrow table or
    record batch, or an iterable of record batches."""
    if isinstance(data, Source):
        return data
    if isinstance(data, (pa.Table, pa.RecordBatch)):
        return ArrowSource(data)
    if is_pandas_dataframe(data):
        return DataFrameSource(data)
    if isinstance(data, (str, os.PathLike)) or (
        isinstance(data, (list, tuple)) and data and isinstance(data[0], (str, os.PathLike))
    ):
        paths = expand_paths(data)
        reader = _reader_for(str(paths[0]))
        if reader is CsvSource and str(paths[0]).lower().split(".gz")[0].endswith(".tsv"):
            return CsvSource(paths, delimiter="\t")
        return reader(paths)
    if isinstance(data, Iterable):
        return ArrowSource(data)
    raise TypeError(f"cannot read data from a {type(data).__name__}")
