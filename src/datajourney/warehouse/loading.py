"""What a load reads and how it is judged: sources as Arrow tables, schema-on-write checks.

A source is a file or glob (CSV, Parquet, JSON lines: ``datajourney.io``), a pandas DataFrame,
an Arrow table, or anything with ``to_arrow()`` (a lake entry, a lake read), whose
``lineage_artifact_ids()`` name the catalog artifacts it came from. Rows the reader could not
split into fields (ragged CSV) count as bad rows with the rows that do not fit the schema.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.io import open_source
from datajourney.io.problems import WRONG_FIELD_COUNT
from datajourney.io.source import expand_paths, is_pandas_dataframe
from datajourney.validation.rows import RowCheck, add_malformed_rows, check_rows

from .delta import LOADED_AT
from .errors import LoadRefusedError, WarehouseError


@dataclass
class SourceData:
    """A load's rows, where they came from (files, catalog artifacts) and the rows the reader
    could not split (count and examples)."""

    table: pa.Table
    files: list[str] = field(default_factory=list)
    artifact_ids: list[int] = field(default_factory=list)
    malformed: int = 0
    malformed_examples: list[str] = field(default_factory=list)


def read_source(source: Any) -> SourceData:
    """The rows of a load source (see the module docstring)."""
    if isinstance(source, pa.Table):
        return SourceData(source)
    if isinstance(source, pa.RecordBatch):
        return SourceData(pa.Table.from_batches([source]))
    if is_pandas_dataframe(source):
        return SourceData(pa.Table.from_pandas(source, preserve_index=False))
    if callable(getattr(source, "read", None)) and hasattr(source, "lineage_artifact_ids"):
        source = source.read()  # a lake entry: read with its malformed rows set apart
    if hasattr(source, "to_arrow") and hasattr(source, "lineage_artifact_ids"):
        bad = getattr(source, "bad_rows", None)
        malformed = bad.num_rows if bad is not None else 0
        examples = [repr(r.get("_value")) for r in bad.slice(0, 5).to_pylist()] if malformed else []
        return SourceData(
            source.to_arrow(),
            artifact_ids=list(source.lineage_artifact_ids()),
            malformed=malformed,
            malformed_examples=examples,
        )
    if isinstance(source, (str, os.PathLike)):
        files = [str(p.absolute()) for p in expand_paths(source)]
        reader = open_source(source)
        table = reader.read_all()
        found = [p for p in reader.problems if p.kind == WRONG_FIELD_COUNT]
        return SourceData(
            table,
            files=files,
            malformed=sum(p.count for p in found),
            malformed_examples=[f"{e.value!r} ({e.location})" for p in found for e in p.examples],
        )
    raise WarehouseError(
        f"cannot load a {type(source).__name__}: give a file, a DataFrame, an Arrow table "
        "or a lake entry"
    )


def judge(data: SourceData, schema: schema_pb2.Schema, table: str, quarantine: bool) -> RowCheck:
    """Check a load against the table's schema.

    Missing or unknown columns refuse the load whatever the options (the schema must be
    evolved first); bad rows refuse it unless ``quarantine``. Raises ``LoadRefusedError``
    with the anomalies report; returns the check (its ``rows`` are what gets written).
    """
    if LOADED_AT in data.table.column_names:
        raise WarehouseError(f"{LOADED_AT} is the warehouse's own column; drop it from the data")
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
