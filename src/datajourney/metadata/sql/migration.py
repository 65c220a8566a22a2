"""Moving a store between ML Metadata schema versions 6-10, as ml-metadata 1.17 does.

In SQLite each step is the DDL (and data copy) ml-metadata runs between two adjacent versions; a
whole upgrade or downgrade runs in one transaction, so a failure leaves the database as it was.
MySQL / PostgreSQL stores are upgraded by ``server_migration``; downgrading them is refused with
a clear error.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from ..errors import FailedPreconditionError, NotFoundError, UnimplementedError
from . import server_migration
from .engine import _creating, open_engine
from .raw import Raw
from .schema import SCHEMA_VERSION

OLDEST_VERSION = 6
"""The oldest schema version this module upgrades from and downgrades to."""

_NODES = ("Artifact", "Execution", "Context")
_PROPERTY_OWNER = {"Artifact": "artifact_id", "Execution": "execution_id", "Context": "context_id"}
_VALUES = ("int_value", "double_value", "string_value")
_TIMES = (
    "`create_time_since_epoch` INT NOT NULL DEFAULT 0",
    "`last_update_time_since_epoch` INT NOT NULL DEFAULT 0",
)
_EXTERNAL_ID = "`external_id` VARCHAR(255) UNIQUE"


def _rebuild(table: str, columns: tuple[str, ...], keep: tuple[str, ...]) -> list[str]:
    """Statements replacing ``table`` by one with ``columns`` (SQLite cannot drop or change
    columns in place), copying the ``keep`` columns of every row."""
    names = ", ".join(f"`{name}`" for name in keep)
    return [
        f"CREATE TABLE `{table}Temp` ({', '.join(columns)})",
        f"INSERT INTO `{table}Temp` ({names}) SELECT {names} FROM `{table}`",
        f"DROP TABLE `{table}`",
        f"ALTER TABLE `{table}Temp` RENAME TO `{table}`",
    ]


def _property_tables(extra: tuple[str, ...]) -> list[str]:
    """Rebuild the three property tables with the v6 value columns plus ``extra`` (BLOBs)."""
    statements = []
    for node, owner in _PROPERTY_OWNER.items():
        value_columns = (
            "`int_value` INT",
            "`double_value` DOUBLE",
            "`string_value` TEXT",
            *(f"`{name}` BLOB" for name in extra),
        )
        columns = (
            f"`{owner}` INT NOT NULL",
            "`name` VARCHAR(255) NOT NULL",
            "`is_custom_property` TINYINT(1) NOT NULL",
            *value_columns,
            f"PRIMARY KEY (`{owner}`, `name`, `is_custom_property`)",
        )
        keep = (owner, "name", "is_custom_property", *_VALUES, *extra)
        statements += _rebuild(f"{node}Property", columns, keep)
    return statements


def _property_indexes() -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS `idx_{node.lower()}_property_{kind}` ON "
        f"`{node}Property`(`name`, `is_custom_property`, `{kind}_value`) "
        f"WHERE `{kind}_value` IS NOT NULL"
        for node in _NODES
        for kind in ("int", "double", "string")
    ]


def _event_table(unique: bool) -> list[str]:
    """Rebuild Event with or without v8's UNIQUE(artifact_id, execution_id, type); adding it
    keeps the newest of duplicate events and drops the paths of the others."""
    columns = (
        "`id` INTEGER PRIMARY KEY AUTOINCREMENT",
        "`artifact_id` INT NOT NULL",
        "`execution_id` INT NOT NULL",
        "`type` INT NOT NULL",
        "`milliseconds_since_epoch` INT",
        *(("UNIQUE(`artifact_id`, `execution_id`, `type`)",) if unique else ()),
    )
    names = "`id`, `artifact_id`, `execution_id`, `type`, `milliseconds_since_epoch`"
    insert = "INSERT OR IGNORE INTO" if unique else "INSERT INTO"
    statements = [
        f"CREATE TABLE `EventTemp` ({', '.join(columns)})",
        f"{insert} `EventTemp` ({names}) SELECT {names} FROM `Event` ORDER BY `id` DESC",
        "DROP TABLE `Event`",
        "ALTER TABLE `EventTemp` RENAME TO `Event`",
    ]
    if unique:
        return [
            *statements,
            "CREATE INDEX IF NOT EXISTS `idx_event_execution_id` ON `Event`(`execution_id`)",
            "DELETE FROM `EventPath` WHERE `event_id` NOT IN (SELECT `id` FROM `Event`)",
        ]
    return [
        *statements,
        "CREATE INDEX IF NOT EXISTS `idx_event_artifact_id` ON `Event`(`artifact_id`)",
        "CREATE INDEX IF NOT EXISTS `idx_event_execution_id` ON `Event`(`execution_id`)",
    ]


def _external_ids(added: bool) -> list[str]:
    """Rebuild Type, Artifact, Execution and Context with or without v9's external_id."""
    external = (_EXTERNAL_ID,) if added else ()
    layouts = {
        "Type": (
            (
                "`id` INTEGER PRIMARY KEY AUTOINCREMENT",
                "`name` VARCHAR(255) NOT NULL",
                "`version` VARCHAR(255)",
                "`type_kind` TINYINT(1) NOT NULL",
                "`description` TEXT",
                "`input_type` TEXT",
                "`output_type` TEXT",
                *external,
            ),
            ("id", "name", "version", "type_kind", "description", "input_type", "output_type"),
        ),
        "Artifact": (
            (
                "`id` INTEGER PRIMARY KEY AUTOINCREMENT",
                "`type_id` INT NOT NULL",
                "`uri` TEXT",
                "`state` INT",
                "`name` VARCHAR(255)",
                *external,
                *_TIMES,
                "UNIQUE(`type_id`, `name`)",
            ),
            ("id", "type_id", "uri", "state", "name"),
        ),
        "Execution": (
            (
                "`id` INTEGER PRIMARY KEY AUTOINCREMENT",
                "`type_id` INT NOT NULL",
                "`last_known_state` INT",
                "`name` VARCHAR(255)",
                *external,
                *_TIMES,
                "UNIQUE(`type_id`, `name`)",
            ),
            ("id", "type_id", "last_known_state", "name"),
        ),
        "Context": (
            (
                "`id` INTEGER PRIMARY KEY AUTOINCREMENT",
                "`type_id` INT NOT NULL",
                "`name` VARCHAR(255) NOT NULL",
                *external,
                *_TIMES,
                "UNIQUE(`type_id`, `name`)",
            ),
            ("id", "type_id", "name"),
        ),
    }
    times = ("create_time_since_epoch", "last_update_time_since_epoch")
    statements = []
    if not added:
        statements += [f"DROP INDEX `idx_{table.lower()}_external_id`" for table in layouts]
    for table, (columns, keep) in layouts.items():
        statements += _rebuild(table, columns, keep if table == "Type" else (*keep, *times))
    statements += [
        "CREATE INDEX IF NOT EXISTS `idx_artifact_uri` ON `Artifact`(`uri`)",
        "CREATE INDEX IF NOT EXISTS `idx_type_name` ON `Type`(`name`)",
    ]
    statements += [
        f"CREATE INDEX IF NOT EXISTS `idx_{node.lower()}_{time}` ON `{node}`(`{time}`)"
        for node in _NODES
        for time in times
    ]
    if added:
        statements += [
            f"CREATE INDEX IF NOT EXISTS `idx_{table.lower()}_external_id` "
            f"ON `{table}`(`external_id`)"
            for table in layouts
        ]
    return statements


_UPGRADE = {  # version -> the statements that bring a store at version - 1 to it
    7: [
        *(f"ALTER TABLE `{node}Property` ADD COLUMN `byte_value` BLOB" for node in _NODES),
        "CREATE INDEX IF NOT EXISTS `idx_eventpath_event_id` ON `EventPath`(`event_id`)",
    ],
    8: [*_property_indexes(), *_event_table(unique=True)],
    9: _external_ids(added=True),
    10: [
        f"ALTER TABLE `{node}Property` ADD COLUMN `{column}` {kind}"
        for node in _NODES
        for column, kind in (("proto_value", "BLOB"), ("bool_value", "BOOLEAN"))
    ],
}
_DOWNGRADE = {  # version -> the statements that bring a store at version + 1 to it
    9: [*_property_tables(("byte_value",)), *_property_indexes()],
    8: _external_ids(added=False),
    7: [
        *_event_table(unique=False),
        *(
            f"DROP INDEX `idx_{node.lower()}_property_{kind}`"
            for node in _NODES
            for kind in ("int", "double", "string")
        ),
    ],
    6: [*_property_tables(()), "DROP INDEX `idx_eventpath_event_id`"],
}


def stored_version(engine: Engine) -> int | None:
    """The database's MLMD schema version, None for a database without ML Metadata's tables."""
    with engine.connect() as conn:
        if "mlmdenv" not in {name.lower() for name in inspect(conn).get_table_names()}:
            return None
        versions = [row[0] for row in Raw(conn).rows("SELECT schema_version FROM MLMDEnv")]
    if len(versions) != 1:
        raise FailedPreconditionError(f"the MLMDEnv table holds versions {versions}, not one")
    return versions[0]


def migrate(engine: Engine, target: int) -> int | None:
    """Upgrade or downgrade the database to schema version ``target`` in one transaction;
    returns the version it was at (None: an empty database, left as it is)."""
    current = stored_version(engine)
    if current is None or current == target:
        return current
    for version in (current, target):
        if not OLDEST_VERSION <= version <= SCHEMA_VERSION:
            raise UnimplementedError(
                f"datajourney migrates MLMD schema versions {OLDEST_VERSION}-{SCHEMA_VERSION}; "
                f"version {version} needs ml-metadata's own migration"
            )
    if engine.dialect.name != "sqlite":
        if current > target:
            raise UnimplementedError(
                f"datajourney downgrades MLMD schema versions in SQLite databases only; "
                f"downgrade this {engine.dialect.name} database from version {current} to "
                f"{target} with ml-metadata"
            )
        server_migration.upgrade(engine, current)
        return current
    if current < target:
        steps = [_UPGRADE[version] for version in range(current + 1, target + 1)]
    else:
        steps = [_DOWNGRADE[version] for version in range(current - 1, target - 1, -1)]
    with _creating(engine) as conn:
        if [row[0] for row in Raw(conn).rows("SELECT schema_version FROM MLMDEnv")] != [current]:
            raise FailedPreconditionError("another process migrated the database meanwhile")
        for statements in steps:
            for statement in statements:
                conn.exec_driver_sql(statement)
        Raw(conn).run("UPDATE MLMDEnv SET schema_version = ?", (target,))
    return current


def upgrade(engine: Engine) -> None:
    """Upgrade a database at an older schema version to ours (others are left as they are)."""
    current = stored_version(engine)
    if current is not None and current < SCHEMA_VERSION:
        migrate(engine, SCHEMA_VERSION)


def downgrade(url: str, target: int) -> None:
    """Downgrade the database at ``url`` to schema version ``target`` (nothing to do when it is
    at that version or older). FailedPreconditionError for a database without a store."""
    try:
        engine = open_engine(url, create=False)
    except NotFoundError:
        engine = None
    try:
        current = None if engine is None else stored_version(engine)
        if current is None:
            raise FailedPreconditionError(
                "Empty database is given. Downgrade operation is not needed."
            )
        if current > target:
            migrate(engine, target)
    finally:
        if engine is not None:
            engine.dispose()
