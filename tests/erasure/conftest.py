"""A small world holding subject 777 everywhere: raw file -> lake -> warehouse -> feature
view -> online store and training set -> model, all under one store folder."""

from __future__ import annotations

import datetime
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datajourney import erasure
from datajourney.features import (
    Entity,
    FeatureStore,
    FeatureView,
    Field,
    RepoConfig,
    WarehouseSource,
)
from datajourney.features.types import Int64
from datajourney.lake import Lake
from datajourney.metadata.store import MetadataStore
from datajourney.warehouse import Warehouse

SUBJECT = 777
EMAIL = "xavier.zzq@example.org"
INCOME = 987654
NEEDLES = [EMAIL.encode(), str(INCOME).encode()]
OTHERS = list(range(1, 9))


@dataclass
class World:
    folder: Path
    landing: Path
    store: MetadataStore
    lake: Lake
    warehouse: Warehouse
    config: RepoConfig
    training_set_id: int
    model_id: int
    lake_entry_id: int

    def features(self) -> FeatureStore:
        return FeatureStore(config=self.config, metadata_store=self.store)


def _csv(rows: list[tuple]) -> str:
    lines = ["user_id,email,age,income"]
    lines += [f"{u},{e},{a},{i}" for u, e, a, i in rows]
    return "\n".join(lines) + "\n"


ROWS = [(i, f"user{i}@example.org", 20 + i, 1000 * i + 17) for i in OTHERS] + [
    (SUBJECT, EMAIL, 93, INCOME)
]


def build_world(root: Path, online: dict | None = None) -> World:
    folder = root / "store"
    landing = root / "landing"
    folder.mkdir(parents=True)
    landing.mkdir()
    (landing / "users.csv").write_text(_csv(ROWS))
    store = MetadataStore(f"sqlite:///{folder / 'metadata.sqlite'}")
    lake = Lake(store=store, objects=folder / "objects")
    entry = lake.ingest(str(landing / "users.csv"), source="crm").added[0]
    warehouse = Warehouse(folder / "warehouse", store=store)
    warehouse.load("crm.users", entry, create=True)
    (folder / "features").mkdir()
    config = RepoConfig(
        project="crm",
        online_store=online or {"type": "sqlite", "path": str(folder / "online.sqlite")},
        repo_path=folder / "features",
        warehouse=str(folder / "warehouse"),
    )
    features = FeatureStore(config=config, metadata_store=store)
    user = Entity(name="user", join_keys=["user_id"])
    view = FeatureView(
        name="user_profile",
        entities=[user],
        ttl=datetime.timedelta(0),
        schema=[Field("age", Int64), Field("income", Int64)],
        source=WarehouseSource(table="crm.users", timestamp_field="_loaded_at"),
    )
    features.apply([user, view])
    now = datetime.datetime.now(datetime.UTC)
    entities = pa.table(
        {
            "user_id": [1, 2, SUBJECT],
            "label": [0, 1, 1],
            "event_timestamp": pa.array([now] * 3, pa.timestamp("us", tz="UTC")),
        }
    )
    job = features.get_historical_features(entities, ["user_profile:age", "user_profile:income"])
    training = job.save_training_set(folder / "training.parquet", name="train")
    features.materialize(datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC), now)
    assert features.get_online_features(["user_profile:income"], [{"user_id": SUBJECT}]).to_dict()[
        "income"
    ] == [INCOME]
    features.close()
    (folder / "model.bin").write_bytes(b"weights")
    with store.run("Trainer", context=("Experiment", "churn")) as run:
        run.input(training)
        model = run.output("Model", uri=str(folder / "model.bin"), name="churn")
    erasure.configure(store, key_columns=["user_id"], online_stores=[online] if online else [])
    return World(folder, landing, store, lake, warehouse, config, training.id, model.id, entry.id)


@pytest.fixture
def world(tmp_path: Path):
    built = build_world(tmp_path)
    yield built
    built.lake.close()
    built.store.close()


def _values(value) -> list:
    if isinstance(value, dict):
        return [v for item in value.values() for v in _values(item)]
    if isinstance(value, list | tuple):
        return [v for item in value for v in _values(item)]
    return [value]


def leftovers(folder: Path) -> list[str]:
    """Where the subject's distinctive values are still found under ``folder``: raw bytes of
    every file, every value of every Parquet file (decompressed), every value of every SQLite
    table."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for needle in NEEDLES:  # a number only where no digit touches it (not in a timestamp)
            if re.search(rb"(?<![0-9])" + re.escape(needle) + rb"(?![0-9])", data):
                found.append(f"{path}: bytes {needle!r}")
        if data[:4] == b"PAR1":
            table = pq.read_table(path)
            for name in table.column_names:
                values = _values(table.column(name).to_pylist())
                if EMAIL in values or INCOME in values:
                    found.append(f"{path}: value in column {name}")
                if name == "user_id" and SUBJECT in values:
                    found.append(f"{path}: user_id {SUBJECT}")
        if data[:16] == b"SQLite format 3\x00":
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                names = [
                    r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                ]
                for name in names:
                    for row in conn.execute(f'SELECT * FROM "{name}"'):
                        text = json.dumps(row, default=str)
                        if EMAIL in text or re.search(rf"(?<![0-9]){INCOME}(?![0-9])", text):
                            found.append(f"{path}: table {name} row {row!r}"[:300])
            finally:
                conn.close()
    return found


def file_digests(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
