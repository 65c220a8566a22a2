"""What Feast 0.67 records about definitions once applied, kept by the drop-in: a feature
view without a schema takes its features from the source at apply, views carry their
materialization intervals, definitions read back carry their registry times, a FileSource
takes a ``file://`` path, and ``RepoConfig(registry=...)`` is a ``RegistryConfig``. The
expected observations were recorded from Feast 0.67; with the Feast peer installed they are
checked against it too."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from datajourney.features import Entity, FeatureStore, FeatureView, FileSource
from datajourney.features.errors import DefinitionError, FeatureStoreError
from datajourney.features.repo import RegistryConfig, RepoConfig
from tests.features.feast_peer import feast_python, run_probe

PROBE = Path(__file__).parent / "differential" / "registry_probe.py"

FEAST_0_67 = {
    "before_apply": [[], None, []],
    "changed_view": [2, True, True],
    "default_cache_mode": "sync",
    "entity_columns_after_apply": [["depot_id", "Int64"]],
    "features_after_apply": [
        ["parcels", "Int64"],
        ["load_ratio", "Float64"],
        ["region", "String"],
        ["open", "Bool"],
    ],
    "features_read_back": [
        ["parcels", "Int64"],
        ["load_ratio", "Float64"],
        ["region", "String"],
        ["open", "Bool"],
    ],
    "intervals_after_apply": [],
    "intervals_after_incremental": [
        ["2024-06-01T05:00:00+00:00", "2024-06-01T07:00:00+00:00"],
        ["2024-06-01T07:00:00+00:00", "2024-06-01T09:00:00+00:00"],
    ],
    "intervals_after_materialize": [["2024-06-01T05:00:00+00:00", "2024-06-01T07:00:00+00:00"]],
    "most_recent_end": "2024-06-01T09:00:00+00:00",
    "online": {
        "depot_id": [11, 12],
        "load_ratio": [0.5, 0.75],
        "open": [True, False],
        "parcels": [40, 55],
    },
    "other_view_intervals": [],
    "registry_config": ["RegistryConfig", "thread"],
    "registry_from_text": ["RegistryConfig", "reg.db"],
    "times_read_back": [True, True, True],
    "training_rows": [[40, 55], ["north", "south"]],
    "updated_by_materialize": True,
    "updated_intervals": 2,
}


def test_applied_definitions_look_as_in_feast(tmp_path):
    assert run_probe(sys.executable, PROBE, "datajourney.feast", tmp_path) == FEAST_0_67


def test_the_recorded_observations_are_feasts(tmp_path):
    assert run_probe(feast_python(), PROBE, "feast", tmp_path) == FEAST_0_67


def _store(tmp_path: Path) -> FeatureStore:
    config = RepoConfig(project="bins", registry=str(tmp_path / "registry.sqlite"))
    return FeatureStore(repo_path=tmp_path, config=config)


def test_a_source_of_keys_and_times_only_leaves_nothing_to_infer(tmp_path):
    pd.DataFrame(
        {"bin_id": [1], "emptied_at": pd.to_datetime(["2024-02-01"], utc=True)}
    ).to_parquet(tmp_path / "bins.parquet")
    bin_ = Entity(name="bin", join_keys=["bin_id"])
    source = FileSource(path="bins.parquet", timestamp_field="emptied_at")
    view = FeatureView(name="bin_fill", entities=[bin_], source=source, ttl=timedelta(0))
    store = _store(tmp_path)
    with pytest.raises(DefinitionError, match="'bin_fill' has no feature"):
        store.apply([bin_, view])
    assert store.list_feature_views() == [] and store.list_entities() == []


def test_a_column_of_a_type_without_a_feature_type_is_named(tmp_path):
    pd.DataFrame(
        {
            "bin_id": [1],
            "emptied_at": pd.to_datetime(["2024-02-01"], utc=True),
            "levels": [{"a": 1}],
        }
    ).to_parquet(tmp_path / "bins.parquet")
    bin_ = Entity(name="bin", join_keys=["bin_id"])
    source = FileSource(path="file://bins.parquet", timestamp_field="emptied_at")
    view = FeatureView(name="bin_fill", entities=[bin_], source=source)
    with pytest.raises(DefinitionError, match="column 'levels'"):
        _store(tmp_path).apply([bin_, view])


def test_registry_config_takes_feasts_keys_and_refuses_other_registry_types(tmp_path):
    config = RepoConfig(project="bins", registry={"path": "r.sqlite", "cache_ttl_seconds": 5})
    assert config.registry == RegistryConfig(path="r.sqlite", cache_ttl_seconds=5)
    assert RepoConfig(project="bins").registry.path == ""
    with pytest.raises(FeatureStoreError, match="registry_type 'snowflake'"):
        RegistryConfig(registry_type="snowflake")


def test_views_applied_together_must_differ_in_more_than_case(tmp_path):
    pd.DataFrame(
        {"bin_id": [1], "emptied_at": pd.to_datetime(["2024-02-01"], utc=True), "kg": [2.0]}
    ).to_parquet(tmp_path / "bins.parquet")
    bin_ = Entity(name="bin", join_keys=["bin_id"])
    source = FileSource(path="bins.parquet", timestamp_field="emptied_at")

    def view(name: str) -> FeatureView:
        return FeatureView(name=name, entities=[bin_], source=source)

    store = _store(tmp_path)
    with pytest.raises(DefinitionError, match="case-insensitively unique"):
        store.apply([bin_, view("bin_fill"), view("Bin_Fill")])
    assert store.list_feature_views() == []
    store.apply([bin_, view("bin_fill")])
    store.apply([view("BIN_FILL")])  # a later apply may (as in Feast 0.67)
    assert sorted(v.name for v in store.list_feature_views()) == ["BIN_FILL", "bin_fill"]
