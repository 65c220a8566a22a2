"""The feature registry on PostgreSQL and MySQL / MariaDB, whose ML Metadata layouts keep int
properties in 32 bits: materialization times (epoch microseconds) are stored so they fit
(issue 14)."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

from datajourney.features import FeatureStore, RepoConfig
from tests.features.template import copy_template
from tests.metadata.conftest import server_database  # noqa: F401  (the fixture)


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_materialize_and_retrieve_with_the_registry_on_a_server(
    backend,
    tmp_path,
    server_database,  # noqa: F811
):
    repo = copy_template(tmp_path)
    config = RepoConfig(
        project="my_project",
        registry=server_database(backend),
        online_store={"type": "sqlite", "path": str(tmp_path / "online.db")},
        repo_path=repo,
    )
    store = FeatureStore(config=config)
    try:
        store.apply()
        now = datetime.datetime.now(datetime.UTC)
        first = store.materialize_incremental(now - datetime.timedelta(hours=2))
        assert first["driver_hourly_stats"] == 5
        again = store.materialize_incremental(now)  # from where the first one ended
        assert again["driver_hourly_stats"] == 5
        online = store.get_online_features(
            ["driver_hourly_stats:conv_rate"], [{"driver_id": 1001}]
        ).to_dict()
        assert online["conv_rate"][0] is not None
        entities = pd.DataFrame({"driver_id": [1001, 1002], "event_timestamp": [now] * 2})
        job = store.get_historical_features(entities, ["driver_hourly_stats:conv_rate"])
        training = job.save_training_set(tmp_path / "train.parquet", name="train")
        assert training.properties["rows"] == 2
    finally:
        store.close()
