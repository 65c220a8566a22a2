"""Updating a schema so that new statistics conform to it (TFDV's ``update_schema``).

- A feature that must be present (``min_count`` >= 1 or ``min_fraction`` > 0) and that the data
  lacks, or has in no example, is marked ``DEPRECATED`` (it stops raising anomalies); one that
  need not be present is left as it is.
- New features are added as inference would (appended, inside their parent struct when it
  exists; a new struct's children sorted by name).
- Domains follow the statistics' type: string domains gain the new values of the rank histogram
  (appended, sorted); ``int_domain`` / ``float_domain`` widen to numbers of their own kind, or to
  strings that all read as such numbers (other strings, and bytes, clear them); a
  ``bool_domain`` stays while the values are 0 / 1 (or its own strings), else it becomes the
  data's ``int_domain`` / ``float_domain`` range (or is cleared, for other strings); bytes
  clear every domain but natural-language, image and URL ones; a ``time_of_day_domain`` is
  cleared (even when no example has a value); other semantic domains stay; a feature without
  a domain takes the one a ``domain_info`` statistic suggests.
- ``unique_constraints`` and a natural-language domain's coverage / token constraints relax to
  the observed values (see ``limits``; ones that cannot be checked are dropped).
- Then a feature whose type changed is marked ``DEPRECATED``; otherwise presence and value
  counts widen to what the data shows, and a shape the data breaks becomes a ``value_count``
  (a STRUCT's is only cleared).
"""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.schema.arguments import require_type
from datajourney.schema.domain_info import apply_suggested_domain
from datajourney.schema.features import find_feature, get_domain, iter_features
from datajourney.schema.inference import add_feature, schema_type, sort_struct_children
from datajourney.schema.limits import relax_limits
from datajourney.schema.statistics_view import FeatureType, FeatureView, dataset_of, features_of

#: The domains that bytes statistics (values that are not text) leave in place.
_KEPT_OVER_BYTES = {"natural_language_domain", "image_domain", "url_domain"}
_NUMBER_KINDS = {"int_domain": (FeatureType.INT, int), "float_domain": (FeatureType.FLOAT, float)}


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
    views = {view.path: view for view in features_of(dataset)}
    added = []
    for view in views.values():
        if find_feature(schema, view.path) is None:
            added.append(add_feature(updated, view, infer_feature_shape, max_string_domain_size))
            continue
        feature = find_feature(updated, view.path)
        if feature.lifecycle_stage != schema_pb2.DEPRECATED:
            _update(updated, feature, view)
    sort_struct_children(added)  # a new struct's children as inference orders them
    for path, feature in iter_features(updated):
        if path not in views and _must_be_present(feature):
            feature.lifecycle_stage = schema_pb2.DEPRECATED
    return updated


def _must_be_present(feature: schema_pb2.Feature) -> bool:
    return feature.presence.min_count >= 1 or feature.presence.min_fraction > 0


def _update(schema: schema_pb2.Schema, feature: schema_pb2.Feature, view: FeatureView) -> None:
    if feature.HasField("time_of_day_domain"):
        feature.ClearField("time_of_day_domain")  # whenever the data has the feature
    if not view.num_present:
        if _must_be_present(feature):
            feature.lifecycle_stage = schema_pb2.DEPRECATED
        return
    _update_domain(schema, feature, view)
    relax_limits(feature, view)
    if schema_type(view) != feature.type:
        feature.lifecycle_stage = schema_pb2.DEPRECATED
        return
    presence = feature.presence
    if presence.HasField("min_fraction") and view.fraction_present < presence.min_fraction:
        presence.min_fraction = view.fraction_present
    if presence.HasField("min_count") and view.num_present < presence.min_count:
        presence.min_count = view.num_present
    if feature.HasField("value_count"):
        counts = feature.value_count
        counts.min = min(counts.min, view.min_num_values)
        if counts.max:
            counts.max = max(counts.max, view.max_num_values)
    if feature.HasField("shape") and not shape_holds(feature, view):
        feature.ClearField("shape")
        if feature.type != schema_pb2.STRUCT:
            fixed = view.min_num_values == view.max_num_values
            feature.value_count.min = view.min_num_values if fixed else 1
            if fixed:
                feature.value_count.max = view.max_num_values


def _update_domain(
    schema: schema_pb2.Schema, feature: schema_pb2.Feature, view: FeatureView
) -> None:
    which = feature.WhichOneof("domain_info")
    if which is None:
        apply_suggested_domain(feature, view.stats)
    elif view.type == FeatureType.BYTES and which not in _KEPT_OVER_BYTES:
        feature.ClearField(which)
    elif which in ("domain", "string_domain"):
        if view.type == FeatureType.STRING:
            domain = get_domain(schema, view.path) if which == "domain" else feature.string_domain
            known = set(domain.value)
            domain.value.extend(sorted(v for v in view.histogram_values if v not in known))
    elif which == "bool_domain":
        _update_bool_domain(feature, view)
    elif which in _NUMBER_KINDS:
        _update_range(feature, which, view)


def _update_bool_domain(feature: schema_pb2.Feature, view: FeatureView) -> None:
    numeric = view.numeric
    if view.type in (FeatureType.INT, FeatureType.FLOAT) and numeric is not None:
        if {numeric.min, numeric.max} <= {0, 1}:
            return
        kind = "int_domain" if view.type == FeatureType.INT else "float_domain"
        bounds = getattr(feature, kind)  # replaces the bool_domain (one domain per feature)
        number = _NUMBER_KINDS[kind][1]
        bounds.min, bounds.max = number(numeric.min), number(numeric.max)
    elif view.type == FeatureType.STRING:
        allowed = {feature.bool_domain.true_value, feature.bool_domain.false_value}
        if not set(view.histogram_values) <= allowed - {""}:
            feature.ClearField("bool_domain")


def _update_range(feature: schema_pb2.Feature, which: str, view: FeatureView) -> None:
    """Widen an int / float domain to the data's numbers of its kind; strings widen it when
    they all read as such numbers and clear it otherwise."""
    kind, number = _NUMBER_KINDS[which]
    numeric = view.numeric
    if view.type == kind and numeric is not None:
        low, high = numeric.min, numeric.max
    elif view.type == FeatureType.STRING and view.histogram_values:
        try:
            values = [number(v) for v in view.histogram_values]
        except ValueError:
            feature.ClearField(which)
            return
        low, high = min(values), max(values)
    else:
        return
    bounds = getattr(feature, which)
    if bounds.HasField("min") and low < bounds.min:
        bounds.min = number(low)
    if bounds.HasField("max") and high > bounds.max:
        bounds.max = number(high)


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
