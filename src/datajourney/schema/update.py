"""Updating a schema so that new statistics conform to it (TFDV's ``update_schema``).

Features the data lacks, or whose type changed, are marked ``DEPRECATED`` (they stop raising
anomalies); new features are added as inference would; string domains gain the new values
(appended, sorted); numeric ranges, presence and value counts widen to what the data shows; a
feature without a domain takes the one a ``domain_info`` statistic suggests.
"""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.schema.arguments import require_type
from datajourney.schema.domain_info import apply_suggested_domain
from datajourney.schema.features import find_feature, get_domain
from datajourney.schema.inference import add_feature, schema_type
from datajourney.schema.statistics_view import FeatureView, dataset_of, features_of


def update_schema(
    schema: schema_pb2.Schema,
    statistics: statistics_pb2.DatasetFeatureStatisticsList,
    infer_feature_shape: bool = False,
    max_string_domain_size: int = 100,
) -> schema_pb2.Schema:
    """A copy of ``schema`` updated to accept ``statistics`` (the input is left unchanged)."""
    require_type(schema, "schema", schema_pb2.Schema)
    dataset = dataset_of(statistics)
    updated = schema_pb2.Schema()
    updated.CopyFrom(schema)
    views = {view.name: view for view in features_of(dataset)}
    for view in views.values():
        feature = find_feature(updated, view.path)
        if feature is None:
            add_feature(updated, view, infer_feature_shape, max_string_domain_size)
        elif feature.lifecycle_stage != schema_pb2.DEPRECATED:
            _widen(updated, feature, view)
    if dataset.num_examples:
        for feature in updated.feature:
            if feature.name not in views:
                feature.lifecycle_stage = schema_pb2.DEPRECATED
    return updated


def _widen(schema: schema_pb2.Schema, feature: schema_pb2.Feature, view: FeatureView) -> None:
    if view.num_present and schema_type(view) != feature.type:
        feature.lifecycle_stage = schema_pb2.DEPRECATED
        return
    presence = feature.presence
    if presence.HasField("min_fraction") and view.fraction_present < presence.min_fraction:
        presence.min_fraction = view.fraction_present
    if presence.HasField("min_count") and view.num_present < presence.min_count:
        presence.min_count = view.num_present
    if feature.HasField("value_count") and view.num_present:
        counts = feature.value_count
        counts.min = min(counts.min, view.min_num_values)
        if counts.max:
            counts.max = max(counts.max, view.max_num_values)
    if feature.HasField("shape") and not shape_holds(feature, view):
        fixed = view.min_num_values == view.max_num_values
        feature.ClearField("shape")
        feature.value_count.min = view.min_num_values if fixed else 1
        if fixed:
            feature.value_count.max = view.max_num_values
    which = feature.WhichOneof("domain_info")
    if which is None:
        apply_suggested_domain(feature, view.stats)
    elif which in ("domain", "string_domain"):
        domain = get_domain(schema, feature.name) if which == "domain" else feature.string_domain
        known = set(domain.value)
        domain.value.extend(sorted(v for v in view.string_counts if v not in known))
    elif which in ("int_domain", "float_domain") and view.numeric is not None and view.num_present:
        bounds = getattr(feature, which)
        if bounds.HasField("min") and view.numeric.min < bounds.min:
            bounds.min = type(bounds.min)(view.numeric.min)
        if bounds.HasField("max") and view.numeric.max > bounds.max:
            bounds.max = type(bounds.max)(view.numeric.max)


def shape_holds(feature: schema_pb2.Feature, view: FeatureView) -> bool:
    """Whether every example has the feature with exactly the shape's number of values (for
    nested lists: a fixed number at every level, none missing at any)."""
    size = 1
    for dim in feature.shape.dim:
        size *= dim.size
    levels = view.common.presence_and_valency_stats
    if len(levels) > 1:
        actual = 1
        for level in levels:
            if level.num_missing or level.min_num_values != level.max_num_values:
                return False
            actual *= level.min_num_values
        return actual == size
    return view.num_missing == 0 and view.min_num_values == view.max_num_values == size
