"""Materialization and online writes: the latest row per entity of a view (by event time, then
created time) into the online store, from the offline source or from pushed rows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .definitions import FeatureView
from .offline import literal, quote, view_rows
from .online import OnlineStore, entity_key
from .retrieval import LOW, SHIFT, epoch_micros
from .values import encode_rows

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa


def latest_in_window(
    con: duckdb.DuckDBPyConnection,
    view: FeatureView,
    start_us: int,
    end_us: int,
    root: Path | None,
    pushed: Path | None,
) -> pa.Table:
    """Per entity, the latest row with ``start <= event time <= end`` (join keys, features,
    ``__ts``, ``__created``)."""
    rows = (
        f"SELECT * FROM ({view_rows(con, view, root, pushed)}) "
        f"WHERE __ts >= {start_us} AND __ts <= {end_us}"
    )
    return con.sql(latest_sql(rows, view)).to_arrow_table()


def latest_sql(rows: str, view: FeatureView) -> str:
    """SQL of the latest of ``rows`` per entity: one hash aggregate taking the arg-max of
    (event time, created time) packed in one key, a missing created time lowest."""
    keys = ", ".join(quote(k) for k in view.join_keys)
    names = [f.name for f in view.features] + ["__ts", "__created"]
    packed = ", ".join(f"{literal(n)}: {quote(n)}" for n in names)
    order = f"(__ts::HUGEINT * {SHIFT}) + (coalesce(__created, -{LOW})::HUGEINT + {LOW})"
    return f"SELECT {keys}, unnest(arg_max({{{packed}}}, {order})) FROM ({rows}) GROUP BY {keys}"


def write_latest(online: OnlineStore, project: str, view: FeatureView, table: pa.Table) -> int:
    """Write a table holding the view's join keys, features, ``__ts`` and ``__created``."""
    if table.num_rows == 0:
        return 0
    columns = {f.name: table[f.name].to_pylist() for f in view.features}
    values = encode_rows(columns, view.features, f"feature view {view.name!r}")
    key_lists = [table[k].to_pylist() for k in view.join_keys]
    keys = [entity_key(parts) for parts in zip(*key_lists)]
    events = table["__ts"].to_pylist()
    created = table["__created"].to_pylist()
    return online.write(project, view.name, zip(keys, events, created, values))


def latest_of_frame(
    con: duckdb.DuckDBPyConnection,
    view: FeatureView,
    table: pa.Table,
    timestamp: str,
    created: str | None,
) -> pa.Table:
    """The latest row per entity of rows given in memory (push, write_to_online_store)."""
    import pyarrow as pa

    shaped = {k: table[k] for k in view.join_keys}
    shaped.update({f.name: table[f.name] for f in view.features})
    shaped["__ts"] = epoch_micros(table[timestamp], timestamp)
    shaped["__created"] = (
        epoch_micros(table[created], created)
        if created and created in table.column_names
        else pa.nulls(table.num_rows, pa.int64())
    )
    con.register("__dj_frame", pa.table(shaped))
    try:
        return con.sql(latest_sql("SELECT * FROM __dj_frame", view)).to_arrow_table()
    finally:
        con.unregister("__dj_frame")
