"""Data validation: statistics against a schema -> ``Anomalies`` protos with TFDV's reason
types; skew and drift comparators; row-level checks of CSV files."""

from __future__ import annotations

from datajourney.validation.anomalous_examples import (
    validate_examples_in_csv,
    validate_examples_in_tfrecord,
    validate_instance,
)
from datajourney.validation.examples import BadExample, find_bad_examples
from datajourney.validation.text_io import load_anomalies_text, write_anomalies_text
from datajourney.validation.validate import validate_statistics

__all__ = [
    "BadExample",
    "CustomValidationConfig",
    "custom_validate_statistics",
    "find_bad_examples",
    "load_anomalies_text",
    "validate_examples_in_csv",
    "validate_examples_in_tfrecord",
    "validate_instance",
    "validate_statistics",
    "write_anomalies_text",
]


def __getattr__(name: str) -> object:
    # the custom validation messages register in protobuf's pool: only when first asked for
    if name in ("CustomValidationConfig", "custom_validate_statistics"):
        from datajourney.validation import custom

        return getattr(custom, name)
    raise AttributeError(f"module 'datajourney.validation' has no attribute {name!r}")
