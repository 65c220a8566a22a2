"""Artifact types of the standard components, as classes to use in ``Input[...]`` /
``Output[...]``. Any class names a type by its name: ``class Counts: ...``; a string works
too (``Input["Counts"]``)."""

from __future__ import annotations


class Examples:
    """Data set splits (Parquet files)."""


class ExampleStatistics:
    """Statistics of each split (TFDV's format)."""


class Schema:
    """A schema (schema.pbtxt)."""


class ExampleAnomalies:
    """Anomalies of each split against a schema."""


class ExternalArtifact:
    """A file or folder from outside the pipeline, snapshotted when read."""
