"""Map, Json and Struct features; label views; the Project definition; feature logging; and
the FeatureView options of Feast 0.67 (enable_validation, version)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datajourney.features import PushMode
from datajourney.features.definitions import (
    ConflictPolicy,
    Entity,
    FeatureService,
    FeatureView,
    LabelView,
    Project,
)
from datajourney.features.errors import DefinitionError, FeatureStoreError
from datajourney.features.feature_logging import FileLoggingDestination, LoggingConfig
from datajourney.features.sources import FileSource, PushSource
from datajourney.features.types import Field, Int64, Json, Map, String, Struct

T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)
PROFILE = Struct({"name": String, "age": Int64})
driver = Entity(name="driver", join_keys=["driver_id"])


def _profiles(tmp_path, config='{"zones": ["north"], "limit": 5}'):
    pd.DataFrame(
        {
            "driver_id": [1, 2],
            "event_timestamp": [T0, T0],
            "tags": [{"car": "van", "city": "Oslo"}, {"car": "suv", "city": "Rome"}],
            "config": [config, "[1, 2]"],
            "profile": [{"name": "Ann", "age": 31}, {"name": "Bo", "age": 40}],
        }
    ).to_parquet(tmp_path / "profiles.parquet")
    batch = FileSource(
        name="profiles_file", path="profiles.parquet", timestamp_field="event_timestamp"
    )
    return FeatureView(
        name="profiles",
        entities=[driver],
        source=PushSource(name="profile_push", batch_source=batch),
        schema=[
            Field("tags", Map),
            Field("config", Json),
            Field("profile", PROFILE),
        ],
        ttl=timedelta(days=1),
        enable_validation=True,
    )


REFS = ["profiles:tags", "profiles:config", "profiles:profile"]


def test_map_json_struct_offline_online_and_pushed(make_store, tmp_path):
    store = make_store()
    store.apply([_profiles(tmp_path)])
    entity = pd.DataFrame(
        {"driver_id": [1, 2, 3], "event_timestamp": [T0 + timedelta(hours=1)] * 3}
    )
    frame = store.get_historical_features(entity, REFS).to_df()
    assert frame["tags"].tolist()[:2] == [
        {"car": "van", "city": "Oslo"},
        {"car": "suv", "city": "Rome"},
    ]
    assert frame["config"].tolist()[:2] == ['{"zones": ["north"], "limit": 5}', "[1, 2]"]  # text
    assert frame["profile"].tolist()[1] == {"name": "Bo", "age": 40}
    assert frame["tags"].tolist()[2] is None and frame["profile"].tolist()[2] is None

    store.materialize(T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    online = store.get_online_features(REFS, [{"driver_id": 1}, {"driver_id": 3}]).to_dict()
    assert online["config"] == [{"zones": ["north"], "limit": 5}, None]  # online: parsed
    assert online["tags"][0] == {"car": "van", "city": "Oslo"}
    assert online["profile"][0] == {"name": "Ann", "age": 31}

    later = T0 + timedelta(hours=2)
    pushed = pd.DataFrame(
        {
            "driver_id": [2],
            "event_timestamp": [later],
            "tags": [{"car": "bike", "seats": 1}],  # a Map's values keep their JSON type
            "config": [{"limit": 9}],  # Json given as data
            "profile": [{"name": "Bo"}],  # a field left out is None
        }
    )
    store.push("profile_push", pushed, to=PushMode.ONLINE_AND_OFFLINE)
    online = store.get_online_features(REFS, [{"driver_id": 2}]).to_dict()
    assert online["tags"] == [{"car": "bike", "seats": 1}]
    assert online["config"] == [{"limit": 9}]
    assert online["profile"] == [{"name": "Bo", "age": None}]
    entity = pd.DataFrame({"driver_id": [2], "event_timestamp": [later]})
    frame = store.get_historical_features(entity, REFS).to_df()
    assert dict(frame["tags"][0]) == {"car": "bike", "seats": "1"}  # offline a map of text
    assert frame["config"].tolist() == ['{"limit": 9}']
    assert frame["profile"].tolist() == [{"name": "Bo", "age": None}]


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("config", "{not json", "column 'config' \\(Json\\) row 0: invalid JSON"),
        ("tags", ["a", "b"], "column 'tags' \\(Map\\) row 0: list"),
        ("profile", {"name": "x", "zip": 1}, "no field 'zip'"),
        ("profile", {"name": "x", "age": "old"}, "column 'profile'"),
    ],
)
def test_bad_json_shaped_values_refuse_the_push(make_store, tmp_path, column, value, message):
    store = make_store()
    store.apply([_profiles(tmp_path)])
    row = {"driver_id": [1], "event_timestamp": [T0], "tags": [{}], "config": ["{}"]}
    row["profile"] = [{"name": "x", "age": 1}]
    row[column] = [value]
    with pytest.raises(FeatureStoreError, match=message):
        store.push("profile_push", pd.DataFrame(row), to=PushMode.ONLINE_AND_OFFLINE)
    assert not (store.pushed_folder / "profile_push").exists()
    assert store.get_online_features(["profiles:config"], [{"driver_id": 1}]).to_dict()[
        "config"
    ] == [None]


def test_invalid_json_in_the_source_stops_materialization(make_store, tmp_path):
    store = make_store()
    store.apply([_profiles(tmp_path, config="{oops")])
    entity = pd.DataFrame({"driver_id": [1], "event_timestamp": [T0]})
    assert (
        store.get_historical_features(entity, ["profiles:config"]).to_df()["config"][0] == "{oops"
    )
    with pytest.raises(
        FeatureStoreError, match=r"feature view 'profiles'.*'config' \(Json\).*invalid JSON"
    ):
        store.materialize(T0 - timedelta(hours=1), T0 + timedelta(hours=1))


def test_struct_types_survive_the_registry(make_store, tmp_path):
    make_store().apply([_profiles(tmp_path)])
    view = make_store().get_feature_view("profiles")  # read back from the registry
    assert view.schema[2].dtype == PROFILE and view.enable_validation
    assert str(view.schema[2].dtype) == "Struct({name: String, age: Int64})"


def _labels(tmp_path, **options):
    schema = pa.schema(
        [
            ("driver_id", pa.int64()),
            ("is_good", pa.int64()),
            ("labeler", pa.string()),
            ("event_timestamp", pa.timestamp("ns")),
        ]
    )
    pq.write_table(schema.empty_table(), tmp_path / "labels.parquet")
    batch = FileSource(name="labels_file", path="labels.parquet", timestamp_field="event_timestamp")
    return LabelView(
        name="quality",
        entities=[driver],
        source=PushSource(name="label_push", batch_source=batch),
        schema=[Field("is_good", Int64), Field("labeler", String)],
        **options,
    )


def test_label_views_take_the_latest_label(make_store, tmp_path):
    store = make_store()
    store.apply([_labels(tmp_path, conflict_policy=ConflictPolicy.LAST_WRITE_WINS)])
    labels = pd.DataFrame(
        {
            "driver_id": [1, 1, 2],
            "is_good": [1, 0, 1],
            "labeler": ["ann", "bo", "ann"],
            "event_timestamp": [T0, T0 + timedelta(hours=2), T0 + timedelta(hours=1)],
        }
    )
    store.push("label_push", labels, to=PushMode.ONLINE_AND_OFFLINE)
    refs = ["quality:is_good", "quality:labeler"]
    online = store.get_online_features(refs, [{"driver_id": 1}, {"driver_id": 2}]).to_dict()
    assert online["labeler"] == ["bo", "ann"] and online["is_good"] == [0, 1]
    asked = pd.DataFrame(
        {
            "driver_id": [1, 1, 3],
            "event_timestamp": [T0 + timedelta(hours=1), T0 + timedelta(days=90), T0],
        }
    )
    frame = store.get_historical_features(asked, refs).to_df()
    # as of each row; labels never expire
    assert frame["labeler"].tolist()[:2] == ["ann", "bo"] and pd.isna(frame["labeler"][2])
    assert [v.name for v in store.list_label_views()] == ["quality"]
    assert store.list_feature_views() == []
    assert store.get_label_view("quality").conflict_policy == ConflictPolicy.LAST_WRITE_WINS
    assert store.materialize(T0, T0 + timedelta(days=1)) == {}  # labels arrive by push
    with pytest.raises(FeatureStoreError, match="LabelView quality cannot be materialized"):
        store.materialize(T0, T0 + timedelta(days=1), ["quality"])


@pytest.mark.parametrize("policy", [ConflictPolicy.LABELER_PRIORITY, ConflictPolicy.MAJORITY_VOTE])
def test_other_conflict_policies_are_refused(tmp_path, policy):
    with pytest.raises(DefinitionError, match=f"conflict_policy {policy.name} is not supported"):
        _labels(tmp_path, conflict_policy=policy)


def test_project_must_be_the_configured_one(make_store, tmp_path):
    store = make_store(project="rides")
    assert [p.name for p in store.list_projects()] == ["rides"]
    with pytest.raises(DefinitionError, match="Project 'other' does not match project 'rides'"):
        store.apply([Project(name="other"), driver])
    assert store.list_entities() == []
    store.apply([Project(name="rides", description="Ride statistics"), driver])
    assert store.get_project("rides").description == "Ride statistics"


def test_version_latest_is_the_only_one(tmp_path):
    view = _profiles(tmp_path)
    assert FeatureView(
        name="v", entities=[driver], source=view.source, schema=view.schema, version="LATEST"
    )
    with pytest.raises(DefinitionError, match="version='v2' would make an earlier version"):
        FeatureView(
            name="v", entities=[driver], source=view.source, schema=view.schema, version="v2"
        )
    with pytest.raises(DefinitionError, match="expected 'latest', 'vN' or 'versionN'"):
        FeatureView(
            name="v", entities=[driver], source=view.source, schema=view.schema, version="newest"
        )


def test_write_logged_features_to_the_services_destination(make_store, tmp_path):
    view = _profiles(tmp_path)
    logged = FeatureService(
        name="logged",
        features=[view[["config"]]],
        logging_config=LoggingConfig(FileLoggingDestination(path="logs", partition_by=["day"])),
    )
    store = make_store()
    store.apply([view, logged, FeatureService(name="plain", features=[view])])
    service = make_store().get_feature_service("logged")  # the config kept by the registry
    assert service.logging_config.destination.path == "logs"
    logs = pd.DataFrame(
        {"driver_id": [1, 2], "profiles__config": ["{}", "[]"], "day": ["d1", "d2"]}
    )
    folder = store.write_logged_features(pa.Table.from_pandas(logs), service)
    assert folder == str(tmp_path / "logs")
    assert sorted(p.name for p in (tmp_path / "logs").iterdir()) == ["d1", "d2"]
    back = pq.read_table(tmp_path / "logs" / "d1").to_pandas()
    assert back["profiles__config"].tolist() == ["{}"]
    with pytest.raises(FeatureStoreError, match="'plain' has no logging_config"):
        store.write_logged_features(pa.Table.from_pandas(logs), store.get_feature_service("plain"))
