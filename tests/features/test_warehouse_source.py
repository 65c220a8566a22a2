"""A warehouse table at a version as a feature view's source, and the lineage from the raw file
through the warehouse load to the features and the training set."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from datajourney.features import (
    Entity,
    FeatureStore,
    FeatureStoreError,
    FeatureView,
    Field,
    RepoConfig,
    WarehouseSource,
)
from datajourney.features.types import Float64, Int64
from datajourney.warehouse import Warehouse

UTC = timezone.utc


def _csv(path, rows):
    path.write_text("driver_id,event_timestamp,rate\n" + "".join(f"{r}\n" for r in rows))
    return str(path)


@pytest.fixture
def world(tmp_path):
    """A warehouse table loaded twice (version 1: the first rows, version 2: a correction of
    driver 1's 10:00 value) and a feature store over it, both in one metadata store."""
    first = _csv(
        tmp_path / "stats.csv",
        ["1,2024-01-01T10:00:00Z,0.5", "2,2024-01-01T10:00:00Z,0.7"],
    )
    fix = _csv(tmp_path / "fix.csv", ["1,2024-01-01T10:00:00Z,0.55"])
    config = RepoConfig(
        project="wh",
        registry=str(tmp_path / "metadata.sqlite"),
        online_store={"type": "sqlite", "path": str(tmp_path / "online.db")},
        repo_path=tmp_path,
        warehouse="wh",
    )
    store = FeatureStore(config=config)
    warehouse = Warehouse(tmp_path / "wh", store=store.metadata)
    loads = [
        warehouse.load("drivers.stats", first, create=True),
        warehouse.load("drivers.stats", fix),
    ]
    yield store, loads, first
    store.close()


def _view(version=None, table="drivers.stats"):
    driver = Entity(name="driver", join_keys=["driver_id"])
    return driver, FeatureView(
        name="driver_stats",
        entities=[driver],
        ttl=timedelta(days=1),
        schema=[Field(name="driver_id", dtype=Int64), Field(name="rate", dtype=Float64)],
        source=WarehouseSource(table=table, timestamp_field="event_timestamp", version=version),
    )


ENTITIES = pd.DataFrame(
    {
        "driver_id": [1, 2, 1],
        "event_timestamp": [
            datetime(2024, 1, 1, 12, tzinfo=UTC),
            datetime(2024, 1, 1, 12, tzinfo=UTC),
            datetime(2024, 1, 1, 9, tzinfo=UTC),
        ],
    }
)


def test_latest_version_takes_the_correction_and_a_pinned_version_does_not(world):
    store, loads, _ = world
    assert [load.version for load in loads] == [1, 2]
    store.apply(list(_view()))
    latest = store.get_historical_features(ENTITIES, ["driver_stats:rate"]).to_df()
    assert latest["rate"].tolist()[:2] == [0.55, 0.7]
    assert pd.isna(latest["rate"][2])  # before any feature row
    store.apply(list(_view(version=1)))
    pinned = store.get_historical_features(ENTITIES, ["driver_stats:rate"]).to_df()
    assert pinned["rate"].tolist()[:2] == [0.5, 0.7]
    assert [v.spec["source"]["version"] for v in store.history("driver_stats")] == [None, 1]


def test_materialize_and_lineage_from_the_raw_file(world, tmp_path):
    store, _, first = world
    store.apply(list(_view()))
    end = datetime(2024, 1, 2, tzinfo=UTC)
    assert store.materialize(end - timedelta(days=2), end) == {"driver_stats": 2}
    online = store.get_online_features(["driver_stats:rate"], [{"driver_id": 1}]).to_dict()
    assert online["rate"] == [0.55]
    job = store.get_historical_features(ENTITIES, ["driver_stats:rate"])
    training = job.save_training_set(tmp_path / "train.parquet")
    # raw CSV -> warehouse load -> table version 2 (appended to version 1) -> retrieval
    # -> training set
    upstream = store.metadata.lineage(training.id, "upstream")
    versions = [a for a in upstream.artifacts.values() if a.type == "WarehouseTableVersion"]
    assert sorted(a.properties["version"] for a in versions) == [1, 2]
    assert any(a.uri.endswith("stats.csv") for a in upstream.artifacts.values())
    assert any(a.uri.endswith("fix.csv") for a in upstream.artifacts.values())
    assert store.features_from(first) == ["driver_stats"]
    assert [a.id for a in store.training_sets_using("driver_stats:rate")] == [training.id]
    with store.metadata.run("Trainer") as run:
        run.input(training)
        model = run.output("Model", uri=str(tmp_path / "model"))
    assert [a.id for a in store.models_using("driver_stats")] == [model.id]


def test_missing_table_or_version_is_one_clear_error(world):
    store, _, _ = world
    with pytest.raises(FeatureStoreError, match=r"drivers\.nope"):
        store.apply(list(_view(table="drivers.nope")))
    with pytest.raises(FeatureStoreError, match="not 9"):
        store.apply(list(_view(version=9)))
    assert store.list_feature_views() == []
