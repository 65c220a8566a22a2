"""TFDV's ``utils.stats_util``: statistics views and files, from :mod:`datajourney.stats`."""

from __future__ import annotations

from datajourney.stats import (
    load_statistics,
    load_stats_binary,
    load_stats_text,
    write_stats_text,
)
from datajourney.stats.arrays import get_feature_type
from datajourney.stats.dataset_views import (
    CrossFeatureView,
    DatasetListView,
    DatasetView,
    FeatureView,
    get_custom_stats,
    get_feature_stats,
    get_slice_stats,
)
from datajourney.stats.generators import make_dataset_feature_stats_proto
from datajourney.stats.shards import load_sharded_statistics
from datajourney.stats.storage import load_stats_tfrecord
from datajourney.stats.values import maybe_get_utf8

__all__ = [
    "CrossFeatureView",
    "DatasetListView",
    "DatasetView",
    "FeatureView",
    "get_custom_stats",
    "get_feature_stats",
    "get_feature_type",
    "get_slice_stats",
    "load_sharded_statistics",
    "load_statistics",
    "load_stats_binary",
    "load_stats_text",
    "load_stats_tfrecord",
    "make_dataset_feature_stats_proto",
    "maybe_get_utf8",
    "write_stats_text",
]
