"""Our driver-statistics feature repo (tests/features/template_repo) copied into a folder, with its
driver statistics generated: 5 drivers, hourly rows over the 15 days before now."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd

TEMPLATE = Path(__file__).parent / "template_repo" / "feature_repo"


def make_driver_stats(path: Path, end: datetime | None = None, seed: int = 7) -> pd.DataFrame:
    """Hourly rows for drivers 1001-1005 over the 15 days before ``end`` (default: now)."""
    end = (end or datetime.now(timezone.utc)).replace(minute=0, second=0, microsecond=0)
    hours = pd.date_range(end - timedelta(days=15), end, freq="h", tz="UTC")
    drivers = [1001, 1002, 1003, 1004, 1005]
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "driver_id": np.repeat(drivers, len(hours)).astype("int64"),
            "event_timestamp": np.tile(hours, len(drivers)),
        }
    )
    frame["conv_rate"] = rng.random(len(frame)).astype("float32")
    frame["acc_rate"] = rng.random(len(frame)).astype("float32")
    frame["avg_daily_trips"] = rng.integers(0, 1000, len(frame)).astype("int32")
    frame["created"] = pd.Timestamp(end)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path)
    return frame


def copy_template(folder: Path) -> Path:
    """The template repo copied to ``folder``, its data generated; returns the repo path."""
    repo = folder / "feature_repo"
    shutil.copytree(TEMPLATE, repo, ignore=shutil.ignore_patterns("data", "__pycache__"))
    make_driver_stats(repo / "data" / "driver_stats.parquet")
    return repo


def materialize_and_retrieve(folder: Path, registry: str) -> dict[str, int]:
    """The template repo in ``folder`` with its registry at ``registry``: applied,
    materialized twice (the second time from where the first ended), read online and a
    retrieval saved as a training set, each checked; the first materialization's row counts."""
    from datajourney.features import FeatureStore, RepoConfig

    config = RepoConfig(
        project="my_project",
        registry=registry,
        online_store={"type": "sqlite", "path": str(folder / "online.db")},
        repo_path=copy_template(folder),
    )
    store = FeatureStore(config=config)
    try:
        store.apply()
        now = datetime.now(timezone.utc)
        first = store.materialize_incremental(now - timedelta(hours=2))
        assert first["driver_hourly_stats"] == 5
        again = store.materialize_incremental(now)  # from where the first one ended
        assert again["driver_hourly_stats"] == 5
        online = store.get_online_features(
            ["driver_hourly_stats:conv_rate"], [{"driver_id": 1001}]
        ).to_dict()
        assert online["conv_rate"][0] is not None
        entities = pd.DataFrame({"driver_id": [1001, 1002], "event_timestamp": [now] * 2})
        job = store.get_historical_features(entities, ["driver_hourly_stats:conv_rate"])
        training = job.save_training_set(folder / "train.parquet", name="train")
        assert training.properties["rows"] == 2
        return first
    finally:
        store.close()
