"""File sources in every format (Parquet, CSV, Delta) with field mappings and created times, and
on-demand feature views in pandas and python modes, on read and on write."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from datajourney.features import (
    Entity,
    FeatureStoreError,
    FeatureView,
    Field,
    FileSource,
    PushMode,
    PushSource,
    RequestSource,
    on_demand_feature_view,
)
from datajourney.features.types import Float64, Int64

UTC = timezone.utc


def at(hour: int) -> datetime:
    return datetime(2024, 5, 1, hour, tzinfo=UTC)


# Source columns carry other names than the features: field_mapping renames them.
ROWS = pd.DataFrame(
    {
        "driver": [1, 1, 1, 2],
        "ts": [at(1), at(2), at(2), at(1)],
        "loaded": [at(1), at(3), at(4), at(1)],  # 02:00 corrected at 04:00
        "conv": [0.1, 0.2, 0.25, 0.3],
        "trips_raw": [10, 20, 25, 30],
    }
)
MAPPING = {"driver": "driver_id", "conv": "rate", "trips_raw": "trips"}
ENTITIES = pd.DataFrame(
    {
        "driver_id": [1, 1, 2, 1, 3],
        "event_timestamp": [at(5), at(1), at(5), at(0), at(5)],
        "bonus": [1.0, 2.0, 3.0, 4.0, 5.0],
    }
)


def write_source(folder, fmt: str) -> str:
    if fmt == "parquet":
        ROWS.to_parquet(folder / "rows.parquet")
        return "rows.parquet"
    if fmt == "csv":
        ROWS.assign(ts=ROWS.ts.map(datetime.isoformat)).to_csv(folder / "rows.csv", index=False)
        return "rows.csv"
    from deltalake import write_deltalake

    write_deltalake(str(folder / "rows_delta"), ROWS)
    return "rows_delta"


def definitions(path: str):
    driver = Entity(name="driver", join_keys=["driver_id"])
    stats = FeatureView(
        name="stats",
        entities=[driver],
        ttl=timedelta(hours=4),  # driver 2 at 05:00 sees 01:00: the ttl's edge is inclusive
        schema=[Field("driver_id", Int64), Field("rate", Float64), Field("trips", Int64)],
        source=FileSource(
            name="rows",
            path=path,
            timestamp_field="ts",
            created_timestamp_column="loaded",
            field_mapping=MAPPING,
        ),
    )
    return driver, stats


@pytest.mark.parametrize("fmt", ["parquet", "csv", "delta"])
def test_every_format_gives_the_same_rows(make_store, tmp_path, fmt):
    store = make_store()
    store.apply(list(definitions(write_source(tmp_path, fmt))))
    got = store.get_historical_features(ENTITIES, ["stats:rate", "stats:trips"]).to_df()
    assert got["rate"].tolist()[:3] == [0.25, 0.1, 0.3]  # the correction wins the tie
    assert got["trips"].tolist()[:3] == [25, 10, 30]
    assert got[["rate", "trips"]].iloc[3:].isna().all().all()  # before any row; unknown entity
    assert got["bonus"].tolist() == ENTITIES["bonus"].tolist()  # extra columns pass through
    assert store.materialize(at(0), at(6)) == {"stats": 2}
    online = store.get_online_features(["stats:rate"], [{"driver_id": 1}, {"driver_id": 2}])
    assert online.to_dict()["rate"] == [0.25, 0.3]


def test_a_mapped_column_missing_from_the_source_is_one_clear_error(make_store, tmp_path):
    store = make_store()
    ROWS.drop(columns=["conv"]).to_parquet(tmp_path / "rows.parquet")
    with pytest.raises(FeatureStoreError, match="no column 'conv'"):
        store.apply(list(definitions("rows.parquet")))
    assert store.list_feature_views() == []


def transforms(stats):
    request = RequestSource(name="req", schema=[Field("bonus", Float64)])
    out = [Field("score", Float64)]

    @on_demand_feature_view(sources=[stats, request], schema=out, mode="pandas")
    def by_pandas(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"score": df["rate"] * 10 + df["bonus"]})

    @on_demand_feature_view(sources=[stats, request], schema=out, mode="python")
    def by_python(inputs: dict) -> dict:
        return {"score": [r * 10 + b for r, b in zip(inputs["rate"], inputs["bonus"])]}

    @on_demand_feature_view(sources=[stats, request], schema=out, mode="python", singleton=True)
    def by_row(row: dict) -> dict:
        return {"score": row["rate"] * 10 + row["bonus"]}

    @on_demand_feature_view(
        sources=[stats[["rate"]]],
        schema=[Field("doubled", Float64)],
        mode="python",
        write_to_online_store=True,
    )
    def stored(inputs: dict) -> dict:
        return {"doubled": [r * 2 for r in inputs["rate"]]}

    return [by_pandas, by_python, by_row, stored]


def test_on_demand_modes_agree_on_read(make_store, tmp_path):
    store = make_store()
    driver, stats = definitions(write_source(tmp_path, "parquet"))
    store.apply([driver, stats, *transforms(stats)])
    refs = ["by_pandas:score", "by_python:score", "by_row:score"]
    got = store.get_historical_features(ENTITIES[:3], refs, full_feature_names=True).to_df()
    expected = [3.5, 3.0, 6.0]
    for name in ("by_pandas__score", "by_python__score", "by_row__score"):
        assert got[name].tolist() == pytest.approx(expected)
    store.materialize(at(0), at(6))
    rows = [{"driver_id": 1, "bonus": 1.0}, {"driver_id": 2, "bonus": 3.0}]
    online = store.get_online_features(refs, rows, full_feature_names=True).to_dict()
    for name in ("by_pandas__score", "by_python__score", "by_row__score"):
        assert online[name] == pytest.approx([3.5, 6.0])


def test_on_demand_on_write_stores_the_results(make_store, tmp_path):
    store = make_store()
    driver, stats = definitions(write_source(tmp_path, "parquet"))
    fresh = FeatureView(
        name="fresh",
        entities=[driver],
        schema=[Field("rate", Float64), Field("trips", Int64)],
        source=PushSource(name="push", batch_source=stats.source),
    )
    request = RequestSource(name="req", schema=[Field("bonus", Float64)])

    @on_demand_feature_view(
        sources=[fresh, request], schema=[Field("score", Float64)], write_to_online_store=True
    )
    def pushed_score(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"score": df["rate"] * 10 + df["bonus"]})

    on_read = transforms(stats)
    store.apply([driver, stats, fresh, pushed_score, *on_read])
    rows = pd.DataFrame(
        {"driver_id": [7, 8], "ts": [at(1), at(1)], "rate": [0.5, 0.6], "trips": [1, 2]}
    )
    assert store.write_to_online_store("stored", rows) == 2
    # the stored values are read back: no request data and no source values needed
    got = store.get_online_features(["stored:doubled"], [{"driver_id": 7}, {"driver_id": 9}])
    assert got.to_dict()["doubled"] == [1.0, None]
    with pytest.raises(FeatureStoreError, match="computed on read"):
        store.write_to_online_store("by_python", rows.assign(bonus=1.0))
    # a push to the view's push source computes and stores the on-demand view too
    with pytest.raises(FeatureStoreError, match="'bonus'"):
        store.push("push", rows, to=PushMode.ONLINE)
    assert store.get_online_features(["fresh:rate"], [{"driver_id": 7}]).to_dict()["rate"] == [
        None
    ]  # the refused push wrote nothing
    store.push("push", rows.assign(bonus=[1.0, 2.0]), to=PushMode.ONLINE)
    got = store.get_online_features(["pushed_score:score"], [{"driver_id": 8}]).to_dict()
    assert got["score"] == pytest.approx([8.0])


def test_a_source_rewritten_with_ties_is_read_again(make_store, tmp_path):
    """Without ties on event time the join skips the created-time order; once the file holds
    a tie (a late correction), the correction wins."""
    store = make_store()
    first = ROWS.drop(index=2)  # no tie: one row per driver and time
    first.to_parquet(tmp_path / "rows.parquet")
    store.apply(list(definitions("rows.parquet")))
    got = store.get_historical_features(ENTITIES[:1], ["stats:rate"]).to_df()
    assert got["rate"].tolist() == [0.2]
    ROWS.to_parquet(tmp_path / "rows.parquet")  # now 02:00 is corrected at 04:00
    got = store.get_historical_features(ENTITIES[:1], ["stats:rate"]).to_df()
    assert got["rate"].tolist() == [0.25]
