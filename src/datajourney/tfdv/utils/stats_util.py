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
    get_slice_stats,
)

__all__ = [
    "CrossFeatureView",
    "DatasetListView",
    "DatasetView",
    "FeatureView",
    "get_slice_stats",
    "load_statistics",
    "load_stats_binary",
    "load_stats_text",
    "write_stats_text",
]
