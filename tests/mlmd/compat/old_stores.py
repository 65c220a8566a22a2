"""Stores at older MLMD schema versions, made by real ml-metadata, for the migration tests.

    .peers/mlmd/bin/python tests/mlmd/compat/old_stores.py make      # regenerate the fixtures
    .peers/mlmd/bin/python tests/mlmd/compat/old_stores.py make-servers [mysql] [postgresql]
    python tests/mlmd/compat/old_stores.py <prefix> upgrade <file>   # open with migration on
    python tests/mlmd/compat/old_stores.py <prefix> downgrade <file> <version>
    python tests/mlmd/compat/old_stores.py <prefix> dump <file>

``make`` writes roundtrip.py's varied store with ml-metadata 1.17.1, downgrades copies to each
version with its ``downgrade_schema``, and keeps each as SQL text (``old_stores/v<N>.sql``)
beside what ml-metadata reads from it after its own upgrade (``old_stores/v<N>.json``).
``make-servers`` does the same on the MySQL / PostgreSQL test servers (``SERVERS``), keeping
each as a dump (``old_stores/<server>_v<N>.sql``, run by ``load_server``) beside its JSON.
"""

from __future__ import annotations

import importlib
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).parent))
import roundtrip

HERE = Path(__file__).parent / "old_stores"
VERSIONS = (6, 7, 8, 9)


def _config(prefix: str, path: str):
    """The ConnectionConfig of a SQLite file, or of a ``mysql://`` / ``postgresql://`` database
    URL (a SQLAlchemy URL with a driver, such as ``mysql+pymysql://``, too)."""
    pb = importlib.import_module(f"{prefix}.proto.metadata_store_pb2")
    config = pb.ConnectionConfig()
    url = urlsplit(path)
    if url.scheme.startswith("mysql"):
        config.mysql.MergeFrom(
            pb.MySQLDatabaseConfig(
                host=url.hostname, port=url.port, user=url.username, database=url.path[1:]
            )
        )
    elif url.scheme.startswith("postgresql"):
        config.postgresql.MergeFrom(
            pb.PostgreSQLDatabaseConfig(
                host=url.hostname, port=str(url.port), user=url.username, dbname=url.path[1:]
            )
        )
    else:
        config.sqlite.filename_uri = path
        config.sqlite.connection_mode = 3
    return config


@contextmanager
def _roundtrip_on(prefix: str):
    """roundtrip.py's write and dump, connecting through ``_config`` (servers too)."""
    original = roundtrip.connect

    def connect(prefix: str, path: str, mode: int):
        ms = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
        pb = importlib.import_module(f"{prefix}.proto.metadata_store_pb2")
        return ms, pb, ms.MetadataStore(_config(prefix, path))

    roundtrip.connect = connect
    try:
        yield
    finally:
        roundtrip.connect = original


def upgrade(prefix: str, path: str) -> None:
    ms = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
    ms.MetadataStore(_config(prefix, path), enable_upgrade_migration=True)


def downgrade(prefix: str, path: str, version: int) -> None:
    ms = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
    ms.downgrade_schema(_config(prefix, path), version)


def write(prefix: str, path: str) -> None:
    """roundtrip.py's store without the proto and bool values that only version 10 can hold
    (a downgrade keeps the rows but loses those values, and a row without a value is an
    error in either library)."""
    with _roundtrip_on(prefix):
        roundtrip.write(prefix, path)
    ms = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
    store = ms.MetadataStore(_config(prefix, path))
    artifacts = store.get_artifacts()
    for artifact in artifacts:
        for properties in (artifact.properties, artifact.custom_properties):
            for name in [
                name
                for name, value in properties.items()
                if value.WhichOneof("value") in ("proto_value", "bool_value")
            ]:
                del properties[name]
    store.put_artifacts(artifacts)


def dump(prefix: str, path: str) -> dict:
    """roundtrip.py's dump, where an external id found nowhere (below version 9 there are
    none) reads as no artifacts rather than ending the dump with NotFoundError."""
    ms = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
    errors = importlib.import_module(f"{prefix}.errors")
    name = "get_artifacts_by_external_ids"
    original = vars(ms.MetadataStore)[name]

    def lenient(self, *args, **kwargs):
        try:
            return original.__get__(self, type(self))(*args, **kwargs)
        except errors.NotFoundError:
            return []

    setattr(ms.MetadataStore, name, lenient)
    try:
        with _roundtrip_on(prefix):
            return roundtrip.dump(prefix, path)
    finally:
        setattr(ms.MetadataStore, name, original)


def to_sql(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return "\n".join(db.iterdump()) + "\n"


def from_sql(sql: str, path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.executescript(sql)
    db.close()


SERVERS = {  # the DEVELOPERS.md test servers, as the command-line clients reach them
    "mysql": ("mysql://root@127.0.0.1:3306", ["mysql", "-h127.0.0.1", "-uroot"]),
    "postgresql": ("postgresql://postgres@127.0.0.1:5432", ["psql", "-qh127.0.0.1", "-Upostgres"]),
}


def server_fixture(backend: str, version: int) -> Path:
    return HERE / f"{backend}_v{version}.sql"


def _admin(backend: str, statement: str) -> None:
    client = SERVERS[backend][1]
    database = ["-dpostgres"] if backend == "postgresql" else []
    subprocess.run(
        [*client, *database, "-c" if backend == "postgresql" else "-e", statement], check=True
    )


def _server_dump(backend: str, database: str) -> str:
    """The database as SQL text that ``load_server`` runs (no client-only commands)."""
    if backend == "mysql":
        command = [
            "mysqldump",
            "-h127.0.0.1",
            "-uroot",
            "--skip-comments",
            "--compact",
            "--hex-blob",
            "--skip-extended-insert",
            database,
        ]
    else:
        command = [
            "pg_dump",
            "-h127.0.0.1",
            "-Upostgres",
            "--inserts",
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            database,
        ]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    lines = [line for line in text.splitlines() if not line.startswith(("\\", "--", "/*M!"))]
    return "\n".join(line for line in lines if line.strip()) + "\n"


def load_server(url: str, sql: str) -> None:
    """Run a dump of ``_server_dump`` in the (empty) database at the SQLAlchemy ``url``."""
    from sqlalchemy import create_engine

    if url.startswith("mysql"):
        from pymysql.constants import CLIENT

        engine = create_engine(url, connect_args={"client_flag": CLIENT.MULTI_STATEMENTS})
    else:
        engine = create_engine(url)
    try:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql)
            while cursor.nextset():
                pass
            connection.commit()
        finally:
            connection.close()
    finally:
        engine.dispose()


_SHRINK_TIMES = (
    ";".join(
        f"UPDATE {table} SET create_time_since_epoch = create_time_since_epoch % 1000000, "
        "last_update_time_since_epoch = last_update_time_since_epoch % 1000000"
        for table in ("artifact", "execution", "context")
    )
    + ";UPDATE event SET milliseconds_since_epoch = milliseconds_since_epoch % 1000000"
)


def make_servers(backends: list[str]) -> None:
    """Each server's fixtures: roundtrip.py's store written there by ml-metadata (32-bit
    int_values), downgraded to each version, and what ml-metadata reads after upgrading it."""
    roundtrip.ROWS = 10**6
    for backend, (server, _) in SERVERS.items():
        if backends and backend not in backends:
            continue
        for version in VERSIONS:
            old, upgraded = f"dj_old_stores_v{version}", f"dj_old_stores_up{version}"
            for database in (old, upgraded):
                _admin(backend, f"DROP DATABASE IF EXISTS {database}")
                _admin(backend, f"CREATE DATABASE {database}")
            try:
                write("ml_metadata", f"{server}/{old}")
                downgrade("ml_metadata", f"{server}/{old}", version)
                sql = _server_dump(backend, old)
                server_fixture(backend, version).write_text(sql)
                client = SERVERS[backend][1]
                subprocess.run([*client, upgraded], input=sql, text=True, check=True)
                if backend == "postgresql":  # its upgrade copies times into INT columns
                    subprocess.run([*client, upgraded, "-c", _SHRINK_TIMES], check=True)
                upgrade("ml_metadata", f"{server}/{upgraded}")
                seen = dump("ml_metadata", f"{server}/{upgraded}")
                path = HERE / f"{backend}_v{version}.json"
                path.write_text(json.dumps(seen, indent=1, sort_keys=True))
            finally:
                for database in (old, upgraded):
                    _admin(backend, f"DROP DATABASE IF EXISTS {database}")


def make() -> None:
    HERE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        latest = Path(tmp) / "v10.sqlite"
        write("ml_metadata", str(latest))
        for version in VERSIONS:
            old = Path(tmp) / f"v{version}.sqlite"
            shutil.copy(latest, old)
            downgrade("ml_metadata", str(old), version)
            (HERE / f"v{version}.sql").write_text(to_sql(old))
            upgraded = Path(tmp) / f"up{version}.sqlite"
            from_sql(to_sql(old), upgraded)
            upgrade("ml_metadata", str(upgraded))
            seen = dump("ml_metadata", str(upgraded))
            (HERE / f"v{version}.json").write_text(json.dumps(seen, indent=1, sort_keys=True))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make()
    elif sys.argv[1] == "make-servers":
        make_servers(sys.argv[2:])
    elif sys.argv[2] == "dump":
        json.dump(dump(sys.argv[1], sys.argv[3]), sys.stdout, indent=1, sort_keys=True)
    elif sys.argv[2] == "upgrade":
        upgrade(sys.argv[1], sys.argv[3])
    else:
        downgrade(sys.argv[1], sys.argv[3], int(sys.argv[4]))
