"""Schema inference from statistics, following TFDV's rules.

Per feature of the (first) data set:

- type: INT / FLOAT from numeric statistics, BYTES from string or bytes statistics, STRUCT;
  a feature inside a struct (a path of several steps) goes into its parent's ``struct_domain``,
  the children of each struct sorted by name (top-level features keep the statistics' order);
- presence: ``min_count: 1``, plus ``min_fraction: 1.0`` when no example misses the feature;
- shape (``infer_feature_shape``): ``shape {dim {size: n}}`` when every example has exactly ``n``
  values; otherwise (or without shape inference) ``value_count`` with ``min == max == n`` when
  the count is fixed, else ``min: 1``; nested lists get one dim (or one ``value_counts`` entry)
  per nesting level; a STRUCT always gets ``value_count`` (never a shape);
- domains: the domain that a ``domain_info`` custom statistic names (semantic-domain
  statistics: ``image_domain``, ``natural_language_domain``, ``time_domain``); otherwise INT
  features with minimum 0 or 1 and maximum 1 get ``bool_domain {}``; strings whose rank
  histogram lists every distinct value (top values alone do not count) and that are all
  "true" / "false" (or "1" / "0") get a ``bool_domain`` naming them; other such strings with at
  most ``max_string_domain_size`` distinct values (and all of them UTF-8) get a schema-level
  ``string_domain`` (values sorted) named after the feature's dotted path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.schema.domain_info import apply_suggested_domain
from datajourney.schema.statistics_view import FeatureType, FeatureView, dataset_of, features_of

SchemaTransformation = Callable[
    [schema_pb2.Schema, statistics_pb2.DatasetFeatureStatistics], schema_pb2.Schema
]

_SCHEMA_TYPES = {
    FeatureType.INT: schema_pb2.INT,
    FeatureType.FLOAT: schema_pb2.FLOAT,
    FeatureType.STRING: schema_pb2.BYTES,
    FeatureType.BYTES: schema_pb2.BYTES,
    FeatureType.STRUCT: schema_pb2.STRUCT,
}
_BOOL_STRINGS = ({"true", "false"}, {"1", "0"})


def schema_type(view: FeatureView) -> int:
    """The schema ``FeatureType`` for statistics of ``view``'s type."""
    return _SCHEMA_TYPES[view.type]


def infer_schema(
    statistics: statistics_pb2.DatasetFeatureStatisticsList,
    infer_feature_shape: bool = True,
    max_string_domain_size: int = 100,
    schema_transformations: Iterable[SchemaTransformation] | None = None,
) -> schema_pb2.Schema:
    """Infer a ``Schema`` from statistics (the first data set of the list).

    ``schema_transformations`` are called in order as ``f(schema, dataset_statistics)`` and
    each returns the schema to continue with.
    """
    dataset = dataset_of(statistics)
    schema = schema_pb2.Schema()
    for view in features_of(dataset):
        if view.has_stats:
            add_feature(schema, view, infer_feature_shape, max_string_domain_size)
    sort_struct_children(schema.feature)
    for transform in schema_transformations or ():
        schema = transform(schema, dataset)
    return schema


def add_feature(
    schema: schema_pb2.Schema,
    view: FeatureView,
    infer_feature_shape: bool,
    max_string_domain_size: int,
) -> schema_pb2.Feature:
    """Append the feature that ``view``'s statistics suggest (with its domain) to ``schema``,
    or to the ``struct_domain`` of its parent struct (made when the schema lacks it)."""
    feature = _slot(schema, view.path)
    feature.type = schema_type(view)
    feature.presence.min_count = min(1, view.num_present)
    if view.num_missing == 0 and view.num_present > 0:
        feature.presence.min_fraction = 1.0
    set_valency(feature, view, infer_feature_shape)
    _infer_domain(schema, feature, view, max_string_domain_size)
    return feature


def _slot(schema: schema_pb2.Schema, path: tuple[str, ...]) -> schema_pb2.Feature:
    """The feature at ``path``: the one a child's statistics already made for it, else a new
    one appended to its parent's children (parents made as STRUCT features on the way)."""
    features = schema.feature
    for depth, step in enumerate(path):
        found = next((f for f in features if f.name == step), None)
        if found is None:
            found = features.add(name=step)
            if depth < len(path) - 1:
                found.type = schema_pb2.STRUCT
        features = found.struct_domain.feature
    return found


def sort_struct_children(features: Iterable[schema_pb2.Feature]) -> None:
    """Sort the children of every struct among ``features`` (and below) by name."""
    for feature in features:
        if feature.HasField("struct_domain"):
            children = feature.struct_domain.feature
            children.sort(key=lambda child: child.name)
            sort_struct_children(children)


def set_valency(feature: schema_pb2.Feature, view: FeatureView, infer_feature_shape: bool) -> None:
    """Shape or value_count from the per-example value counts; nested lists (statistics per
    nesting level) get a shape of one dim per level, or one value_count per level."""
    levels = view.common.presence_and_valency_stats
    if len(levels) > 1:
        _set_nested_valency(feature, view, levels, infer_feature_shape)
        return
    low, high = view.min_num_values, view.max_num_values
    if view.num_present == 0 or low == 0:
        return
    if infer_feature_shape and low == high and view.num_missing == 0 and not _is_struct(view):
        feature.shape.dim.add(size=low)
    elif low == high:
        feature.value_count.min = low
        feature.value_count.max = high
    else:
        feature.value_count.min = 1


def _set_nested_valency(
    feature: schema_pb2.Feature,
    view: FeatureView,
    levels: Iterable[statistics_pb2.PresenceAndValencyStatistics],
    infer_feature_shape: bool,
) -> None:
    if view.num_present == 0:
        return
    fixed = all(
        level.num_missing == 0 and 0 < level.min_num_values == level.max_num_values
        for level in levels
    )
    if infer_feature_shape and fixed and not _is_struct(view):
        for level in levels:
            feature.shape.dim.add(size=level.min_num_values)
        return
    for level in levels:
        # A level where some list is empty gets an unbounded value_count, as in TFDV.
        count = feature.value_counts.value_count.add()
        if level.min_num_values == level.max_num_values > 0:
            count.min = count.max = level.min_num_values
        elif level.min_num_values > 0:
            count.min = 1


def _is_struct(view: FeatureView) -> bool:
    return view.type == FeatureType.STRUCT


def _infer_domain(
    schema: schema_pb2.Schema,
    feature: schema_pb2.Feature,
    view: FeatureView,
    max_string_domain_size: int,
) -> None:
    if apply_suggested_domain(feature, view.stats):
        return
    numeric = view.numeric
    if view.type == FeatureType.INT and numeric is not None and view.num_present:
        if numeric.min >= 0 and numeric.max == 1:
            feature.bool_domain.SetInParent()
        return
    strings = view.strings
    if view.type != FeatureType.STRING or strings is None:
        return
    values = set(view.histogram_values)
    if len(values) < strings.unique:
        return  # not every value is known
    if strings.invalid_utf8_count:
        return  # bytes that are not text: no string domain, as TFDV
    for true_value, false_value in (("true", "false"), ("1", "0")):
        if values and values <= {true_value, false_value}:
            feature.bool_domain.true_value = true_value
            feature.bool_domain.false_value = false_value
            return
    if 0 < len(values) <= max_string_domain_size:
        schema.string_domain.add(name=view.name, value=sorted(values))
        feature.domain = view.name
