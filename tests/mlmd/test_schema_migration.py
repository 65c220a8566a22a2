"""Stores at older MLMD schema versions (6-9, written by older TFX / Kubeflow): upgraded in place
with ``enable_upgrade_migration``, and a version-10 store downgraded with ``downgrade_schema``,
as ml-metadata 1.17.1 does. The fixtures under compat/old_stores were made by ml-metadata itself
(compat/old_stores.py make): each is a store at an old version and what ml-metadata reads from it
after its own upgrade."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import datajourney as dj
from datajourney.metadata import errors as dj_errors
from datajourney.mlmd import errors, metadata_store
from datajourney.mlmd.proto import metadata_store_pb2 as pb
from tests.mlmd.compat import old_stores
from tests.peer import mlmd_python

OURS = "datajourney.mlmd"
PEER = "ml_metadata"
VERSIONS = old_stores.VERSIONS
SCRIPT = Path(old_stores.__file__)


def _config(path: Path) -> pb.ConnectionConfig:
    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = str(path)
    return config


def _old_store(tmp_path: Path, version: int) -> Path:
    path = tmp_path / f"v{version}.sqlite"
    old_stores.from_sql((old_stores.HERE / f"v{version}.sql").read_text(), path)
    return path


def _expected(version: int) -> dict:
    return json.loads((old_stores.HERE / f"v{version}.json").read_text())


def _six_digits(value):
    """Doubles to 6 significant digits: ml-metadata writes only those to SQLite, we keep all,
    so a store we wrote holds more digits than the fixtures ml-metadata wrote."""
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {key: _six_digits(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_six_digits(item) for item in value]
    return value


def _version(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT schema_version FROM MLMDEnv"))


def _layout(path: Path) -> dict:
    """Every table's columns and every index (name, table, definition) of a SQLite file."""
    with sqlite3.connect(path) as db:
        tables = [
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        layout = {
            table: [tuple(column[1:]) for column in db.execute(f"PRAGMA table_info(`{table}`)")]
            for table in tables
            if table != "sqlite_sequence"
        }
        for table in tables:
            for index in db.execute(f"PRAGMA index_list(`{table}`)"):
                columns = [row[2] for row in db.execute(f"PRAGMA index_info(`{index[1]}`)")]
                origin_partial = index[3:]  # (origin, partial): names of automatic ones vary
                layout.setdefault("indexes", []).append((table, index[2], columns, *origin_partial))
        layout["indexes"] = sorted(layout["indexes"])
    layout["MLMDEnv"] = _version(path)
    return layout


def _dump_with(python: str, prefix: str, path: Path) -> dict:
    done = subprocess.run(
        [python, str(SCRIPT), prefix, "dump", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("version", VERSIONS)
def test_an_older_store_is_refused_without_migration_and_left_as_it_was(tmp_path, version):
    path = _old_store(tmp_path, version)
    before = old_stores.to_sql(path)
    with pytest.raises(RuntimeError, match=f"MLMD database version {version} is older than"):
        metadata_store.MetadataStore(_config(path))
    assert old_stores.to_sql(path) == before


@pytest.mark.parametrize("version", VERSIONS)
def test_upgrade_keeps_everything_ml_metadata_keeps(tmp_path, version):
    path = _old_store(tmp_path, version)
    metadata_store.MetadataStore(_config(path), enable_upgrade_migration=True)
    assert _version(path) == [(10,)]
    assert old_stores.dump(OURS, str(path)) == _expected(version)


@pytest.mark.parametrize("version", VERSIONS)
def test_an_upgraded_store_has_the_layout_of_a_new_one(tmp_path, version):
    path = _old_store(tmp_path, version)
    metadata_store.MetadataStore(_config(path), enable_upgrade_migration=True)
    fresh = tmp_path / "fresh.sqlite"
    metadata_store.MetadataStore(_config(fresh))
    assert _layout(path) == _layout(fresh)


@pytest.mark.parametrize("version", VERSIONS)
def test_downgrade_gives_ml_metadatas_layout_and_rows(tmp_path, version):
    path = tmp_path / "store.sqlite"
    old_stores.write(OURS, str(path))
    metadata_store.downgrade_schema(_config(path), version)
    assert _layout(path) == _layout(_old_store(tmp_path, version))
    with pytest.raises(RuntimeError, match="older than library version 10"):
        metadata_store.MetadataStore(_config(path))
    metadata_store.MetadataStore(_config(path), enable_upgrade_migration=True)
    assert _six_digits(old_stores.dump(OURS, str(path))) == _expected(version)


def test_downgrade_to_an_invalid_version_is_refused_as_ml_metadata_does(tmp_path):
    path = tmp_path / "store.sqlite"
    metadata_store.MetadataStore(_config(path))
    with pytest.raises(errors.InvalidArgumentError, match="not specified"):
        metadata_store.downgrade_schema(_config(path), -1)
    with pytest.raises(
        errors.InvalidArgumentError,
        match=r"MLMD cannot be downgraded to schema_version: 11\. The target version should be",
    ):
        metadata_store.downgrade_schema(_config(path), 11)
    metadata_store.downgrade_schema(_config(path), 10)  # already there: nothing to do
    with pytest.raises(errors.UnimplementedError, match="version 5 needs ml-metadata"):
        metadata_store.downgrade_schema(_config(path), 5)
    assert _version(path) == [(10,)]
    with pytest.raises(RuntimeError, match="Empty database is given"):
        metadata_store.downgrade_schema(_config(tmp_path / "missing.sqlite"), 8)


def test_downgrade_to_a_newer_version_than_the_stores_does_nothing(tmp_path):
    path = _old_store(tmp_path, 7)
    metadata_store.downgrade_schema(_config(path), 9)
    assert _version(path) == [(7,)]


def test_a_failed_upgrade_leaves_the_store_as_it_was(tmp_path):
    path = _old_store(tmp_path, 7)
    with sqlite3.connect(path) as db:  # the step to version 9 will trip over this table
        db.execute("CREATE TABLE `TypeTemp` (`id` INTEGER)")
    db.close()
    before = _layout(path)
    with pytest.raises(RuntimeError, match="TypeTemp"):
        metadata_store.MetadataStore(_config(path), enable_upgrade_migration=True)
    assert _layout(path) == before  # the step to version 8 was rolled back too
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE `TypeTemp`")
    db.close()
    metadata_store.MetadataStore(_config(path), enable_upgrade_migration=True)
    assert old_stores.dump(OURS, str(path)) == _expected(7)


def test_a_version_older_than_6_is_a_clear_error(tmp_path):
    path = _old_store(tmp_path, 6)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE MLMDEnv SET schema_version = 5")
    db.close()
    with pytest.raises(RuntimeError, match="versions 6-10; version 5 needs ml-metadata"):
        metadata_store.MetadataStore(_config(path), enable_upgrade_migration=True)
    assert _version(path) == [(5,)]


def test_the_native_store_upgrades_when_asked(tmp_path):
    path = _old_store(tmp_path, 8)
    with pytest.raises(dj_errors.FailedPreconditionError, match="upgrade=True"):
        dj.MetadataStore(f"sqlite:///{path}")
    store = dj.MetadataStore(f"sqlite:///{path}", upgrade=True)
    assert _version(path) == [(10,)]
    assert sorted(a.uri for a in store.get_artifacts()) == [
        "",
        "",
        "/data/2",
        "/data/3",
        "/data/4",
        "/model",
        "/model/2",
    ]


@pytest.fixture(scope="module")
def peer() -> str:
    return mlmd_python()


@pytest.mark.parametrize("version", VERSIONS)
def test_ml_metadata_reads_a_store_we_upgraded(tmp_path, peer, version):
    path = _old_store(tmp_path, version)
    metadata_store.MetadataStore(_config(path), enable_upgrade_migration=True)
    assert _dump_with(peer, PEER, path) == _expected(version)


@pytest.mark.parametrize("version", VERSIONS)
def test_ml_metadata_upgrades_a_store_we_downgraded(tmp_path, peer, version):
    path = tmp_path / "store.sqlite"
    old_stores.write(OURS, str(path))
    metadata_store.downgrade_schema(_config(path), version)
    subprocess.run([peer, str(SCRIPT), PEER, "upgrade", str(path)], check=True, capture_output=True)
    assert _six_digits(_dump_with(peer, PEER, path)) == _expected(version)
    assert _six_digits(_dump_with(sys.executable, OURS, path)) == _expected(version)


def test_a_newer_store_is_refused_even_with_migration_on(tmp_path):
    path = tmp_path / "store.sqlite"
    metadata_store.MetadataStore(_config(path))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE MLMDEnv SET schema_version = 11")
    db.close()
    with pytest.raises(RuntimeError, match="version 11 is greater than library version 10"):
        metadata_store.MetadataStore(_config(path), enable_upgrade_migration=True)
    assert _version(path) == [(11,)]
