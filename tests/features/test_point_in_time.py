"""Point-in-time retrieval on a hand-built table: every rule of the canonical semantics has a
row whose answer would change if the rule were broken."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from datajourney.features import (
    Entity,
    FeatureService,
    FeatureView,
    Field,
    FileSource,
    RetrievalError,
)
from datajourney.features.types import Float64, Int64

UTC = timezone.utc


def at(hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(2024, 5, 1, hh, mm, ss, tzinfo=UTC)


@pytest.fixture
def store(make_store, tmp_path):
    # stats: ttl 1 hour, ties on event time and late corrections told apart by created time
    pd.DataFrame(
        {
            "driver_id": [1, 1, 1, 1, 2, 3],
            "event_timestamp": [at(10), at(10), at(11), at(11), at(9), at(8)],
            "created": [at(10), at(10, 5), at(11), at(13), at(9), at(8)],
            "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    ).to_parquet(tmp_path / "stats.parquet")
    # other: ttl 0 (unlimited), no created column
    pd.DataFrame(
        {
            "driver_id": [1, 3, 2],
            "ts": [at(1), at(7), at(10, 0, 1)],
            "y": [10, 30, 20],
        }
    ).to_parquet(tmp_path / "other.parquet")
    pd.DataFrame({"driver_id": [1], "event_timestamp": [at(9)], "x": [7.0]}).to_parquet(
        tmp_path / "clash.parquet"
    )
    driver = Entity(name="driver", join_keys=["driver_id"])
    stats = FeatureView(
        name="stats",
        entities=[driver],
        ttl=timedelta(hours=1),
        schema=[Field("x", Float64)],
        source=FileSource(
            path="stats.parquet",
            timestamp_field="event_timestamp",
            created_timestamp_column="created",
        ),
    )
    other = FeatureView(
        name="other",
        entities=[driver],
        ttl=timedelta(0),
        schema=[Field("y", Int64)],
        source=FileSource(path="other.parquet", timestamp_field="ts"),
    )
    clash = FeatureView(
        name="clash",
        entities=[driver],
        schema=[Field("x", Float64)],
        source=FileSource(path="clash.parquet", timestamp_field="event_timestamp"),
    )
    made = make_store()
    made.apply([driver, stats, other, clash, FeatureService("both", [stats, other])])
    return made


# entity row -> (x, x with filter_by_created_timestamp, y); naive timestamps are UTC.
# With the filter, a row created after the entity row's time is not a candidate.
ROWS = [
    ((1, "2024-05-01 10:00:00"), (2.0, 1.0, 10)),  # tie on event time: later created wins
    ((1, "2024-05-01 10:59:59"), (2.0, 2.0, 10)),  # the 11:00 rows are in the future
    ((1, "2024-05-01 11:00:00"), (4.0, 3.0, 10)),  # late correction (created 13:00)
    ((1, "2024-05-01 12:00:00"), (4.0, 3.0, 10)),  # ttl edge, inclusive to the second
    ((1, "2024-05-01 12:00:01"), (None, None, 10)),  # one second past the ttl
    ((2, "2024-05-01 10:00:00"), (5.0, 5.0, None)),  # ttl edge; y is one second later
    ((2, "2024-05-01 10:00:01"), (None, None, 20)),  # out of ttl; y at exactly this second
    ((1, "2024-05-01 10:00:00"), (2.0, 1.0, 10)),  # a duplicate entity row is kept
    ((99, "2024-05-01 10:00:00"), (None, None, None)),  # unknown entity
    ((3, "2024-05-01 12:00:00"), (None, None, 30)),  # no x in ttl: its y is still there
]


def entity_df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "driver_id": [r[0][0] for r in ROWS],
            "event_timestamp": pd.to_datetime([r[0][1] for r in ROWS]),
            "label": list(range(len(ROWS))),
        }
    )


def values(series: pd.Series) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in series]


@pytest.mark.parametrize("filter_created", [False, True])
def test_hand_built_table(store, filter_created):
    df = store.get_historical_features(
        entity_df(),
        ["stats:x", "other:y"],
        filter_by_created_timestamp=filter_created,
    ).to_df()
    assert list(df.columns) == ["driver_id", "event_timestamp", "label", "x", "y"]
    assert df["label"].tolist() == list(range(len(ROWS)))  # one row per entity row, in order
    column = 1 if filter_created else 0
    assert values(df["x"]) == [r[1][column] for r in ROWS]
    assert values(df["y"]) == [r[1][2] for r in ROWS]


def test_full_feature_names_and_services(store):
    by_service = store.get_historical_features(
        entity_df(), store.get_feature_service("both"), full_feature_names=True
    ).to_df()
    assert list(by_service.columns)[-2:] == ["stats__x", "other__y"]
    assert values(by_service["stats__x"]) == [r[1][0] for r in ROWS]
    both = store.get_historical_features(
        entity_df(), ["stats:x", "clash:x"], full_feature_names=True
    ).to_df()
    assert values(both["clash__x"]) == [7.0, 7.0, 7.0, 7.0, 7.0, None, None, 7.0, None, None]


def test_name_clash_needs_full_feature_names(store):
    with pytest.raises(RetrievalError, match="full_feature_names"):
        store.get_historical_features(entity_df(), ["stats:x", "clash:x"])


def test_bad_requests_are_clear_errors(store):
    no_time = entity_df().drop(columns=["event_timestamp"])
    with pytest.raises(RetrievalError, match="event_timestamp"):
        store.get_historical_features(no_time, ["stats:x"]).to_df()
    with pytest.raises(RetrievalError, match="unknown feature view 'nope'"):
        store.get_historical_features(entity_df(), ["nope:x"])
    with pytest.raises(RetrievalError, match="no feature 'z'"):
        store.get_historical_features(entity_df(), ["stats:z"])
    with pytest.raises(RetrievalError, match="join key 'driver_id'"):
        store.get_historical_features(entity_df().drop(columns=["driver_id"]), ["stats:x"]).to_df()


def test_entity_rows_from_a_file(store, tmp_path):
    entity_df().to_parquet(tmp_path / "entities.parquet")
    df = store.get_historical_features(str(tmp_path / "entities.parquet"), ["stats:x"]).to_df()
    assert values(df["x"]) == [r[1][0] for r in ROWS]


def test_without_entity_rows_over_a_time_range(store):
    df = store.get_historical_features(
        features=["stats:x"], start_date=at(8), end_date=at(11, 30)
    ).to_df()
    assert df["driver_id"].tolist() == [1, 2, 3]
    assert values(df["x"]) == [4.0, None, None]  # as of 11:30 with a 1 hour ttl
