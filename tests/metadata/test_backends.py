"""Server backends: ml-metadata's layout on MySQL / PostgreSQL, files (databases) shared with
ml-metadata both ways, the 32-bit int_value, long lineage walks, URLs and drop-in configs."""

from __future__ import annotations

import json
import re
import subprocess
import textwrap

import pytest
from sqlalchemy import create_engine, make_url

import datajourney.metadata as dj
from datajourney.metadata.errors import FailedPreconditionError, InvalidArgumentError
from datajourney.metadata.sql.engine import SqliteTarget, parse_url
from datajourney.mlmd.metadata_store.connection import store_url
from datajourney.mlmd.proto import metadata_store_pb2 as pb
from tests.peer import mlmd_python

from .conftest import drop_in_config

SERVERS = ("mysql", "postgresql")

PEER = textwrap.dedent("""
    import json, sys
    from ml_metadata.metadata_store import metadata_store
    from ml_metadata.proto import metadata_store_pb2 as pb
    backend, host, port, user, database, action = sys.argv[1:]
    config = pb.ConnectionConfig()
    if backend == "mysql":
        config.mysql.MergeFrom(pb.MySQLDatabaseConfig(
            host=host, port=int(port), user=user, database=database))
    else:
        config.postgresql.MergeFrom(pb.PostgreSQLDatabaseConfig(
            host=host, port=port, user=user, dbname=database))
    store = metadata_store.MetadataStore(config)
    if action == "write":
        t = pb.ArtifactType(name="Data", properties={"n": pb.INT})
        type_id = store.put_artifact_type(t)
        a = pb.Artifact(type_id=type_id, uri="peer/a")
        a.properties["n"].int_value = 7
        store.put_artifacts([a])
    json.dump(sorted([a.uri, a.properties["n"].int_value] for a in store.get_artifacts()),
              sys.stdout)
""")


def _peer(url: str, action: str) -> list:
    parts = make_url(url)
    backend = parts.get_backend_name()
    args = [backend, parts.host, str(parts.port), parts.username, parts.database, action]
    done = subprocess.run(
        [mlmd_python(), "-c", PEER, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _layout(url: str) -> list:
    """Tables, columns, keys and indexes as the server's catalog describes them."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "mysql":
                tables = [row[0] for row in conn.exec_driver_sql("SHOW TABLES")]
                return [
                    re.sub(
                        r" AUTO_INCREMENT=\d+",
                        "",
                        conn.exec_driver_sql(f"SHOW CREATE TABLE `{table}`").one()[1],
                    )
                    for table in sorted(tables)
                ]
            columns = conn.exec_driver_sql(
                "SELECT table_name, column_name, data_type, is_nullable, column_default "
                "FROM information_schema.columns WHERE table_schema = 'public' "
                "ORDER BY table_name, ordinal_position"
            ).all()
            indexes = conn.exec_driver_sql(
                "SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = 'public' ORDER BY indexname"
            ).all()
            return [list(map(tuple, columns)), list(map(tuple, indexes))]
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", SERVERS)
def test_layout_is_ml_metadatas(server_database, backend):
    theirs, ours = server_database(backend), server_database(backend)
    assert _peer(theirs, "read") == []
    dj.MetadataStore(ours).close()
    assert _layout(ours) == _layout(theirs)


@pytest.mark.parametrize("backend", SERVERS)
def test_stores_are_shared_with_ml_metadata_both_ways(server_database, backend):
    url = server_database(backend)
    assert _peer(url, "write") == [["peer/a", 7]]
    with dj.MetadataStore(url) as store:
        [peer_artifact] = store.get_artifacts()
        assert (peer_artifact.uri, peer_artifact.properties) == ("peer/a", {"n": 7})
        with store.run("Train") as run:
            run.output("Data", uri="ours/b", n=8)
    assert _peer(url, "read") == [["ours/b", 8], ["peer/a", 7]]


def test_int_value_is_32_bits_on_servers_only(store_url):
    big = 2**40
    with dj.MetadataStore(store_url) as store:
        data = store.put_type(dj.ArtifactType(name="Data", properties={"n": dj.PropertyType.INT}))
        fits = dj.Artifact(type_id=data, uri="a", properties={"n": 2**31 - 1})
        wide = dj.Artifact(type_id=data, uri="b", properties={"n": big})
        store.put([fits])
        if store_url.startswith(("sqlite", "memory", "http")):  # http: a server over SQLite
            store.put([wide])
            assert sorted(a.properties["n"] for a in store.get_artifacts()) == [2**31 - 1, big]
            return
        with pytest.raises(InvalidArgumentError, match=r"property 'n' = 1099511627776.*32-bit"):
            store.put([wide])
        assert [a.uri for a in store.get_artifacts()] == ["a"]


def test_lineage_walks_past_the_servers_recursion_limit(store):
    steps = 1_100  # the servers stop recursive queries after 1,000 iterations by default
    data = store.put_type(dj.ArtifactType(name="Data"))
    step = store.put_type(dj.ExecutionType(name="Step"))
    artifacts = [dj.Artifact(type_id=data, uri=str(i)) for i in range(steps + 1)]
    executions = [dj.Execution(type_id=step) for _ in range(steps)]
    edges = [(i, i, dj.Event(type=dj.EventType.INPUT)) for i in range(steps)]
    edges += [(i, i + 1, dj.Event(type=dj.EventType.OUTPUT)) for i in range(steps)]
    _, artifact_ids, _ = store.put_lineage_subgraph(executions, artifacts, [], edges)
    graph = store.lineage(artifact_ids[-1], "upstream")
    assert len(graph.artifacts) == steps + 1 and len(graph.executions) == steps


@pytest.mark.parametrize("backend", SERVERS)
def test_missing_database_is_created_and_read_only_refuses_writes(server_database, backend):
    url = server_database(backend, create=False)
    with dj.MetadataStore(url) as store:
        store.put_type(dj.ArtifactType(name="Data"))
    with dj.MetadataStore(url, read_only=True) as reader:
        assert [t.name for t in reader.get_types(dj.ArtifactType)] == ["Data"]
        with pytest.raises(FailedPreconditionError, match="read-only"):
            reader.put_type(dj.ArtifactType(name="Other"))


@pytest.mark.parametrize("backend", SERVERS)
def test_drop_in_connection_configs_open_the_server(server_database, backend):
    from datajourney.mlmd.metadata_store import metadata_store

    config = drop_in_config(server_database(backend), backend)
    mlmd = metadata_store.MetadataStore(config)
    type_id = mlmd.put_artifact_type(pb.ArtifactType(name="Data"))
    [artifact_id] = mlmd.put_artifacts([pb.Artifact(type_id=type_id, uri="x")])
    assert [a.uri for a in mlmd.get_artifacts_by_id([artifact_id])] == ["x"]


def test_connection_configs_become_urls():
    mysql = pb.ConnectionConfig(
        mysql=pb.MySQLDatabaseConfig(
            host="db", port=3306, database="mlmd", user="u", password="p@ss", skip_db_creation=True
        )
    )
    assert store_url(mysql) == ("mysql+pymysql://u:p%40ss@db:3306/mlmd", False, False)
    postgresql = pb.ConnectionConfig(
        postgresql=pb.PostgreSQLDatabaseConfig(
            host="h", port="5433", user="u", dbname="m", ssloption={"sslmode": "require"}
        )
    )
    assert store_url(postgresql) == (
        "postgresql+psycopg://u@h:5433/m?sslmode=require",
        False,
        True,
    )
    with pytest.raises(InvalidArgumentError):
        store_url(pb.ConnectionConfig(mysql=pb.MySQLDatabaseConfig(host="db")))


def test_store_urls():
    assert parse_url("memory://") == SqliteTarget(None)
    assert parse_url("mysql://u@h/db").drivername == "mysql+pymysql"
    assert parse_url("mysql+pymysql://u@h/db").drivername == "mysql+pymysql"
    assert parse_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert parse_url("postgresql+psycopg://u@h:5433/db").port == 5433
    for bad in ("oracle://u@h/db", "mysql://u@h", "postgresql://"):
        with pytest.raises(InvalidArgumentError):
            dj.MetadataStore(bad)
