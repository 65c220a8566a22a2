"""TFDV's ``utils.anomalies_util``: editing and storing anomalies, from
:mod:`datajourney.validation`."""

from __future__ import annotations

from datajourney.validation import load_anomalies_text, write_anomalies_text
from datajourney.validation.anomalies_edit import (
    anomalies_slicer as get_anomalies_slicer,
)
from datajourney.validation.anomalies_edit import load_anomalies_binary, remove_anomaly_types

#: The short description of an anomaly with several reasons.
MULTIPLE_ERRORS_SHORT_DESCRIPTION = "Multiple errors"

__all__ = [
    "MULTIPLE_ERRORS_SHORT_DESCRIPTION",
    "get_anomalies_slicer",
    "load_anomalies_binary",
    "load_anomalies_text",
    "remove_anomaly_types",
    "write_anomalies_text",
]
