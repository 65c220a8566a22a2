"""Readers: CSV, Parquet, JSON lines, TFRecord (tf.Example), pandas and Arrow data, each as a
re-iterable stream of ``pyarrow.RecordBatch`` (a :class:`Source`), so a file larger than memory
is never loaded whole.

Bad data is recorded in the source's ``problems`` (see :mod:`datajourney.io.problems`); a file
that cannot be read at all raises :class:`DataReadError` naming the file and place.
"""

from __future__ import annotations

from datajourney.io.csv import CsvSource, read_csv
from datajourney.io.dataframe import DataFrameSource, read_dataframe
from datajourney.io.errors import DataReadError
from datajourney.io.example import (
    TFRecordSource,
    batch_to_examples,
    examples_to_batch,
    read_tfrecord,
    write_tfrecord,
)
from datajourney.io.jsonl import JsonLinesSource, read_jsonl
from datajourney.io.open import open_source
from datajourney.io.parquet import ParquetSource, read_parquet
from datajourney.io.problems import DataProblem, ProblemExample, ProblemLog
from datajourney.io.source import ArrowSource, Source
from datajourney.io.tfrecord import TFRecordWriter, iter_records

__all__ = [
    "ArrowSource",
    "CsvSource",
    "DataFrameSource",
    "DataProblem",
    "DataReadError",
    "JsonLinesSource",
    "ParquetSource",
    "ProblemExample",
    "ProblemLog",
    "Source",
    "TFRecordSource",
    "TFRecordWriter",
    "batch_to_examples",
    "examples_to_batch",
    "iter_records",
    "open_source",
    "read_csv",
    "read_dataframe",
    "read_jsonl",
    "read_parquet",
    "read_tfrecord",
    "write_tfrecord",
]
