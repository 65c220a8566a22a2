"""MLMD stores at schema versions 6-9 on MySQL / MariaDB and PostgreSQL (older Kubeflow Pipelines
and TFX releases wrote them) are upgraded in place to version 10; downgrades there are refused.

The fixtures (tests/mlmd/compat/old_stores/<server>_v<N>.sql and .json) were made by ml-metadata
1.17.1 on these servers (``old_stores.py make-servers``): its store downgraded to each version
with its ``downgrade_schema``, and what it reads from that store after its own upgrade."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from sqlalchemy import create_engine

import datajourney as dj
from datajourney.metadata.errors import FailedPreconditionError, UnimplementedError
from datajourney.metadata.sql import server_migration
from datajourney.mlmd.metadata_store import metadata_store
from datajourney.mlmd.proto import metadata_store_pb2 as pb
from tests.mlmd.compat import old_stores
from tests.peer import mlmd_python

from .conftest import SERVERS, drop_in_config

OURS = "datajourney.mlmd"
CASES = [(backend, version) for backend in SERVERS for version in old_stores.VERSIONS]


def _query(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.exec_driver_sql(sql)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def _old_store(server_database, backend: str, version: int) -> str:
    url = server_database(backend)
    old_stores.load_server(url, old_stores.server_fixture(backend, version).read_text())
    return url


def _expected(backend: str, version: int) -> dict:
    return json.loads((old_stores.HERE / f"{backend}_v{version}.json").read_text())


def _unordered(dump: dict) -> dict:
    """ml-metadata lists PostgreSQL rows in no particular order: compare the lists as sets."""
    return {
        key: sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
        if isinstance(value, list)
        else value
        for key, value in dump.items()
    }


def _tables(url: str, backend: str) -> list[str]:
    if backend == "mysql":
        return sorted(row[0] for row in _query(url, "SHOW TABLES"))
    return sorted(
        row[0] for row in _query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    )


def _layout(url: str, backend: str) -> dict:
    """Every table's definition: columns, keys, indexes (and PostgreSQL's sequences)."""
    if backend == "mysql":
        return {
            table: re.sub(
                r" AUTO_INCREMENT=\d+", "", _query(url, f"SHOW CREATE TABLE {table}")[0][1]
            )
            for table in _tables(url, backend)
        }
    return {
        "columns": _query(
            url,
            "SELECT table_name, column_name, ordinal_position, data_type, is_nullable, "
            "column_default, character_maximum_length FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY 1, 3",
        ),
        "indexes": _query(
            url,
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = 'public' ORDER BY 1, 2",
        ),
        "constraints": _query(
            url,
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
        ),
        "sequences": _query(url, "SELECT sequencename, data_type FROM pg_sequences ORDER BY 1"),
    }


def _rows(url: str, backend: str) -> dict:
    """Every table's rows, sorted."""
    return {
        table: sorted(_query(url, f"SELECT * FROM {table}"), key=repr)
        for table in _tables(url, backend)
    }


@pytest.mark.parametrize(("backend", "version"), CASES)
def test_an_older_server_store_is_refused_without_upgrade(server_database, backend, version):
    url = _old_store(server_database, backend, version)
    before = _rows(url, backend)
    with pytest.raises(FailedPreconditionError, match=f"version {version} is older than library"):
        dj.MetadataStore(url)
    with pytest.raises(RuntimeError, match=f"version {version} is older than library"):
        metadata_store.MetadataStore(drop_in_config(url, backend))
    assert _rows(url, backend) == before


@pytest.mark.parametrize(("backend", "version"), CASES)
def test_upgrade_keeps_everything_ml_metadata_keeps(server_database, backend, version):
    url = _old_store(server_database, backend, version)
    metadata_store.MetadataStore(drop_in_config(url, backend), enable_upgrade_migration=True)
    assert _query(url, "SELECT * FROM MLMDEnv") == [(10,)]
    seen, expected = old_stores.dump(OURS, url), _expected(backend, version)
    if backend == "postgresql":
        seen, expected = _unordered(seen), _unordered(expected)
    if backend == "mysql" and version == 9:
        # ml-metadata's get_artifact_type on MySQL leaves the type's external_id out (the row
        # holds it: its get_artifact_types_by_external_ids finds it); we read it everywhere
        assert seen["dataset type"].pop("external_id") == "type-dataset"
    assert seen == expected


@pytest.mark.parametrize(("backend", "version"), CASES)
def test_an_upgraded_server_store_has_the_layout_of_a_new_one(server_database, backend, version):
    url = _old_store(server_database, backend, version)
    dj.MetadataStore(url, upgrade=True).close()
    fresh = server_database(backend)
    dj.MetadataStore(fresh).close()
    assert _layout(url, backend) == _layout(fresh, backend)


@pytest.mark.parametrize(("backend", "version"), CASES)
def test_new_ids_follow_the_old_ones_after_an_upgrade(server_database, backend, version):
    url = _old_store(server_database, backend, version)
    largest = {
        table: _query(url, f"SELECT MAX(id) FROM {table}")[0][0]
        for table in ("Type", "Artifact", "Execution", "Context", "Event", "Attribution")
    }
    store = metadata_store.MetadataStore(
        drop_in_config(url, backend), enable_upgrade_migration=True
    )
    type_id = store.put_artifact_type(pb.ArtifactType(name="After"))
    [artifact_id] = store.put_artifacts([pb.Artifact(type_id=type_id, uri="/after")])
    [execution] = store.get_executions()
    [context] = [c for c in store.get_contexts() if c.name == "run-1"]
    event = pb.Event(artifact_id=artifact_id, execution_id=execution.id, type=pb.Event.OUTPUT)
    store.put_execution(
        execution, [(store.get_artifacts_by_id([artifact_id])[0], event)], [context]
    )
    execution_type = store.get_execution_types()[0]
    [new_execution] = store.put_executions([pb.Execution(type_id=execution_type.id)])
    [new_context] = store.put_contexts([pb.Context(type_id=context.type_id, name="later")])
    assert (type_id, artifact_id, new_execution, new_context) == (
        largest["Type"] + 1,
        largest["Artifact"] + 1,
        largest["Execution"] + 1,
        largest["Context"] + 1,
    )
    assert _query(url, "SELECT MAX(id) FROM Event") == [(largest["Event"] + 1,)]
    assert _query(url, "SELECT MAX(id) FROM Attribution") == [(largest["Attribution"] + 1,)]
    assert [e.path for e in store.get_events_by_artifact_ids([artifact_id])] == [event.path]


@pytest.mark.parametrize(("backend", "version"), CASES)
def test_ml_metadata_reads_a_server_store_we_upgraded(server_database, backend, version):
    url = _old_store(server_database, backend, version)
    dj.MetadataStore(url, upgrade=True).close()
    done = subprocess.run(
        [mlmd_python(), old_stores.__file__, "ml_metadata", "dump", url],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout)
    assert _unordered(seen) == _unordered(_expected(backend, version))


@pytest.mark.parametrize("backend", SERVERS)
def test_duplicate_events_keep_the_newest_as_ml_metadata_does(server_database, backend):
    """(What ml-metadata 1.17.1's own upgrade left of these rows on MySQL.)"""
    url = _old_store(server_database, backend, 7)
    flag = "FALSE" if backend == "postgresql" else "0"
    _query(url, "INSERT INTO Event VALUES (4, 1, 1, 3, 5)")
    _query(url, f"INSERT INTO EventPath VALUES (4, {flag}, NULL, 'dup')")
    _query(url, "INSERT INTO Event VALUES (5, 1, 1, 4, 6)")
    dj.MetadataStore(url, upgrade=True).close()
    events = _query(url, "SELECT id, artifact_id, execution_id, type FROM Event ORDER BY id")
    assert events == [(2, 2, 1, 3), (3, 7, 1, 4), (4, 1, 1, 3), (5, 1, 1, 4)]
    paths = _query(url, "SELECT event_id, step_index, step_key FROM EventPath")
    assert sorted(paths, key=repr) == [(2, 2, None), (2, None, "examples"), (4, None, "dup")]


@pytest.mark.parametrize("backend", SERVERS)
def test_a_failed_upgrade_loses_nothing_and_can_be_run_again(server_database, backend, monkeypatch):
    url = _old_store(server_database, backend, 7)
    before = _rows(url, backend)
    copy = server_migration._copy

    def failing(conn, table, *args):
        if table == "Event":  # half-way: types and nodes are copied, events not yet
            raise RuntimeError("the server went away (injected)")
        copy(conn, table, *args)

    monkeypatch.setattr(server_migration, "_copy", failing)
    with pytest.raises(RuntimeError, match="injected"):
        dj.MetadataStore(url, upgrade=True)
    assert _rows(url, backend) == before  # the same tables (no leftovers), every row
    monkeypatch.setattr(server_migration, "_copy", copy)
    dj.MetadataStore(url, upgrade=True).close()
    seen, expected = old_stores.dump(OURS, url), _expected(backend, 7)
    assert _unordered(seen) == _unordered(expected)


def test_an_interrupted_mysql_upgrade_is_resumed(server_database):
    """A process killed before the swap leaves the new tables half-filled beside the intact
    old store; the next upgrade starts over."""
    url = _old_store(server_database, "mysql", 8)
    _query(url, "CREATE TABLE Artifact_mlmd10 (id INT)")
    _query(url, "INSERT INTO Artifact_mlmd10 VALUES (1)")
    dj.MetadataStore(url, upgrade=True).close()
    assert old_stores.dump(OURS, url) == _expected("mysql", 8)
    assert not [table for table in _tables(url, "mysql") if "_mlmd" in table]


@pytest.mark.parametrize("backend", SERVERS)
def test_a_server_store_is_not_downgraded(server_database, backend):
    url = server_database(backend)
    dj.MetadataStore(url).close()
    with pytest.raises(UnimplementedError, match=r"downgrades .* SQLite databases only"):
        metadata_store.downgrade_schema(drop_in_config(url, backend), 8)
    assert _query(url, "SELECT * FROM MLMDEnv") == [(10,)]
