"""The data warehouse: subject-oriented Delta tables (``deltalake``, no JVM), schema-on-write
against a TFMD schema, timestamped and non-volatile (every change a new version), time travel
and SQL through DuckDB, every load an execution in the lineage. See docs/storage.md.

For other layers (the feature store): ``read_table(location, version=..., timestamp=...)``
reads a Delta table at a version or time; ``Warehouse().location(name)`` says where a table is.
"""

from __future__ import annotations

from .delta import LOADED_AT, Version, read_table
from .errors import (
    ConflictError,
    LoadRefusedError,
    TableExistsError,
    TableNotFoundError,
    VersionNotFoundError,
    WarehouseError,
)
from .warehouse import Load, Table, TableVersion, Warehouse

__all__ = [
    "LOADED_AT",
    "ConflictError",
    "Load",
    "LoadRefusedError",
    "Table",
    "TableExistsError",
    "TableNotFoundError",
    "TableVersion",
    "Version",
    "VersionNotFoundError",
    "Warehouse",
    "WarehouseError",
    "read_table",
]
