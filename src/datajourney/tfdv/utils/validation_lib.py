"""TFDV's ``utils.validation_lib``: examples checked one by one, from
:mod:`datajourney.validation`."""

from __future__ import annotations

from datajourney.validation import validate_examples_in_csv, validate_examples_in_tfrecord

__all__ = ["validate_examples_in_csv", "validate_examples_in_tfrecord"]
