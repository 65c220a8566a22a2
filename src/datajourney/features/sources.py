"""Where feature rows come from: files (Parquet, CSV, Delta), warehouse tables at a version,
pushes and request data."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .errors import DefinitionError
from .types import Field


class SpecEquality:
    """Definitions are equal when their specs are (kind and every declared value), as Feast's
    objects compare; they hash by kind and name, so a set holds one of each. Read from the
    registry, they carry when they were first applied and last changed (Feast's
    ``created_timestamp`` / ``last_updated_timestamp``: naive UTC; None before ``apply``)."""

    created_timestamp: datetime | None = None
    last_updated_timestamp: datetime | None = None

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_spec() == other.to_spec()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.name))


class PushMode(enum.Enum):
    """Where pushed rows go (Feast's names and numbers)."""

    ONLINE = 0
    OFFLINE = 1
    ONLINE_AND_OFFLINE = 2


class FileFormat:
    """A file source's format as an object (Feast's ``ParquetFormat()``, ``DeltaFormat()``)."""

    name = ""

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(self.name)


class ParquetFormat(FileFormat):
    """Parquet files."""

    name = "parquet"


class DeltaFormat(FileFormat):
    """A Delta table folder."""

    name = "delta"


@dataclass(eq=False)
class FileSource(SpecEquality):
    """Feature rows in a Parquet file or folder, a CSV file or a Delta table folder. Without
    a ``timestamp_field``, ``apply`` takes the file's one timestamp column."""

    path: str = ""
    timestamp_field: str = ""
    created_timestamp_column: str = ""
    field_mapping: dict[str, str] = field(default_factory=dict)
    name: str = ""
    file_format: str | FileFormat | None = None  # parquet, csv or delta; else from the path
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    owner: str = ""
    date_partition_column: str = ""

    def __post_init__(self) -> None:
        if not self.path:
            raise DefinitionError("FileSource needs a path")
        if self.timestamp_field and self.timestamp_field == self.created_timestamp_column:
            raise DefinitionError(
                f"FileSource {self.path!r}: timestamp_field and created_timestamp_column are "
                f"both {self.timestamp_field!r}; the created column must be another column"
            )
        self.name = self.name or self.path
        self.field_mapping = dict(self.field_mapping or {})
        self.tags = dict(self.tags or {})

    @property
    def format(self) -> str:
        """``parquet``, ``csv`` or ``delta``: as declared, else from the path."""
        if self.file_format:
            return str(getattr(self.file_format, "name", self.file_format)).lower()
        path = Path(self.path.removeprefix("file://"))
        if path.suffix.lower() in (".csv", ".tsv"):
            return "csv"
        if (path / "_delta_log").is_dir():
            return "delta"
        return "parquet"

    def to_spec(self) -> dict:
        """The source as JSON-ready data."""
        return {
            "kind": "FileSource",
            "name": self.name,
            "path": self.path,
            "timestamp_field": self.timestamp_field,
            "created_timestamp_column": self.created_timestamp_column,
            "field_mapping": dict(self.field_mapping),
            "file_format": self.file_format and self.format,
            "description": self.description,
            "tags": dict(self.tags),
            "owner": self.owner,
        }


@dataclass(eq=False)
class WarehouseSource(SpecEquality):
    """Feature rows in a warehouse table (``subject.table``, see ``datajourney.warehouse``)
    as one version held it: ``version`` pins it (None reads the latest version, and the
    version read is the one recorded in the lineage). ``warehouse`` is the warehouse's folder
    (relative to the repo; default ``warehouse:`` of ``feature_store.yaml``, else the
    warehouse's own default). Late corrections win ties on event time by the table's load
    time, the default ``created_timestamp_column``."""

    table: str = ""
    timestamp_field: str = ""
    version: int | None = None
    created_timestamp_column: str = "_loaded_at"
    field_mapping: dict[str, str] = field(default_factory=dict)
    warehouse: str | None = None
    name: str = ""
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    owner: str = ""
    location: str = field(default="", compare=False, repr=False)  # set when the store pins it

    def __post_init__(self) -> None:
        if not self.table or self.table.count(".") != 1:
            raise DefinitionError(f"WarehouseSource table {self.table!r}: give subject.table")
        if not self.timestamp_field:
            raise DefinitionError(f"WarehouseSource {self.table!r} needs a timestamp_field")
        if self.version is not None and (not isinstance(self.version, int) or self.version < 0):
            raise DefinitionError(
                f"WarehouseSource {self.table!r}: version must be a table version (0, 1, ...)"
            )
        self.name = self.name or self.table
        self.field_mapping = dict(self.field_mapping or {})
        self.tags = dict(self.tags or {})

    def to_spec(self) -> dict:
        """The source as JSON-ready data (without the pinned location)."""
        return {
            "kind": "WarehouseSource",
            "name": self.name,
            "table": self.table,
            "timestamp_field": self.timestamp_field,
            "version": self.version,
            "created_timestamp_column": self.created_timestamp_column,
            "field_mapping": dict(self.field_mapping),
            "warehouse": self.warehouse,
            "description": self.description,
            "tags": dict(self.tags),
            "owner": self.owner,
        }


BatchSource = FileSource | WarehouseSource


@dataclass(eq=False)
class PushSource(SpecEquality):
    """Rows pushed by applications (``push``), kept offline beside a batch source."""

    name: str
    batch_source: BatchSource | None = None
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    owner: str = ""

    @property
    def timestamp_field(self) -> str:
        """The batch source's timestamp column (pushed rows carry it too)."""
        return self.batch_source.timestamp_field if self.batch_source else "event_timestamp"

    @property
    def created_timestamp_column(self) -> str:
        """The batch source's created column, if any."""
        return self.batch_source.created_timestamp_column if self.batch_source else ""

    @property
    def field_mapping(self) -> dict[str, str]:
        """The batch source's field mapping."""
        return self.batch_source.field_mapping if self.batch_source else {}

    def to_spec(self) -> dict:
        """The source as JSON-ready data."""
        return {
            "kind": "PushSource",
            "name": self.name,
            "batch_source": self.batch_source.to_spec() if self.batch_source else None,
            "description": self.description,
            "tags": dict(self.tags),
            "owner": self.owner,
        }


@dataclass(eq=False)
class RequestSource(SpecEquality):
    """Values that arrive with each request (entity rows' extra columns)."""

    name: str
    schema: list[Field] = field(default_factory=list)
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    owner: str = ""

    def to_spec(self) -> dict:
        """The source as JSON-ready data."""
        return {
            "kind": "RequestSource",
            "name": self.name,
            "schema": [f.to_spec() for f in self.schema],
            "description": self.description,
            "tags": dict(self.tags),
            "owner": self.owner,
        }


DataSource = FileSource | WarehouseSource | PushSource | RequestSource


def source_from_spec(spec: dict | None) -> DataSource | None:
    """A source back from its ``to_spec`` data."""
    if spec is None:
        return None
    kind = spec["kind"]
    rest = {k: v for k, v in spec.items() if k != "kind"}
    if kind == "FileSource":
        return FileSource(**rest)
    if kind == "WarehouseSource":
        return WarehouseSource(**rest)
    if kind == "PushSource":
        rest["batch_source"] = source_from_spec(rest["batch_source"])
        return PushSource(**rest)
    if kind == "RequestSource":
        rest["schema"] = [Field.from_spec(f) for f in rest["schema"]]
        return RequestSource(**rest)
    raise DefinitionError(f"unknown data source kind {kind!r}")
