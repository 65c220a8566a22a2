"""The demo's feature store step: area features from the curated covertype table in the
warehouse, a point-in-time training set recorded in the lineage, materialized for serving.

    curated table version --load--> covertype.area_features (warehouse, one row per area)
      --WarehouseSource--> feature view ``area_stats`` (entity: the wilderness area)
    training rows (area, label, time) + area_stats, point in time --> TrainingSet (Parquet)
    area_stats --materialize--> online store --> an online read

So the training set's lineage runs from the raw CSV through the lake and the warehouse to the
features.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datajourney.metadata.model import Artifact
from datajourney.metadata.store import MetadataStore

from .demo_data import LABEL
from .lineage_tree import lineage_tree

AREA_TABLE = "covertype.area_features"
AREA_FEATURES = {
    "avg_elevation": "avg(Elevation)",
    "avg_slope": "avg(Slope)",
    "avg_distance_to_roadways": "avg(Horizontal_Distance_To_Roadways)",
    "observations": "count(*)",
}


@dataclass
class FeatureStepResult:
    """What the feature step did: the training set and its lineage, the rows materialized,
    an online read."""

    training_set: Artifact
    rows: int
    columns: list[str]
    materialized: dict[str, int] = field(default_factory=dict)
    online: dict[str, list] = field(default_factory=dict)
    lineage: str = ""


class _DerivedRows:
    """Rows computed from a warehouse table version, loaded with that version as their input
    (the warehouse's load source protocol: ``to_arrow`` and ``lineage_artifact_ids``)."""

    def __init__(self, table: Any, inputs: list[int]):
        self._table = table
        self._inputs = inputs

    def to_arrow(self) -> Any:
        return self._table

    def lineage_artifact_ids(self) -> list[int]:
        return self._inputs


def _table_version(store: MetadataStore, location: str, version: int) -> list[int]:
    found = store.get_artifacts(type_name="WarehouseTableVersion", uris=[location])
    return [a.id for a in found if a.properties.get("version") == version][-1:]


def feature_step(work: Path, store: MetadataStore, warehouse: Any, table: str) -> FeatureStepResult:
    """Run the feature step over the curated warehouse table ``table`` (covertype rows)."""
    from datajourney.features import (
        Entity,
        FeatureService,
        FeatureStore,
        FeatureView,
        Field,
        RepoConfig,
        WarehouseSource,
    )
    from datajourney.features.types import Float64, Int64

    folder = (work / "features").resolve()  # absolute: not read relative to the repo again
    folder.mkdir(parents=True, exist_ok=True)
    version = warehouse.table(table).version
    columns = ", ".join(f"{sql} AS {name}" for name, sql in AREA_FEATURES.items())
    areas = warehouse.sql(
        f"SELECT Wilderness_Area AS area, {columns} FROM wh('{table}', {version}) "
        "GROUP BY Wilderness_Area ORDER BY area"
    )
    inputs = _table_version(store, warehouse.location(table), version)
    warehouse.load(AREA_TABLE, _DerivedRows(areas, inputs), mode="overwrite", create=True)

    root = str(warehouse.root)
    config = RepoConfig(
        project="covertype",
        online_store={"type": "sqlite", "path": str(folder / "online.sqlite")},
        repo_path=folder,
        warehouse=root if "://" in root else str(Path(root).resolve()),
    )
    features = FeatureStore(config=config, metadata_store=store)
    area = Entity(name="area", join_keys=["area"], description="A wilderness area")
    area_stats = FeatureView(
        name="area_stats",
        entities=[area],
        ttl=datetime.timedelta(0),
        schema=[
            Field("avg_elevation", Float64),
            Field("avg_slope", Float64),
            Field("avg_distance_to_roadways", Float64),
            Field("observations", Int64),
        ],
        source=WarehouseSource(table=AREA_TABLE, timestamp_field="_loaded_at"),
        description="Cartographic averages of each wilderness area's observed plots",
        tags={"demo": "covertype"},
    )
    service = FeatureService("cover_model", [area_stats])
    features.apply([area, area_stats, service])

    now = datetime.datetime.now(datetime.timezone.utc)
    rows = warehouse.sql(f"SELECT Wilderness_Area AS area, {LABEL} FROM wh('{table}', {version})")
    import pyarrow as pa

    entity_rows = rows.append_column(
        "event_timestamp", pa.array([now] * rows.num_rows, pa.timestamp("us", tz="UTC"))
    )
    job = features.get_historical_features(entity_rows, service)
    training = job.save_training_set(folder / "training_set.parquet", name="cover-train")
    materialized = features.materialize(datetime.datetime(1970, 1, 1), now)
    names = sorted({r["area"] for r in rows.select(["area"]).to_pylist()})
    online = features.get_online_features(
        ["area_stats:avg_elevation", "area_stats:observations"], [{"area": n} for n in names]
    ).to_dict()
    result = FeatureStepResult(
        training_set=training,
        rows=job.to_arrow().num_rows,
        columns=job.to_arrow().column_names,
        materialized=materialized,
        online=online,
        lineage=lineage_tree(store.lineage(training.id, direction="upstream")),
    )
    features.close()
    return result
