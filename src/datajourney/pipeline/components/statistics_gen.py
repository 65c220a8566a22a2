"""``StatisticsGen``: statistics of every split of Examples."""

from __future__ import annotations

from datajourney.stats import StatsOptions, generate_statistics, write_stats_binary

from ..artifacts import load_schema, set_split_names, split_file, split_names
from ..component import component
from ..ports import Input, Output
from ..types import Examples, ExampleStatistics, Schema
from .engine import dask_client, record_engine


@component
def StatisticsGen(
    examples: Input[Examples],
    statistics: Output[ExampleStatistics],
    schema: Input[Schema] = None,
    exclude_splits: list | None = None,
    dask_scheduler: str | None = None,
) -> None:
    """Statistics of each split (TFDV's format), typed by ``schema`` when one is given.

    With ``dask_scheduler`` (see :mod:`~datajourney.pipeline.components.engine`) each Parquet
    row group range of a split is computed on a Dask worker; the statistics are the same.
    """
    options = StatsOptions(schema=load_schema(schema) if schema is not None else None)
    splits = [s for s in split_names(examples) if s not in (exclude_splits or [])]
    partitions = {}
    with dask_client(dask_scheduler) as client:
        for split in splits:
            files = str(split_file(examples, split, "Examples").parent.resolve() / "*.parquet")
            if client is not None:
                from datajourney.stats.distributed import file_parts

                partitions[split] = len(file_parts(files))
            else:
                partitions[split] = 1
            stats = generate_statistics(files, options, client=client)
            write_stats_binary(stats, split_file(statistics, split, "ExampleStatistics"))
        record_engine(statistics, client, partitions)
    set_split_names(statistics, splits)
