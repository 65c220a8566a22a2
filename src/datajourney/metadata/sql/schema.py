"""ML Metadata's database layout, schema version 10, table for table and column for column.

The SQLAlchemy tables below are used to build queries; ``sqlite_ddl`` creates the layout with
the exact column types, keys and indexes that ml-metadata creates, so either library opens a
database the other wrote.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

SCHEMA_VERSION = 10

metadata = MetaData()


def _table(name: str, *columns: Column) -> Table:
    """A table named as ml-metadata names it, unquoted in SQL: PostgreSQL folds the name to
    lower case (as ml-metadata's tables there are named), MySQL and SQLite keep it."""
    return Table(name, metadata, *columns, quote=False)


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _times() -> list[Column]:
    return [
        Column("create_time_since_epoch", BigInteger, nullable=False, default=0),
        Column("last_update_time_since_epoch", BigInteger, nullable=False, default=0),
    ]


def _property_table(name: str, owner: str) -> Table:
    return _table(
        name,
        Column(owner, Integer, primary_key=True),
        Column("name", String(255), primary_key=True),
        Column("is_custom_property", Boolean, primary_key=True),
        Column("int_value", BigInteger),
        Column("double_value", Float),
        Column("string_value", Text),
        Column("byte_value", LargeBinary),
        Column("proto_value", LargeBinary),
        Column("bool_value", Boolean),
    )


type_table = _table(
    "Type",
    _id(),
    Column("name", String(255), nullable=False),
    Column("version", String(255)),
    Column("type_kind", SmallInteger, nullable=False),
    Column("description", Text),
    Column("input_type", Text),
    Column("output_type", Text),
    Column("external_id", String(255)),
)
type_property_table = _table(
    "TypeProperty",
    Column("type_id", Integer, primary_key=True),
    Column("name", String(255), primary_key=True),
    Column("data_type", Integer),
)
parent_type_table = _table(
    "ParentType",
    Column("type_id", Integer, primary_key=True),
    Column("parent_type_id", Integer, primary_key=True),
)
artifact_table = _table(
    "Artifact",
    _id(),
    Column("type_id", Integer, nullable=False),
    Column("uri", Text),
    Column("state", Integer),
    Column("name", String(255)),
    Column("external_id", String(255)),
    *_times(),
)
execution_table = _table(
    "Execution",
    _id(),
    Column("type_id", Integer, nullable=False),
    Column("last_known_state", Integer),
    Column("name", String(255)),
    Column("external_id", String(255)),
    *_times(),
)
context_table = _table(
    "Context",
    _id(),
    Column("type_id", Integer, nullable=False),
    Column("name", String(255), nullable=False),
    Column("external_id", String(255)),
    *_times(),
)
artifact_property_table = _property_table("ArtifactProperty", "artifact_id")
execution_property_table = _property_table("ExecutionProperty", "execution_id")
context_property_table = _property_table("ContextProperty", "context_id")
event_table = _table(
    "Event",
    _id(),
    Column("artifact_id", Integer, nullable=False),
    Column("execution_id", Integer, nullable=False),
    Column("type", Integer, nullable=False),
    Column("milliseconds_since_epoch", BigInteger),
)
event_path_table = _table(
    "EventPath",
    Column("event_id", Integer, nullable=False),
    Column("is_index_step", Boolean, nullable=False),
    Column("step_index", Integer),
    Column("step_key", Text),
)
env_table = _table("MLMDEnv", Column("schema_version", Integer, primary_key=True))
parent_context_table = _table(
    "ParentContext",
    Column("context_id", Integer, primary_key=True),
    Column("parent_context_id", Integer, primary_key=True),
)
association_table = _table(
    "Association",
    _id(),
    Column("context_id", Integer, nullable=False),
    Column("execution_id", Integer, nullable=False),
)
attribution_table = _table(
    "Attribution",
    _id(),
    Column("context_id", Integer, nullable=False),
    Column("artifact_id", Integer, nullable=False),
)

# The nine system types every ml-metadata store holds: (name, type_kind).
BUILTIN_TYPES: tuple[tuple[str, int], ...] = (
    ("mlmd.Dataset", 1),
    ("mlmd.Model", 1),
    ("mlmd.Metrics", 1),
    ("mlmd.Statistics", 1),
    ("mlmd.Train", 0),
    ("mlmd.Transform", 0),
    ("mlmd.Process", 0),
    ("mlmd.Evaluate", 0),
    ("mlmd.Deploy", 0),
)

_PROPERTY_COLUMNS = """
    `{owner}` INT NOT NULL,
    `name` VARCHAR(255) NOT NULL,
    `is_custom_property` TINYINT(1) NOT NULL,
    `int_value` INT,
    `double_value` DOUBLE,
    `string_value` TEXT,
    `byte_value` BLOB,
    `proto_value` BLOB,
    `bool_value` BOOLEAN,
    PRIMARY KEY (`{owner}`, `name`, `is_custom_property`)"""

_TIMES = """
    `create_time_since_epoch` INT NOT NULL DEFAULT 0,
    `last_update_time_since_epoch` INT NOT NULL DEFAULT 0,"""

_SQLITE_TABLES = (
    """CREATE TABLE IF NOT EXISTS `Type` (
    `id` INTEGER PRIMARY KEY AUTOINCREMENT,
    `name` VARCHAR(255) NOT NULL,
    `version` VARCHAR(255),
    `type_kind` TINYINT(1) NOT NULL,
    `description` TEXT,
    `input_type` TEXT,
    `output_type` TEXT,
    `external_id` VARCHAR(255) UNIQUE)""",
    """CREATE TABLE IF NOT EXISTS `TypeProperty` (
    `type_id` INT NOT NULL,
    `name` VARCHAR(255) NOT NULL,
    `data_type` INT NULL,
    PRIMARY KEY (`type_id`, `name`))""",
    """CREATE TABLE IF NOT EXISTS `ParentType` (
    `type_id` INT NOT NULL,
    `parent_type_id` INT NOT NULL,
    PRIMARY KEY (`type_id`, `parent_type_id`))""",
    """CREATE TABLE IF NOT EXISTS `Artifact` (
    `id` INTEGER PRIMARY KEY AUTOINCREMENT,
    `type_id` INT NOT NULL,
    `uri` TEXT,
    `state` INT,
    `name` VARCHAR(255),
    `external_id` VARCHAR(255) UNIQUE,"""
    + _TIMES
    + """
    UNIQUE(`type_id`, `name`))""",
    "CREATE TABLE IF NOT EXISTS `ArtifactProperty` ("
    + _PROPERTY_COLUMNS.format(owner="artifact_id")
    + ")",
    """CREATE TABLE IF NOT EXISTS `Execution` (
    `id` INTEGER PRIMARY KEY AUTOINCREMENT,
    `type_id` INT NOT NULL,
    `last_known_state` INT,
    `name` VARCHAR(255),
    `external_id` VARCHAR(255) UNIQUE,"""
    + _TIMES
    + """
    UNIQUE(`type_id`, `name`))""",
    "CREATE TABLE IF NOT EXISTS `ExecutionProperty` ("
    + _PROPERTY_COLUMNS.format(owner="execution_id")
    + ")",
    """CREATE TABLE IF NOT EXISTS `Event` (
    `id` INTEGER PRIMARY KEY AUTOINCREMENT,
    `artifact_id` INT NOT NULL,
    `execution_id` INT NOT NULL,
    `type` INT NOT NULL,
    `milliseconds_since_epoch` INT,
    UNIQUE(`artifact_id`, `execution_id`, `type`))""",
    """CREATE TABLE IF NOT EXISTS `EventPath` (
    `event_id` INT NOT NULL,
    `is_index_step` TINYINT(1) NOT NULL,
    `step_index` INT,
    `step_key` TEXT)""",
    "CREATE TABLE IF NOT EXISTS `MLMDEnv` (`schema_version` INTEGER PRIMARY KEY)",
    """CREATE TABLE IF NOT EXISTS `Context` (
    `id` INTEGER PRIMARY KEY AUTOINCREMENT,
    `type_id` INT NOT NULL,
    `name` VARCHAR(255) NOT NULL,
    `external_id` VARCHAR(255) UNIQUE,"""
    + _TIMES
    + """
    UNIQUE(`type_id`, `name`))""",
    "CREATE TABLE IF NOT EXISTS `ContextProperty` ("
    + _PROPERTY_COLUMNS.format(owner="context_id")
    + ")",
    """CREATE TABLE IF NOT EXISTS `ParentContext` (
    `context_id` INT NOT NULL,
    `parent_context_id` INT NOT NULL,
    PRIMARY KEY (`context_id`, `parent_context_id`))""",
    """CREATE TABLE IF NOT EXISTS `Association` (
    `id` INTEGER PRIMARY KEY AUTOINCREMENT,
    `context_id` INT NOT NULL,
    `execution_id` INT NOT NULL,
    UNIQUE(`context_id`, `execution_id`))""",
    """CREATE TABLE IF NOT EXISTS `Attribution` (
    `id` INTEGER PRIMARY KEY AUTOINCREMENT,
    `context_id` INT NOT NULL,
    `artifact_id` INT NOT NULL,
    UNIQUE(`context_id`, `artifact_id`))""",
)

# (index name, table, columns, partial-index condition)
INDEXES: tuple[tuple[str, str, str, str], ...] = (
    ("idx_artifact_uri", "Artifact", "`uri`", ""),
    ("idx_artifact_create_time_since_epoch", "Artifact", "`create_time_since_epoch`", ""),
    ("idx_artifact_last_update_time_since_epoch", "Artifact", "`last_update_time_since_epoch`", ""),
    ("idx_event_execution_id", "Event", "`execution_id`", ""),
    ("idx_parentcontext_parent_context_id", "ParentContext", "`parent_context_id`", ""),
    ("idx_type_name", "Type", "`name`", ""),
    ("idx_execution_create_time_since_epoch", "Execution", "`create_time_since_epoch`", ""),
    (
        "idx_execution_last_update_time_since_epoch",
        "Execution",
        "`last_update_time_since_epoch`",
        "",
    ),
    ("idx_context_create_time_since_epoch", "Context", "`create_time_since_epoch`", ""),
    ("idx_context_last_update_time_since_epoch", "Context", "`last_update_time_since_epoch`", ""),
    ("idx_eventpath_event_id", "EventPath", "`event_id`", ""),
    *(
        (
            f"idx_{kind}_property_{value}",
            f"{kind.capitalize()}Property",
            f"`name`, `is_custom_property`, `{value}_value`",
            f"`{value}_value` IS NOT NULL",
        )
        for kind in ("artifact", "execution", "context")
        for value in ("int", "double", "string")
    ),
    ("idx_type_external_id", "Type", "`external_id`", ""),
    ("idx_artifact_external_id", "Artifact", "`external_id`", ""),
    ("idx_execution_external_id", "Execution", "`external_id`", ""),
    ("idx_context_external_id", "Context", "`external_id`", ""),
)


def sqlite_ddl() -> list[str]:
    """The statements that create an empty schema-v10 store in SQLite."""
    statements = list(_SQLITE_TABLES)
    for name, table, columns, where in INDEXES:
        condition = f" WHERE {where}" if where else ""
        statements.append(f"CREATE INDEX IF NOT EXISTS `{name}` ON `{table}`({columns}){condition}")
    return statements
