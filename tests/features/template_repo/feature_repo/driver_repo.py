"""Driver statistics for the feature store tests: one hourly statistics file read two ways
(as a batch view and, through a push source, as a view fed by pushes), request values added
on demand, and three services over them."""

from datetime import timedelta

import pandas as pd

from datajourney.feast import (
    Entity,
    FeatureService,
    FeatureView,
    Field,
    FileSource,
    PushSource,
    RequestSource,
)
from datajourney.feast.on_demand_feature_view import on_demand_feature_view
from datajourney.feast.types import Float32, Float64, Int64

DAY = timedelta(days=1)
TEAM = {"team": "driver_performance"}


def hourly_fields(trips_note: str = "") -> list[Field]:
    """The three statistics every driver has per hour."""
    return [
        Field(name="conv_rate", dtype=Float32),
        Field(name="acc_rate", dtype=Float32),
        Field(name="avg_daily_trips", dtype=Int64, description=trips_note),
    ]


def plus_request_values(inputs: pd.DataFrame) -> pd.DataFrame:
    """conv_rate with each of the two request values added."""
    return pd.DataFrame(
        {
            "conv_rate_plus_val1": inputs["conv_rate"] + inputs["val_to_add"],
            "conv_rate_plus_val2": inputs["conv_rate"] + inputs["val_to_add_2"],
        }
    )


driver = Entity(name="driver", join_keys=["driver_id"])

hourly_file = FileSource(
    name="driver_hourly_stats_source",
    path="data/driver_stats.parquet",
    timestamp_field="event_timestamp",
    created_timestamp_column="created",
)
request_values = RequestSource(
    name="vals_to_add",
    schema=[Field(name="val_to_add", dtype=Int64), Field(name="val_to_add_2", dtype=Int64)],
)
added_fields = [
    Field(name="conv_rate_plus_val1", dtype=Float64),
    Field(name="conv_rate_plus_val2", dtype=Float64),
]

# batch: materialized from the file
hourly = FeatureView(
    name="driver_hourly_stats",
    entities=[driver],
    source=hourly_file,
    schema=hourly_fields("Average daily trips"),
    ttl=DAY,
    tags=TEAM,
)


@on_demand_feature_view(sources=[hourly, request_values], schema=added_fields)
def transformed_conv_rate(inputs: pd.DataFrame) -> pd.DataFrame:
    return plus_request_values(inputs)


driver_activity_v1 = FeatureService(
    name="driver_activity_v1", features=[hourly[["conv_rate"]], transformed_conv_rate]
)
driver_activity_v2 = FeatureService(
    name="driver_activity_v2", features=[hourly, transformed_conv_rate]
)

# pushed: the same file behind a push source, so fresh rows reach it at once
pushes = PushSource(name="driver_stats_push_source", batch_source=hourly_file)
hourly_fresh = FeatureView(
    name="driver_hourly_stats_fresh",
    entities=[driver],
    source=pushes,
    schema=hourly_fields(),
    ttl=DAY,
    tags=TEAM,
)


@on_demand_feature_view(sources=[hourly_fresh, request_values], schema=added_fields)
def transformed_conv_rate_fresh(inputs: pd.DataFrame) -> pd.DataFrame:
    return plus_request_values(inputs)


driver_activity_v3 = FeatureService(
    name="driver_activity_v3", features=[hourly_fresh, transformed_conv_rate_fresh]
)
