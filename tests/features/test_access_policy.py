"""The feature store under an access policy: each action allowed and denied per role (views by
name and tags, services, definitions), a denial changes nothing, and Feast's ``Permission``
objects applied through ``FeatureStore.apply`` are enforced by the library itself."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from datajourney import access
from datajourney.access import AccessDeniedError
from datajourney.feast import (
    Entity,
    FeatureService,
    FeatureStore,
    FeatureView,
    Field,
    FileSource,
    RepoConfig,
)
from datajourney.feast.permissions.action import READ, AuthzedAction
from datajourney.feast.permissions.permission import Permission
from datajourney.feast.permissions.policy import AllowAll, RoleBasedPolicy
from datajourney.feast.types import Float64

UTC = timezone.utc
START, END = datetime(2024, 4, 1, tzinfo=UTC), datetime(2024, 6, 1, tzinfo=UTC)

POLICY = {
    "roles": {
        "rides_reader": [
            {
                "actions": ["describe", "read_offline", "read_online"],
                "resources": ["feature_view"],
                "tags": {"team": "rides"},
            }
        ],
        "service_user": [
            {"actions": ["read_online"], "resources": ["feature_service"], "names": ["driver_*"]}
        ],
        "feature_writer": [
            {
                "actions": ["describe", "write"],
                "resources": ["feature_view", "feature_service", "entity", "data_source"],
            }
        ],
    },
    "bindings": {
        "alice": ["admin"],
        "bob": ["rides_reader"],
        "carol": ["feature_writer"],
        "erin": ["service_user"],
    },
}
ENTITIES = pd.DataFrame({"driver_id": [1], "event_timestamp": [datetime(2024, 5, 1, 1)]})


def definitions():
    driver = Entity(name="driver", join_keys=["driver_id"])
    source = FileSource(path="x.parquet", timestamp_field="event_timestamp")
    stats = FeatureView(
        name="driver_stats",
        entities=[driver],
        ttl=timedelta(days=1),
        schema=[Field(name="x", dtype=Float64)],
        source=source,
        tags={"team": "rides"},
    )
    profile = FeatureView(
        name="customer_profile",
        entities=[driver],
        ttl=timedelta(days=1),
        schema=[Field(name="y", dtype=Float64)],
        source=source,
        tags={"pii": "true"},
    )
    service = FeatureService(name="driver_service", features=[stats])
    return [driver, source, stats, profile, service]


@pytest.fixture
def store(tmp_path: Path):
    pd.DataFrame(
        {
            "driver_id": [1],
            "event_timestamp": [datetime(2024, 5, 1, tzinfo=UTC)],
            "x": [0.5],
            "y": [7.0],
        }
    ).to_parquet(tmp_path / "x.parquet")
    config = RepoConfig(
        project="p",
        registry=str(tmp_path / "registry.sqlite"),
        online_store={"type": "sqlite", "path": str(tmp_path / "online.db")},
        repo_path=tmp_path,
    )
    opened = FeatureStore(config=config)
    yield opened
    opened.close()


def test_each_action_allowed_and_denied_per_role(store, tmp_path):
    access.set_policy(store.metadata, POLICY, "alice")
    with access.acting_as("bob"), pytest.raises(AccessDeniedError) as denied:
        store.apply(definitions())
    assert str(denied.value).startswith("access denied: 'bob' may not write data_source")
    assert store.registry.current() == {}
    with access.acting_as("carol"):
        store.apply(definitions())
        with pytest.raises(AccessDeniedError, match="'carol' may not read_offline"):
            store.get_historical_features(ENTITIES, ["driver_stats:x"])
        assert store.materialize(START, END) == {"driver_stats": 1, "customer_profile": 1}
        with pytest.raises(AccessDeniedError, match="'carol' may not delete feature_view"):
            store.teardown()

    online_before = (tmp_path / "online.db").read_bytes()
    with access.acting_as("bob"):
        frame = store.get_historical_features(ENTITIES, ["driver_stats:x"]).to_df()
        assert frame["x"].tolist() == [0.5]
        with pytest.raises(AccessDeniedError, match="feature_view 'customer_profile'"):
            store.get_historical_features(ENTITIES, ["driver_stats:x", "customer_profile:y"])
        online = store.get_online_features(["driver_stats:x"], [{"driver_id": 1}]).to_dict()
        assert online["x"] == [0.5]
        assert [v.name for v in store.list_feature_views()] == ["driver_stats"]
        assert store.list_entities() == [] and store.list_feature_services() == []
        with pytest.raises(AccessDeniedError, match="may not describe feature_view"):
            store.get_feature_view("customer_profile")
        with pytest.raises(AccessDeniedError, match="'bob' may not write feature_view"):
            store.materialize(START, END, ["driver_stats"])
        with pytest.raises(AccessDeniedError, match="'bob' may not write feature_view"):
            store.write_to_online_store("driver_stats", pd.DataFrame({"driver_id": [1]}))
    assert (tmp_path / "online.db").read_bytes() == online_before
    assert len(store.metadata.executions("FeatureMaterialization")) == 2

    with access.acting_as("erin"):  # the service, not its views
        by_service = FeatureService(name="driver_service", features=[definitions()[2]])
        answer = store.get_online_features(by_service, [{"driver_id": 1}]).to_dict()
        assert answer["x"] == [0.5]
        with pytest.raises(AccessDeniedError, match="'erin' may not read_online feature_view"):
            store.get_online_features(["driver_stats:x"], [{"driver_id": 1}])
        with pytest.raises(AccessDeniedError, match="may not read_offline feature_service"):
            store.get_historical_features(ENTITIES, by_service)

    denied = access.audit_log(store.metadata, outcome="denied", limit=20)
    assert {e.principal for e in denied} == {"bob", "carol", "erin"}
    writes = access.audit_log(store.metadata, principal="carol", outcome="allowed")
    assert {(e.action, e.resource_kind) for e in writes} >= {
        ("write", "feature_view"),
        ("write", "entity"),
        ("write", "data_source"),
        ("write", "feature_service"),
    }


def test_feast_permissions_applied_through_the_store_are_enforced(store):
    reader = Permission(
        name="driver-reader",
        types=[FeatureView],
        name_patterns=["driver_.*"],
        policy=RoleBasedPolicy(roles=["feast-reader"]),
        actions=[AuthzedAction.DESCRIBE, *READ],
    )
    with access.acting_as("alice"):
        store.apply([*definitions(), reader])  # the first policy: alice is its admin
        in_force = access.policy(store.metadata)
        assert in_force.bindings == {"alice": ("admin",)}
        [granted] = in_force.roles["feast-reader"]
        assert (granted.label, granted.patterns) == ("driver-reader", ("driver_.*",))
        document = in_force.to_json()
        document["bindings"]["bob"] = ["feast-reader"]
        access.set_policy(store.metadata, document)
        store.apply([reader])  # applying it again replaces it, never doubles it
        assert len(access.policy(store.metadata).roles["feast-reader"]) == 1
        store.materialize(START, END)
    with access.acting_as("bob"):
        assert store.get_online_features(["driver_stats:x"], [{"driver_id": 1}]).to_dict()["x"] == [
            0.5
        ]
        with pytest.raises(AccessDeniedError, match="may not read_online feature_view"):
            store.get_online_features(["customer_profile:y"], [{"driver_id": 1}])
        with pytest.raises(AccessDeniedError, match="'bob' may not admin policy"):
            store.apply([Permission(name="mine", policy=AllowAll)])
    with access.acting_as("alice"):
        store.apply(
            [
                Permission(
                    name="everyone-online",
                    types=[FeatureView],
                    policy=AllowAll,
                    actions=AuthzedAction.READ_ONLINE,
                    required_tags={"pii": "true"},
                )
            ]
        )
    with access.acting_as("zed"):  # AllowAll: anyone, on views tagged pii=true only
        assert store.get_online_features(["customer_profile:y"], [{"driver_id": 1}]).to_dict()[
            "y"
        ] == [7.0]
        with pytest.raises(AccessDeniedError, match="'zed' may not read_online"):
            store.get_online_features(["driver_stats:x"], [{"driver_id": 1}])
    with access.acting_as("alice"):
        store.apply([], objects_to_delete=[reader])
    assert access.policy(store.metadata).roles["feast-reader"] == ()
    with access.acting_as("bob"), pytest.raises(AccessDeniedError):
        store.get_online_features(["driver_stats:x"], [{"driver_id": 1}])


def test_feast_names_are_feasts():
    assert [a.value for a in AuthzedAction] == [
        "create",
        "describe",
        "update",
        "delete",
        "read_online",
        "read_offline",
        "write_online",
        "write_offline",
    ]
    with pytest.raises(ValueError, match="not one of the managed types"):
        Permission(name="x", types=[dict])
    with pytest.raises(ValueError, match="'actions' must be non-empty"):
        Permission(name="x", actions=[])


def test_writing_by_name_needs_write_only(store):
    pusher = {
        "roles": {"pusher": [{"actions": ["write"], "resources": ["feature_view"]}]},
        "bindings": {"alice": ["admin"], "svc-push": ["pusher"]},
    }
    with access.acting_as("alice"):
        store.apply(definitions())
    access.set_policy(store.metadata, pusher, "alice")
    rows = pd.DataFrame(
        {"driver_id": [2], "event_timestamp": [datetime(2024, 5, 2, tzinfo=UTC)], "x": [0.9]}
    )
    with access.acting_as("svc-push"):
        assert store.write_to_online_store("driver_stats", rows) == 1
        assert store.materialize(START, END, ["driver_stats"]) == {"driver_stats": 1}
        with pytest.raises(AccessDeniedError, match="may not describe feature_view"):
            store.get_feature_view("driver_stats")
        with pytest.raises(AccessDeniedError, match="may not read_online feature_view"):
            store.get_online_features(["driver_stats:x"], [{"driver_id": 2}])
