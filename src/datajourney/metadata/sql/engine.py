"""Opening a store's database: URL parsing, engine creation, schema creation and version check."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import StaticPool

from ..errors import FailedPreconditionError, InvalidArgumentError, NotFoundError
from .schema import BUILTIN_TYPES, SCHEMA_VERSION, sqlite_ddl

SQLITE_BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class SqliteTarget:
    """A SQLite database: a file path, or None for a private in-memory database."""

    path: str | None
    read_only: bool = False
    create: bool = True


def parse_url(url: str) -> SqliteTarget:
    """Understand ``sqlite:///path``, ``sqlite:///:memory:``, ``memory://`` or a bare path."""
    if url in ("memory://", "memory:", "sqlite://", "sqlite:///:memory:"):
        return SqliteTarget(None)
    if url.startswith("sqlite:///"):
        return SqliteTarget(url[len("sqlite:///") :])
    if "://" in url:
        scheme = url.split("://", 1)[0]
        raise InvalidArgumentError(
            f"unsupported store URL scheme {scheme!r} in {url!r}; use sqlite:///path or memory://"
        )
    return SqliteTarget(url)


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
            uri = f"file:{path.resolve()}?mode=ro"
            creator = _connector(uri, uri=True)
        else:
            if path.exists() and not os.access(path, os.W_OK):
                raise FailedPreconditionError(
                    f"metadata store file {str(path)!r} is read-only; open it read-only instead"
                )
            creator = _connector(str(path), uri=False, wal=True)
        engine = create_engine("sqlite://", creator=creator)

    @event.listens_for(engine, "begin")
    def _begin(connection):  # pysqlite defers BEGIN itself; issue it so reads see one snapshot
        connection.connection.dbapi_connection.execute("BEGIN")

    return engine


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
        if wal:
            mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode == "wal":
                connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    return connect


def ensure_schema(engine: Engine, read_only: bool = False) -> None:
    """Create the schema-v10 layout in an empty database, or check an existing one's version."""
    with engine.begin() as conn:
        tables = {
            row[0]
            for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "MLMDEnv" in tables:
            versions = [
                row[0] for row in conn.exec_driver_sql("SELECT schema_version FROM MLMDEnv")
            ]
            if versions != [SCHEMA_VERSION]:
                raise FailedPreconditionError(
                    f"the database has MLMD schema version {versions}, this library uses "
                    f"{SCHEMA_VERSION}; migrate it with ml-metadata first"
                )
            return
        if tables - {"sqlite_sequence"}:
            raise FailedPreconditionError(
                "the database holds tables but no MLMDEnv version row: it is not an "
                f"ML Metadata store (found {sorted(tables)[:5]})"
            )
        if read_only:
            raise FailedPreconditionError("the read-only database has no ML Metadata schema")
        for statement in sqlite_ddl():
            conn.exec_driver_sql(statement)
        conn.execute(text("INSERT INTO MLMDEnv(schema_version) VALUES (:v)"), {"v": SCHEMA_VERSION})
        conn.exec_driver_sql("INSERT INTO Type(name, type_kind) VALUES (?, ?)", list(BUILTIN_TYPES))
