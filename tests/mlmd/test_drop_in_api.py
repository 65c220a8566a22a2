"""The drop-in as ml-metadata's users call it: its argument names (so keyword calls run
unchanged) and the RuntimeError its constructor raises for a database it cannot open."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest

from datajourney.mlmd.metadata_store import metadata_store
from datajourney.mlmd.proto import metadata_store_pb2 as pb


def _store() -> metadata_store.MetadataStore:
    config = pb.ConnectionConfig()
    config.fake_database.SetInParent()
    return metadata_store.MetadataStore(config)


def test_types_are_found_by_external_ids_passed_by_keyword() -> None:
    store = _store()
    store.put_artifact_type(pb.ArtifactType(name="DataSet", external_id="ds"))
    store.put_execution_type(pb.ExecutionType(name="Trainer", external_id="tr"))
    store.put_context_type(pb.ContextType(name="Run", external_id="run"))
    found = [
        store.get_artifact_types_by_external_ids(external_ids=["ds"]),
        store.get_execution_types_by_external_ids(external_ids=["tr"]),
        store.get_context_types_by_external_ids(external_ids=["run", "other"]),
    ]
    assert [[t.name for t in types] for types in found] == [["DataSet"], ["Trainer"], ["Run"]]


def _sqlite_config(path: Path) -> pb.ConnectionConfig:
    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = str(path)
    return config


@pytest.mark.parametrize("version", [9, 11])
def test_a_database_at_another_schema_version_fails_to_open_with_runtime_error(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "other_version.sqlite"
    metadata_store.MetadataStore(_sqlite_config(path))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE MLMDEnv SET schema_version = ?", (version,))
    with pytest.raises(RuntimeError, match=f"MLMD database version {version} is "):
        metadata_store.MetadataStore(_sqlite_config(path))


def test_an_unreachable_server_fails_to_open_with_runtime_error() -> None:
    pytest.importorskip("pymysql", reason="MySQL needs the mysql extra")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = pb.ConnectionConfig()
    config.mysql.host, config.mysql.port, config.mysql.database = "127.0.0.1", port, "mlmd"
    with pytest.raises(RuntimeError, match=f"127.0.0.1:{port}"):
        metadata_store.MetadataStore(config)


def test_the_version_module_names_the_ml_metadata_release_matched() -> None:
    import datajourney.mlmd
    from datajourney.mlmd.version import __version__

    assert __version__ == datajourney.mlmd.__version__ == "1.17.1"
