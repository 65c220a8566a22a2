"""SQL over warehouse tables through DuckDB, at their current or any past version.

``subject.table`` names a table now; ``wh('subject.table', 3)`` names version 3 and
``wh('subject.table', '2026-01-31T12:00:00')`` the table as it was then. Each reads the Delta
files of that version lazily: DuckDB's own Parquet reader over the version's file list (only the
columns and row groups a query needs), or, for partitioned tables (whose partition values live
in the log and the paths, not the files), a lazy Arrow dataset of the version.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

import pyarrow as pa

from . import delta
from .errors import WarehouseError

if TYPE_CHECKING:
    from .warehouse import Warehouse

WH_CALL = re.compile(r"\bwh\(\s*'([^']*)'\s*(?:,\s*(?:(\d+)|'([^']*)')\s*)?\)", re.IGNORECASE)


def run_sql(warehouse: Warehouse, query: str) -> pa.Table:
    """Run ``query`` (see the module docstring)."""
    import duckdb

    con = duckdb.connect()
    try:
        views: dict[str, object] = {}

        def source(dt) -> str:
            """SQL naming the rows of a ``DeltaTable`` version (a subquery or a view)."""
            text = parquet_sql(dt)
            if text is not None:
                return text
            view = f"__wh_{len(views)}"
            views[view] = dt.to_pyarrow_dataset()
            con.register(view, views[view])
            return view

        def relation(match: re.Match) -> str:
            name, version, moment = match.group(1), match.group(2), match.group(3)
            warehouse._check("warehouse.read", name)
            location = warehouse.location(name)
            if moment is not None:
                dt = delta.at_time(location, _moment(moment))
            else:
                dt = delta.open_table(location, None if version is None else int(version))
            return source(dt)

        text = WH_CALL.sub(relation, query)
        for name in warehouse.tables():
            subject, table = name.split(".")
            if re.search(rf"\b{subject}\s*\.\s*{table}\b", text):
                warehouse._check("warehouse.read", name)
                con.execute(f'CREATE SCHEMA IF NOT EXISTS "{subject}"')
                rows = source(delta.open_table(warehouse.location(name)))
                con.execute(f'CREATE VIEW "{subject}"."{table}" AS SELECT * FROM {rows}')
        try:
            return con.sql(text).to_arrow_table()
        except duckdb.Error as error:
            raise WarehouseError(" ".join(str(error).split()), "sql") from None
    finally:
        con.close()


def _moment(text: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise WarehouseError(f"wh(..., {text!r}): give a version number or an ISO time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def parquet_sql(dt) -> str | None:
    """A DuckDB subquery reading a ``DeltaTable`` version's Parquet files, its columns in the
    table's order; None where the files alone do not give the rows (partition columns, reader
    features such as deletion vectors, no files, files not on a local disk, a column that the
    first file lacks)."""
    if dt.metadata().partition_columns or dt.protocol().reader_features:
        return None
    files = dt.file_uris()
    if not files or any("://" in f for f in files):
        return None
    import pyarrow.parquet as pq

    names = [f.name for f in dt.schema().fields]
    if not set(names) <= set(pq.read_schema(files[0]).names):
        return None
    columns = ", ".join(_q(n) for n in names)
    listed = ", ".join(_text(f) for f in files)
    return f"(SELECT {columns} FROM read_parquet([{listed}], union_by_name = true))"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
