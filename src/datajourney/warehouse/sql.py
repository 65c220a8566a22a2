"""SQL over warehouse tables through DuckDB, at their current or any past version.

``subject.table`` names a table now; ``wh('subject.table', 3)`` names version 3 and
``wh('subject.table', '2026-01-31T12:00:00')`` the table as it was then. Each is a lazy Arrow
dataset of the Delta files of that version: DuckDB reads only the columns and, through the
files' statistics and partitions, only the files a query needs.
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

        def relation(match: re.Match) -> str:
            name, version, moment = match.group(1), match.group(2), match.group(3)
            table = warehouse.table(name)
            if moment is not None:
                when = _moment(moment)
                dt = delta.at_time(table.location, when)
            else:
                dt = delta.open_table(table.location, None if version is None else int(version))
            view = f"__wh_{len(views)}"
            views[view] = dt.to_pyarrow_dataset()
            return view

        text = WH_CALL.sub(relation, query)
        for view, dataset in views.items():
            con.register(view, dataset)
        for name in warehouse.tables():
            subject, table = name.split(".")
            if re.search(rf"\b{subject}\s*\.\s*{table}\b", text):
                warehouse._check("warehouse.read", name)
                con.execute(f'CREATE SCHEMA IF NOT EXISTS "{subject}"')
                view = f"__wh_{len(views)}"
                views[view] = delta.open_table(warehouse.location(name)).to_pyarrow_dataset()
                con.register(view, views[view])
                con.execute(f'CREATE VIEW "{subject}"."{table}" AS SELECT * FROM {view}')
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
