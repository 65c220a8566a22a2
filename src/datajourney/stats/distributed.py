"""Statistics on Dask: each partition's accumulators built on a worker, then merged.

A partition is a Dask DataFrame partition, a data file, or a group of a Parquet file's row
groups. Each worker reads its partition batch by batch (memory bounded by the batch, not the
rows), on the task's own thread (the cluster's workers are the parallelism; Arrow's thread pool
in every worker process would oversubscribe the cores), into a
:class:`~datajourney.stats.StatisticsAccumulator`; the accumulators come back pickled and are
merged in partition order. Counts, missing values, min / max, exact value counts (unique, top
values) and exact distributions do not depend on the partitioning; mean and
standard deviation agree to floating-point rounding; sketches (past the exact limits) within
their stated error.

CSV files are typed as one process types them: when partitions inferred different types for a
column (numbers in one file, text in another), the partitions read with a narrower type are read
again starting from the widest one. Dask is imported only here, and only when used (the
``dask`` extra: ``pip install datajourney[dask]``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from datajourney.io.csv import CsvSource
from datajourney.io.dataframe import DataFrameSource
from datajourney.io.errors import DataReadError
from datajourney.io.open import open_source
from datajourney.io.source import Location, Source, expand_paths, is_dask_dataframe
from datajourney.stats.accumulator import StatisticsAccumulator
from datajourney.stats.generate import accumulate
from datajourney.stats.options import StatsOptions

#: Row groups of a Parquet file read by one task (about a million rows at the usual size).
PARQUET_ROW_GROUPS_PER_PART = 8
_WIDTH = {pa.int64(): 0, pa.float64(): 1, pa.string(): 2}


@dataclasses.dataclass(frozen=True)
class Part:
    """One partition: a file (``row_groups`` of a Parquet file, or all of it)."""

    path: str
    row_groups: tuple[int, ...] | None = None


def _part_options(options: StatsOptions, index: int) -> StatsOptions:
    """Each partition samples with its own seed (the same partitions: the same sample)."""
    if options.sample_rate is None or options.sample_rate >= 1:
        return options
    return dataclasses.replace(options, sample_seed=options.sample_seed * 1_000_003 + index)


def _file_part(
    part: Part,
    options: StatsOptions,
    csv: dict[str, Any],
    start_types: dict[str, pa.DataType] | None,
) -> tuple[StatisticsAccumulator, dict[str, pa.DataType]]:
    """(accumulators, CSV column types) of one file partition: runs on a worker. ``csv`` holds
    the CSV reader's settings (column names, delimiter, quote, declared types)."""
    if part.row_groups is not None:
        import pyarrow.parquet as pq

        accumulator = StatisticsAccumulator(options)
        batches = pq.ParquetFile(part.path).iter_batches(
            row_groups=list(part.row_groups), use_threads=False
        )
        for batch in batches:
            accumulator.add(batch)
        return accumulator, {}
    # files given as a CsvSource are CSV whatever their names (csv then holds "compression")
    source = None if "compression" in csv else open_source(part.path)
    if source is None or isinstance(source, CsvSource):
        settings = {"delimiter": getattr(source, "delimiter", ","), **csv}
        source = CsvSource([part.path], **settings, start_types=start_types, use_threads=False)
        return accumulate(source, options), source.types
    return accumulate(source, options), {}


def _frame_part(frame: Any, options: StatsOptions) -> StatisticsAccumulator:
    """The accumulators of one pandas partition: runs on a worker."""
    return accumulate(DataFrameSource(frame), options)


def file_parts(location: Location) -> list[Part]:
    """The partitions of files: one per file, Parquet files split by groups of row groups."""
    parts = []
    for path in expand_paths(location):
        if path.suffix.lower() in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            try:
                groups = pq.ParquetFile(path).num_row_groups
            except (pa.ArrowInvalid, OSError) as error:
                raise DataReadError(str(error).splitlines()[0], path) from None
            step = PARQUET_ROW_GROUPS_PER_PART
            parts += [
                Part(str(path), tuple(range(start, min(start + step, groups))))
                for start in range(0, max(groups, 1), step)
            ]
        else:
            parts.append(Part(str(path)))
    return parts


def _widest(types: Sequence[dict[str, pa.DataType]]) -> dict[str, pa.DataType]:
    widest: dict[str, pa.DataType] = {}
    for found in types:
        for name, kind in found.items():
            if name not in widest or _WIDTH.get(kind, 2) > _WIDTH.get(widest[name], 2):
                widest[name] = kind
    return widest


def map_parts(function: Any, arguments: Sequence[tuple], client: Any = None) -> list[Any]:
    """``function(*args)`` for each of ``arguments``, one Dask task each, on ``client`` (default:
    the current client, else Dask's own scheduler); the results in order. ``function`` must be
    importable on the workers (a module-level function)."""
    try:
        from dask import delayed
    except ImportError:
        raise ImportError("work on Dask needs Dask: pip install datajourney[dask]") from None
    client = client if client is not None else default_client()
    run = delayed(function, pure=False)
    return _compute([run(*args) for args in arguments], client)


def _compute(tasks: list[Any], client: Any) -> list[Any]:
    """Run delayed ``tasks`` on ``client`` (or Dask's current scheduler); results in order."""
    import dask

    if client is not None:
        return client.gather(client.compute(tasks))
    return list(dask.compute(*tasks))


def default_client() -> Any:
    """The current ``dask.distributed`` client, or None (also when distributed is absent)."""
    try:
        from distributed import default_client as current
    except ImportError:
        return None
    try:
        return current()
    except ValueError:  # no client started
        return None


def distributed_accumulator(
    data: Any, options: StatsOptions, client: Any = None, declared: dict | None = None
) -> tuple[StatisticsAccumulator, int]:
    """The merged accumulators of ``data`` computed on ``client`` (default: the current
    client, else Dask's own scheduler), and the number of partitions. ``data``: a Dask
    DataFrame, a path, glob or list of them, or a :class:`~datajourney.io.CsvSource` (its files
    read with its settings); ``declared``: CSV column types to read with."""
    try:
        from dask import delayed
    except ImportError:
        raise ImportError("statistics on Dask need Dask: pip install datajourney[dask]") from None

    client = client if client is not None else default_client()
    if is_dask_dataframe(data):
        frames = data.to_delayed()
        tasks = [
            delayed(_frame_part)(frame, _part_options(options, i)) for i, frame in enumerate(frames)
        ]
        return _merged(_compute(tasks, client), options), len(frames)
    csv: dict[str, Any] = {"column_types": declared or {}}
    if isinstance(data, CsvSource):
        csv.update(column_names=data.column_names, delimiter=data.delimiter)
        csv.update(compression=data.compression)
        csv.update(
            quote_char=data.quote_char, column_types={**data.declared, **csv["column_types"]}
        )
        data = data.paths
    elif isinstance(data, Source) or not isinstance(data, (str, os.PathLike, list, tuple)):
        raise TypeError(
            "statistics on Dask take a Dask DataFrame or data files (paths or globs), "
            f"not a {type(data).__name__}"
        )
    parts = file_parts(data)
    run = delayed(_file_part, pure=False)
    tasks = [run(part, _part_options(options, i), csv, None) for i, part in enumerate(parts)]
    results = _compute(tasks, client)
    widest = _widest([types for _, types in results])
    again = [i for i, (_, types) in enumerate(results) if _narrower(types, widest)]
    if again:  # read as one process would: starting from the types other files needed
        redone = _compute(
            [run(parts[i], _part_options(options, i), csv, widest) for i in again], client
        )
        for index, result in zip(again, redone):
            results[index] = result
    return _merged([accumulator for accumulator, _ in results], options), len(parts)


def _narrower(types: dict[str, pa.DataType], widest: dict[str, pa.DataType]) -> bool:
    """Whether a partition counted numbers in a column that other partitions found text in
    (numbers that become floats merge as they are, as in one process)."""
    return any(widest[name] == pa.string() and kind != pa.string() for name, kind in types.items())


def _merged(accumulators: list[StatisticsAccumulator], options: StatsOptions):
    merged = StatisticsAccumulator(options)
    for accumulator in accumulators:
        merged.merge(accumulator)
    return merged
