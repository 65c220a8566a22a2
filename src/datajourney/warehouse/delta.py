"""Delta tables as the warehouse keeps them: one folder with a commit log, read at any version.

Every commit the warehouse makes carries custom metadata (``datajourney.*`` keys in the commit
info): who made it, the execution that recorded it, how many rows it added, and, on the
commits that set it (create, evolve), the table's TFMD schema as text. So a table folder is
complete on its own: ``deltalake``, Spark, Trino or DuckDB read its rows, and the warehouse reads
its schema and history from the same log.

``read_table(location, version=..., timestamp=...)`` is the small public way for other layers
(the feature store) to read a table at a version or time.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.validation.rows import ARROW_TYPES

from .errors import TableNotFoundError, VersionNotFoundError

LOADED_AT = "_loaded_at"
LOADED_AT_TYPE = pa.timestamp("us", tz="UTC")
SCHEMA_KEY = "datajourney.schema"
USER_KEY = "datajourney.user"
EXECUTION_KEY = "datajourney.execution"
ROWS_KEY = "datajourney.rows"
QUARANTINED_KEY = "datajourney.quarantined"
LOAD_KEY = "datajourney.load"


@dataclass(frozen=True)
class Version:
    """One table version: its number, commit time, operation, who, the rows it added and
    quarantined, and the metadata store execution that recorded it (None if none did)."""

    version: int
    timestamp: datetime.datetime
    operation: str
    user: str
    rows_added: int
    quarantined: int
    execution_id: int | None
    schema_changed: bool

    def to_dict(self) -> dict[str, Any]:
        """The version as JSON-ready values."""
        return {**self.__dict__, "timestamp": self.timestamp.isoformat()}


def arrow_schema(schema: schema_pb2.Schema) -> pa.Schema:
    """The Arrow schema of a table holding ``schema``'s features, plus the load time."""
    fields = [
        pa.field(f.name, ARROW_TYPES.get(f.type, pa.string()))
        for f in schema.feature
        if f.lifecycle_stage != schema_pb2.DEPRECATED
    ]
    return pa.schema([*fields, pa.field(LOADED_AT, LOADED_AT_TYPE, nullable=False)])


def filesystem(location: str) -> tuple[Any, str]:
    """The pyarrow filesystem holding ``location`` and its path there (local folders too)."""
    from pyarrow import fs

    if "://" not in location:
        return fs.LocalFileSystem(), os.path.abspath(location)
    return fs.FileSystem.from_uri(location)


def open_table(location: str, version: int | None = None) -> Any:
    """The ``DeltaTable`` at ``location`` (at ``version``); clear errors when missing."""
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError as DeltaMissing

    if not DeltaTable.is_deltatable(location):
        raise TableNotFoundError(f"no warehouse table at {location}", location)
    try:
        if version is None or version < 0:
            table = DeltaTable(location)
            if version is not None:
                raise VersionNotFoundError(
                    f"{location} has versions 0 to {table.version()}, not {version}", location
                )
        else:
            try:  # the version's log only (checkpoint, then commits): no replay past it
                table = DeltaTable(location, version=version)
            except Exception as error:
                latest = DeltaTable(location).version()
                if version > latest:
                    raise VersionNotFoundError(
                        f"{location} has versions 0 to {latest}, not {version}", location
                    ) from None
                raise error
    except DeltaMissing as error:
        raise TableNotFoundError(f"no warehouse table at {location}: {error}", location) from None
    except OSError as error:  # a file of that version is gone (retention removed it)
        raise VersionNotFoundError(f"{location} version {version}: {error}", location) from None
    return table


def at_time(location: str, timestamp: datetime.datetime) -> Any:
    """The ``DeltaTable`` as it was at ``timestamp`` (the last version committed by then)."""
    table = open_table(location)
    if timestamp.tzinfo is None:
        timestamp = timestamp.astimezone()
    first = min(v.timestamp for v in history(table))
    if timestamp < first:
        raise VersionNotFoundError(
            f"{location} did not exist yet at {timestamp.isoformat()} "
            f"(created {first.isoformat()})",
            location,
        )
    table.load_as_version(timestamp)
    return table


def read_table(
    location: str,
    version: int | None = None,
    timestamp: datetime.datetime | None = None,
    columns: list[str] | None = None,
) -> pa.Table:
    """The rows of the Delta table at ``location`` now, at ``version`` or at ``timestamp``."""
    if version is not None and timestamp is not None:
        raise ValueError("give a version or a timestamp, not both")
    table = at_time(location, timestamp) if timestamp is not None else open_table(location, version)
    try:
        return table.to_pyarrow_table(columns=columns)
    except FileNotFoundError as error:
        raise VersionNotFoundError(
            f"{location} version {table.version()}: its files were removed by retention "
            f"({' '.join(str(error).split())})",
            location,
        ) from None


def history(table: Any) -> list[Version]:
    """Every version of a ``DeltaTable``, oldest first."""
    versions = []
    for commit in sorted(table.history(), key=lambda c: c["version"]):
        metrics = commit.get("operationMetrics", {})
        rows = commit.get(ROWS_KEY)
        if rows is None:
            rows = metrics.get("num_added_rows", 0) or 0
        execution = commit.get(EXECUTION_KEY)
        versions.append(
            Version(
                version=commit["version"],
                timestamp=datetime.datetime.fromtimestamp(commit["timestamp"] / 1000, datetime.UTC),
                operation=commit.get("operation", ""),
                user=str(commit.get(USER_KEY, "")),
                rows_added=int(rows),
                quarantined=int(commit.get(QUARANTINED_KEY, 0)),
                execution_id=int(execution) if execution not in (None, "") else None,
                schema_changed=SCHEMA_KEY in commit,
            )
        )
    return versions


def schema_at(table: Any) -> schema_pb2.Schema:
    """The TFMD schema of a ``DeltaTable`` at its loaded version (from its commit log)."""
    version = table.version()
    for commit in sorted(table.history(), key=lambda c: -c["version"]):
        if commit["version"] <= version and SCHEMA_KEY in commit:
            return text_format.Parse(commit[SCHEMA_KEY], schema_pb2.Schema())
    raise TableNotFoundError(
        f"{table.table_uri} has no datajourney schema in its log (not a warehouse table)",
        table.table_uri,
    )


def schema_text(schema: schema_pb2.Schema) -> str:
    """A schema as the text kept in commit metadata."""
    return text_format.MessageToString(schema)


def stamped(rows: pa.Table) -> pa.Table:
    """``rows`` with the load time column (now, the same for every row)."""
    import numpy as np

    micros = int(datetime.datetime.now(datetime.UTC).timestamp() * 1_000_000)
    stamp = pa.array(np.full(rows.num_rows, micros, dtype=np.int64)).cast(LOADED_AT_TYPE)
    field = pa.field(LOADED_AT, LOADED_AT_TYPE, nullable=False)
    return rows.append_column(field, stamp)
