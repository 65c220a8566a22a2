"""TFDV's ``statistics.generators.stats_generator``: the base classes of user statistics
generators, from :mod:`datajourney.stats.generators`."""

from __future__ import annotations

from datajourney.stats.generators import (
    CombinerStatsGenerator,
    StatsGenerator,
    TransformStatsGenerator,
)

__all__ = ["CombinerStatsGenerator", "StatsGenerator", "TransformStatsGenerator"]
