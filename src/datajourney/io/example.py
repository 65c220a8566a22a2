"""tf.Example records as Arrow list columns, and back.

Each feature becomes a list column as in TFDV: ``int64_list`` → ``list<int64>``,
``float_list`` → ``list<float32>``, ``bytes_list`` → ``list<binary>``. A feature absent from an
example (or present without a kind) is null there. Within one batch, a feature that is an
int64 list in some examples and a float list in others becomes ``list<double>``; values of a
conflicting kind (bytes among numbers) are dropped and recorded as a ``type_mismatch`` problem.
Columns come in TFDV's feature order: by the first example that has the feature, then by name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa

from datajourney.io.problems import TYPE_MISMATCH, ProblemExample, ProblemLog
from datajourney.io.proto.example_pb2 import Example, Feature
from datajourney.io.source import Location, Source, expand_paths
from datajourney.io.tfrecord import Compression, TFRecordWriter, iter_records

_VALUE_TYPES = {"int64_list": pa.int64(), "float_list": pa.float32(), "bytes_list": pa.binary()}


class _Column:
    """The values of one feature across the examples of a batch."""

    def __init__(self) -> None:
        self.kind: str | None = None
        self.float_promoted = False
        self.rows: list[int] = []  # example index of each present value list
        self.lists: list[Any] = []

    def add(self, row: int, kind: str, values: Any) -> bool:
        """Add one example's values; False when their kind conflicts with the column's."""
        if self.kind is None:
            self.kind = kind
        elif kind != self.kind:
            numeric = {kind, self.kind} == {"int64_list", "float_list"}
            if not numeric:
                return False
            self.float_promoted = True
        self.rows.append(row)
        self.lists.append(values)
        return True

    def to_array(self, num_rows: int) -> pa.Array:
        kind = self.kind or "bytes_list"
        value_type = pa.float64() if self.float_promoted else _VALUE_TYPES[kind]
        full: list[Any] = [None] * num_rows
        for row, values in zip(self.rows, self.lists):
            full[row] = list(values)
        return pa.array(full, pa.list_(value_type))


def examples_to_batch(
    records: Iterable[bytes | Example],
    problems: ProblemLog | None = None,
    location: str = "",
    first_record: int = 0,
) -> pa.RecordBatch:
    """A record batch of serialized (or parsed) tf.Example messages, one row per example."""
    columns: dict[str, _Column] = {}
    num_rows = 0
    for row, record in enumerate(records):
        example = Example.FromString(record) if isinstance(record, bytes) else record
        for name, feature in example.features.feature.items():
            kind = feature.WhichOneof("kind")
            if kind is None:
                continue
            column = columns.get(name)
            if column is None:
                column = columns[name] = _Column()
            values = getattr(feature, kind).value
            if not column.add(row, kind, values) and problems is not None:
                where = f"{location}record {first_record + row}"
                problems.add(
                    TYPE_MISMATCH,
                    name,
                    len(values),
                    [ProblemExample(repr(list(values)[:3]), where)],
                    detail=f"{kind} values in a {column.kind} feature",
                )
        num_rows = row + 1
    # TFDV's order: by the example each feature first appears in, then by name.
    names = sorted(columns, key=lambda name: (columns[name].rows[0], name))
    arrays = [columns[name].to_array(num_rows) for name in names]
    if not names:  # examples without features still count as examples
        return pa.RecordBatch.from_struct_array(pa.array([{}] * num_rows, pa.struct([])))
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _feature(values: Any, value_type: pa.DataType) -> Feature:
    feature = Feature()
    if pa.types.is_integer(value_type) or pa.types.is_boolean(value_type):
        feature.int64_list.value.extend(int(v) for v in values)
    elif pa.types.is_floating(value_type):
        feature.float_list.value.extend(values)
    else:
        feature.bytes_list.value.extend(v.encode() if isinstance(v, str) else v for v in values)
    return feature


def batch_to_examples(batch: pa.RecordBatch | pa.Table) -> Iterator[Example]:
    """One tf.Example per row; a null cell leaves the feature out of that example."""
    names = batch.schema.names
    types = []
    for field in batch.schema:
        is_list = pa.types.is_list(field.type) or pa.types.is_large_list(field.type)
        types.append((is_list, field.type.value_type if is_list else field.type))
    columns = [column.to_pylist() for column in batch.columns]
    for row in range(batch.num_rows):
        example = Example()
        for name, (is_list, value_type), column in zip(names, types, columns):
            value = column[row]
            if value is None:
                continue
            example.features.feature[name].CopyFrom(
                _feature(value if is_list else [value], value_type)
            )
        yield example


class TFRecordSource(Source):
    """TFRecord files of tf.Example (a path, a glob, or several; plain or gzip)."""

    def __init__(
        self,
        location: Location,
        compression: Compression = "auto",
        batch_rows: int = 4096,
    ):
        super().__init__()
        self.paths = expand_paths(location)
        self.compression = compression
        self.batch_rows = batch_rows

    def _batches(self) -> Iterator[pa.RecordBatch]:
        for path in self.paths:
            records = iter_records(path, self.compression)
            first = 0
            while chunk := list(islice(records, self.batch_rows)):
                yield examples_to_batch(chunk, self.problems, f"{path}: ", first)
                first += len(chunk)


def read_tfrecord(
    location: Location, compression: Compression = "auto", batch_rows: int = 4096
) -> TFRecordSource:
    """Read TFRecord files of tf.Example as a stream of record batches."""
    return TFRecordSource(location, compression, batch_rows)


def write_tfrecord(
    path: str | os.PathLike,
    data: pa.Table | pa.RecordBatch | Iterable[Example],
    compression: str = "none",
) -> Path:
    """Write tf.Example records: from a table (one example per row) or from messages."""
    is_table = isinstance(data, (pa.Table, pa.RecordBatch))
    rows: Iterable[Example] = batch_to_examples(data) if is_table else data  # type: ignore[arg-type]
    with TFRecordWriter(path, "gzip" if compression == "gzip" else "none") as writer:
        for example in rows:
            writer.write(example.SerializeToString())
    return Path(path)
