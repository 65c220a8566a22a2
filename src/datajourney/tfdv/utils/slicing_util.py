"""TFDV's ``utils.slicing_util``: slice functions, from :mod:`datajourney.stats.slicing`."""

from __future__ import annotations

from datajourney.stats.slicing import get_feature_value_slicer

__all__ = ["get_feature_value_slicer"]
