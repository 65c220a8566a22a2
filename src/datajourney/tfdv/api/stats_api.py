"""TFDV's ``api.stats_api``: what it offers without Beam, from
:mod:`datajourney.stats.shards` (its Beam PTransforms raise ``BeamRequiredError``)."""

from __future__ import annotations

import datajourney.tfdv as _tfdv
from datajourney.stats.shards import (
    default_sharded_output_suffix,
    default_sharded_output_supported,
)

__all__ = ["default_sharded_output_suffix", "default_sharded_output_supported"]


def __getattr__(name: str) -> object:
    # TFDV's Beam PTransforms: BeamRequiredError naming what to use instead
    if name in _tfdv._BEAM_ONLY:
        return getattr(_tfdv, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
