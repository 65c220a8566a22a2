"""TFDV's ``utils.stats_util``: statistics views and files, from :mod:`datajourney.stats`."""

from __future__ import annotations

from datajourney.stats import (
    load_statistics,
    load_stats_binary,
    load_stats_text,
    write_stats_text,
)
from datajourney.stats.dataset_views import (
    CrossFeatureView,
    DatasetListView,
    DatasetView,
    FeatureView,
    get_feature_stats,
    get_slice_stats,
)
from datajourney.stats.shards import load_sharded_statistics

__all__ = [
    "CrossFeatureView",
    "DatasetListView",
    "DatasetView",
    "FeatureView",
    "get_feature_stats",
    "get_slice_stats",
    "load_sharded_statistics",
    "load_statistics",
    "load_stats_binary",
    "load_stats_text",
    "write_stats_text",
]
