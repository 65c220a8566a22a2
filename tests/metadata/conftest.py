"""The store under test on every backend: a SQLite file, in memory, MySQL / MariaDB, PostgreSQL,
and a ``datajourney serve`` server over a SQLite file (``http``: the remote store, started on a
background thread for the test).

The servers are those of DEVELOPERS.md (overridable with ``DATAJOURNEY_TEST_MYSQL`` and
``DATAJOURNEY_TEST_POSTGRESQL``, URLs without a database); each test gets a database of its own,
dropped afterwards. A server that does not answer skips its tests, except under CI (``CI=true``)
where it is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from functools import cache

import pytest
from sqlalchemy import create_engine, make_url

import datajourney as dj

SERVERS = {
    "mysql": os.environ.get("DATAJOURNEY_TEST_MYSQL", "mysql+pymysql://root@127.0.0.1:3306"),
    "postgresql": os.environ.get(
        "DATAJOURNEY_TEST_POSTGRESQL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    ),
}
BACKENDS = ("sqlite", "memory", "mysql", "postgresql", "http")


@cache
def _server_problem(backend: str) -> str | None:
    """Why the test server of ``backend`` cannot be used, or None when it answers."""
    engine = create_engine(SERVERS[backend], connect_args={"connect_timeout": 3})
    try:
        engine.connect().close()
    except Exception as error:  # any failure to connect: driver, network, credentials
        return f"{backend} test server at {SERVERS[backend]} unavailable: {error}"
    finally:
        engine.dispose()
    return None


def _admin(backend: str, statement: str) -> None:
    engine = create_engine(SERVERS[backend], isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


@pytest.fixture
def server_database() -> Iterator[Callable[[str], str]]:
    """``make(backend)``: the URL of a new, empty database on that server (``create=False``:
    of one not created yet), dropped after the test; skips (fails under CI) when the server
    does not answer."""
    made: list[tuple[str, str]] = []

    def make(backend: str, create: bool = True) -> str:
        problem = _server_problem(backend)
        if problem:
            if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
                pytest.fail(problem)
            pytest.skip(problem)
        name = f"dj_test_{uuid.uuid4().hex[:16]}"
        made.append((backend, name))
        if create:
            _admin(backend, f"CREATE DATABASE {name}")
        return make_url(SERVERS[backend]).set(database=name).render_as_string(False)

    yield make
    for backend, name in made:
        force = " WITH (FORCE)" if backend == "postgresql" else ""
        _admin(backend, f"DROP DATABASE IF EXISTS {name}{force}")


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path, server_database) -> Iterator[str]:
    """The URL of an empty store on each backend in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
    elif request.param == "memory":
        yield "memory://"
    elif request.param == "http":
        pytest.importorskip("uvicorn", reason="the http backend's tests need the server extra")
        from datajourney.server.running import running

        with running(f"sqlite:///{tmp_path / 'served.sqlite'}") as url:
            yield url
    else:
        yield server_database(request.param)


@pytest.fixture
def store(store_url) -> Iterator[dj.MetadataStore]:
    """A store on each backend in turn, closed after the test."""
    with dj.MetadataStore(store_url) as opened:
        yield opened


def drop_in_config(url: str, backend: str):
    """ml-metadata's ``ConnectionConfig`` for the server database at ``url``."""
    from datajourney.mlmd.proto import metadata_store_pb2 as pb

    parts = make_url(url)
    config = pb.ConnectionConfig()
    if backend == "mysql":
        config.mysql.MergeFrom(
            pb.MySQLDatabaseConfig(
                host=parts.host, port=parts.port, user=parts.username, database=parts.database
            )
        )
    else:
        config.postgresql.MergeFrom(
            pb.PostgreSQLDatabaseConfig(
                host=parts.host, port=str(parts.port), user=parts.username, dbname=parts.database
            )
        )
    return config
