"""TFDV's ``statistics.stats_options``: ``StatsOptions``, from :mod:`datajourney.stats`."""

from __future__ import annotations

from datajourney.stats import StatsOptions

__all__ = ["StatsOptions"]
