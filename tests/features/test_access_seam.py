"""The access seam: ``authorize(action, resource)`` is asked before the work, and a refusal
leaves the store as it was."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from datajourney.features import Entity, FeatureStore, FeatureView, Field, FileSource, RepoConfig
from datajourney.features.types import Float64

UTC = timezone.utc


def test_every_call_asks_and_a_refusal_changes_nothing(tmp_path):
    pd.DataFrame(
        {"driver_id": [1], "event_timestamp": [datetime(2024, 5, 1, tzinfo=UTC)], "x": [0.5]}
    ).to_parquet(tmp_path / "x.parquet")
    asked: list[tuple[str, str]] = []

    def authorize(action: str, resource: str) -> None:
        asked.append((action, resource))
        if action == "features.materialize":
            raise PermissionError(f"{action} on {resource} refused")

    config = RepoConfig(
        project="p",
        registry=str(tmp_path / "registry.sqlite"),
        online_store={"type": "sqlite", "path": str(tmp_path / "online.db")},
        repo_path=tmp_path,
    )
    store = FeatureStore(config=config, authorize=authorize)
    driver = Entity(name="driver", join_keys=["driver_id"])
    view = FeatureView(
        name="v",
        entities=[driver],
        ttl=timedelta(days=1),
        schema=[Field("x", Float64)],
        source=FileSource(path="x.parquet", timestamp_field="event_timestamp"),
    )
    store.apply([driver, view])
    entity = pd.DataFrame({"driver_id": [1], "event_timestamp": [datetime(2024, 5, 1, 1)]})
    assert store.get_historical_features(entity, ["v:x"]).to_df()["x"].tolist() == [0.5]
    with pytest.raises(PermissionError, match="features:p/v"):
        store.materialize(datetime(2024, 4, 1), datetime(2024, 6, 1))
    assert store.get_online_features(["v:x"], [{"driver_id": 1}]).to_dict()["x"] == [None]
    assert store.metadata.executions("FeatureMaterialization") == []
    assert asked == [
        ("features.apply", "features:p"),
        ("features.read_offline", "features:p/v"),
        ("features.materialize", "features:p/v"),
        ("features.read_online", "features:p/v"),
    ]
    store.close()
