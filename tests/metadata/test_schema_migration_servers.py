"""MLMD schema migrations are SQLite-only for now: a MySQL / PostgreSQL database at an older
version, or a downgrade there, is one clear error and the database is left as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

import datajourney as dj
from datajourney.metadata.errors import FailedPreconditionError, UnimplementedError
from datajourney.mlmd.metadata_store import metadata_store

from .conftest import SERVERS, drop_in_config


def _set_version(url: str, version: int | None) -> list[tuple]:
    """Set (when given) and read the database's MLMDEnv version row."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if version is not None:
                conn.exec_driver_sql(f"UPDATE MLMDEnv SET schema_version = {version}")
            return [tuple(row) for row in conn.exec_driver_sql("SELECT * FROM MLMDEnv")]
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", SERVERS)
def test_an_older_server_store_is_refused_with_a_clear_error(server_database, backend):
    url = server_database(backend)
    dj.MetadataStore(url).close()
    _set_version(url, 9)
    with pytest.raises(FailedPreconditionError, match="version 9 is older than library"):
        dj.MetadataStore(url)
    with pytest.raises(UnimplementedError, match=f"SQLite databases only.*{backend}"):
        dj.MetadataStore(url, upgrade=True)
    with pytest.raises(RuntimeError, match="SQLite databases only"):
        metadata_store.MetadataStore(drop_in_config(url, backend), enable_upgrade_migration=True)
    assert _set_version(url, None) == [(9,)]


@pytest.mark.parametrize("backend", SERVERS)
def test_a_server_store_is_not_downgraded(server_database, backend):
    url = server_database(backend)
    dj.MetadataStore(url).close()
    with pytest.raises(UnimplementedError, match="SQLite databases only"):
        metadata_store.downgrade_schema(drop_in_config(url, backend), 8)
    assert _set_version(url, None) == [(10,)]
