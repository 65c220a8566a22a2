"""A store written by the release before sizes, times and counts became DOUBLEs (63df312) keeps
working: its lake, warehouse and feature types declare them INT, and the lake kept ingestion
times in milliseconds. Ingest, load, materialize and save a training set into it; everything
reads back (issue 14)."""

from __future__ import annotations

import datetime

import pytest

import datajourney.metadata as dj
from datajourney.lake import Lake
from datajourney.warehouse import Warehouse
from tests.features.template import materialize_and_retrieve

INT, DOUBLE, STRING = dj.PropertyType.INT, dj.PropertyType.DOUBLE, dj.PropertyType.STRING
LAKE_ENTRY = {
    **dict.fromkeys(["path", "digest", "format", "name_says", "source", "tags"], STRING),
    "size": INT,
    "ingested_at": INT,  # milliseconds since the epoch
}
PREVIOUS_TYPES = [
    dj.ArtifactType(name="LakeEntry", properties=LAKE_ENTRY),
    dj.ArtifactType(
        name="WarehouseTableVersion", properties={"table": STRING, "version": INT, "rows": INT}
    ),
    dj.ExecutionType(
        name="FeatureMaterialization",
        properties={"view": STRING, "start_us": INT, "end_us": INT, "rows": INT},
    ),
    dj.ArtifactType(name="OnlineState", properties={"view": STRING, "end_us": INT}),
    dj.ExecutionType(name="FeatureRetrieval", properties={"features": STRING, "rows": INT}),
    dj.ArtifactType(name="TrainingSet", properties={"name": STRING, "rows": INT, "digest": STRING}),
]
LIVE = dj.ArtifactState.LIVE
OLD_MS = 1_700_000_000_123  # an entry the previous release ingested, 2023-11-14T22:13:20.123Z


@pytest.fixture
def old_store(tmp_path) -> str:
    """A store holding the previous release's types and one lake entry it ingested."""
    url = f"sqlite:///{tmp_path / 'metadata.sqlite'}"
    with dj.MetadataStore(url) as store:
        type_ids = [store.put_type(t) for t in PREVIOUS_TYPES]
        properties = {
            **dict.fromkeys(LAKE_ENTRY, ""),
            **{"path": "old/a.csv", "digest": "0" * 64, "format": "csv"},
            **{"size": 12, "ingested_at": OLD_MS},
        }
        store.put(
            [dj.Artifact(type_id=type_ids[0], uri="a.csv", properties=properties, state=LIVE)]
        )
    return url


def test_a_store_of_the_previous_release_keeps_working(tmp_path, old_store):
    (tmp_path / "users.csv").write_text("user_id,score\n1,0.5\n2,0.25\n")
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    with dj.MetadataStore(old_store) as store:
        lake = Lake(store, objects=tmp_path / "objects")
        [entry] = lake.ingest(str(tmp_path / "users.csv"), source="crm").added
        assert entry.size == (tmp_path / "users.csv").stat().st_size
        assert before <= entry.ingested_at <= datetime.datetime.now(datetime.UTC)
        # the previous release's entry reads back, its time in milliseconds
        old = datetime.datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=datetime.UTC)
        assert {e.path: (e.size, e.ingested_at) for e in lake.find()} == {
            "old/a.csv": (12, old),
            "users.csv": (entry.size, entry.ingested_at),
        }
        assert [e.path for e in lake.find(since=before)] == ["users.csv"]
        assert [e.path for e in lake.find(until=before)] == ["old/a.csv"]
        assert lake.find(since=entry.ingested_at) == [entry]

        warehouse = Warehouse(tmp_path / "warehouse", store=store)
        loaded = warehouse.load("crm.users", entry, create=True)
        assert loaded.rows == 2
        [version] = store.get_artifacts(type_name="WarehouseTableVersion")
        assert version.properties == {"table": "crm.users", "version": 1, "rows": 2}
        lake.close()

    first = materialize_and_retrieve(tmp_path, old_store)
    with dj.MetadataStore(old_store) as store:
        [saved] = store.get_artifacts(type_name="TrainingSet")
        assert saved.properties["rows"] == 2
        ends = [
            e.properties["end_us"] for e in store.get_executions(type_name="FeatureMaterialization")
        ]
        assert len(ends) == 2 * len(first) and all(type(end) is int for end in ends)
        assert [
            t.properties for t in store.get_types(dj.ArtifactType) if t.name == "LakeEntry"
        ] == [LAKE_ENTRY]


def test_the_server_shows_a_previous_release_entry_at_its_time(old_store):
    pytest.importorskip("fastapi", reason="the server extra is not installed")
    from fastapi.testclient import TestClient

    from datajourney.server import create_app

    with TestClient(create_app(old_store)) as client:
        [entry] = client.get("/api/lake").json()["items"]
    assert (entry["path"], entry["size"], entry["ingested_at"]) == ("old/a.csv", 12, OLD_MS)
