"""What a load reads and how it is judged: sources as Arrow tables, schema-on-write checks.

A source is a file or glob (CSV, Parquet, JSON lines: ``datajourney.io``), a pandas DataFrame,
an Arrow table, or anything with ``to_arrow()`` (a lake entry, a lake read), whose
``lineage_artifact_ids()`` name the catalog artifacts it came from. Rows the reader could not
split into fields (ragged CSV) count as bad rows with the rows that do not fit the schema, and
are kept with their file, line number and raw text (``malformed_rows``) for the quarantine.

CSV files read for a table with a schema are parsed by pyarrow straight into the schema's
types; a table whose columns already have the schema's types is checked with vectorized Arrow
kernels (null counts, min / max, the distinct values of text columns) and written as it is.
Only data that fails that quick check (or does not parse as the types) goes through the
row-by-row check of ``datajourney.validation.rows``, which finds the bad rows and reasons.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.io import open_source
from datajourney.io.errors import DataReadError
from datajourney.io.problems import WRONG_FIELD_COUNT
from datajourney.io.source import expand_paths, is_pandas_dataframe
from datajourney.schema.features import get_domain
from datajourney.validation.rows import (
    ARROW_TYPES,
    RowCheck,
    add_malformed_rows,
    check_rows,
)

from .delta import LOADED_AT
from .errors import LoadRefusedError, WarehouseError

#: The rows a reader could not split into fields: where they came from, their line, their text.
MALFORMED = pa.schema([("_source", pa.string()), ("_line", pa.int64()), ("_raw", pa.string())])
_EXAMPLES = 5


@dataclass
class SourceData:
    """A load's rows, where they came from (files, catalog artifacts) and the rows the reader
    could not split (``malformed_rows``: ``_source``, ``_line``, ``_raw``)."""

    table: pa.Table
    files: list[str] = field(default_factory=list)
    artifact_ids: list[int] = field(default_factory=list)
    malformed_rows: pa.Table = field(default_factory=MALFORMED.empty_table)

    @property
    def malformed(self) -> int:
        """How many rows the reader could not split into fields."""
        return self.malformed_rows.num_rows

    @property
    def malformed_examples(self) -> list[str]:
        """A few malformed rows as ``'text' (file:line)``."""
        return [
            f"{r['_raw']!r} ({r['_source']}:{r['_line'] if r['_line'] is not None else '?'})"
            for r in self.malformed_rows.slice(0, _EXAMPLES).to_pylist()
        ]


def read_source(source: Any, schema: schema_pb2.Schema | None = None) -> SourceData:
    """The rows of a load source (see the module docstring); CSV files are parsed into the
    types of ``schema`` when it is given. A column name given twice is a WarehouseError."""
    if is_pandas_dataframe(source):  # (pandas allows the same name twice, Arrow not)
        _check_names([str(c) for c in source.columns])
    data = _read(source, schema)
    _check_names(data.table.column_names)
    for column in data.table.schema:
        if pa.types.is_float16(_value_type(column.type)):
            raise WarehouseError(
                f"column {column.name!r} holds float16 values, which neither Arrow's statistics "
                "nor DuckDB read: cast it to float32 or float64"
            )
    return data


def _check_names(names: list[str]) -> None:
    for name, times in Counter(names).items():
        if times > 1:
            raise WarehouseError(f"column {name!r} appears {times} times: give each its own name")


def _value_type(kind: pa.DataType) -> pa.DataType:
    """The type of the values inside lists and dictionaries."""
    while pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_dictionary(kind):
        kind = kind.value_type
    return kind


def check_inferable(table: pa.Table, name: str) -> None:
    """WarehouseError naming the first column no schema can be inferred for: values with no
    text form (intervals, maps)."""
    for column in table.schema:
        kind = _value_type(column.type)
        if not pa.types.is_struct(kind) and not _has_text_form(kind):
            raise WarehouseError(
                f"create {name}: column {column.name!r} holds {kind} values, which no "
                "warehouse type (int, float, text) holds",
                name,
            )


def _has_text_form(kind: pa.DataType) -> bool:
    try:
        pa.array([], kind).cast(pa.string())
    except pa.ArrowNotImplementedError:
        return False
    return True


def _read(source: Any, schema: schema_pb2.Schema | None) -> SourceData:
    if isinstance(source, pa.Table):
        return SourceData(source)
    if isinstance(source, pa.RecordBatch):
        return SourceData(pa.Table.from_batches([source]))
    if is_pandas_dataframe(source):
        return SourceData(pa.Table.from_pandas(source, preserve_index=False))
    if callable(getattr(source, "read", None)) and hasattr(source, "lineage_artifact_ids"):
        source = source.read()  # a lake entry: read with its malformed rows set apart
    if hasattr(source, "to_arrow") and hasattr(source, "lineage_artifact_ids"):
        return SourceData(
            source.to_arrow(),
            artifact_ids=list(source.lineage_artifact_ids()),
            malformed_rows=_lake_malformed(getattr(source, "bad_rows", None)),
        )
    if isinstance(source, (str, os.PathLike)):
        paths = expand_paths(source)
        files = [str(p.absolute()) for p in paths]
        if schema is not None and all(p.suffix.lower() == ".csv" for p in paths):
            read = _read_csv_typed(paths, schema)
            if read is not None:
                return SourceData(read[0], files=files, malformed_rows=read[1])
        reader = open_source(source)
        table = reader.read_all()
        found = [p for p in reader.problems if p.kind == WRONG_FIELD_COUNT]
        malformed = _find_malformed(paths, found) if found else MALFORMED.empty_table()
        return SourceData(table, files=files, malformed_rows=malformed)
    raise WarehouseError(
        f"cannot load a {type(source).__name__}: give a file, a DataFrame, an Arrow table "
        "or a lake entry"
    )


def _lake_malformed(bad: pa.Table | None) -> pa.Table:
    """The malformed rows of a lake read (bad rows without a feature: line and raw text)."""
    if bad is None or not bad.num_rows:
        return MALFORMED.empty_table()
    rows = bad.filter(pc.is_null(bad.column("_feature")))
    return pa.table(
        [rows.column("_entry"), rows.column("_row"), rows.column("_value")], schema=MALFORMED
    )


def _read_csv_typed(
    paths: list[Path], schema: schema_pb2.Schema
) -> tuple[pa.Table, pa.Table] | None:
    """CSV files parsed by pyarrow into the schema's types, with their ragged rows; None when
    a value does not parse as its type (or a file is empty): the caller reads them generally."""
    import pyarrow.csv as pacsv

    types = {f.name: ARROW_TYPES.get(f.type, pa.string()) for f in schema.feature}
    tables, malformed = [], []
    for path in paths:
        ragged: list[str] = []

        def on_bad_row(row: pacsv.InvalidRow, ragged: list[str] = ragged) -> str:
            ragged.append(row.text)
            return "skip"

        try:
            table = pacsv.read_csv(
                path,
                parse_options=pacsv.ParseOptions(invalid_row_handler=on_bad_row),
                convert_options=pacsv.ConvertOptions(
                    column_types=types,
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                    true_values=[],
                    false_values=[],
                ),
            )
        except pa.ArrowInvalid:
            return None
        except OSError as error:
            raise DataReadError(str(error), path) from None
        tables.append(table)
        if ragged:
            malformed.append(_lines_of(path, ragged))
    try:
        table = pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    return table, pa.concat_tables(malformed) if malformed else MALFORMED.empty_table()


def _lines_of(path: Path, texts: list[str]) -> pa.Table:
    """The malformed rows ``texts`` of ``path`` with their line numbers (found by reading the
    file again: only files with such rows pay for it)."""
    pending: dict[str, int] = {}
    for text in texts:
        pending[text] = pending.get(text, 0) + 1
    lines: list[int | None] = []
    found: list[str] = []
    with open(path, encoding="utf-8", errors="replace", newline="") as file:
        for number, line in enumerate(file, 1):
            text = line.rstrip("\r\n")
            if pending.get(text):
                pending[text] -= 1
                lines.append(number)
                found.append(text)
    for text, left in pending.items():  # a row spread over lines (quoted newlines)
        lines += [None] * left
        found += [text] * left
    return pa.table(
        {"_source": [str(path)] * len(found), "_line": lines, "_raw": found}, schema=MALFORMED
    )


def _find_malformed(paths: list[Path], problems: list) -> pa.Table:
    """Every malformed row of CSV files the io reader read (it keeps only examples): read
    again by pyarrow, which hands each such row over with its text."""
    import pyarrow.csv as pacsv

    found = []
    for path in paths:
        ragged: list[str] = []

        def on_bad_row(row: pacsv.InvalidRow, ragged: list[str] = ragged) -> str:
            ragged.append(row.text)
            return "skip"

        delimiter = "\t" if ".tsv" in path.name.lower() else ","
        try:
            reader = pacsv.open_csv(
                path,
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, invalid_row_handler=on_bad_row
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={}, strings_can_be_null=True, null_values=[""]
                ),
                read_options=pacsv.ReadOptions(use_threads=False),
            )
            for _ in reader:
                pass
        except (pa.ArrowInvalid, OSError):
            continue
        if ragged:
            found.append(_lines_of(path, ragged))
    if found:
        return pa.concat_tables(found)
    # not found again: keep the reader's examples (text and place)
    return pa.table(
        {
            "_source": [e.location.rsplit(":", 1)[0] for p in problems for e in p.examples],
            "_line": [_int(e.location.rsplit(":", 1)[-1]) for p in problems for e in p.examples],
            "_raw": [str(e.value) for p in problems for e in p.examples],
        },
        schema=MALFORMED,
    )


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def fits_quickly(table: pa.Table, schema: schema_pb2.Schema) -> bool:
    """Whether every row of ``table`` certainly fits ``schema``, found with vectorized Arrow
    kernels: each column already has its feature's type, required features have no nulls,
    numbers lie in their domains, text has no blank or padded values and lies in its domain.
    False means "not certain" (the row-by-row check decides)."""
    features = [f for f in schema.feature if f.lifecycle_stage != schema_pb2.DEPRECATED]
    known = {f.name for f in schema.feature}
    names = table.column_names
    if any(f.name not in names for f in features) or any(c not in known for c in names):
        return False
    for feature in features:
        column = table.column(feature.name)
        if column.type != ARROW_TYPES.get(feature.type) or not _column_fits(
            column, feature, schema
        ):
            return False
    return True


def _column_fits(column: pa.ChunkedArray, feature: schema_pb2.Feature, schema) -> bool:
    if feature.presence.min_fraction >= 1.0 and column.null_count:
        return False
    if column.null_count == len(column):
        return True
    which = feature.WhichOneof("domain_info")
    if feature.type == schema_pb2.FLOAT and pc.any(pc.is_nan(column)).as_py():
        return False
    if feature.type in (schema_pb2.INT, schema_pb2.FLOAT):
        if which in ("int_domain", "float_domain"):
            bounds = getattr(feature, which)
            low, high = pc.min_max(column).values()
            if bounds.HasField("min") and low.as_py() < bounds.min:
                return False
            return not (bounds.HasField("max") and high.as_py() > bounds.max)
        return which is None
    if feature.type != schema_pb2.BYTES or which not in (None, "domain", "string_domain"):
        return False
    values = pc.unique(column).drop_null()
    if pc.any(pc.match_substring_regex(values, r"^$|^ | $")).as_py():
        return False  # blank or padded text: the row check trims it
    if which is None:
        return True
    allowed = set(get_domain(schema, feature.name).value)
    # distinct values, so more of them than the domain holds cannot all be in it; a set
    # comparison in Python (pyarrow's is_in would import pandas: a second at start-up)
    return len(values) <= len(allowed) and set(values.to_pylist()) <= allowed


def judge(data: SourceData, schema: schema_pb2.Schema, table: str, quarantine: bool) -> RowCheck:
    """Check a load against the table's schema.

    Missing or unknown columns refuse the load whatever the options (the schema must be
    evolved first); bad rows refuse it unless ``quarantine``. Raises ``LoadRefusedError``
    with the anomalies report; returns the check (its ``rows`` are what gets written).
    """
    if LOADED_AT in data.table.column_names:
        raise WarehouseError(f"{LOADED_AT} is the warehouse's own column; drop it from the data")
    if fits_quickly(data.table, schema):
        checked = _all_fit(data.table, schema)
    else:
        checked = check_rows(data.table, schema)
    if data.malformed:
        add_malformed_rows(checked.anomalies, data.malformed, data.malformed_examples)
    bad = checked.bad_rows.num_rows + data.malformed
    if checked.missing_columns or checked.new_columns:
        parts = []
        if checked.missing_columns:
            parts.append("missing columns " + ", ".join(checked.missing_columns))
        if checked.new_columns:
            parts.append("columns not in the schema " + ", ".join(checked.new_columns))
        raise LoadRefusedError(
            f"load into {table} refused: {'; '.join(parts)} (evolve the schema first)",
            table,
            checked.anomalies,
            bad,
        )
    if bad and not quarantine:
        lines = checked.summary() or checked.anomalies.dataset_anomaly_info.description
        raise LoadRefusedError(
            f"load into {table} refused: {bad} of {data.table.num_rows + data.malformed} rows "
            f"do not fit the schema (nothing written; quarantine=True sets them apart)\n{lines}",
            table,
            checked.anomalies,
            bad,
        )
    return checked


def _all_fit(table: pa.Table, schema: schema_pb2.Schema) -> RowCheck:
    """The check of a table every row of which fits (``fits_quickly``)."""
    from tensorflow_metadata.proto.v0 import anomalies_pb2

    features = [f.name for f in schema.feature if f.lifecycle_stage != schema_pb2.DEPRECATED]
    anomalies = anomalies_pb2.Anomalies(anomaly_name_format=anomalies_pb2.Anomalies.SERIALIZED_PATH)
    anomalies.baseline.CopyFrom(schema)
    fields = [pa.field("_row", pa.int64())]
    fields += [pa.field(c, pa.string()) for c in table.column_names]
    fields += [pa.field("_feature", pa.string()), pa.field("_reason", pa.string())]
    return RowCheck(table.select(features), pa.schema(fields).empty_table(), anomalies)
