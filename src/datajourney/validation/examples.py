"""Which values of which rows of CSV files break the schema, with each row's file and line
(TFDV's per-example validation is :mod:`datajourney.validation.anomalous_examples`).

Each value is checked against its feature: its column exists, it parses as the feature's type,
it is present when the feature is required (``presence.min_fraction`` 1), it lies in the
feature's domain (string values, numeric range, booleans). Reasons carry TFDV's anomaly type names.

The work is done file by file (:func:`scan_file`), so that with a ``dask.distributed`` client each
file is checked on a worker; the answers (rows, their file and line, the bad rows' values typed as
the whole data set types them) do not depend on where the files were read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.io.csv import CsvSource
from datajourney.io.source import expand_paths
from datajourney.schema.environments import in_environment
from datajourney.schema.features import get_domain


@dataclass(frozen=True)
class BadExample:
    """One value of one row that breaks the schema (``row``: 0-based over all files, header not
    counted; ``location``: ``"file:line"`` of the row, counting one line per row)."""

    row: int
    feature: str
    reason: str
    value: str | None
    location: str | None = None


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


def _features(schema: schema_pb2.Schema, environment: str | None) -> list[schema_pb2.Feature]:
    return [
        f
        for f in schema.feature
        if f.lifecycle_stage != schema_pb2.DEPRECATED and in_environment(schema, f, environment)
    ]


def _batch_bad(
    batch: pa.RecordBatch, features: list[schema_pb2.Feature], schema: schema_pb2.Schema
) -> list[tuple[int, str, str, str | None]]:
    """(row in the batch, feature, reason, value) of every bad value of ``batch``."""
    bad: list[tuple[int, str, str, str | None]] = []
    names = set(batch.schema.names)
    for feature in features:
        if feature.name not in names:
            bad += [(i, feature.name, "SCHEMA_MISSING_COLUMN", None) for i in range(batch.num_rows)]
            continue
        required = feature.presence.min_fraction >= 1.0
        for index, text in enumerate(batch.column(feature.name).to_pylist()):
            if text is None or text == "":
                reason = "FEATURE_TYPE_LOW_FRACTION_PRESENT" if required else None
            else:
                reason = _value_reason(schema, feature, text)
            if reason is not None:
                bad.append((index, feature.name, reason, text or None))
    return bad


@dataclass
class FileScan:
    """What one file holds for row-level validation: its number of rows, its bad values (rows
    counted from the file's first row), and, when asked, its bad rows typed as CSV columns are
    (``types``: the file's inferred column types)."""

    path: str
    rows: int
    bad: list[BadExample]
    table: pa.Table | None = None
    types: dict[str, pa.DataType] = field(default_factory=dict)


def scan_file(
    path: str,
    schema: schema_pb2.Schema,
    environment: str | None = None,
    column_names: Sequence[str] | None = None,
    delimiter: str = ",",
    keep_rows: bool = False,
    start_types: dict[str, pa.DataType] | None = None,
) -> FileScan:
    """The bad values of one CSV file (and with ``keep_rows``, its bad rows, read with column
    types starting from ``start_types``): one partition's work, run on a Dask worker."""
    features = _features(schema, environment)
    text = CsvSource(
        [path], column_names, delimiter, column_types={f.name: pa.string() for f in features}
    )
    first_line = 1 if column_names is not None else 2
    bad: list[BadExample] = []
    rows = 0
    for batch in text:
        for index, name, reason, value in _batch_bad(batch, features, schema):
            row = rows + index
            bad.append(BadExample(row, name, reason, value, f"{path}:{first_line + row}"))
        rows += batch.num_rows
    scan = FileScan(path, rows, sorted(bad, key=lambda b: (b.row, b.feature)))
    if keep_rows:
        scan.table, scan.types = _bad_rows(path, column_names, delimiter, bad, start_types)
    return scan


def _bad_rows(
    path: str,
    column_names: Sequence[str] | None,
    delimiter: str,
    bad: list[BadExample],
    start_types: dict[str, pa.DataType] | None,
) -> tuple[pa.Table, dict[str, pa.DataType]]:
    """The rows of ``bad`` (typed by inference, as statistics type CSV) and the file's types."""
    wanted = pa.array(sorted({b.row for b in bad}), pa.int64())
    source = CsvSource([path], column_names, delimiter, start_types=start_types)
    while True:
        pieces, offset = [], 0
        for batch in source:
            local = pc.subtract(
                wanted.filter(
                    pc.and_(
                        pc.greater_equal(wanted, offset),
                        pc.less(wanted, offset + batch.num_rows),
                    )
                ),
                offset,
            )
            pieces.append(batch.take(local))
            offset += batch.num_rows
        types = source.types
        if all(_typed_as(piece, types) for piece in pieces):
            break
        # a column widened during the pass: read again starting from the final types
        source = CsvSource([path], column_names, delimiter, start_types=types)
    if not pieces:
        return pa.table({}), types
    return pa.Table.from_batches(pieces), types


def _typed_as(batch: pa.RecordBatch, types: dict[str, pa.DataType]) -> bool:
    return all(types.get(f.name, f.type) == f.type for f in batch.schema)


def scan_files(
    data_location: str | os.PathLike | Sequence[str],
    schema: schema_pb2.Schema,
    environment: str | None = None,
    column_names: Sequence[str] | None = None,
    delimiter: str = ",",
    keep_rows: bool = False,
    client: Any = None,
) -> list[FileScan]:
    """:func:`scan_file` of every file, in this process or (with a ``dask.distributed``
    ``client``) one Dask task per file; rows numbered over all files. With ``keep_rows``, the
    bad rows of every file are typed as one pass over all the files would type them."""
    paths = [str(p) for p in expand_paths(data_location)]
    settings = (schema, environment, column_names, delimiter)
    scans = _map([(path, *settings, False, None) for path in paths], client)
    if keep_rows and any(scan.bad for scan in scans):
        scans = _map([(path, *settings, True, None) for path in paths], client)
        widest = widest_types([scan.types for scan in scans])
        again = [i for i, scan in enumerate(scans) if scan.bad and _narrower(scan.types, widest)]
        redone = _map([(paths[i], *settings, True, widest) for i in again], client)
        for index, scan in zip(again, redone):
            scans[index] = scan
    offset = 0
    for scan in scans:
        scan.bad = [replace(b, row=b.row + offset) for b in scan.bad]
        offset += scan.rows
    return scans


def _map(arguments: list[tuple], client: Any) -> list[FileScan]:
    if client is None:
        return [scan_file(*args) for args in arguments]
    from datajourney.stats.distributed import map_parts

    return map_parts(scan_file, arguments, client)


def _narrower(types: dict[str, pa.DataType], widest: dict[str, pa.DataType]) -> bool:
    return any(widest[name] != kind for name, kind in types.items())


def widest_types(found: list[dict[str, pa.DataType]]) -> dict[str, pa.DataType]:
    """Each column's widest type over the files (int64 < double < string)."""
    order = {pa.int64(): 0, pa.float64(): 1}
    widest: dict[str, pa.DataType] = {}
    for types in found:
        for name, kind in types.items():
            if name not in widest or order.get(kind, 2) > order.get(widest[name], 2):
                widest[name] = kind
    return widest


def find_bad_examples(
    data_location: str | os.PathLike | Sequence[str],
    schema: schema_pb2.Schema,
    environment: str | None = None,
    column_names: Sequence[str] | None = None,
    delimiter: str = ",",
    client: Any = None,
) -> list[BadExample]:
    """Every value of the CSV data that breaks ``schema`` (in ``environment``), row by row, with
    the file and line of its row. With a ``dask.distributed`` ``client``, each file is checked on
    a worker (same answer)."""
    scans = scan_files(data_location, schema, environment, column_names, delimiter, client=client)
    return [bad for scan in scans for bad in scan.bad]
