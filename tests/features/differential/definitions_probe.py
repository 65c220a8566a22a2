"""Run as ``python definitions_probe.py PACKAGE FOLDER``: definition equality, validation
errors and timestamp inference at apply, through PACKAGE (``feast`` or ``datajourney.feast``);
prints the observations as JSON so two runs can be compared."""

from __future__ import annotations

import importlib
import json
import sys
from datetime import timedelta
from pathlib import Path

import pandas as pd


def observe(package: str, folder: Path) -> dict:
    feast = importlib.import_module(package)
    types = importlib.import_module(f"{package}.types")
    sqlite = importlib.import_module(f"{package}.infra.online_stores.sqlite")
    entity_mod = importlib.import_module(f"{package}.entity")
    view_mod = importlib.import_module(f"{package}.feature_view")
    service_mod = importlib.import_module(f"{package}.feature_service")
    Entity, FeatureView, FileSource = entity_mod.Entity, view_mod.FeatureView, feast.FileSource
    FeatureService, Field = service_mod.FeatureService, feast.Field
    seen: dict = {}

    def refused(make) -> bool:
        try:
            make()
        except ValueError:
            return True
        return False

    rider = Entity(name="rider", join_keys=["rider_id"], description="who rides")
    twin = Entity(name="rider", join_keys=["rider_id"], description="who rides")
    seen["entity_equal"] = rider == twin and hash(rider) == hash(twin)
    seen["entity_other_key"] = rider == Entity(name="rider", join_keys=["rider_key"])
    seen["entity_set"] = len({rider, twin, Entity(name="rider", description="other")})

    source = FileSource(name="trips", path=str(folder / "trips.parquet"), timestamp_field="at")
    same_source = FileSource(name="trips", path=str(folder / "trips.parquet"), timestamp_field="at")
    seen["source_equal"] = source == same_source and hash(source) == hash(same_source)
    seen["source_other_owner"] = source == FileSource(
        name="trips", path=str(folder / "trips.parquet"), timestamp_field="at", owner="ops"
    )
    schema = [Field(name="distance", dtype=types.Float64)]

    def view(**changes):
        given = dict(name="trip_stats", entities=[rider], schema=schema, source=source)
        return FeatureView(**{**given, **changes})

    seen["view_equal"] = view() == view() and hash(view()) == hash(view())
    seen["view_other_ttl"] = view() == view(ttl=timedelta(hours=3))
    seen["view_set"] = len({view(), view(), view(description="longer")})
    seen["service_equal"] = FeatureService(name="s", features=[view()[["distance"]]]) == (
        FeatureService(name="s", features=[view()[["distance"]]])
    )
    seen["service_other_desc"] = FeatureService(name="s", features=[view()]) == (
        FeatureService(name="s", features=[view()], description="d")
    )

    seen["same_timestamp_columns_refused"] = refused(
        lambda: FileSource(path="x.parquet", timestamp_field="at", created_timestamp_column="at")
    )
    seen["shared_join_key_refused"] = refused(
        lambda: FeatureView(
            name="clash",
            entities=[rider, Entity(name="passenger", join_keys=["rider_id"])],
            schema=schema,
            source=source,
        )
    )
    seen["source_without_timestamp"] = FileSource(path="x.parquet").timestamp_field

    moment = pd.Timestamp("2024-03-01 08:00", tz="UTC")
    pd.DataFrame({"rider_id": [7], "at": [moment], "distance": [2.5]}).to_parquet(
        folder / "trips.parquet"
    )
    pd.DataFrame(
        {"rider_id": [7], "at": [moment], "logged": [moment], "distance": [2.5]}
    ).to_parquet(folder / "two_times.parquet")
    store = feast.FeatureStore(
        config=feast.RepoConfig(
            project="probe",
            registry=str(folder / "registry.db"),
            provider="local",
            online_store=sqlite.SqliteOnlineStoreConfig(path=str(folder / "online.db")),
            entity_key_serialization_version=3,
        )
    )
    guessed = FileSource(name="guessed", path=str(folder / "trips.parquet"))
    store.apply([rider, view(name="guessed_view", source=guessed)])
    applied = store.get_feature_view("guessed_view")
    seen["inferred_timestamp"] = [applied.batch_source.timestamp_field, guessed.timestamp_field]
    seen["applied_entity_equal"] = store.get_entity("rider") == rider
    ambiguous = FileSource(name="ambiguous", path=str(folder / "two_times.parquet"))
    try:
        store.apply([rider, view(name="ambiguous_view", source=ambiguous)])
        seen["ambiguous_timestamp"] = "applied"
    except Exception as error:  # Feast raises RegistryInferenceFailure, not a ValueError
        seen["ambiguous_timestamp"] = "refused" if "timestamp" in str(error) else str(error)
    seen["views_after"] = sorted(v.name for v in store.list_feature_views())
    return seen


if __name__ == "__main__":
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    print(json.dumps(observe(sys.argv[1], out), sort_keys=True))
