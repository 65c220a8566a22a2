"""TFDV's ``utils.artifacts_io_impl``: readers of sharded statistics, from
:mod:`datajourney.stats.shards`."""

from __future__ import annotations

from datajourney.stats.shards import StatisticsIOProvider, get_io_provider

__all__ = ["StatisticsIOProvider", "get_io_provider"]
