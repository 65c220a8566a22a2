"""The registry in the metadata store: versions with digests, plan / apply, repo loading,
and the errors that leave it unchanged."""

from __future__ import annotations

import json
from datetime import timedelta

import pandas as pd
import pytest

from datajourney.features import (
    DefinitionError,
    Entity,
    FeatureStore,
    FeatureStoreError,
    FeatureView,
    Field,
    FileSource,
    RegistryError,
)
from datajourney.features.types import Float32, Int64
from datajourney.metadata.store import MetadataStore
from tests.features.template import copy_template


def view(ttl_hours: int = 2, path: str = "rows.parquet", dtype=Float32) -> tuple:
    driver = Entity(name="driver", join_keys=["driver_id"], description="a driver")
    stats = FeatureView(
        name="stats",
        entities=[driver],
        ttl=timedelta(hours=ttl_hours),
        schema=[Field("rate", dtype, description="conversion rate")],
        source=FileSource(path=path, timestamp_field="ts"),
        tags={"team": "ops"},
        owner="ana@example.com",
    )
    return driver, stats


@pytest.fixture
def rows(tmp_path):
    pd.DataFrame(
        {"driver_id": [1], "ts": pd.to_datetime(["2024-01-01"], utc=True), "rate": [0.5]}
    ).to_parquet(tmp_path / "rows.parquet")


def test_versions_digests_and_history(make_store, rows):
    store = make_store()
    first = store.apply(list(view()))
    assert ("FeatureView", "stats") in first.added
    assert store.apply(list(view())).empty  # same content: no new version
    changed = store.plan(list(view(ttl_hours=3)))
    assert changed.changed == [("FeatureView", "stats")]
    store.apply(list(view(ttl_hours=3)))
    history = store.history("stats")
    assert [v.version for v in history] == [1, 2]
    assert history[0].digest != history[1].digest
    assert history[1].spec["ttl_seconds"] == 3 * 3600
    assert "@" in history[1].changed_by
    assert store.get_feature_view("stats").ttl == timedelta(hours=3)
    # the versions are artifacts of the metadata store, each apply an execution
    stored = store.metadata.get_artifacts(type_name="FeatureView")
    assert [a.properties["version"] for a in stored] == [1, 2]
    assert len(store.metadata.get_executions(type_name="FeatureApply")) == 2


def test_discovery(make_store, rows):
    store = make_store()
    store.apply(list(view()))
    assert [d.name for d in store.search("conversion")] == ["stats"]
    assert [d.name for d in store.search(tags={"team": "ops"})] == ["stats"]
    assert [d.name for d in store.search(owner="ana@example.com")] == ["stats"]
    assert [d.name for d in store.search(entity="driver")] == ["stats"]
    assert store.search("nothing-like-this") == []
    assert [v.name for v in store.list_feature_views(tags={"team": "ops"})] == ["stats"]


def test_bad_definitions_change_nothing(make_store, rows):
    store = make_store()
    store.apply(list(view()))
    with pytest.raises(FeatureStoreError, match="no file or folder"):
        store.apply(list(view(ttl_hours=5, path="missing.parquet")))
    with pytest.raises(FeatureStoreError, match="is VARCHAR, the schema declares"):
        pd.DataFrame(
            {"driver_id": [1], "ts": pd.to_datetime(["2024-01-01"]), "rate": ["high"]}
        ).to_parquet(store.repo_path / "text.parquet")
        store.apply(list(view(ttl_hours=5, path="text.parquet")))
    driver, stats = view()
    other = FeatureView(
        name="stats",
        entities=[driver],
        schema=[Field("count", Int64)],
        source=FileSource(path="rows.parquet", timestamp_field="ts"),
    )
    with pytest.raises(DefinitionError, match="two definitions named 'stats'"):
        store.apply([stats, other])
    assert [v.version for v in store.history("stats")] == [1]


def test_newer_registry_is_refused(make_store, rows, tmp_path):
    store = make_store()
    store.apply(list(view()))
    context = store.metadata.get_contexts(type_name="FeatureProject")[0]
    context.custom_properties["registry_format"] = 99
    store.metadata.put([context])
    with pytest.raises(RegistryError, match="newer datajourney"):
        make_store()


def test_repo_files_plan_apply_and_delete(tmp_path):
    repo = copy_template(tmp_path)
    store = FeatureStore(repo_path=repo)
    plan = store.plan()
    assert ("FeatureView", "driver_hourly_stats") in plan.added
    assert ("FeatureService", "driver_activity_v3") in plan.added
    store.apply()
    assert store.plan().empty
    assert {s.name for s in store.list_feature_services()} == {
        "driver_activity_v1",
        "driver_activity_v2",
        "driver_activity_v3",
    }
    # a definition gone from the files is only deleted when asked
    source = (repo / "driver_repo.py").read_text()
    cut = source.index("driver_activity_v2 = ")
    end = source.index("\n\n", cut)
    (repo / "driver_repo.py").write_text(source[:cut] + source[end:])
    assert store.plan(delete=True).removed == [("FeatureService", "driver_activity_v2")]
    store.apply()
    assert "driver_activity_v2" in {s.name for s in store.list_feature_services()}
    store.apply([], objects_to_delete=[store.get_feature_service("driver_activity_v2")])
    assert "driver_activity_v2" not in {s.name for s in store.list_feature_services()}
    assert [v.status for v in store.history("driver_activity_v2")] == ["active", "deleted"]
    store.close()


def test_feast_registry_file_is_not_read(tmp_path):
    repo = copy_template(tmp_path)
    (repo / "data" / "registry.db").write_bytes(b"\x0a\x05feast protobuf")
    with pytest.raises(FeatureStoreError, match="a Feast registry"):
        FeatureStore(repo_path=repo)


def test_bad_yaml_is_one_clear_error(tmp_path):
    (tmp_path / "feature_store.yaml").write_text("project: p\nonline_store:\n  type: dynamodb\n")
    with pytest.raises(FeatureStoreError, match="online_store type 'dynamodb'"):
        FeatureStore(repo_path=tmp_path)
    (tmp_path / "feature_store.yaml").write_text("registry: r.db\n")
    with pytest.raises(FeatureStoreError, match="'project' is required"):
        FeatureStore(repo_path=tmp_path)


def test_registry_shares_the_users_metadata_store(tmp_path, rows):
    url = f"sqlite:///{tmp_path / 'meta.sqlite'}"
    (tmp_path / "feature_store.yaml").write_text(f"project: p\nregistry: {url}\n")
    store = FeatureStore(repo_path=tmp_path)
    store.apply(list(view()))
    store.close()
    with MetadataStore(url) as metadata:
        spec = json.loads(metadata.get_artifacts(type_name="FeatureView")[0].properties["spec"])
    assert spec["name"] == "stats"
