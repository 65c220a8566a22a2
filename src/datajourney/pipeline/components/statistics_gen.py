"""``StatisticsGen``: statistics of every split of Examples."""

from __future__ import annotations

from datajourney.stats import StatsOptions, generate_statistics, write_stats_binary

from ..artifacts import load_schema, set_split_names, split_file, split_names
from ..component import component
from ..ports import Input, Output
from ..types import Examples, ExampleStatistics, Schema


@component
def StatisticsGen(
    examples: Input[Examples],
    statistics: Output[ExampleStatistics],
    schema: Input[Schema] = None,
    exclude_splits: list | None = None,
) -> None:
    """Statistics of each split (TFDV's format), typed by ``schema`` when one is given."""
    options = StatsOptions(schema=load_schema(schema) if schema is not None else None)
    splits = [s for s in split_names(examples) if s not in (exclude_splits or [])]
    for split in splits:
        stats = generate_statistics(str(split_file(examples, split, "Examples")), options)
        write_stats_binary(stats, split_file(statistics, split, "ExampleStatistics"))
    set_split_names(statistics, splits)
