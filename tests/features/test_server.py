"""The feature server answers Feast's endpoints with Feast's JSON shapes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient

from datajourney.features import FeatureStore
from datajourney.features.server import create_app
from tests.features.template import copy_template


@pytest.fixture
def client(tmp_path):
    repo = copy_template(tmp_path)
    store = FeatureStore(repo_path=repo)
    store.apply()
    with TestClient(create_app(store)) as client:
        yield client
    store.close()


def test_health(client):
    assert client.get("/health").status_code == 200


def test_materialize_then_online_features(client):
    now = datetime.now(timezone.utc).isoformat()
    done = client.post(
        "/materialize",
        json={
            "start_ts": "2020-01-01T00:00:00",
            "end_ts": now,
            "feature_views": ["driver_hourly_stats"],
        },
    )
    assert done.status_code == 200, done.text
    answer = client.post(
        "/get-online-features",
        json={
            "features": ["driver_hourly_stats:conv_rate", "driver_hourly_stats:avg_daily_trips"],
            "entities": {"driver_id": [1001, 9999]},
        },
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["metadata"]["feature_names"] == ["driver_id", "conv_rate", "avg_daily_trips"]
    keys, rates, trips = body["results"]
    assert keys["values"] == [1001, 9999]
    assert rates["statuses"] == ["PRESENT", "NOT_FOUND"]
    assert isinstance(rates["values"][0], float) and rates["values"][1] is None
    assert rates["event_timestamps"][0].endswith("Z")
    assert rates["event_timestamps"][1] == "1970-01-01T00:00:00Z"
    assert isinstance(trips["values"][0], int)


def test_push_and_feature_service_with_request_data(client):
    pushed = client.post(
        "/push",
        json={
            "push_source_name": "driver_stats_push_source",
            "df": {
                "driver_id": [1001],
                "event_timestamp": [datetime.now(timezone.utc).isoformat()],
                "created": [datetime.now(timezone.utc).isoformat()],
                "conv_rate": [1.0],
                "acc_rate": [1.0],
                "avg_daily_trips": [1000],
            },
            "to": "online_and_offline",
        },
    )
    assert pushed.status_code == 200, pushed.text
    answer = client.post(
        "/get-online-features",
        json={
            "feature_service": "driver_activity_v3",
            "entities": {"driver_id": [1001], "val_to_add": [5], "val_to_add_2": [7]},
            "full_feature_names": True,
        },
    ).json()
    values = dict(zip(answer["metadata"]["feature_names"], answer["results"]))
    assert values["driver_hourly_stats_fresh__avg_daily_trips"]["values"] == [1000]
    assert values["transformed_conv_rate_fresh__conv_rate_plus_val1"]["values"] == [6.0]


def test_bad_requests_get_one_clear_error(client):
    unknown = client.post(
        "/get-online-features", json={"features": ["nope:x"], "entities": {"driver_id": [1]}}
    )
    assert unknown.status_code == 422 and "unknown feature view 'nope'" in unknown.json()["detail"]
    no_body = client.post("/push", content=b"not json")
    assert no_body.status_code == 422
    wrong = client.post(
        "/write-to-online-store",
        json={"feature_view_name": "driver_hourly_stats", "df": {"driver_id": [1]}},
    )
    assert wrong.status_code == 422 and "no column" in wrong.json()["detail"]
