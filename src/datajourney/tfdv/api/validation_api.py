"""TFDV's ``api.validation_api``: schema inference and validation, from
:mod:`datajourney.schema` and :mod:`datajourney.validation` (its Beam PTransforms raise
``BeamRequiredError``)."""

from __future__ import annotations

import datajourney.tfdv as _tfdv
from datajourney.schema import infer_schema, update_schema
from datajourney.validation import (
    custom_validate_statistics,
    validate_instance,
    validate_statistics,
)
from datajourney.validation.slices import validate_corresponding_slices

__all__ = [
    "custom_validate_statistics",
    "infer_schema",
    "update_schema",
    "validate_corresponding_slices",
    "validate_instance",
    "validate_statistics",
]


def __getattr__(name: str) -> object:
    # TFDV's Beam PTransforms: BeamRequiredError naming what to use instead
    if name in _tfdv._BEAM_ONLY:
        return getattr(_tfdv, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
