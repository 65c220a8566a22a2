"""The quarantine: a load's bad rows kept in table ``<name>_quarantine``, atomically with the load.

Delta commits one table at a time, so the load's own commit is the one that decides:

1. the bad rows are written as a file in the loaded table's folder
   (``_quarantine_pending/<load>.parquet``; Delta readers and vacuum skip folders whose names
   start with ``_``);
2. the table version is committed, with the load's id in its commit metadata;
3. the rows are appended to the quarantine table (each with the load's id) and the file removed.

A load whose commit does not land removes its file (or, killed, leaves a file no commit names,
removed by a later load once an hour old); a process that dies between 2 and 3 leaves a file
whose load did land, and the next load of the table, or the next read of its quarantine through
the warehouse, appends it (once it is half a minute old, so that a live process appending its
own file is not doubled). So a table version and its quarantine rows are there together or not
at all.

Each quarantined row has the data's columns as text (null for a row the reader could not split)
and ``_row`` (its row in the data), ``_feature`` and ``_reason`` (a TFDV reason type name, or
``wrong_field_count``), ``_source``, ``_line`` and ``_raw`` (for a malformed row: its file or lake
path, line number and raw text), ``_execution`` and ``_load`` (the load that set it apart).
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from . import delta

if TYPE_CHECKING:
    from .warehouse import Warehouse

SUFFIX = "_quarantine"
PENDING = "_quarantine_pending"
MALFORMED_REASON = "wrong_field_count"
#: A staged file no commit names is removed once this old (a younger one may be a load that
#: another process is committing right now).
STALE_SECONDS = 3600
#: A staged file whose load landed is appended by another process once this old (younger, its
#: own process is most likely appending it right now: both would append it).
SETTLE_SECONDS = 30


def quarantine_rows(
    bad_rows: pa.Table, malformed: pa.Table, execution_id: int, load_id: str
) -> pa.Table:
    """The rows to quarantine: rows that do not fit (``bad_rows`` of the row check) and rows
    the reader could not split (``malformed``: ``_source``, ``_line``, ``_raw``)."""
    data_columns = [c for c in bad_rows.column_names if c not in ("_row", "_feature", "_reason")]
    fields = [pa.field("_row", pa.int64())]
    fields += [pa.field(c, pa.string()) for c in data_columns]
    fields += [
        pa.field("_feature", pa.string()),
        pa.field("_reason", pa.string()),
        pa.field("_source", pa.string()),
        pa.field("_line", pa.int64()),
        pa.field("_raw", pa.string()),
    ]
    schema = pa.schema(fields)
    n, m = bad_rows.num_rows, malformed.num_rows
    misfit = {
        "_row": bad_rows.column("_row"),
        **{c: bad_rows.column(c).cast(pa.string()) for c in data_columns},
        "_feature": bad_rows.column("_feature"),
        "_reason": bad_rows.column("_reason"),
        "_source": pa.nulls(n, pa.string()),
        "_line": pa.nulls(n, pa.int64()),
        "_raw": pa.nulls(n, pa.string()),
    }
    unsplit = {
        "_row": pa.nulls(m, pa.int64()),
        **{c: pa.nulls(m, pa.string()) for c in data_columns},
        "_feature": pa.nulls(m, pa.string()),
        "_reason": pa.array([MALFORMED_REASON] * m, pa.string()),
        "_source": malformed.column("_source"),
        "_line": malformed.column("_line"),
        "_raw": malformed.column("_raw"),
    }
    rows = pa.concat_tables([pa.table(misfit, schema=schema), pa.table(unsplit, schema=schema)])
    rows = rows.append_column("_execution", pa.array([execution_id] * rows.num_rows, pa.int64()))
    return rows.append_column("_load", pa.array([load_id] * rows.num_rows, pa.string()))


def stage(location: str, rows: pa.Table, load_id: str) -> str:
    """Write the rows to quarantine as a file in the table's folder (step 1); its path."""
    filesystem, path = delta.filesystem(location)
    folder = f"{path.rstrip('/')}/{PENDING}"
    filesystem.create_dir(folder, recursive=True)
    target = f"{folder}/{load_id}.parquet"
    pq.write_table(rows, target, filesystem=filesystem)
    return target


def unstage(location: str, target: str) -> None:
    """Remove a staged file (its load did not land)."""
    filesystem, _ = delta.filesystem(location)
    with contextlib.suppress(OSError):
        filesystem.delete_file(target)


def publish(warehouse: Warehouse, name: str, target: str) -> int | None:
    """Append a staged file's rows to the quarantine table and remove the file (step 3); the
    quarantine table's new version (None if an earlier call had appended them already)."""
    location = warehouse.location(name)
    filesystem, _ = delta.filesystem(location)
    rows = pq.read_table(target, filesystem=filesystem)
    load_id = target.rsplit("/", 1)[-1].removesuffix(".parquet")
    quarantine = name + SUFFIX
    version = None
    if not _has_load(warehouse.location(quarantine), load_id):
        execution = rows.column("_execution")[0].as_py() if rows.num_rows else None
        meta = {
            **warehouse._meta(execution, rows.num_rows),
            delta.LOAD_KEY: load_id,
        }
        version = warehouse._write(
            quarantine,
            delta.stamped(rows),
            "append",
            meta,
            schema_mode="merge" if _exists(warehouse.location(quarantine)) else None,
        )
    unstage(location, target)
    return version


def recover(warehouse: Warehouse, name: str) -> None:
    """Finish what a process that died in a quarantined load left: append the rows of staged
    files whose load landed; remove stale files whose load did not."""
    location = warehouse.location(name)
    filesystem, path = delta.filesystem(location)
    from pyarrow import fs

    selector = fs.FileSelector(f"{path.rstrip('/')}/{PENDING}", allow_not_found=True)
    staged = [i for i in filesystem.get_file_info(selector) if i.path.endswith(".parquet")]
    if not staged:
        return
    history = delta.open_table(location).history()
    landed = {str(c[delta.LOAD_KEY]) for c in history if delta.LOAD_KEY in c}
    now = time.time()
    for info in staged:
        load_id = info.path.rsplit("/", 1)[-1].removesuffix(".parquet")
        age = now - info.mtime.timestamp() if info.mtime is not None else 0.0
        if load_id in landed and age > SETTLE_SECONDS:
            publish(warehouse, name, info.path)
        elif load_id not in landed and age > STALE_SECONDS:
            unstage(location, info.path)


def _has_load(location: str, load_id: str) -> bool:
    if not _exists(location):
        return False
    return any(c.get(delta.LOAD_KEY) == load_id for c in delta.open_table(location).history())


def _exists(location: str) -> bool:
    from deltalake import DeltaTable

    return DeltaTable.is_deltatable(location)
