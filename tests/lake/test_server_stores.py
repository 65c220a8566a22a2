"""The lake with its catalog on PostgreSQL and MySQL / MariaDB, whose ML Metadata layouts keep
int properties in 32 bits (issue 14)."""

from __future__ import annotations

import datetime

import pytest

from datajourney.lake import Lake
from datajourney.lake.catalog import ENTRY_PROPERTIES, ENTRY_TYPE, entry_of, new_artifact
from datajourney.metadata.model import NodeKind
from datajourney.metadata.store import MetadataStore
from datajourney.metadata.tracking import declare_type
from tests.metadata.conftest import server_database  # noqa: F401  (the fixture)


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_ingest_find_and_read_with_the_catalog_on_a_server(
    backend,
    work,
    landing,
    server_database,  # noqa: F811
):
    before = datetime.datetime.now(datetime.UTC)
    with MetadataStore(server_database(backend)) as store, Lake(store) as lake:
        added = lake.ingest(landing, source="app").added
        assert len(added) == 5
        sizes = {e.path: e.size for e in lake.find()}
        assert sizes["landing/events/a.csv"] == (landing / "events" / "a.csv").stat().st_size
        assert len(lake.find(since=before)) == 5
        assert lake.find(until=before) == []
        newest = max(e.ingested_at for e in added)
        assert before <= newest <= datetime.datetime.now(datetime.UTC)
        assert lake.find(since=newest) == [e for e in lake.find() if e.ingested_at == newest]
        assert lake.read("landing/events/*.csv").table.num_rows == 3

        # a file over 4 GiB is catalogued with its exact size
        big = 5 * 2**30 + 3
        entry_type = declare_type(store, NodeKind.ARTIFACT, ENTRY_TYPE, ENTRY_PROPERTIES)
        [big_id] = store.put(
            [new_artifact(entry_type, "big.bin", "0" * 64, big, "binary", None, 1.5, "", (), "x")]
        )
        [stored] = store.get_artifacts(ids=[big_id])
        assert entry_of(stored, lake).size == big
