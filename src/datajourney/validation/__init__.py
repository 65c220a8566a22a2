"""Data validation: statistics against a schema -> ``Anomalies`` protos with TFDV's reason
types; skew and drift comparators; row-level checks of CSV files."""

from __future__ import annotations

from datajourney.validation.text_io import load_anomalies_text, write_anomalies_text
from datajourney.validation.validate import validate_statistics

__all__ = ["load_anomalies_text", "validate_statistics", "write_anomalies_text"]
