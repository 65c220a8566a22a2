"""A feature view's rows as DuckDB SQL over its source (Parquet, CSV or Delta files, a
warehouse table at a version, plus the rows pushed offline), with the declared names and
types, checked against the source's columns.

Every source becomes the same shape: the join keys, the features, ``__ts`` and ``__created``
(microseconds since the epoch, UTC; naive timestamps are UTC).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .definitions import FeatureView
from .errors import DefinitionError, FeatureStoreError
from .sources import BatchSource, FileSource, PushSource, WarehouseSource
from .types import PRIMITIVES, Array, FeatureType, Field, UnixTimestamp

if TYPE_CHECKING:
    import duckdb

_NUMERIC = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "BOOLEAN",
)


def quote(name: str) -> str:
    """A SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def resolve_path(path: str, root: Path | None) -> str:
    """A source path: as given when absolute or a URL, else under the repo root; a
    ``file://`` URL is its path."""
    path = path.removeprefix("file://")
    if "://" in path or Path(path).is_absolute() or root is None:
        return path
    return str(root / path)


def warehouse_scan(con: duckdb.DuckDBPyConnection, source: WarehouseSource) -> str:
    """SQL reading a warehouse table at the source's version (the store pins the location and
    the version first); a missing table or version is a FeatureStoreError."""
    from ..warehouse import WarehouseError
    from ..warehouse.delta import open_table

    if not source.location or source.version is None:
        raise FeatureStoreError(f"source {source.name!r}: read it through a FeatureStore")
    try:
        table = open_table(source.location, source.version)
    except WarehouseError as error:
        raise FeatureStoreError(f"source {source.name!r}: {error}") from None
    name = f"warehouse_{abs(hash((source.location, source.version)))}"
    con.register(name, table.to_pyarrow_dataset())
    return quote(name)


def file_scan(con: duckdb.DuckDBPyConnection, source: BatchSource, root: Path | None) -> str:
    """SQL reading the source's file(s) or table; a missing path is a FeatureStoreError."""
    if isinstance(source, WarehouseSource):
        return warehouse_scan(con, source)
    path = resolve_path(source.path, root)
    local = "://" not in path
    if local and not Path(path).exists():
        raise FeatureStoreError(f"source {source.name!r}: no file or folder at {path}")
    fmt = source.format
    if fmt == "csv":
        return f"read_csv_auto({literal(path)})"
    if fmt == "delta":
        from deltalake import DeltaTable

        name = f"delta_{abs(hash(path))}"
        con.register(name, DeltaTable(path).to_pyarrow_dataset())
        return quote(name)
    if local and Path(path).is_dir():
        return f"read_parquet({literal(str(Path(path) / '**' / '*.parquet'))})"
    return f"read_parquet({literal(path)})"


def pushed_scan(pushed: Path | None, source: PushSource | BatchSource) -> str | None:
    """SQL reading rows pushed offline to a push source, or None when there are none."""
    if pushed is None or not isinstance(source, PushSource):
        return None
    folder = pushed / source.name
    if not folder.is_dir() or not any(folder.glob("*.parquet")):
        return None
    return f"read_parquet({literal(str(folder / '*.parquet'))}, union_by_name=true)"


def fingerprint(view: FeatureView, root: Path | None, pushed: Path | None) -> tuple | None:
    """What identifies the content of the view's rows now: a pinned warehouse version, or
    the names, sizes and times of its local files (and of the rows pushed offline); None for
    remote files, whose changes cannot be seen cheaply."""
    source = view.source
    batch = source.batch_source if isinstance(source, PushSource) else source
    if isinstance(batch, WarehouseSource):
        found: list = [("warehouse", batch.location, batch.version)]
    else:
        path = resolve_path(batch.path, root)
        if "://" in path:
            return None
        found = [_stat(Path(path))]
    if pushed is not None and isinstance(source, PushSource):
        folder = pushed / source.name
        if folder.is_dir():
            found.append(_stat(folder))
    return (view.name, batch.name, tuple(found))


def _stat(path: Path) -> tuple:
    if path.is_dir():
        return tuple(
            (str(p), p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(path.rglob("*"))
            if p.is_file()
        )
    if not path.exists():
        return (str(path), None)
    stat = path.stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)


def _columns(con: duckdb.DuckDBPyConnection, scan: str) -> dict[str, str]:
    try:
        rows = con.sql(f"DESCRIBE SELECT * FROM {scan}").fetchall()
    except Exception as error:  # duckdb raises many classes for unreadable files
        raise FeatureStoreError(f"cannot read {scan}: {error}") from error
    return {row[0]: row[1] for row in rows}


def infer_timestamp_field(
    con: duckdb.DuckDBPyConnection, source: FileSource, root: Path | None
) -> str:
    """The one column of timestamp type in the source's file (Feast's inference for a
    FileSource without ``timestamp_field``); none or several is a DefinitionError."""
    columns = _columns(con, file_scan(con, source, root))
    found = [name for name, kind in columns.items() if kind.startswith("TIMESTAMP")]
    if len(found) != 1:
        raise DefinitionError(
            f"source {source.name!r}: cannot infer its timestamp_field, it has "
            f"{len(found)} timestamp columns ({', '.join(found) or 'none'}); set timestamp_field"
        )
    return found[0]


_INFERRED = {
    "BIGINT": "Int64",
    "INTEGER": "Int32",
    "SMALLINT": "Int32",
    "TINYINT": "Int32",
    "UBIGINT": "Int64",
    "UINTEGER": "Int64",
    "USMALLINT": "Int32",
    "UTINYINT": "Int32",
    "DOUBLE": "Float64",
    "FLOAT": "Float32",
    "VARCHAR": "String",
    "BOOLEAN": "Bool",
    "BLOB": "Bytes",
}


def _inferred_type(kind: str) -> FeatureType | None:
    """The feature type Feast infers for a column of this DuckDB type (None: none)."""
    if kind.endswith("[]"):
        base = _inferred_type(kind[:-2])
        try:
            return Array(base) if base is not None else None
        except ValueError:  # no list type of this type
            return None
    if kind.startswith("TIMESTAMP"):
        return UnixTimestamp
    if kind.startswith("MAP("):
        return PRIMITIVES["Map"]
    name = _INFERRED.get(kind)
    return PRIMITIVES[name] if name else None


def infer_schema(
    con: duckdb.DuckDBPyConnection, view: FeatureView, root: Path | None
) -> list[Field]:
    """The schema of a view declaring no feature, from its source's columns as Feast infers
    it at apply: every column but the timestamp and created columns (renamed by the source's
    ``field_mapping``), join keys included, with its type, in the file's order; fields it
    declares keep their types."""
    source = view.source
    batch = source.batch_source if isinstance(source, PushSource) else source
    columns = _columns(con, file_scan(con, batch, root))
    skip = {source.timestamp_field, source.created_timestamp_column}
    declared = {f.name: f for f in view.schema}
    schema = []
    for column, kind in columns.items():
        name = source.field_mapping.get(column, column)
        if column in skip or name in skip:
            continue
        if name in declared:
            schema.append(declared.pop(name))
            continue
        dtype = _inferred_type(kind)
        if dtype is None:
            raise DefinitionError(
                f"feature view {view.name!r}: cannot infer a feature type for column "
                f"{column!r} ({kind}) of {batch.name!r}; declare the schema"
            )
        schema.append(Field(name, dtype))
    schema += declared.values()
    if not {f.name for f in schema} - {*view.join_keys, *skip}:
        raise DefinitionError(
            f"feature view {view.name!r} has no feature: its source {batch.name!r} holds only "
            "join keys and timestamps"
        )
    return schema


def _compatible(declared: str, found: str) -> bool:
    if declared == "JSON":  # Map, Json, Struct: JSON text or nested data
        return found.startswith(("VARCHAR", "JSON", "STRUCT", "MAP")) or found.endswith("]")
    if declared.endswith("[]"):
        return found.endswith("[]")
    if declared in ("VARCHAR", "BLOB"):
        return found in ("VARCHAR", "BLOB")
    if declared == "TIMESTAMPTZ":
        return found.startswith("TIMESTAMP") or found == "DATE"
    return found.startswith(_NUMERIC)


def view_rows(
    con: duckdb.DuckDBPyConnection,
    view: FeatureView,
    root: Path | None,
    pushed: Path | None = None,
) -> str:
    """SQL of the view's rows in the common shape, after checking the source has every
    declared column with a compatible type."""
    source = view.source
    batch = source.batch_source if isinstance(source, PushSource) else source
    scans = [file_scan(con, batch, root)]
    extra = pushed_scan(pushed, source)
    if extra:
        scans.append(extra)
    reverse = {feature: column for column, feature in source.field_mapping.items()}
    selected = []
    for scan in scans:
        columns = _columns(con, scan)
        parts = []
        for name, kind in [
            *((key, None) for key in view.join_keys),
            *((f.name, f.dtype.duckdb) for f in view.features),
        ]:
            column = reverse.get(name, name)
            if column not in columns:
                raise FeatureStoreError(
                    f"feature view {view.name!r}: source {batch.name!r} has no column "
                    f"{column!r} (it has {', '.join(columns)})"
                )
            if kind and not _compatible(kind, columns[column]):
                raise FeatureStoreError(
                    f"feature view {view.name!r}: column {column!r} of {batch.name!r} is "
                    f"{columns[column]}, the schema declares {kind}"
                )
            value = _cast(quote(column), kind, columns[column])
            parts.append(f"{value} AS {quote(name)}")
        parts.append(f"{_epoch(columns, source.timestamp_field, batch.name, reverse)} AS __ts")
        created = source.created_timestamp_column
        created_sql = _epoch(columns, created, batch.name, reverse) if created else "NULL::BIGINT"
        parts.append(f"{created_sql} AS __created")
        selected.append(f"SELECT {', '.join(parts)} FROM {scan}")
    return " UNION ALL ".join(selected)


def _cast(column: str, declared: str | None, found: str) -> str:
    """SQL of a source column as its declared type; Map, Json and Struct values as JSON text
    (text kept as it is, nested data written as JSON)."""
    if declared is None:
        return column
    if declared == "JSON":
        return column if found == "VARCHAR" else f"CAST(to_json({column}) AS VARCHAR)"
    return f"CAST({column} AS {declared})"


def _epoch(columns: dict[str, str], name: str, source: str, reverse: dict[str, str]) -> str:
    column = reverse.get(name, name)
    kind = columns.get(column)
    if kind is None:
        raise FeatureStoreError(f"source {source!r} has no timestamp column {column!r}")
    if kind == "DATE":
        return f"epoch_us(CAST({quote(column)} AS TIMESTAMP))"
    if kind == "TIMESTAMPTZ_NS":  # nanoseconds with a zone: epoch_us takes microseconds
        return f"epoch_us(CAST({quote(column)} AS TIMESTAMPTZ))"
    if kind.startswith("TIMESTAMP"):
        return f"epoch_us({quote(column)})"
    if kind == "VARCHAR":
        return f"epoch_us(CAST({quote(column)} AS TIMESTAMPTZ))"
    raise FeatureStoreError(f"source {source!r}: column {column!r} is {kind}, not a timestamp")
