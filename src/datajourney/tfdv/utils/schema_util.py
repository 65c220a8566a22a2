"""TFDV's ``utils.schema_util``: schema look-ups, feature kinds and files, from
:mod:`datajourney.schema` (paths come back as ``FeaturePath``, as TFDV's)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.schema import (
    feature_kinds,
    generate_dummy_schema_with_paths,
    get_domain,
    get_feature,
    load_schema_text,
    set_domain,
    write_schema_text,
)
from datajourney.schema.feature_kinds import is_categorical_feature, look_up_feature
from datajourney.stats.dataset_views import FeaturePath

__all__ = [
    "generate_dummy_schema_with_paths",
    "get_all_leaf_features",
    "get_bytes_features",
    "get_bytes_features_categorical_value",
    "get_categorical_features",
    "get_categorical_numeric_feature_types",
    "get_domain",
    "get_feature",
    "get_multivalent_features",
    "is_categorical_feature",
    "load_schema_text",
    "look_up_feature",
    "set_domain",
    "write_schema_text",
]


def _keyed(found: dict[tuple[str, ...], Any]) -> dict[FeaturePath, Any]:
    return {FeaturePath(path): value for path, value in found.items()}


def _paths(found: Iterable[tuple[str, ...]]) -> list[FeaturePath]:
    return [FeaturePath(path) for path in found]


def get_all_leaf_features(
    schema: schema_pb2.Schema,
) -> list[tuple[FeaturePath, schema_pb2.Feature]]:
    """Every non-STRUCT feature with its path."""
    return [(FeaturePath(p), f) for p, f in feature_kinds.leaf_features(schema)]


def get_bytes_features(schema: schema_pb2.Schema) -> list[FeaturePath]:
    """Features holding raw bytes (an ``image_domain``)."""
    return _paths(feature_kinds.bytes_features(schema))


def get_bytes_features_categorical_value(schema: schema_pb2.Schema) -> dict[FeaturePath, int]:
    """String features -> their ``StringDomain.Categorical`` value."""
    return _keyed(feature_kinds.bytes_features_categorical_value(schema))


def get_categorical_numeric_feature_types(schema: schema_pb2.Schema) -> dict[FeaturePath, int]:
    """Categorical INT / FLOAT features -> their ``FeatureType``."""
    return _keyed(feature_kinds.categorical_numeric_feature_types(schema))


def get_categorical_features(schema: schema_pb2.Schema) -> set[FeaturePath]:
    """The categorical features."""
    return set(_paths(feature_kinds.categorical_features(schema)))


def get_multivalent_features(schema: schema_pb2.Schema) -> set[FeaturePath]:
    """Features that may hold more than one value."""
    return set(_paths(feature_kinds.multivalent_features(schema)))
