"""The demo's feature step: area features from a curated warehouse table, a training set whose
lineage reaches the raw CSV through the lake and the warehouse."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from datajourney.features import FeatureStore, RepoConfig
from datajourney.lake import Lake
from datajourney.metadata.store import MetadataStore
from datajourney.pipeline.demo_data import write_covertype
from datajourney.pipeline.demo_features import feature_step
from datajourney.warehouse import Warehouse


def test_feature_step_from_raw_file_to_training_set(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = write_covertype(tmp_path / "data", rows=200)
    store = MetadataStore(f"sqlite:///{tmp_path / 'metadata.sqlite'}")
    lake_entry = Lake(store=store).ingest(str(data / "train.csv")).added[0]
    warehouse = Warehouse(tmp_path / "warehouse", store=store)
    warehouse.load("covertype.train", lake_entry, create=True)

    result = feature_step(Path("demo"), store, warehouse, "covertype.train")  # as make demo

    training = pd.read_parquet(result.training_set.uri)
    assert len(training) == result.rows == 200
    counts = training.groupby("area")["observations"].first()
    assert counts.sum() == 200  # each area's count of observed plots
    assert result.materialized == {"area_stats": len(counts)}
    assert result.online["observations"] == [int(counts[a]) for a in result.online["area"]]
    upstream = store.lineage(result.training_set.id, "upstream")
    assert {a.uri for a in upstream.artifacts.values() if a.type == "LakeEntry"} == {
        str(data / "train.csv")
    }
    [online] = store.get_artifacts(type_name="OnlineState")
    assert Path(online.uri) == tmp_path / "demo" / "features" / "online.sqlite"
    assert Path(online.uri).is_file()
    config = RepoConfig(project="covertype", repo_path=tmp_path / "demo" / "features")
    features = FeatureStore(config=config, metadata_store=store)
    assert features.features_from(str(data / "train.csv")) == ["area_stats"]
    features.close()
    store.close()


def test_the_demo_runs_the_feature_step(tmp_path):
    from datajourney.pipeline.demo import run_demo

    store = MetadataStore(f"sqlite:///{tmp_path / 'metadata.sqlite'}")
    result = run_demo(tmp_path / "demo", store, rows=200)
    step = result.features
    assert step is not None and step.rows == 200
    assert "LakeEntry" in step.lineage and "WarehouseTableVersion" in step.lineage
    assert "Feature store: lineage of the training set" in result.report.read_text()
    store.close()
