"""Point-in-time retrieval agrees with a small pure-pandas reference on random data."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datajourney.features import Entity, FeatureView, Field, FileSource
from datajourney.features.types import Float64

BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)


def reference(entities: pd.DataFrame, rows: pd.DataFrame, ttl: int, filter_created: bool) -> list:
    """For each entity row: the feature row of its key with ts in [t - ttl, t] (ttl 0: no
    lower bound) and, when filtering, created <= t; latest ts, then latest created."""
    answers = []
    for key, t in zip(entities["driver_id"], entities["event_timestamp"]):
        found = rows[(rows["driver_id"] == key) & (rows["event_timestamp"] <= t)]
        if ttl:
            found = found[found["event_timestamp"] >= t - timedelta(seconds=ttl)]
        if filter_created:
            found = found[found["created"] <= t]
        if found.empty:
            answers.append(None)
        else:
            best = found.sort_values(["event_timestamp", "created"]).iloc[-1]
            answers.append(best["x"])
    return answers


feature_rows = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(0, 60)),
    min_size=0,
    max_size=30,
    # no two candidates alike in key, event time and created time (created is r[1] + r[2] % 7):
    # between such twins any answer is right
    unique_by=lambda r: (r[0], r[1], r[2] % 7),
)
entity_rows = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 60)), min_size=1, max_size=15)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    from datajourney.features import FeatureStore, RepoConfig

    folder = tmp_path_factory.mktemp("pit")
    store = FeatureStore(
        config=RepoConfig(project="p", registry=str(folder / "r.sqlite"), repo_path=folder)
    )
    yield folder, store
    store.close()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=feature_rows,
    entities=entity_rows,
    ttl=st.sampled_from([0, 5, 17]),
    filter_created=st.booleans(),
)
def test_matches_pandas_reference(workspace, rows, entities, ttl, filter_created):
    folder, store = workspace
    feature_df = pd.DataFrame(
        {
            "driver_id": pd.Series([r[0] for r in rows], dtype="int64"),
            "event_timestamp": pd.Series(
                [BASE + timedelta(seconds=r[1]) for r in rows], dtype="datetime64[us, UTC]"
            ),
            "created": pd.Series(
                [BASE + timedelta(seconds=r[1] + r[2] % 7) for r in rows],
                dtype="datetime64[us, UTC]",
            ),
            "x": pd.Series([float(i) for i in range(len(rows))], dtype="float64"),
        }
    )
    feature_df.to_parquet(folder / "rows.parquet")
    entity_df = pd.DataFrame(
        {
            "driver_id": [e[0] for e in entities],
            "event_timestamp": pd.Series(
                [BASE + timedelta(seconds=e[1]) for e in entities], dtype="datetime64[us, UTC]"
            ),
        }
    )
    driver = Entity(name="driver", join_keys=["driver_id"])
    view = FeatureView(
        name="v",
        entities=[driver],
        ttl=timedelta(seconds=ttl),
        schema=[Field("x", Float64)],
        source=FileSource(
            path="rows.parquet",
            timestamp_field="event_timestamp",
            created_timestamp_column="created",
        ),
    )
    store.apply([driver, view])
    got = store.get_historical_features(
        entity_df, ["v:x"], filter_by_created_timestamp=filter_created
    ).to_df()["x"]
    got = [None if isinstance(v, float) and math.isnan(v) else v for v in got]
    assert got == reference(entity_df, feature_df, ttl, filter_created)
