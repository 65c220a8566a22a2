"""Point-in-time correct joins on DuckDB: the entity rows, and for each feature view the
latest feature row at or before each row's timestamp, within the view's ttl.

The semantics are Feast's canonical ones (those of its SQL offline stores): one output row per
entity row, in order, duplicates kept, other columns passed through; a view's candidates share
the join keys and have ``entity_ts - ttl <= feature_ts <= entity_ts`` (both ends inclusive, a
ttl of 0 unlimited); the latest feature_ts wins, ties going to the latest created timestamp;
with ``filter_by_created_timestamp`` a candidate also needs ``created <= entity_ts``; no
candidate gives nulls.

The usual case is one ASOF join per view, ordered by (event time, created time) packed into one
128-bit key, so ties need no sort of their own (or by event time alone where the source has no
two rows with the same keys and event time); the created-time filter takes a windowed range
join instead. DuckDB spills to disk what does not fit in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .definitions import FeatureView
from .errors import RetrievalError
from .offline import quote, view_rows
from .values import output_column, text_timestamps

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

ROW = "__dj_row"
ENTITY_TS = "__dj_ets"
SHIFT = "18446744073709551616"  # 2**64: event time in the high half, created time low
LOW = "9223372036854775808"  # 2**63: moves signed created times to unsigned
_TOP = "18446744073709551615"  # the entity side takes every created time of its instant


@dataclass
class ViewRequest:
    """The features wanted from one view: (feature name, output column) pairs."""

    view: FeatureView
    outputs: list[tuple[str, str]]
    ties: bool = True  # False: no two rows share join keys and event time (no tie to break)


def connect(memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection in UTC, spilling what does not fit in memory (``memory_limit``,
    default 80% of RAM) to the system's temporary folder rather than the working folder."""
    import tempfile

    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    spill = Path(tempfile.gettempdir()) / "datajourney-duckdb"
    con.execute(f"SET temp_directory = '{str(spill).replace(chr(39), chr(39) * 2)}'")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    return con


def timestamp_column(table: pa.Table) -> str:
    """The entity rows' timestamp column: ``event_timestamp``, else their only timestamp."""
    import pyarrow as pa

    if "event_timestamp" in table.column_names:
        return "event_timestamp"
    found = [f.name for f in table.schema if pa.types.is_timestamp(f.type)]
    if len(found) != 1:
        raise RetrievalError(
            "entity_df has no 'event_timestamp' column"
            + (f" and several timestamp columns ({', '.join(found)})" if found else "")
        )
    return found[0]


def epoch_micros(column: pa.ChunkedArray, name: str) -> pa.ChunkedArray:
    """Microseconds since the epoch (UTC; a naive timestamp is read as UTC)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        column = text_timestamps(column, "entity rows", name)
        kind = column.type
    if pa.types.is_date(kind):
        column = pc.cast(column, pa.timestamp("us"))
        kind = column.type
    if not pa.types.is_timestamp(kind):
        raise RetrievalError(f"entity_df column {name!r} is {kind}, not a timestamp")
    if column.null_count:
        raise RetrievalError(f"entity_df column {name!r} has {column.null_count} empty timestamps")
    raw = pc.cast(column, pa.int64())
    per_micro = {"s": None, "ms": None, "us": 1, "ns": 1000}[kind.unit]
    if per_micro is None:
        return pc.multiply(raw, 1_000_000 if kind.unit == "s" else 1000)
    if per_micro == 1:
        return raw
    import numpy as np

    return pa.chunked_array([pa.array(np.floor_divide(raw.to_numpy(), per_micro))])


def point_in_time_join(
    con: duckdb.DuckDBPyConnection,
    entity: pa.Table,
    requests: list[ViewRequest],
    root: Path | None,
    pushed: Path | None = None,
    filter_by_created_timestamp: bool = False,
) -> pa.Table:
    """The entity table with each request's features appended, point-in-time correct."""
    import numpy as np
    import pyarrow as pa

    ts_name = timestamp_column(entity)
    for request in requests:
        missing = [k for k in request.view.join_keys if k not in entity.column_names]
        if missing:
            raise RetrievalError(
                f"entity_df lacks join key {missing[0]!r} of feature view {request.view.name!r}"
            )
    keys = sorted({k for r in requests for k in r.view.join_keys})
    rows = pa.table(
        {
            ROW: pa.array(np.arange(entity.num_rows, dtype=np.int64)),
            ENTITY_TS: epoch_micros(entity[ts_name], ts_name),
            **{k: entity[k] for k in keys},
        }
    )
    con.register("__dj_entity", rows)
    try:
        sql = _join_sql(con, requests, root, pushed, filter_by_created_timestamp)
        try:
            features = con.sql(sql).to_arrow_table()
        except Exception as error:  # duckdb's conversion and IO errors
            raise RetrievalError(f"point-in-time join failed: {error}") from error
    finally:
        con.unregister("__dj_entity")
    declared = {
        out: field
        for r in requests
        for name, out in r.outputs
        for field in r.view.features
        if field.name == name and field.dtype.is_json
    }
    result = entity
    for name in features.column_names[1:]:
        column = features[name]
        if name in declared:
            column = output_column(column.to_pylist(), declared[name], "retrieval")
        result = result.append_column(name, column)
    return result


def has_ties(con: duckdb.DuckDBPyConnection, view: FeatureView, rows_sql: str) -> bool:
    """Whether two of the view's rows share join keys and event time."""
    keys = ", ".join(quote(k) for k in view.join_keys)
    found = con.sql(
        f"SELECT EXISTS (SELECT 1 FROM ({rows_sql}) GROUP BY {keys}, __ts HAVING count(*) > 1)"
    ).fetchall()
    return bool(found[0][0])


def _join_sql(
    con: duckdb.DuckDBPyConnection,
    requests: list[ViewRequest],
    root: Path | None,
    pushed: Path | None,
    filter_by_created_timestamp: bool,
) -> str:
    """One query: the entity rows ASOF-joined to each view in turn (views filtered by created
    time are windowed joins of their own, joined back by row number), in entity row order."""
    ctes, joins, selects = [], [], [f"e.{ROW}"]
    for number, request in enumerate(requests):
        view = request.view
        alias = f"f{number}"
        source = view_rows(con, view, root, pushed)
        ttl_us = int(view.ttl_seconds * 1_000_000)
        on = " AND ".join(f"e.{quote(k)} = {alias}.{quote(k)}" for k in view.join_keys)
        in_ttl = f"{alias}.__ts >= e.{ENTITY_TS} - {ttl_us}" if ttl_us else "TRUE"
        created = view.source.created_timestamp_column
        if filter_by_created_timestamp and created:
            wanted = ", ".join(f"{alias}.{quote(f)} AS {quote(out)}" for f, out in request.outputs)
            ctes.append(
                f"r{number} AS (SELECT e.{ROW}, {wanted} FROM __dj_entity e JOIN ({source}) "
                f"{alias} ON {on} AND {alias}.__ts <= e.{ENTITY_TS} AND {in_ttl} AND "
                f"{alias}.__created <= e.{ENTITY_TS} QUALIFY row_number() OVER (PARTITION BY "
                f"e.{ROW} ORDER BY {alias}.__ts DESC, {alias}.__created DESC NULLS LAST) = 1)"
            )
            joins.append(f"LEFT JOIN r{number} ON r{number}.{ROW} = e.{ROW}")
            selects += [f"r{number}.{quote(out)}" for _, out in request.outputs]
            continue
        if created and request.ties:  # order by (event time, created time) packed in one key
            order = f"(__ts::HUGEINT * {SHIFT}) + (coalesce(__created, -{LOW})::HUGEINT + {LOW})"
            joins.append(
                f"ASOF LEFT JOIN (SELECT *, {order} AS __o FROM ({source})) {alias} "
                f"ON {on} AND e.__o >= {alias}.__o"
            )
        else:
            joins.append(
                f"ASOF LEFT JOIN ({source}) {alias} ON {on} AND e.{ENTITY_TS} >= {alias}.__ts"
            )
        selects += [
            f"CASE WHEN {in_ttl} THEN {alias}.{quote(f)} END AS {quote(out)}"
            for f, out in request.outputs
        ]
    entity = f"(SELECT *, ({ENTITY_TS}::HUGEINT * {SHIFT}) + {_TOP} AS __o FROM __dj_entity) e"
    with_clause = f"WITH {', '.join(ctes)} " if ctes else ""
    return (
        f"{with_clause}SELECT {', '.join(selects)} FROM {entity} {' '.join(joins)} ORDER BY e.{ROW}"
    )
