"""Opening a store's database: URL parsing, engine creation, schema creation and version check."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import QueuePool, StaticPool

from ..errors import FailedPreconditionError, InvalidArgumentError, NotFoundError
from .raw import Raw
from .schema import BUILTIN_TYPES, SCHEMA_VERSION, sqlite_ddl
from .server import server_engine
from .server_ddl import mysql_ddl, postgresql_ddl
from .types import forget_types

SQLITE_BUSY_TIMEOUT_MS = 30_000
_SERVER_DRIVERS = {
    "mysql": "mysql+pymysql",
    "mysql+pymysql": "mysql+pymysql",
    "mariadb": "mysql+pymysql",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


@dataclass(frozen=True)
class SqliteTarget:
    """A SQLite database: a file path, or None for a private in-memory database."""

    path: str | None
    read_only: bool = False
    create: bool = True


def parse_url(url: str) -> SqliteTarget | URL:
    """Understand ``sqlite:///path``, ``sqlite:///:memory:``, ``memory://``, the path of an
    existing SQLite file, or a server URL ``mysql://user:pw@host:port/db`` /
    ``postgresql://...`` (the SQLAlchemy URL, with the driver set to pymysql / psycopg when
    the URL names none)."""
    if url in ("memory://", "memory:", "sqlite://", "sqlite:///:memory:"):
        return SqliteTarget(None)
    if url.startswith("sqlite:///"):
        return SqliteTarget(url[len("sqlite:///") :])
    if "://" not in url:
        return _bare_path(url)
    scheme = url.split("://", 1)[0]
    driver = _SERVER_DRIVERS.get(scheme)
    if driver is None:
        raise InvalidArgumentError(
            f"unsupported store URL scheme {scheme!r} in {url!r}; use sqlite:///path, "
            "memory://, mysql://user:password@host:port/database or postgresql://..."
        )
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise InvalidArgumentError(f"malformed store URL {url!r}: {error}") from None
    if not parsed.database:
        raise InvalidArgumentError(f"the store URL {url!r} names no database")
    return parsed.set(drivername=driver)


def _bare_path(url: str) -> SqliteTarget:
    """A bare path names an existing SQLite file; anything else is most likely a typo, so it
    is refused rather than created (``sqlite:///path`` creates one)."""
    path = Path(url)
    if path.is_file():
        return SqliteTarget(url)
    if path.is_dir():
        raise InvalidArgumentError(
            f"store {url!r} is a folder, not a store URL; the store file inside it would be "
            f"sqlite:///{(path / 'metadata.sqlite').as_posix()}"
        )
    raise InvalidArgumentError(
        f"store {url!r} is neither a store URL nor an existing store file; to create a SQLite "
        f"store there use sqlite:///{url} (or memory://, mysql://..., postgresql://..., http://...)"
    )


def open_engine(url: str, read_only: bool = False, create: bool = True) -> Engine:
    """An engine for the store at ``url`` (see ``parse_url``)."""
    target = parse_url(url)
    if isinstance(target, SqliteTarget):
        engine = sqlite_engine(SqliteTarget(target.path, read_only, create))
    else:
        engine = server_engine(target, read_only, create)
    event.listen(engine, "rollback", forget_types)
    return engine


def sqlite_engine(target: SqliteTarget) -> Engine:
    """An engine for one SQLite database; each call to ``begin()`` is one transaction."""
    if target.path is None:
        engine = create_engine(
            "sqlite://",
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )
    else:
        path = Path(target.path)
        if not path.exists() and not target.create:
            raise NotFoundError(f"metadata store file {str(path)!r} does not exist")
        if target.create and not path.parent.exists():
            raise NotFoundError(f"folder {str(path.parent)!r} of the store file does not exist")
        if target.read_only:
            uri = f"file:{quote(str(path.resolve()))}?mode=ro"
            if _unshared(path):
                uri += "&immutable=1"
            creator = _connector(uri, uri=True)
        else:
            if path.exists() and not os.access(path, os.W_OK):
                raise FailedPreconditionError(
                    f"metadata store file {str(path)!r} is read-only; open it read-only instead"
                )
            creator = _connector(str(path), uri=False, wal=True)
        # A pool of its own per thread: "sqlite://" would get SingletonThreadPool, which closes
        # the connections of other threads beyond five (a crash under a threaded server).
        engine = create_engine("sqlite://", creator=creator, poolclass=QueuePool, max_overflow=-1)

    @event.listens_for(engine, "begin")
    def _begin(connection):  # pysqlite defers BEGIN itself; issue it so reads see one snapshot
        driver = connection.connection.dbapi_connection
        if not driver.in_transaction:  # (a read may have begun one on the driver: join it)
            driver.execute("BEGIN")

    return engine


def _unshared(path: Path) -> bool:
    """Whether a read-only SQLite file can only be read as immutable: a WAL-mode file needs its
    ``-shm`` file, which SQLite cannot create in a folder this process may not write (so no
    writer has the file open now either)."""
    shm = path.with_name(path.name + "-shm")
    return not shm.exists() and not os.access(path.resolve().parent, os.W_OK)


def _connector(database: str, uri: bool, wal: bool = False):
    """Connections to one file. ``wal``: write-ahead logging where the file system allows it
    (readers never block the writer; a commit needs no fsync of the main file), with
    synchronous=NORMAL: a commit survives a crash of the process, the last ones may be lost on
    power failure. ml-metadata opens such files as usual."""

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(
            database,
            uri=uri,
            timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            isolation_level=None,
        )
        if wal and _empty_or_metadata_store(connection):  # another application's file: as it is
            mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode == "wal":
                connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    return connect


def _empty_or_metadata_store(connection: sqlite3.Connection) -> bool:
    tables = {row[0].lower() for row in connection.execute("SELECT name FROM sqlite_master")}
    return not tables or "mlmdenv" in tables


_DDL = {"sqlite": sqlite_ddl, "mysql": mysql_ddl, "postgresql": postgresql_ddl}


def ensure_schema(engine: Engine, read_only: bool = False) -> None:
    """Create the schema-v10 layout with its version row and built-in types in an empty
    database, or check an existing one's version. Processes opening one new database at once
    take turns: one creates the layout, the others then find it."""
    with engine.begin() as conn:
        # (tables without the version row: maybe another process creating them; look again
        # in turn)
        if _check_schema(conn, creating_elsewhere=not read_only):
            return
    if read_only:
        raise FailedPreconditionError("the read-only database has no ML Metadata schema")
    with _creating(engine) as conn:
        if not _check_schema(conn):  # (unless another process made it meanwhile)
            for statement in _DDL[engine.dialect.name]():
                conn.exec_driver_sql(statement)
            raw = Raw(conn)
            raw.run("INSERT INTO MLMDEnv (schema_version) VALUES (?)", (SCHEMA_VERSION,))
            raw.insert("Type", ("name", "type_kind"), BUILTIN_TYPES)


def _check_schema(conn: Connection, creating_elsewhere: bool = False) -> bool:
    """Whether the database holds ML Metadata's layout at our version (False: it is empty, or
    has no version row yet and ``creating_elsewhere``); FailedPreconditionError for another
    version or another application's tables."""
    tables = {name.lower() for name in inspect(conn).get_table_names()}
    if "mlmdenv" in tables:
        versions = [row[0] for row in Raw(conn).rows("SELECT schema_version FROM MLMDEnv")]
        if not versions and creating_elsewhere:
            return False
        if len(versions) == 1 and versions[0] < SCHEMA_VERSION:
            raise FailedPreconditionError(  # (ml-metadata's words)
                f"MLMD database version {versions[0]} is older than library version "
                f"{SCHEMA_VERSION}. Schema migration is disabled. Please upgrade the database "
                "then use the library version; or switch to a older library version to use "
                "the current database. (datajourney: `datajourney --store URL upgrade`, "
                "upgrade=True, or enable_upgrade_migration=True in the ml-metadata drop-in)"
            )
        if len(versions) == 1 and versions[0] > SCHEMA_VERSION:
            raise FailedPreconditionError(  # (ml-metadata's words)
                f"MLMD database version {versions[0]} is greater than library version "
                f"{SCHEMA_VERSION}. Please upgrade the library to use the given database in "
                "order to prevent potential data loss. If data loss is acceptable, please "
                "downgrade the database using a newer version of library."
            )
        if versions != [SCHEMA_VERSION]:
            raise FailedPreconditionError(
                f"the database's MLMDEnv table holds schema versions {versions}, not one"
            )
        return True
    if tables and not creating_elsewhere:
        raise FailedPreconditionError(
            "the database holds tables but no MLMDEnv version row: it is not an "
            f"ML Metadata store (found {sorted(tables)[:5]})"
        )
    return False


_LOCKS = {  # (take, give) of a lock held while one process creates the layout
    "postgresql": ("SELECT pg_advisory_lock(%s)", "SELECT pg_advisory_unlock(%s)"),
    "mysql": ("SELECT GET_LOCK(%s, 600)", "SELECT RELEASE_LOCK(%s)"),
}


@contextmanager
def _creating(engine: Engine) -> Iterator[Connection]:
    """A transaction that waits its turn to create the layout: SQLite's write lock taken at
    BEGIN, else a lock on the server held beside the transaction (MySQL commits each DDL
    statement as it goes, so the others must not look before the version row is in)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE")  # our begin joins it
            with conn.begin():
                yield conn
            return
        take, give = _LOCKS[engine.dialect.name]
        key = _SCHEMA_LOCK_ID if engine.dialect.name == "postgresql" else _schema_lock_name(conn)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as locker:
            locker.exec_driver_sql(take, (key,))
            try:
                with conn.begin():
                    yield conn
            finally:
                locker.exec_driver_sql(give, (key,))


_SCHEMA_LOCK_ID = 0x646A5F736368  # PostgreSQL's advisory locks are per database already


def _schema_lock_name(conn: Connection) -> str:
    """MySQL's named locks span the server: one per database."""
    [(database,)] = conn.exec_driver_sql("SELECT DATABASE()").fetchall()
    conn.rollback()
    return f"datajourney_schema.{database}"[:64]


LARGE_STORE = 50_000  # artifacts; below this, plans without statistics are fast enough


def plan_statistics(engine: Engine) -> None:
    """Give SQLite's query planner statistics (ANALYZE, once) when a store has grown large.

    Without them SQLite cannot tell a type filter that matches every artifact from a selective
    one, and a limited listing of a million-artifact store sorts them all (seconds instead of
    a millisecond). The sqlite_stat1 table this writes is SQLite's own; ml-metadata ignores it.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        raw = Raw(conn)
        if raw.rows("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"):
            return
        [(largest,)] = raw.rows("SELECT COALESCE(MAX(id), 0) FROM Artifact")
        if largest >= LARGE_STORE:
            raw.run("ANALYZE")
