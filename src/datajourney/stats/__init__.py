"""Statistics of data sets as ``DatasetFeatureStatisticsList`` protos, what TFDV computes.

Built from mergeable per-batch accumulators (:class:`StatisticsAccumulator`), so partitions
can be computed apart and merged; saved and loaded in TFDV's file formats.
"""

from __future__ import annotations

from datajourney.stats.accumulator import DatasetAccumulator, StatisticsAccumulator
from datajourney.stats.generate import (
    generate_statistics,
    generate_statistics_from_csv,
    generate_statistics_from_dataframe,
    generate_statistics_from_tfrecord,
)
from datajourney.stats.generators import CombinerStatsGenerator
from datajourney.stats.options import StatsOptions
from datajourney.stats.problems import data_problems
from datajourney.stats.shards import load_sharded_statistics, merge_statistics_shards
from datajourney.stats.slicing import DEFAULT_SLICE_KEY, get_feature_value_slicer
from datajourney.stats.storage import (
    load_statistics,
    load_stats_binary,
    load_stats_text,
    write_stats_binary,
    write_stats_text,
)

__all__ = [
    "DEFAULT_SLICE_KEY",
    "CombinerStatsGenerator",
    "DatasetAccumulator",
    "StatisticsAccumulator",
    "StatsOptions",
    "data_problems",
    "generate_statistics",
    "generate_statistics_from_csv",
    "generate_statistics_from_dataframe",
    "generate_statistics_from_tfrecord",
    "get_feature_value_slicer",
    "load_sharded_statistics",
    "load_statistics",
    "load_stats_binary",
    "load_stats_text",
    "merge_statistics_shards",
    "write_stats_binary",
    "write_stats_text",
]
