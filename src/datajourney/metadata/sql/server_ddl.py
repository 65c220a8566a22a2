"""ML Metadata's schema-v10 layout on MySQL / MariaDB and PostgreSQL.

The column types, keys and index names are those ml-metadata 1.17 creates on each server (read
from the servers' catalogs after ml-metadata created its schema there):

* MySQL: CamelCase table names (``Artifact``, ``ArtifactProperty``, ...), ``INT`` ids and
  ``int_value`` (32 bits), ``BIGINT`` times, ``TINYINT(1)`` flags, ``MEDIUMTEXT`` /
  ``MEDIUMBLOB`` property values, prefix indexes of 255 characters on text columns.
* PostgreSQL: unquoted names, so the tables are ``artifact``, ``artifactproperty``, ...;
  ``SERIAL`` ids, ``INTEGER`` ``int_value`` (32 bits too), ``BOOLEAN`` flags, ``BYTEA`` values,
  and plain (not partial) indexes.
"""

from __future__ import annotations

from .schema import INDEXES

# Column kinds of the layout and their SQL type on (MySQL, PostgreSQL).
_TYPES: dict[str, tuple[str, str]] = {
    "id": ("INT NOT NULL AUTO_INCREMENT", "SERIAL"),
    "int": ("INT", "INTEGER"),
    "big": ("BIGINT", "BIGINT"),
    "flag": ("TINYINT(1)", "BOOLEAN"),
    "kind": ("TINYINT(1)", "SMALLINT"),
    "name": ("VARCHAR(255)", "VARCHAR(255)"),
    "text": ("TEXT", "TEXT"),
    "value_text": ("MEDIUMTEXT", "TEXT"),
    "value_bytes": ("MEDIUMBLOB", "BYTEA"),
    "double": ("DOUBLE", "DOUBLE PRECISION"),
}

# A column: (name, kind, NOT NULL, DEFAULT 0).
Col = tuple[str, str, bool, bool]
# A unique key: (constraint name or "" for the server's default name, columns).
Unique = tuple[str, tuple[str, ...]]

_TIMES: tuple[Col, ...] = (
    ("create_time_since_epoch", "big", True, True),
    ("last_update_time_since_epoch", "big", True, True),
)


def _properties(owner: str) -> tuple[tuple[Col, ...], tuple[str, ...], tuple[Unique, ...]]:
    columns: tuple[Col, ...] = (
        (owner, "int", True, False),
        ("name", "name", True, False),
        ("is_custom_property", "flag", True, False),
        ("int_value", "int", False, False),
        ("double_value", "double", False, False),
        ("string_value", "value_text", False, False),
        ("byte_value", "value_bytes", False, False),
        ("proto_value", "value_bytes", False, False),
        ("bool_value", "flag", False, False),
    )
    return columns, (owner, "name", "is_custom_property"), ()


def _node(own: tuple[Col, ...], name_required: bool, unique_name: str):
    columns: tuple[Col, ...] = (
        ("id", "id", True, False),
        ("type_id", "int", True, False),
        *own,
        ("name", "name", name_required, False),
        ("external_id", "name", False, False),
        *_TIMES,
    )
    uniques: tuple[Unique, ...] = (("", ("external_id",)), (unique_name, ("type_id", "name")))
    return columns, ("id",), uniques


# table -> (columns, primary key, unique keys), in ml-metadata's column order.
_TABLES: dict[str, tuple[tuple[Col, ...], tuple[str, ...], tuple[Unique, ...]]] = {
    "Type": (
        (
            ("id", "id", True, False),
            ("name", "name", True, False),
            ("version", "name", False, False),
            ("type_kind", "kind", True, False),
            ("description", "text", False, False),
            ("input_type", "text", False, False),
            ("output_type", "text", False, False),
            ("external_id", "name", False, False),
        ),
        ("id",),
        (("", ("external_id",)),),
    ),
    "TypeProperty": (
        (
            ("type_id", "int", True, False),
            ("name", "name", True, False),
            ("data_type", "int", False, False),
        ),
        ("type_id", "name"),
        (),
    ),
    "ParentType": (
        (("type_id", "int", True, False), ("parent_type_id", "int", True, False)),
        ("type_id", "parent_type_id"),
        (),
    ),
    "Artifact": _node(
        (("uri", "text", False, False), ("state", "int", False, False)),
        False,
        "UniqueArtifactTypeName",
    ),
    "ArtifactProperty": _properties("artifact_id"),
    "Execution": _node(
        (("last_known_state", "int", False, False),), False, "UniqueExecutionTypeName"
    ),
    "ExecutionProperty": _properties("execution_id"),
    "Event": (
        (
            ("id", "id", True, False),
            ("artifact_id", "int", True, False),
            ("execution_id", "int", True, False),
            ("type", "int", True, False),
            ("milliseconds_since_epoch", "big", False, False),
        ),
        ("id",),
        (("UniqueEvent", ("artifact_id", "execution_id", "type")),),
    ),
    "EventPath": (
        (
            ("event_id", "int", True, False),
            ("is_index_step", "flag", True, False),
            ("step_index", "int", False, False),
            ("step_key", "text", False, False),
        ),
        (),
        (),
    ),
    "MLMDEnv": ((("schema_version", "int", True, False),), ("schema_version",), ()),
    "Context": _node((), True, ""),
    "ContextProperty": _properties("context_id"),
    "ParentContext": (
        (("context_id", "int", True, False), ("parent_context_id", "int", True, False)),
        ("context_id", "parent_context_id"),
        (),
    ),
    "Association": (
        (
            ("id", "id", True, False),
            ("context_id", "int", True, False),
            ("execution_id", "int", True, False),
        ),
        ("id",),
        (("", ("context_id", "execution_id")),),
    ),
    "Attribution": (
        (
            ("id", "id", True, False),
            ("context_id", "int", True, False),
            ("artifact_id", "int", True, False),
        ),
        ("id",),
        (("", ("context_id", "artifact_id")),),
    ),
}

# Columns that MySQL indexes by a 255-character prefix (TEXT columns).
_PREFIXED = {"uri", "string_value"}


def _column_sql(column: Col, dialect: int) -> str:
    name, kind, not_null, default_zero = column
    sql = f"{name} {_TYPES[kind][dialect]}"
    if kind == "id":
        return sql
    if not_null:
        sql += " NOT NULL"
    if default_zero:
        sql += " DEFAULT 0"
    return sql


def columns_of(table: str) -> list[str]:
    """The column names of one of the layout's tables, in order."""
    return [column[0] for column in _TABLES[table][0]]


TABLES = tuple(_TABLES)
"""The layout's tables, by their MySQL names."""


def _create_table(table: str, dialect: int, extra: list[str], suffix: str = "") -> str:
    columns, primary, uniques = _TABLES[table]
    parts = [_column_sql(column, dialect) for column in columns]
    if primary:
        parts.append(f"PRIMARY KEY ({', '.join(primary)})")
    for name, keyed in uniques:
        constraint = f"CONSTRAINT {name} " if name else ""
        parts.append(f"{constraint}UNIQUE ({', '.join(keyed)})")
    body = ",\n    ".join(parts + extra)
    return f"CREATE TABLE IF NOT EXISTS {table}{suffix} (\n    {body})"


def _index_columns(columns: str) -> list[str]:
    return [c.strip().strip("`") for c in columns.split(",")]


def mysql_ddl(suffix: str = "") -> list[str]:
    """The statements that create an empty schema-v10 store in MySQL / MariaDB (each table's
    name followed by ``suffix``: the layout under other names, as an upgrade builds it)."""
    keys: dict[str, list[str]] = {}
    for name, table, columns, _ in INDEXES:
        cols = [f"{c}(255)" if c in _PREFIXED else c for c in _index_columns(columns)]
        keys.setdefault(table, []).append(f"KEY {name} ({', '.join(cols)})")
    return [_create_table(table, 0, keys.get(table, []), suffix) for table in _TABLES]


def postgresql_ddl() -> list[str]:
    """The statements that create an empty schema-v10 store in PostgreSQL."""
    statements = [_create_table(table, 1, []) for table in _TABLES]
    for name, table, columns, _ in INDEXES:
        statements.append(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({', '.join(_index_columns(columns))})"
        )
    return statements
