"""The differential workload: the data, the entity rows and the calls, run the same way by
real Feast (in its own venv, see peer_side.py) and by datajourney.feast; each side writes its
answers as JSON for the test to compare. Run as a script: ``python workload.py PACKAGE DIR``.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd

BASE = datetime(2024, 3, 1, tzinfo=timezone.utc)
START, END = BASE + timedelta(hours=10), BASE + timedelta(hours=50)


def make_data(folder: Path) -> None:
    """Hourly rows with gaps, event-time ties told apart by created time, and a daily view."""
    rng = np.random.default_rng(11)
    rows = []
    for driver in range(1, 21):
        for hour in range(72):
            if rng.random() < 0.3:
                continue
            moment = BASE + timedelta(hours=hour, minutes=int(rng.integers(0, 3)) * 20)
            for copy in range(1 + int(rng.random() < 0.15)):  # some ties on event time
                rows.append(
                    {
                        "driver_id": driver,
                        "event_timestamp": moment,
                        "created": moment + timedelta(minutes=5 + copy * 7),
                        "rate": float(rng.random()),
                        "trips": int(rng.integers(0, 100)),
                    }
                )
    pd.DataFrame(rows).to_parquet(folder / "hourly.parquet")
    daily = [
        {
            "driver_id": d,
            "ts": BASE + timedelta(days=day),
            "score": float(rng.random()),
            "raw_level": float(rng.random()),
        }
        for d in range(1, 21, 2)
        for day in range(3)
    ]
    pd.DataFrame(daily).to_parquet(folder / "daily.parquet")


def entity_rows() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    count = 400
    frame = pd.DataFrame(
        {
            "row_id": range(count),
            "driver_id": rng.integers(1, 23, count),  # 21 and 22 are unknown
            "event_timestamp": [
                BASE + timedelta(minutes=int(m)) for m in rng.integers(0, 80 * 60, count)
            ],
        }
    )
    # exact edges: on a feature row's time and exactly ttl after it
    frame.loc[0, ["driver_id", "event_timestamp"]] = [1, BASE + timedelta(hours=2)]
    frame.loc[1, ["driver_id", "event_timestamp"]] = [1, BASE + timedelta(hours=4)]
    frame.loc[2] = frame.loc[3]  # a duplicate entity row
    frame.loc[2, "row_id"] = 2
    frame["event_timestamp"] = pd.to_datetime(frame["event_timestamp"], utc=True)
    frame["bonus"] = [float(i % 7) for i in range(count)]
    return frame


def write_repo(folder: Path, package: str, offline: str = "duckdb") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    make_data(folder)
    template = (Path(__file__).parent / "definitions.py.in").read_text()
    (folder / "definitions.py").write_text(template.format(package=package, data=folder))
    (folder / "feature_store.yaml").write_text(
        "project: diff\nregistry: registry.db\nprovider: local\n"
        f"offline_store:\n  type: {offline}\n"
        "online_store:\n  type: sqlite\n  path: online.db\n"
        "entity_key_serialization_version: 3\n"
    )


def clean(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def run(package: str, folder: Path) -> dict:
    """The calls, in the order a user makes them; their answers as JSON-ready data."""
    import importlib

    feast = importlib.import_module(package)
    sys.path.insert(0, str(folder))
    import definitions

    store = feast.FeatureStore(repo_path=str(folder))
    store.apply(
        [
            definitions.driver,
            definitions.hourly,
            definitions.daily,
            definitions.mapped,
            definitions.bonus,
            definitions.gain_pandas,
            definitions.gain_python,
            definitions.service,
        ]
    )
    answers = {}
    refs = ["hourly:rate", "hourly:trips", "daily:score"]
    service = store.get_feature_service("svc")
    calls = [
        ("plain", refs, {}),
        ("full", refs, {"full_feature_names": True}),
        ("service", service, {}),
        ("python_mode", ["gain_python:boost"], {}),
    ]
    for name, features, kwargs in calls:
        df = store.get_historical_features(entity_rows(), features, **kwargs).to_df()
        df = df.sort_values("row_id")
        columns = [c for c in df.columns if c not in ("driver_id", "event_timestamp")]
        answers[name] = {c: [clean(v) for v in df[c]] for c in columns}
    store.materialize(START, END)
    online = store.get_online_features(refs, [{"driver_id": d} for d in range(1, 23)]).to_dict()
    answers["online"] = {k: [clean(v) for v in vs] for k, vs in online.items()}
    rows = [{"driver_id": d, "bonus": float(d % 3)} for d in range(1, 23)]
    online = store.get_online_features(service, rows).to_dict()
    answers["online_service"] = {k: [clean(v) for v in vs] for k, vs in online.items()}
    return answers


def run_file_store(package: str, folder: Path) -> dict:
    """Only the plain retrieval, on the (Dask) file offline store."""
    import importlib

    feast = importlib.import_module(package)
    sys.path.insert(0, str(folder))
    import definitions

    store = feast.FeatureStore(repo_path=str(folder))
    store.apply([definitions.driver, definitions.hourly, definitions.daily])
    refs = ["hourly:rate", "hourly:trips", "daily:score"]
    df = store.get_historical_features(entity_rows(), refs).to_df().sort_values("row_id")
    columns = [c for c in df.columns if c not in ("driver_id", "event_timestamp")]
    return {"plain": {c: [clean(v) for v in df[c]] for c in columns}}


if __name__ == "__main__":
    package, target = sys.argv[1], Path(sys.argv[2])
    offline = sys.argv[3] if len(sys.argv) > 3 else "duckdb"
    write_repo(target, package, offline)
    calls = run_file_store if offline == "file" else run
    (target / "answers.json").write_text(json.dumps(calls(package, target)))
