"""Schema-on-read: lake entries read as tables through DuckDB, straight from the object store.

The schema is found at read time (DuckDB's sniffing of CSV and JSON, Parquet's own schema), or
a TFMD schema is applied at read time: rows that do not fit, and CSV rows with the wrong number
of fields, become anomalies (``datajourney.validation``'s reason types) and a table of bad rows,
never a crash. ``lake('pattern')`` in a SQL text names the newest entries whose lake paths match.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2

from .catalog import Entry
from .errors import LakeReadError
from .formats import HEAD_BYTES, TABLES, delimiter_of

if TYPE_CHECKING:
    import duckdb

LAKE_CALL = re.compile(r"\blake\(\s*'((?:[^']|'')*)'\s*\)", re.IGNORECASE)
BAD_ROWS = pa.schema(
    [
        ("_entry", pa.string()),
        ("_row", pa.int64()),
        ("_feature", pa.string()),
        ("_reason", pa.string()),
        ("_value", pa.string()),
    ]
)
_EXAMPLES = 5


@dataclass
class LakeRead:
    """What a read found: ``table`` (the rows that fit), ``bad_rows`` (``_entry``, ``_row``:
    line in the file for malformed rows, row of the result otherwise, ``_feature``, ``_reason``,
    ``_value``), ``anomalies`` (empty when everything fit) and the ``entries`` read."""

    table: pa.Table
    bad_rows: pa.Table
    anomalies: anomalies_pb2.Anomalies
    entries: list[Entry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every row fit."""
        return self.bad_rows.num_rows == 0 and not self.anomalies.anomaly_info

    def to_arrow(self) -> pa.Table:
        """The rows that fit."""
        return self.table

    def to_pandas(self) -> Any:
        """The rows that fit, as a pandas DataFrame."""
        return self.table.to_pandas()

    def lineage_artifact_ids(self) -> list[int]:
        """The catalog artifacts read (for the lineage of what is made from them)."""
        return [entry.id for entry in self.entries]


def read_entries(
    entries: list[Entry], schema: schema_pb2.Schema | None, allow_new_columns: bool = False
) -> LakeRead:
    """Read ``entries`` as one table (columns united by name), schema-on-read."""
    import duckdb

    from datajourney.validation.rows import check_rows

    con = duckdb.connect()
    try:
        relation = table_sql(entries, all_text=schema is not None)
        try:
            table = con.sql(relation).to_arrow_table()
        except duckdb.Error as error:
            raise LakeReadError(_lake_names(str(error), entries), _where(entries)) from None
        malformed = _rejects(con, entries)
    finally:
        con.close()
    names = _lake_names_column(table.column("filename"), entries)
    table = table.drop_columns(["filename"])
    bad = [malformed]
    anomalies = anomalies_pb2.Anomalies()
    if schema is not None:
        checked = check_rows(table, schema, allow_new_columns=allow_new_columns)
        anomalies = checked.anomalies
        table = checked.rows
        found = checked.bad_rows
        rows = found.column("_row")
        bad.append(
            pa.table(
                {
                    "_entry": names.take(rows) if len(rows) else pa.array([], pa.string()),
                    "_row": rows,
                    "_feature": found.column("_feature"),
                    "_reason": found.column("_reason"),
                    "_value": _values(found),
                },
                schema=BAD_ROWS,
            )
        )
    if malformed.num_rows:
        _malformed_anomaly(anomalies, malformed)
    return LakeRead(table, pa.concat_tables(bad), anomalies, list(entries))


def table_sql(entries: list[Entry], all_text: bool = False) -> str:
    """A SQL relation reading ``entries`` (a ``filename`` column names each row's object).

    CSV rows with the wrong number of fields are set apart in DuckDB's rejects tables (see
    ``_rejects``); ``all_text`` reads CSV values as text, for a schema to type them.
    """
    groups: dict[tuple, list[str]] = defaultdict(list)
    for entry in entries:
        if entry.format not in TABLES:
            said = f" (its name says {entry.name_says})" if entry.name_says else ""
            raise LakeReadError(
                f"{entry.path} holds {entry.format} data{said}, not a table", entry.path
            )
        if entry.size == 0:
            continue
        path = str(entry.object_path)
        if entry.format in ("csv", "tsv"):
            with open(path, "rb") as file:
                head = file.read(HEAD_BYTES)
            header = head.split(b"\n", 1)[0].rstrip(b"\r")
            groups[("csv", delimiter_of(head, entry.format), header)].append(path)
        else:
            groups[(entry.format,)].append(path)
    if not groups:
        raise LakeReadError("no table data to read (every entry is empty)", _where(entries))
    parts = [_read_call(key, paths, all_text) for key, paths in groups.items()]
    return " UNION ALL BY NAME ".join(f"SELECT * FROM {part}" for part in parts)


def _read_call(key: tuple, paths: list[str], all_text: bool) -> str:
    files = "[" + ", ".join(_text(p) for p in paths) + "]"
    if key[0] == "csv":
        options = f"header = true, delim = {_text(key[1])}, filename = true, store_rejects = true"
        if all_text:
            options += ", all_varchar = true"
        return f"read_csv({files}, {options})"
    if key[0] == "parquet":
        return f"read_parquet({files}, union_by_name = true, filename = true)"
    layout = "newline_delimited" if key[0] == "jsonl" else "array"
    return f"read_json({files}, format = '{layout}', union_by_name = true, filename = true)"


def sql_text(query: str, resolve) -> tuple[str, list[Entry]]:
    """``query`` with each ``lake('pattern')`` replaced by a relation over the entries
    ``resolve(pattern)`` returns; the text and every entry named."""
    named: list[Entry] = []

    def relation(match: re.Match) -> str:
        pattern = match.group(1).replace("''", "'")
        entries = resolve(pattern)
        if not entries:
            raise LakeReadError(f"lake('{pattern}') matches no entry", pattern)
        named.extend(entries)
        return f"(SELECT * EXCLUDE (filename) FROM ({table_sql(entries)}))"

    return LAKE_CALL.sub(relation, query), named


def run_sql(con: duckdb.DuckDBPyConnection, text: str, entries: list[Entry]) -> pa.Table:
    """Run a rewritten query; a DuckDB error, or a CSV row with the wrong number of fields,
    raises ``LakeReadError`` naming lake paths, not object files."""
    import duckdb

    try:
        table = con.sql(text).to_arrow_table()
    except duckdb.Error as error:
        message = _lake_names(str(error), entries)
        for cut in (" It was not possible", " The search space", " Possible fixes"):
            message = message.split(cut)[0]
        hint = " (lake.read sets malformed rows apart)" if "CSV" in str(error) else ""
        raise LakeReadError(message + hint, _where(entries)) from None
    malformed = _rejects(con, entries)
    if malformed.num_rows:
        first = malformed.slice(0, 1).to_pylist()[0]
        raise LakeReadError(
            f"{first['_entry']} line {first['_row']}: wrong number of fields "
            f"({first['_value']!r}); {malformed.num_rows} such rows (lake.read sets them apart)",
            first["_entry"],
        )
    return table


def _rejects(con: duckdb.DuckDBPyConnection, entries: list[Entry]) -> pa.Table:
    """The CSV rows DuckDB set apart, as bad rows."""
    try:
        found = con.sql(  # one row per line (DuckDB reports each missing column apart)
            "SELECT s.file_path, e.line, min(e.error_type) AS error_type, "
            "min(e.csv_line) AS csv_line FROM reject_errors e "
            "JOIN reject_scans s USING (scan_id, file_id) "
            "GROUP BY s.file_path, e.line ORDER BY s.file_path, e.line"
        ).to_arrow_table()
    except Exception:  # no CSV was read: there is no rejects table
        return BAD_ROWS.empty_table()
    by_object = {str(entry.object_path): entry.path for entry in entries}
    return pa.table(
        {
            "_entry": [by_object.get(p, p) for p in found.column("file_path").to_pylist()],
            "_row": found.column("line").cast(pa.int64()),
            "_feature": pa.nulls(found.num_rows, pa.string()),
            "_reason": [f"wrong_field_count: {t.lower()}" for t in found.column(2).to_pylist()],
            "_value": found.column("csv_line"),
        },
        schema=BAD_ROWS,
    )


def _malformed_anomaly(anomalies: anomalies_pb2.Anomalies, malformed: pa.Table) -> None:
    from datajourney.validation.rows import add_malformed_rows

    examples = [
        f"{row['_value']!r} ({row['_entry']}:{row['_row']})"
        for row in malformed.slice(0, _EXAMPLES).to_pylist()
    ]
    add_malformed_rows(anomalies, malformed.num_rows, examples)


def _values(found: pa.Table) -> pa.Array:
    features = found.column("_feature").to_pylist()
    return pa.array(
        [
            found.column(f)[i].as_py() if f in found.column_names else None
            for i, f in enumerate(features)
        ],
        pa.string(),
    )


def _lake_names_column(column: pa.ChunkedArray, entries: list[Entry]) -> pa.Array:
    by_object = {str(entry.object_path): entry.path for entry in entries}
    encoded = column.combine_chunks().dictionary_encode()
    names = [by_object.get(p, p) for p in encoded.dictionary.to_pylist()]
    return pa.array(names, pa.string()).take(encoded.indices)


def _lake_names(message: str, entries: list[Entry]) -> str:
    for entry in entries:
        message = message.replace(str(entry.object_path), entry.path)
    return " ".join(message.split())


def _where(entries: list[Entry]) -> str:
    return entries[0].path if len(entries) == 1 else f"{len(entries)} entries"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
