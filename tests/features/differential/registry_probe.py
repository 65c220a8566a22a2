"""Run as ``python registry_probe.py PACKAGE FOLDER``: what a parcel depot's definitions look
like once applied through PACKAGE (``feast`` or ``datajourney.feast``): a feature view without
a schema, its materialization intervals, the registry times of definitions, a ``file://``
source path and ``RegistryConfig`` objects. Prints the observations as JSON."""

from __future__ import annotations

import importlib
import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd

UTC = timezone.utc


def _fields(fields) -> list[list[str]]:
    return [[f.name, str(f.dtype)] for f in fields]


def _spans(view) -> list[list[str]]:
    return [[start.isoformat(), end.isoformat()] for start, end in view.materialization_intervals]


def observe(package: str, folder: Path) -> dict:
    feast = importlib.import_module(package)
    repo_config = importlib.import_module(f"{package}.repo_config")
    seen: dict = {}
    hours = pd.to_datetime(["2024-06-01 06:00", "2024-06-01 07:00", "2024-06-01 08:00"], utc=True)
    pd.DataFrame(
        {
            "depot_id": [11, 12, 11],
            "measured_at": hours,
            "loaded_at": hours,
            "parcels": [40, 55, 42],
            "load_ratio": [0.5, 0.75, 0.625],
            "region": ["north", "south", "north"],
            "open": [True, False, True],
        }
    ).to_parquet(folder / "depots.parquet")

    seen["default_cache_mode"] = repo_config.RegistryConfig().cache_mode
    config = feast.RepoConfig(
        project="depots",
        registry=repo_config.RegistryConfig(path=str(folder / "registry.db"), cache_mode="thread"),
        provider="local",
        online_store={"type": "sqlite", "path": str(folder / "online.db")},
        entity_key_serialization_version=3,
    )
    seen["registry_config"] = [type(config.registry).__name__, config.registry.cache_mode]
    as_text = feast.RepoConfig(
        project="depots", registry="reg.db", provider="local", entity_key_serialization_version=3
    )
    seen["registry_from_text"] = [type(as_text.registry).__name__, as_text.registry.path]
    store = feast.FeatureStore(config=config)

    depot = feast.Entity(name="depot", join_keys=["depot_id"])
    source = feast.FileSource(
        name="depot_file",
        path="file://" + str(folder / "depots.parquet"),
        timestamp_field="measured_at",
        created_timestamp_column="loaded_at",
    )
    load = feast.FeatureView(name="depot_load", entities=[depot], source=source, ttl=timedelta(0))
    seen["before_apply"] = [_fields(load.features), load.created_timestamp, _spans(load)]
    store.apply([depot, load])
    seen["features_after_apply"] = _fields(load.features)
    seen["entity_columns_after_apply"] = _fields(load.entity_columns)
    applied = store.get_feature_view("depot_load")
    seen["features_read_back"] = _fields(applied.features)
    seen["times_read_back"] = [
        isinstance(applied.created_timestamp, datetime),
        applied.created_timestamp == applied.last_updated_timestamp,
        isinstance(store.get_entity("depot").created_timestamp, datetime),
    ]
    seen["intervals_after_apply"] = _spans(applied)

    entity_df = pd.DataFrame(
        {
            "depot_id": [11, 12],
            "event_timestamp": pd.to_datetime(["2024-06-01 07:30"] * 2, utc=True),
        }
    )
    rows = store.get_historical_features(entity_df, ["depot_load:parcels", "depot_load:region"])
    frame = rows.to_df().sort_values("depot_id")
    seen["training_rows"] = [frame["parcels"].tolist(), frame["region"].tolist()]

    store.materialize(datetime(2024, 6, 1, 5, tzinfo=UTC), datetime(2024, 6, 1, 7, tzinfo=UTC))
    seen["intervals_after_materialize"] = _spans(store.get_feature_view("depot_load"))
    online = store.get_online_features(
        ["depot_load:parcels", "depot_load:load_ratio", "depot_load:open"],
        [{"depot_id": 11}, {"depot_id": 12}],
    ).to_dict()
    seen["online"] = {k: online[k] for k in sorted(online)}
    store.materialize_incremental(datetime(2024, 6, 1, 9, tzinfo=UTC))
    materialized = store.get_feature_view("depot_load")
    seen["intervals_after_incremental"] = _spans(materialized)
    seen["most_recent_end"] = materialized.most_recent_end_time.isoformat()
    seen["updated_by_materialize"] = (
        materialized.last_updated_timestamp > materialized.created_timestamp
    )

    changed = feast.FeatureView(
        name="depot_load", entities=[depot], source=source, description="depot load, hourly"
    )
    store.apply([changed])
    reapplied = store.get_feature_view("depot_load")
    seen["changed_view"] = [
        len(reapplied.materialization_intervals),
        reapplied.created_timestamp == materialized.created_timestamp,
        reapplied.last_updated_timestamp >= materialized.last_updated_timestamp,
    ]
    fresh = feast.FeatureView(name="depot_fresh", entities=[depot], source=source)
    store.apply([fresh])
    seen["other_view_intervals"] = _spans(store.get_feature_view("depot_fresh"))
    unsaved = feast.FeatureView(name="unsaved", entities=[depot], source=source)
    unsaved.update_materialization_intervals(materialized.materialization_intervals)
    unsaved.update_materialization_intervals([(hours[0], hours[1])])
    seen["updated_intervals"] = len(unsaved.materialization_intervals)
    return seen


if __name__ == "__main__":
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    print(json.dumps(observe(sys.argv[1], out), sort_keys=True, default=str))
