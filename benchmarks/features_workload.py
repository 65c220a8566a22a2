"""The feature store benchmark's workload, run in a fresh process per measurement, by
datajourney.feast or by real Feast (in its peer venv): ``python features_workload.py WHAT
PACKAGE FOLDER [options]`` prints one JSON line (seconds, peak RSS).

Data: 1,000 drivers x 30 days hourly (720,000 rows, 5 float features and a created time) in
one Parquet file; 100,000 entity rows at random times in the same 30 days. The environment
variables ``DJ_BENCH_DRIVERS``, ``DJ_BENCH_DAYS`` and ``DJ_BENCH_ENTITY_ROWS`` scale it down.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

DRIVERS = int(os.environ.get("DJ_BENCH_DRIVERS", 1_000))
HOURS = int(os.environ.get("DJ_BENCH_DAYS", 30)) * 24
ENTITY_ROWS = int(os.environ.get("DJ_BENCH_ENTITY_ROWS", 100_000))
BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)
END = BASE + timedelta(hours=HOURS)
FEATURES = [f"f{i}" for i in range(5)]
DEFINITIONS = """
from datetime import timedelta
from {package} import Entity, FeatureView, Field, FileSource
from {package}.types import Float64

driver = Entity(name="driver", join_keys=["driver_id"])
stats = FeatureView(
    name="stats",
    entities=[driver],
    ttl=timedelta(days=1),
    schema=[Field(name=n, dtype=Float64) for n in {features!r}],
    source=FileSource(name="stats_source", path={path!r}, timestamp_field="event_timestamp",
                      created_timestamp_column="created"),
)
"""


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_data(folder: Path) -> None:
    """The feature rows and entity rows, written once."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "entities.parquet").exists():
        return
    rng = np.random.default_rng(0)
    start_us = int(BASE.timestamp() * 1_000_000)
    ids = np.repeat(np.arange(DRIVERS, dtype=np.int64), HOURS)
    ts = start_us + np.tile(np.arange(HOURS, dtype=np.int64), DRIVERS) * 3_600_000_000
    utc = pa.timestamp("us", tz="UTC")
    columns = {
        "driver_id": ids,
        "event_timestamp": pa.array(ts, utc),
        "created": pa.array(ts + 60_000_000, utc),
    }
    columns.update({name: rng.random(len(ids)) for name in FEATURES})
    pq.write_table(pa.table(columns), folder / "stats.parquet")
    span = HOURS * 3_600_000_000
    entities = pa.table(
        {
            "driver_id": rng.integers(0, DRIVERS, ENTITY_ROWS),
            "event_timestamp": pa.array(rng.integers(start_us, start_us + span, ENTITY_ROWS), utc),
        }
    )
    pq.write_table(entities, folder / "entities.parquet")


def write_repo(repo: Path, package: str, data: Path, offline: str, online: str) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    (repo / "definitions.py").write_text(
        DEFINITIONS.format(package=package, features=FEATURES, path=str(data / "stats.parquet"))
    )
    (repo / "feature_store.yaml").write_text(
        f"project: bench\nregistry: registry.db\nprovider: local\n"
        f"offline_store:\n  type: {offline}\nonline_store:\n{online}\n"
        "entity_key_serialization_version: 3\n"
    )


def open_store(package: str, repo: Path):
    import importlib

    feast = importlib.import_module(package)
    sys.path.insert(0, str(repo))
    import definitions

    store = feast.FeatureStore(repo_path=str(repo))
    store.apply([definitions.driver, definitions.stats])
    return store


def historical(package: str, repo: Path, data: Path, repeats: int) -> dict:
    import pandas as pd

    store = open_store(package, repo)
    entities = pd.read_parquet(data / "entities.parquet")
    refs = [f"stats:{n}" for n in FEATURES]
    times, rows, nulls = [], 0, 0
    for _ in range(repeats):
        start = time.perf_counter()
        df = store.get_historical_features(entity_df=entities, features=refs).to_df()
        times.append(time.perf_counter() - start)
        rows, nulls = len(df), int(df["f0"].isna().sum())
    return {"first": times[0], "best": min(times), "rows": rows, "nulls": nulls}


def materialize(package: str, repo: Path, repeats: int) -> dict:
    store = open_store(package, repo)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        store.materialize(END - timedelta(days=30), END)
        times.append(time.perf_counter() - start)
    return {"first": times[0], "best": min(times)}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def online(package: str, repo: Path, rounds: int) -> dict:
    import random

    store = open_store(package, repo)
    store.materialize(END - timedelta(days=30), END)
    refs = [f"stats:{n}" for n in FEATURES]
    rng = random.Random(1)
    found = {}
    for size in (1, 100):
        times = []
        for i in range(rounds if size == 1 else rounds // 4):
            rows = [{"driver_id": rng.randrange(DRIVERS)} for _ in range(size)]
            start = time.perf_counter()
            got = store.get_online_features(features=refs, entity_rows=rows).to_dict()
            if i >= 20:  # the first calls warm caches
                times.append(time.perf_counter() - start)
        assert got["f0"][0] is not None
        found[f"p50_{size}"] = percentile(times, 0.5)
        found[f"p99_{size}"] = percentile(times, 0.99)
    return found


def http(repo: Path, rounds: int, port: int) -> dict:
    """Our feature server in a child process, read through one keep-alive connection of the
    standard library's client (what ``requests`` runs on; httpx adds ~6 ms of its own to a
    30 kB answer)."""
    import http.client
    import random
    import subprocess

    store = open_store("datajourney.feast", repo)
    store.materialize(END - timedelta(days=30), END)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datajourney.cli",
            "features",
            "serve",
            "-p",
            str(port),
            "-r",
            str(repo),
        ],
    )
    try:
        for _ in range(200):
            try:
                client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                client.request("GET", "/health")
                if client.getresponse().read() is not None:
                    break
            except OSError:
                time.sleep(0.1)
        rng = random.Random(2)
        found = {}
        headers = {"Content-Type": "application/json"}
        for size in (1, 100):
            times = []
            for i in range(rounds if size == 1 else rounds // 4):
                body = {
                    "features": [f"stats:{n}" for n in FEATURES],
                    "entities": {"driver_id": [rng.randrange(DRIVERS) for _ in range(size)]},
                }
                start = time.perf_counter()
                client.request("POST", "/get-online-features", json.dumps(body), headers)
                answer = client.getresponse()
                text = answer.read()
                if i >= 20:
                    times.append(time.perf_counter() - start)
                assert answer.status == 200, text
            found[f"p50_{size}"] = percentile(times, 0.5)
            found[f"p99_{size}"] = percentile(times, 0.99)
        return found
    finally:
        server.terminate()
        server.wait(10)


def bare_asof(data: Path, repeats: int) -> dict:
    """A bare DuckDB ASOF join of the same files (no ttl, no tie rule): the floor."""
    import duckdb
    import pyarrow.parquet as pq

    con = duckdb.connect()
    entities = pq.read_table(data / "entities.parquet")
    con.register("entities", entities)
    sql = (
        "SELECT e.*, " + ", ".join(f"f.{n}" for n in FEATURES) + " FROM entities e "
        f"ASOF LEFT JOIN read_parquet('{data / 'stats.parquet'}') f "
        "ON e.driver_id = f.driver_id AND e.event_timestamp >= f.event_timestamp"
    )
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        con.sql(sql).to_arrow_table().to_pandas()
        times.append(time.perf_counter() - start)
    return {"first": times[0], "best": min(times)}


def import_time(package: str) -> dict:
    start = time.perf_counter()
    __import__(package)
    module = sys.modules[package]
    module.FeatureStore  # noqa: B018 (the name users touch first)
    return {"seconds": time.perf_counter() - start}


def main() -> None:
    what, package, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    data = folder / "data"
    repo = (
        folder
        / f"repo-{what}-{package.replace('.', '_')}-{sys.argv[4] if len(sys.argv) > 4 else ''}"
    )
    if what == "import":
        result = import_time(package)
    elif what == "data":
        make_data(data)
        result = {}
    elif what == "bare":
        result = bare_asof(data, 3)
    else:
        offline = sys.argv[4] if len(sys.argv) > 4 else "duckdb"
        online_yaml = "  type: sqlite\n  path: online.db"
        if offline == "redis":
            offline = "duckdb"
            online_yaml = "  type: redis\n  connection_string: localhost:6379"
        write_repo(repo, package, data, offline, online_yaml)
        if what == "historical":
            result = historical(package, repo, data, 1 if offline in ("file", "dask") else 3)
        elif what == "materialize":
            result = materialize(package, repo, 3)
        elif what == "online":
            result = online(package, repo, 2000)
        elif what == "http":
            result = http(repo, 2000, 6571)
        else:
            raise SystemExit(f"unknown measurement {what!r}")
    result["peak_rss_mib"] = peak_mib()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
