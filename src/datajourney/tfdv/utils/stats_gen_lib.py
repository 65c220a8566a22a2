"""TFDV's ``utils.stats_gen_lib``: statistics from files and DataFrames, from
:mod:`datajourney.stats`."""

from __future__ import annotations

from datajourney.stats import (
    generate_statistics_from_csv,
    generate_statistics_from_dataframe,
    generate_statistics_from_tfrecord,
)
from datajourney.stats.csv_files import get_csv_header

__all__ = [
    "generate_statistics_from_csv",
    "generate_statistics_from_dataframe",
    "generate_statistics_from_tfrecord",
    "get_csv_header",
]
