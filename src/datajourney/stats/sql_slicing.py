"""Slicing by SQL (TFDV's ``experimental_slice_sqls``), run by DuckDB.

A query sees one example at a time as TFDV's does: ``FROM example.f`` ranges over the values of
feature ``f`` (several such items: every combination), and each ``STRUCT(f, g)`` it selects is
the slice key ``"f_<value>_g_<value>"`` (TFDV 1.16 joins the parts with "_")::

    SELECT STRUCT(Flag) FROM example.Flag
    SELECT STRUCT(area, hour) FROM example.area, example.hour WHERE hour > 12

Elsewhere in the query ``example.f`` is the list of ``f``'s values. Every example of a batch is
queried at once (one DuckDB query per batch, grouped by example row).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.stats.arrays import from_numpy
from datajourney.stats.options import SliceFunction

_QUERY = re.compile(r"^\s*SELECT\s+(?P<select>.+?)\s+FROM\s+(?P<rest>.+?)\s*;?\s*$", re.I | re.S)
_FROM_ITEM = re.compile(r"\bexample\.(\w+)(?:\s+(?:AS\s+)?(?!WHERE\b|GROUP\b)(\w+))?", re.I)
_TABLE = "__examples"


def _as_lists(column: pa.Array) -> pa.Array:
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        return column
    offsets = pa.array(np.arange(len(column) + 1, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, column, mask=column.is_null())


def _translate(query: str) -> str:
    """TFDV's slicing SQL as a DuckDB query over ``__examples`` giving (row, key struct)."""
    match = _QUERY.match(query)
    if match is None:
        raise ValueError(f"Not a slicing query (SELECT STRUCT(...) FROM example.f ...): {query!r}")
    rest = match["rest"]
    where = re.search(r"\b(WHERE|GROUP\s+BY|ORDER\s+BY|LIMIT)\b", rest, re.I)
    from_clause, tail = (rest[: where.start()], rest[where.start() :]) if where else (rest, "")
    items = []
    for index, item in enumerate(part.strip() for part in from_clause.split(",")):
        found = _FROM_ITEM.fullmatch(item)
        if found is None:
            raise ValueError(f"Slicing queries range over example.<feature> only, not {item!r}")
        alias = found[2] or found[1]
        items.append(f'unnest({_TABLE}."__c_{found[1]}") AS _u{index}("{alias}")')
    select = re.sub(r"\bSTRUCT\s*\(", "struct_pack(", match["select"], flags=re.I)
    tail = re.sub(r"\bexample\.(\w+)", rf'{_TABLE}."__c_\1"', tail)
    return f"SELECT {_TABLE}.__row, {select} FROM {_TABLE}, {', '.join(items)} {tail}"


def _key(value: object) -> str:
    if isinstance(value, dict):
        return "_".join(f"{name}_{_key(part)}" for name, part in value.items())
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


_ARROW_TYPES = {
    schema_pb2.INT: pa.int64(),
    schema_pb2.FLOAT: pa.float32(),
    schema_pb2.BYTES: pa.string(),
}


def _run(query: str, translated: str, columns: dict[str, pa.Array]) -> list[tuple]:
    try:
        import duckdb
    except ImportError as error:  # pragma: no cover - duckdb is an optional extra
        raise ImportError(
            "experimental_slice_sqls runs on DuckDB: pip install 'datajourney[lake]'"
        ) from error
    connection = duckdb.connect()
    try:
        connection.register(_TABLE, pa.table(columns))
        return connection.execute(translated).fetchall()
    except duckdb.Error as error:
        raise ValueError(f"Slicing query {query!r} failed: {error}") from None
    finally:
        connection.close()


def check_query(query: str, schema: schema_pb2.Schema) -> None:
    """Raise ValueError if a slicing query does not run on examples of ``schema`` (it names a
    feature the schema lacks, or is not a slicing query)."""
    translated = _translate(query)
    columns = {"__row": pa.array([], pa.int64())}
    for feature in schema.feature:
        value_type = _ARROW_TYPES.get(feature.type, pa.string())
        columns[f"__c_{feature.name}"] = pa.array([], pa.list_(value_type))
    _run(query, translated, columns)


def sql_slicer(query: str) -> SliceFunction:
    """A slice function running one of TFDV's slicing queries."""
    translated = _translate(query)

    def slice_batch(batch: pa.RecordBatch) -> Iterator[tuple[str, pa.RecordBatch]]:
        columns = {"__row": pa.array(np.arange(batch.num_rows))}
        for name, column in zip(batch.schema.names, batch.columns):
            columns[f"__c_{name}"] = _as_lists(column)
        found = _run(query, translated, columns)
        rows: dict[str, set[int]] = {}
        for row, value in found:
            rows.setdefault(_key(value), set()).add(row)
        for key, hit in rows.items():
            yield key, batch.filter(from_numpy(np.isin(np.arange(batch.num_rows), list(hit))))

    return slice_batch
