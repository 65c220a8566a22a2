"""The seed lab's schema curation, written against TFDV's API only.

``make_tfdv_fixtures.py`` runs it with real TFDV (``tensorflow_data_validation``) to record the
curated schemas; the golden tests run the same functions with ``datajourney.tfdv`` and compare.
"""

from __future__ import annotations

from typing import Any


def curate(tfdv: Any, schema: Any) -> Any:
    """Domains and presence for the eval / serving checks (changes ``schema`` in place)."""
    from tensorflow_metadata.proto.v0 import schema_pb2

    tfdv.set_domain(schema, "Slope", schema_pb2.IntDomain(name="Slope", min=0, max=60))
    tfdv.set_domain(schema, "Ratio", schema_pb2.FloatDomain(name="Ratio", min=0.0, max=1.0))
    tfdv.get_feature(schema, "Horizontal_Distance").presence.min_fraction = 0.8
    tfdv.get_feature(schema, "Comment").presence.min_count = 400
    return schema


def add_environments(tfdv: Any, schema: Any) -> Any:
    """TRAINING and SERVING, with the label only in TRAINING."""
    schema.default_environment.append("TRAINING")
    schema.default_environment.append("SERVING")
    tfdv.get_feature(schema, "Cover_Type").not_in_environment.append("SERVING")
    return schema


def add_comparators(tfdv: Any, schema: Any) -> Any:
    """Skew and drift thresholds: L-infinity on categories, Jensen-Shannon on numbers."""
    tfdv.get_feature(schema, "Wilderness_Area").skew_comparator.infinity_norm.threshold = 0.01
    tfdv.get_feature(schema, "Soil_Type").drift_comparator.infinity_norm.threshold = 0.01
    tfdv.get_feature(schema, "Ratio").drift_comparator.jensen_shannon_divergence.threshold = 0.05
    tfdv.get_feature(schema, "Elevation").drift_comparator.jensen_shannon_divergence.threshold = 0.3
    return schema


def curate_lists(tfdv: Any, schema: Any) -> Any:
    """Valency bounds for the list-valued data."""
    tags = tfdv.get_feature(schema, "tags")
    tags.value_count.min = 1
    tags.value_count.max = 3
    return schema
