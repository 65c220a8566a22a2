"""Calls on Feast's bootstrapped local template repo, run the same way by real Feast and by
datajourney.feast on copies of the same repo and data; each side prints its answers as JSON.
Run as ``python template_workload.py PACKAGE REPO`` (after the repo is applied)."""

from __future__ import annotations

import importlib
import json
import math
import sys
from datetime import timedelta, timezone

import pandas as pd


def plain(values: list) -> list:
    """Values as JSON data: NaN as None, numpy scalars as Python, timestamps as text."""
    out = []
    for v in values:
        if hasattr(v, "item"):
            v = v.item()
        if isinstance(v, float) and math.isnan(v):
            v = None
        out.append(v)
    return out


def main(package: str, repo: str) -> None:
    feast = importlib.import_module(package)
    push_mode = importlib.import_module(f"{package}.data_source").PushMode
    store = feast.FeatureStore(repo_path=repo)
    stats = pd.read_parquet(f"{repo}/data/driver_stats.parquet")
    latest = stats["event_timestamp"].max()
    answers = {}
    entity_df = pd.DataFrame(
        {
            "driver_id": [1001, 1002, 1003, 1004, 1005],
            "event_timestamp": [latest - timedelta(hours=h) for h in (0, 3, 30, 50, 0)],
            "val_to_add": [1, 2, 3, 4, 5],
            "val_to_add_2": [10, 20, 30, 40, 50],
        }
    )
    features = [
        "driver_hourly_stats:conv_rate",
        "driver_hourly_stats:driver_metadata",
        "driver_hourly_stats:driver_config",
        "driver_hourly_stats:driver_profile",
        "transformed_conv_rate:conv_rate_plus_val2",
    ]
    frame = store.get_historical_features(entity_df=entity_df, features=features).to_df()
    frame = frame.sort_values(["driver_id", "event_timestamp"]).reset_index(drop=True)
    answers["historical"] = {
        c.split(":")[1]: plain(frame[c.split(":")[1]].tolist()) for c in features
    }

    store.materialize(latest - timedelta(days=2), latest, ["driver_hourly_stats"])
    rows = [{"driver_id": d, "val_to_add": 1, "val_to_add_2": 2} for d in (1001, 1003, 9999)]
    online = store.get_online_features(
        features=[f for f in features if "val2" not in f]
        + ["transformed_conv_rate:conv_rate_plus_val1"],
        entity_rows=rows,
    ).to_dict()
    answers["online"] = {k: plain(v) for k, v in online.items()}

    moment = latest.to_pydatetime() + timedelta(minutes=30)
    pushed = pd.DataFrame(
        {
            "driver_id": [1002],
            "event_timestamp": [moment],
            "created": [moment],
            "conv_rate": [0.5],
            "acc_rate": [0.25],
            "avg_daily_trips": [12],
            "driver_metadata": [{"vehicle_type": "van", "rating": "4.0"}],
            "driver_config": ['{"max_distance_km": 7, "preferred_zones": []}'],
            "driver_profile": [{"name": "pushed", "age": "41"}],
        }
    )
    store.push("driver_stats_push_source", pushed, to=push_mode.ONLINE_AND_OFFLINE)
    fresh = [
        "driver_hourly_stats_fresh:driver_metadata",
        "driver_hourly_stats_fresh:driver_config",
        "driver_hourly_stats_fresh:driver_profile",
        "driver_hourly_stats_fresh:avg_daily_trips",
    ]
    again = store.get_online_features(fresh, [{"driver_id": 1002}]).to_dict()
    answers["pushed_online"] = {k: plain(v) for k, v in again.items() if k != "driver_id"}
    offline = store.get_historical_features(
        pd.DataFrame({"driver_id": [1002], "event_timestamp": [moment + timedelta(minutes=1)]}),
        fresh,
    ).to_df()
    answers["pushed_offline"] = {
        f.split(":")[1]: plain(offline[f.split(":")[1]].tolist()) for f in fresh
    }

    when = moment.astimezone(timezone.utc)
    labels = pd.DataFrame(
        {
            "driver_id": [1001, 1001, 1002],
            "is_reliable": [1, 0, 1],
            "quality_score": [0.5, 0.75, 0.25],
            "reviewer_notes": ["ok", "late twice", "fine"],
            "labeler": ["alice", "bob", "alice"],
            "event_timestamp": [when - timedelta(hours=2), when, when - timedelta(hours=1)],
        }
    )
    store.push("driver_quality_labels_push", labels, to=push_mode.ONLINE_AND_OFFLINE)
    label_refs = ["driver_quality_labels:is_reliable", "driver_quality_labels:labeler"]
    got = store.get_online_features(label_refs, [{"driver_id": 1001}, {"driver_id": 1002}])
    answers["labels_online"] = {k: v for k, v in got.to_dict().items() if k != "driver_id"}
    asked = pd.DataFrame(
        {
            "driver_id": [1001, 1001, 1002, 1003],
            "event_timestamp": [when - timedelta(hours=1), when, when, when],
        }
    )
    table = store.get_historical_features(asked, label_refs).to_df()
    table = table.sort_values(["driver_id", "event_timestamp"]).reset_index(drop=True)
    answers["labels_offline"] = {
        r.split(":")[1]: plain(table[r.split(":")[1]].tolist()) for r in label_refs
    }
    answers["label_views"] = [v.name for v in store.list_label_views()]
    answers["feature_views"] = sorted(v.name for v in store.list_feature_views())
    answers["projects"] = [(p.name, p.description) for p in store.list_projects()]
    service = store.get_feature_service("driver_activity_v1")
    answers["logging"] = [
        service.logging_config.destination.path,
        service.logging_config.sample_rate,
    ]
    print(json.dumps(answers, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
