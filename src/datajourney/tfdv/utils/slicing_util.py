"""TFDV's ``utils.slicing_util``: slice functions, from :mod:`datajourney.stats.slicing`."""

from __future__ import annotations

from datajourney.stats.slicing import get_feature_value_slicer
from datajourney.stats.slicing_config import convert_slicing_config_to_slice_functions_and_sqls

__all__ = ["convert_slicing_config_to_slice_functions_and_sqls", "get_feature_value_slicer"]
