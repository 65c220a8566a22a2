"""Finding and removing a subject's rows in one data file, by format, keeping every other
byte as it was where the format allows (CSV and JSON lines are filtered record by record, so
the other records stay byte for byte; Parquet is read and written again).

``Match`` decides whether a key value belongs to the subject (its keyed hash is one of the
erased ones); no raw key is needed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa

from .config import Hasher, normalize

TABLE_FORMATS = ("csv", "tsv", "jsonl", "json", "parquet")
_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
}
Match = Callable[[Any], bool]


class UnsupportedFormatError(ValueError):
    """A file whose rows erasure cannot read or rewrite."""


def format_of(name: str, head: bytes = b"") -> str | None:
    """The table format of a file, from its first bytes, else its name; None if not a table."""
    if head.startswith(b"PAR1"):
        return "parquet"
    return _SUFFIXES.get(Path(name).suffix.lower())


def key_values(data: bytes, kind: str, columns: list[str]) -> tuple[int, list[Any]]:
    """(number of rows, the non-missing values of the key columns present) of a file."""
    if kind not in TABLE_FORMATS:
        raise UnsupportedFormatError(f"a {kind} file: erasure does not search inside it")
    if kind == "parquet":
        import pyarrow.parquet as pq

        table_file = pq.ParquetFile(pa.BufferReader(data))
        present = [c for c in columns if c in table_file.schema_arrow.names]
        rows = table_file.metadata.num_rows
        if not present:
            return rows, []
        table = plain(table_file.read(columns=present))
        return rows, [v for c in present for v in table.column(c).unique().to_pylist()]
    if kind in ("csv", "tsv"):
        header, records = _csv_records(data, kind)
        positions = [header.index(c) for c in columns if c in header]
        values = set()
        count = 0
        for _, fields in records:
            count += 1
            for p in positions:
                if p < len(fields):
                    values.add(fields[p])
        return count, list(values)
    records = _json_records(data, kind)
    values, count = set(), 0
    for _, record in records:
        count += 1
        if isinstance(record, dict):
            values.update(_hashable(record.get(c)) for c in columns if record.get(c) is not None)
    return count, list(values)


def _hashable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) else json.dumps(value)


def matcher(hasher: Hasher, hashes: Iterable[str], key_text: str | None = None) -> Match:
    """Whether a key value's keyed hash is one of ``hashes``; given the normalized key itself
    (held in memory only, while the erasure that was asked for it runs), by comparing texts,
    which is faster and means the same."""
    if key_text is not None:
        return lambda value: normalize(value) == key_text
    wanted = frozenset(hashes)
    return lambda value: hasher.of(value) in wanted


def plain(table: pa.Table) -> pa.Table:
    """``table`` with view-typed columns (Utf8View, BinaryView) as their plain types, which
    every compute kernel takes."""
    fields = []
    for f in table.schema:
        if pa.types.is_string_view(f.type):
            f = f.with_type(pa.string())
        elif pa.types.is_binary_view(f.type):
            f = f.with_type(pa.binary())
        fields.append(f)
    target = pa.schema(fields, metadata=table.schema.metadata)
    return table if target == table.schema else table.cast(target)


def filter_table(table: pa.Table, columns: list[str], match: Match) -> tuple[pa.Table, pa.Table]:
    """(rows kept, rows removed): removed are those whose key columns match."""
    import pyarrow.compute as pc

    table = plain(table)
    mask = pa.array([False] * table.num_rows, pa.bool_())
    for column in columns:
        if column not in table.column_names:
            continue
        values = table.column(column)
        hits = [v for v in values.unique().to_pylist() if v is not None and match(v)]
        if hits:
            found = pc.is_in(values, value_set=pa.array(hits, type=values.type))
            mask = pc.or_(mask, pc.fill_null(found, False))
    return table.filter(pc.invert(mask)), table.filter(mask)


def filter_bytes(data: bytes, kind: str, columns: list[str], match: Match) -> tuple[bytes, int]:
    """(the file without the matching rows, how many were removed)."""
    if kind == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(pa.BufferReader(data))
        kept, removed = filter_table(table, columns, match)
        if removed.num_rows == 0:
            return data, 0
        sink = pa.BufferOutputStream()
        pq.write_table(kept, sink, compression=_compression(data))
        return sink.getvalue().to_pybytes(), removed.num_rows
    if kind in ("csv", "tsv"):
        header, _ = _csv_records(data, kind)
        positions = [header.index(c) for c in columns if c in header]
        out, removed = [], 0
        first = True
        for raw, fields in _with_header(data, kind):
            if first:
                out.append(raw)
                first = False
                continue
            if any(p < len(fields) and match(fields[p]) for p in positions):
                removed += 1
            else:
                out.append(raw)
        return "".join(out).encode("utf-8", "surrogateescape"), removed
    if kind == "json":
        document = json.loads(data)
        if not isinstance(document, list):
            raise UnsupportedFormatError("a JSON file that is not a list of records")
        kept = [r for r in document if not _record_matches(r, columns, match)]
        removed = len(document) - len(kept)
        return (json.dumps(kept).encode() if removed else data), removed
    if kind == "jsonl":
        out, removed = [], 0
        for raw, record in _json_records(data, kind, keep_blank=True):
            if record is not None and _record_matches(record, columns, match):
                removed += 1
            else:
                out.append(raw)
        return "".join(out).encode("utf-8", "surrogateescape"), removed
    raise UnsupportedFormatError(f"erasure cannot rewrite {kind!r} files")


def _record_matches(record: Any, columns: list[str], match: Match) -> bool:
    return isinstance(record, dict) and any(
        record.get(c) is not None and match(_hashable(record.get(c))) for c in columns
    )


def _compression(data: bytes) -> str:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(pa.BufferReader(data)).metadata
    if meta.num_row_groups and meta.num_columns:
        name = meta.row_group(0).column(0).compression.lower()
        if name in ("snappy", "gzip", "brotli", "zstd", "lz4", "none", "uncompressed"):
            return "none" if name == "uncompressed" else name
    return "snappy"


def _physical_records(text: str) -> Iterable[str]:
    """CSV records as their exact text: lines joined while a quoted field is open (an odd
    number of quote characters so far), so a field holding a line break stays one record."""
    pending = ""
    for line in io.StringIO(text, newline=""):
        pending += line
        if pending.count('"') % 2 == 0:
            yield pending
            pending = ""
    if pending:
        yield pending


def _parse(record: str, kind: str) -> list[str]:
    rows = list(csv.reader([record.rstrip("\r\n")], delimiter="\t" if kind == "tsv" else ","))
    return rows[0] if rows else []


def _with_header(data: bytes, kind: str) -> Iterable[tuple[str, list[str]]]:
    text = data.decode("utf-8", "surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    for record in _physical_records(text):
        yield record, _parse(record, kind)


def _csv_records(data: bytes, kind: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    records = list(_with_header(data, kind))
    if not records:
        return [], []
    header = [h.strip() for h in records[0][1]]
    return header, [r for r in records[1:] if r[0].strip()]


def _json_records(data: bytes, kind: str, keep_blank: bool = False) -> list[tuple[str, Any]]:
    text = data.decode("utf-8", "surrogateescape")
    if kind == "json":
        document = json.loads(text)
        items = document if isinstance(document, list) else [document]
        return [("", item) for item in items]
    out = []
    for line in io.StringIO(text, newline=""):
        if not line.strip():
            if keep_blank:
                out.append((line, None))
            continue
        try:
            out.append((line, json.loads(line)))
        except json.JSONDecodeError:
            out.append((line, None))
    return out
