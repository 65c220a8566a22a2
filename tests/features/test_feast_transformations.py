"""On-demand feature views given their transform as an object (Feast 0.67's
``feature_transformation=PandasTransformation(...)`` / ``PythonTransformation(...)``) run
as the same views given ``udf`` and ``mode``; ``transform_dict`` answers as Feast's does
(its answers below were recorded from Feast 0.67)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from datajourney.feast import Entity, FeatureStore, FeatureView, Field, FileSource, RepoConfig
from datajourney.feast.on_demand_feature_view import (
    OnDemandFeatureView,
    PandasTransformation,
    PythonTransformation,
)
from datajourney.feast.types import Float64
from datajourney.features.errors import DefinitionError

UTC = timezone.utc


def doubled_weight(inputs: dict) -> dict:
    return {"double_kg": [w * 2 for w in inputs["kg"]]}


def doubled_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"double_kg": frame["kg"] * 2})


@pytest.fixture
def crates(tmp_path):
    pd.DataFrame(
        {
            "crate_id": [1, 2],
            "weighed_at": pd.to_datetime(["2024-04-01 10:00"] * 2, utc=True),
            "kg": [3.5, 8.0],
        }
    ).to_parquet(tmp_path / "crates.parquet")
    crate = Entity(name="crate", join_keys=["crate_id"])
    weights = FeatureView(
        name="crate_weight",
        entities=[crate],
        schema=[Field(name="kg", dtype=Float64)],
        source=FileSource(path=str(tmp_path / "crates.parquet"), timestamp_field="weighed_at"),
        ttl=timedelta(0),
    )
    config = RepoConfig(project="crates", registry=str(tmp_path / "registry.sqlite"))
    store = FeatureStore(repo_path=tmp_path, config=config)
    return store, crate, weights


def _view(weights, **how) -> OnDemandFeatureView:
    return OnDemandFeatureView(
        name="crate_double",
        sources=[weights],
        schema=[Field(name="double_kg", dtype=Float64)],
        **how,
    )


@pytest.mark.parametrize(
    "how",
    [
        {"feature_transformation": PythonTransformation(doubled_weight, "doubled_weight")},
        {"feature_transformation": PandasTransformation(doubled_frame, "doubled_frame")},
        {"udf": doubled_weight, "mode": "python"},
    ],
    ids=["python-object", "pandas-object", "udf-and-mode"],
)
def test_a_transformation_object_runs_as_its_mode(crates, how):
    store, crate, weights = crates
    view = _view(weights, **how)
    store.apply([crate, weights, view])
    store.materialize(datetime(2024, 4, 1, tzinfo=UTC), datetime(2024, 4, 2, tzinfo=UTC))
    online = store.get_online_features(["crate_double:double_kg"], [{"crate_id": 2}])
    assert online.to_dict()["double_kg"] == [16.0]
    asked = pd.DataFrame(
        {"crate_id": [1, 2], "event_timestamp": [datetime(2024, 4, 2, tzinfo=UTC)] * 2}
    )
    rows = store.get_historical_features(asked, ["crate_double:double_kg"]).to_df()
    assert rows.sort_values("crate_id")["double_kg"].tolist() == [7.0, 16.0]
    applied = store.get_on_demand_feature_view("crate_double")
    assert applied.mode == view.mode == view.feature_transformation.mode


def test_transform_dict_gives_the_inputs_and_outputs_as_feast(crates):
    _, _, weights = crates
    view = _view(weights, feature_transformation=PythonTransformation(doubled_weight, "d"))
    assert view.transform_dict({"kg": [1.0, 2.0]}) == {"kg": [1.0, 2.0], "double_kg": [2.0, 4.0]}
    assert view.transform_dict({"crate_weight__kg": [3.0]}) == {
        "crate_weight__kg": [3.0],
        "double_kg": [6.0],
    }
    pandas_view = _view(weights, udf=doubled_frame)
    with pytest.raises(DefinitionError, match="transform_dict runs python-mode views"):
        pandas_view.transform_dict({"kg": [1.0]})


def test_transformations_compare_by_source_text_else_code():
    assert PythonTransformation(doubled_weight, "a") == PythonTransformation(doubled_frame, "a")
    assert PythonTransformation(doubled_weight, "a") != PythonTransformation(doubled_weight, "b")
    assert PythonTransformation(doubled_weight) == PythonTransformation(doubled_weight, "b")
    assert PythonTransformation(doubled_weight) != PandasTransformation(doubled_weight)
    with pytest.raises(DefinitionError, match="give a udf or a feature_transformation"):
        OnDemandFeatureView(name="nothing", sources=[], schema=[])
