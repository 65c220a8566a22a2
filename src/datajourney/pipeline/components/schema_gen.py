"""``SchemaGen`` (a schema inferred from statistics) and ``ImportSchemaGen`` (a curated schema
file becomes a Schema artifact)."""

from __future__ import annotations

from datajourney.schema import infer_schema, load_schema_text, write_schema_text

from .. import artifacts
from ..component import component
from ..ports import Input, InputPath, Output
from ..types import ExampleStatistics, Schema


@component
def SchemaGen(
    statistics: Input[ExampleStatistics],
    schema: Output[Schema],
    infer_feature_shape: bool = True,
) -> None:
    """Infer a schema from the ``train`` split's statistics (the first split without one)."""
    by_split = artifacts.load_split_statistics(statistics)
    if not by_split:
        raise ValueError("the statistics hold no split")
    stats = by_split.get("train") or next(iter(by_split.values()))
    write_schema_text(infer_schema(stats, infer_feature_shape), artifacts.schema_file(schema))


@component
def ImportSchemaGen(schema_file: InputPath, schema: Output[Schema]) -> None:
    """Import a schema text file (checked to parse) as a Schema artifact."""
    write_schema_text(load_schema_text(schema_file), artifacts.schema_file(schema))
