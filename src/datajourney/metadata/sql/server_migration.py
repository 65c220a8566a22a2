"""Upgrading an ML Metadata store at schema version 6-9 to 10 on MySQL / MariaDB and PostgreSQL.

Whatever layout the older version left (ml-metadata's own migrations on these servers leave
some oddities), the upgrade builds our fresh version-10 layout (``server_ddl``) and copies every
row into it, so an upgraded store is laid out exactly as a new one. Duplicate events (allowed
before version 8) keep the newest of each (artifact, execution, type), and the others' paths
go, as ml-metadata's upgrade does. Id sequences continue after the largest id of each table.

* PostgreSQL: one transaction; a failure leaves the database as it was.
* MySQL / MariaDB commit each DDL statement, so the old tables are only read: the new layout is
  built under other names (``Artifact_mlmd10``, ...), filled, its row counts checked against
  the old tables, and then one ``RENAME TABLE`` statement (atomic) swaps all fifteen tables,
  the version row included. Before it, the old store is intact (leftover ``*_mlmd10`` tables of
  an interrupted attempt are dropped by the next one); after it, the store is at version 10 and
  the old tables (``*_mlmd_v<N>``) are dropped.
"""

from __future__ import annotations

from contextlib import suppress

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import SQLAlchemyError

from ..errors import FailedPreconditionError
from .engine import _creating
from .raw import Raw
from .schema import SCHEMA_VERSION
from .server_ddl import TABLES, columns_of, mysql_ddl, postgresql_ddl

_NEW = "_mlmd10"
OLDEST = 6
_SERIAL = ("Type", "Artifact", "Execution", "Context", "Event", "Association", "Attribution")


def upgrade(engine: Engine, current: int) -> None:
    """Bring the MySQL / PostgreSQL store at schema version ``current`` to ours."""
    with _creating(engine) as conn:
        if _versions(conn, "MLMDEnv") != [current]:
            raise FailedPreconditionError("another process migrated the database meanwhile")
        old = _old_columns(conn, current)
        if engine.dialect.name == "postgresql":
            _postgresql(conn, old)
        else:
            _mysql(conn, old, current)


def _versions(conn: Connection, table: str) -> list[int]:
    return [row[0] for row in Raw(conn).rows(f"SELECT schema_version FROM {table}")]


def _old_columns(conn: Connection, current: int) -> dict[str, set[str]]:
    """Each table's columns in the old store."""
    inspector = inspect(conn)
    found = {name.lower(): name for name in inspector.get_table_names()}
    missing = [table for table in TABLES if table.lower() not in found]
    if missing:
        raise FailedPreconditionError(
            f"the MLMD store at schema version {current} lacks the tables {missing}; "
            "it cannot be upgraded"
        )
    since = {"external_id": 9, "byte_value": 7}  # (columns a version before these lacks;
    # ml-metadata's PostgreSQL downgrade leaves external_id columns behind, its upgrade drops them)
    return {
        table: {
            column["name"]
            for column in inspector.get_columns(found[table.lower()])
            if current >= since.get(column["name"], OLDEST)
        }
        for table in TABLES
    }


def _copy(conn: Connection, table: str, source: str, target: str, old: set[str]) -> None:
    """Copy ``source``'s rows into ``target`` (the new layout of ``table``) and check that
    every row that should arrive did."""
    names = ", ".join(column for column in columns_of(table) if column in old)
    where = ""
    if table == "Event":  # (version 8 made events unique: the newest of duplicates stays)
        where = (
            f" WHERE id IN (SELECT MAX(id) FROM {source} GROUP BY artifact_id, execution_id, type)"
        )
    elif table == "EventPath":
        where = f" WHERE event_id IN (SELECT id FROM Event{target[len('EventPath') :]})"
    conn.exec_driver_sql(f"INSERT INTO {target} ({names}) SELECT {names} FROM {source}{where}")
    [(expected,)] = conn.exec_driver_sql(f"SELECT COUNT(*) FROM {source}{where}").fetchall()
    [(copied,)] = conn.exec_driver_sql(f"SELECT COUNT(*) FROM {target}").fetchall()
    if copied != expected:
        raise FailedPreconditionError(
            f"upgrading {table}: {copied} of its {expected} rows were copied (is another "
            "process writing to the store?); the store was left at its old version"
        )


def _rows(conn: Connection, tables: dict[str, str]) -> dict[str, int]:
    return {
        table: conn.exec_driver_sql(f"SELECT COUNT(*) FROM {name}").scalar_one()
        for table, name in tables.items()
    }


def _postgresql(conn: Connection, old: dict[str, set[str]]) -> None:
    """Keep the old rows in temporary tables, replace the tables by the fresh layout and copy
    the rows back: all in the caller's transaction."""
    kept = {table: f"mlmd_old_{table.lower()}" for table in TABLES}
    for table, copy in kept.items():
        conn.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {copy} ON COMMIT DROP AS SELECT * FROM {table}"
        )
    conn.exec_driver_sql(f"DROP TABLE {', '.join(TABLES)}")
    for statement in postgresql_ddl():
        conn.exec_driver_sql(statement)
    for table, copy in kept.items():
        if table != "MLMDEnv":
            _copy(conn, table, copy, table, old[table])
    for table in _SERIAL:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.lower()}', 'id'), "
            f"COALESCE(MAX(id), 0) + 1, false) FROM {table}"
        )
    Raw(conn).run("INSERT INTO MLMDEnv (schema_version) VALUES (?)", (SCHEMA_VERSION,))


def _mysql(conn: Connection, old: dict[str, set[str]], current: int) -> None:
    """Build and fill the new layout beside the old tables, then swap them in one RENAME."""
    new = {table: f"{table}{_NEW}" for table in TABLES}
    retired = {table: f"{table}_mlmd_v{current}" for table in TABLES}
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {', '.join([*new.values(), *retired.values()])}")
    try:
        for statement in mysql_ddl(_NEW):
            conn.exec_driver_sql(statement)
        for table in TABLES:
            if table != "MLMDEnv":
                _copy(conn, table, table, new[table], old[table])
        Raw(conn).run(
            f"INSERT INTO {new['MLMDEnv']} (schema_version) VALUES (?)", (SCHEMA_VERSION,)
        )
        before = {table: table for table in TABLES if table not in ("Event", "EventPath")}
        copied = _rows(conn, {table: new[table] for table in before})
        if _rows(conn, before) != {**copied, "MLMDEnv": 1} or _versions(conn, "MLMDEnv") != [
            current
        ]:
            raise FailedPreconditionError(
                "another process wrote to the store during its upgrade; it was left at its old "
                "version"
            )
        swaps = [f"{table} TO {retired[table]}, {new[table]} TO {table}" for table in TABLES]
        conn.exec_driver_sql(f"RENAME TABLE {', '.join(swaps)}")
    except BaseException:
        with suppress(SQLAlchemyError):  # (else the next attempt drops them)
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {', '.join(new.values())}")
        raise
    conn.exec_driver_sql(f"DROP TABLE {', '.join(retired.values())}")
