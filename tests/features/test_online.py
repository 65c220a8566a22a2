"""Materialization, pushes and online reads on SQLite and on the real local Redis."""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from datajourney.features import (
    Entity,
    FeatureService,
    FeatureStoreError,
    FeatureView,
    Field,
    FileSource,
    PushMode,
    PushSource,
    RetrievalError,
)
from datajourney.features.types import Float64, Int64, String

UTC = timezone.utc
REDIS = os.environ.get("DATAJOURNEY_TEST_REDIS", "127.0.0.1:6379")


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 5, day, hour, tzinfo=UTC)


def redis_or_skip() -> None:
    import redis

    host, _, port = REDIS.partition(":")
    try:
        redis.Redis(host=host, port=int(port or 6379), socket_timeout=3).ping()
    except Exception as error:
        reason = f"Redis test server at {REDIS} unavailable: {error}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(params=["sqlite", "redis"])
def store(request, make_store, tmp_path):
    pd.DataFrame(
        {
            "driver_id": [1, 1, 1, 2, 2, 3],
            "event_timestamp": [at(1), at(2), at(2), at(1), at(5), at(1)],
            "created": [at(1), at(2), at(3), at(1), at(5), at(1)],
            "rate": [0.1, 0.2, 0.25, 0.3, 0.4, 0.5],
            "trips": [10, 20, 25, 30, 40, 50],
            "city": ["a", "b", "c", "d", "e", "f"],
        }
    ).to_parquet(tmp_path / "stats.parquet")
    online = None
    if request.param == "redis":
        redis_or_skip()
        prefix = f"djtest{uuid.uuid4().hex[:8]}"
        online = {"type": "redis", "connection_string": REDIS, "key_prefix": prefix}
    made = make_store(online)
    driver = Entity(name="driver", join_keys=["driver_id"])
    batch = FileSource(
        name="stats_source",
        path="stats.parquet",
        timestamp_field="event_timestamp",
        created_timestamp_column="created",
    )
    schema = [Field("rate", Float64), Field("trips", Int64), Field("city", String)]
    stats = FeatureView(
        name="stats", entities=[driver], ttl=timedelta(days=2), schema=schema, source=batch
    )
    fresh = FeatureView(
        name="fresh",
        entities=[driver],
        ttl=timedelta(days=2),
        schema=schema,
        source=PushSource(name="stats_push", batch_source=batch),
    )
    made.apply([driver, stats, fresh, FeatureService("svc", [stats[["rate"]]])])
    yield made
    made.teardown()


def test_materialize_then_read(store):
    written = store.materialize(at(1), at(3), ["stats"])
    assert written == {"stats": 3}
    got = store.get_online_features(
        ["stats:rate", "stats:trips", "stats:city"],
        [{"driver_id": 1}, {"driver_id": 2}, {"driver_id": 3}, {"driver_id": 9}],
    ).to_dict()
    # driver 1: the 2nd-day tie goes to the later created row; driver 2's day-5 row is
    # outside the window; driver 9 is unknown
    assert got == {
        "driver_id": [1, 2, 3, 9],
        "rate": [0.25, 0.3, 0.5, None],
        "trips": [25, 30, 50, None],
        "city": ["c", "d", "f", None],
    }
    service = store.get_online_features(store.get_feature_service("svc"), [{"driver_id": 1}])
    assert service.to_df().to_dict("list") == {"driver_id": [1], "rate": [0.25]}


def test_incremental_and_lineage(store):
    assert store.materialize_incremental(at(3), ["stats"]) == {"stats": 3}  # from end - ttl
    assert store.materialize_incremental(at(6), ["stats"]) == {"stats": 1}  # from day 3
    got = store.get_online_features(["stats:rate"], [{"driver_id": 2}]).to_dict()
    assert got["rate"] == [0.4]
    runs = store.metadata.get_executions(type_name="FeatureMaterialization")
    assert [r.properties["rows"] for r in runs] == [3, 1]
    events = store.metadata.get_events(execution_ids=[runs[-1].id])
    inputs = store.metadata.get_artifacts(ids=[e.artifact_id for e in events])
    assert {a.type for a in inputs} == {"FeatureView", "FeatureData", "OnlineState"}
    data = next(a for a in inputs if a.type == "FeatureData")
    assert data.uri.endswith("stats.parquet") and len(data.properties["digest"]) == 64


def test_push_online_and_offline(store):
    event = pd.DataFrame(
        {
            "driver_id": [1, 1],
            "event_timestamp": [at(6), at(7)],
            "created": [at(7), at(7)],
            "rate": [0.9, 0.95],
            "trips": [90, 95],
            "city": ["x", "y"],
        }
    )
    store.push("stats_push", event, to=PushMode.ONLINE_AND_OFFLINE)
    got = store.get_online_features(["fresh:rate", "fresh:city"], {"driver_id": [1]}).to_dict()
    assert got == {"driver_id": [1], "rate": [0.95], "city": ["y"]}
    # an older row pushed later does not replace the newer one online
    store.push("stats_push", event.iloc[:1], to=PushMode.ONLINE)
    assert store.get_online_features(["fresh:rate"], [{"driver_id": 1}]).to_dict()["rate"] == [0.95]
    # offline: the pushed rows join the batch source for historical retrieval
    entities = pd.DataFrame({"driver_id": [1], "event_timestamp": [at(6, 12)]})
    df = store.get_historical_features(entities, ["fresh:rate"]).to_df()
    assert df["rate"].tolist() == [0.9]


def test_wrong_pushes_write_nothing(store):
    bad = pd.DataFrame(
        {
            "driver_id": [1],
            "event_timestamp": [at(6)],
            "rate": ["fast"],
            "trips": [1],
            "city": ["x"],
        }
    )
    with pytest.raises(FeatureStoreError, match=r"column 'rate'.*not Float64"):
        store.push("stats_push", bad, to=PushMode.ONLINE_AND_OFFLINE)
    with pytest.raises(FeatureStoreError, match="no column 'trips'"):
        store.push("stats_push", bad.drop(columns=["trips"]))
    with pytest.raises(FeatureStoreError, match="no feature view reads push source 'nope'"):
        store.push("nope", bad)
    assert not (store.pushed_folder / "stats_push").exists()
    got = store.get_online_features(["fresh:rate"], [{"driver_id": 1}]).to_dict()
    assert got["rate"] == [None]
    with pytest.raises(RetrievalError, match="join key 'driver_id'"):
        store.get_online_features(["fresh:rate"], [{"driver": 1}])


def test_online_ttl_is_opt_in(store):
    now = datetime.now(UTC)
    rows = pd.DataFrame(
        {
            "driver_id": [5, 6],
            "event_timestamp": [now - timedelta(days=3), now - timedelta(hours=1)],
            "rate": [0.1, 0.2],
            "trips": [1, 2],
            "city": ["old", "new"],
        }
    )
    store.write_to_online_store("stats", rows)
    entity_rows = [{"driver_id": 5}, {"driver_id": 6}]
    assert store.get_online_features(["stats:city"], entity_rows).to_dict()["city"] == [
        "old",
        "new",
    ]
    honored = store.get_online_features(["stats:city"], entity_rows, honor_ttl=True)
    assert honored.to_dict()["city"] == [None, "new"]
