"""``CsvExampleGen``: CSV files -> Examples in Parquet, one file per split (on Dask: one file per
split and input file, ``data-00000.parquet``, ..., the same rows in the same order)."""

from __future__ import annotations

import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ..artifacts import set_split_names, split_file
from ..component import component
from ..ports import InputPath, Output
from ..types import Examples
from .engine import dask_client, record_engine

DEFAULT_RATIOS = {"train": 2, "eval": 1}


@component
def CsvExampleGen(
    input_base: InputPath,
    examples: Output[Examples],
    input_splits: dict | None = None,
    split_ratios: dict | None = None,
    dask_scheduler: str | None = None,
) -> None:
    """Read the CSV files of ``input_base`` (a file or a folder of ``*.csv``) into splits.

    ``input_splits`` maps split names to file patterns under ``input_base`` (one split per
    pattern); without it every row goes to a split by a hash of its values, in proportion to
    ``split_ratios`` (default train 2 : eval 1): the same row always lands in the same split.
    With ``dask_scheduler`` (see :mod:`~datajourney.pipeline.components.engine`) each CSV file
    is read, split and written on a Dask worker; column types are settled over all files as in
    one process.
    """
    base = Path(input_base)
    if split_ratios is not None or not input_splits:
        _check_ratios(split_ratios or DEFAULT_RATIOS)
    with dask_client(dask_scheduler) as client:
        if client is not None:
            return _on_dask(base, examples, input_splits, split_ratios, client)
    if input_splits:
        tables = {name: _read(base, pattern) for name, pattern in input_splits.items()}
    else:
        tables = hash_split(_read(base, "*.csv"), split_ratios or DEFAULT_RATIOS)
    for name, table in tables.items():
        pq.write_table(table, split_file(examples, name, "Examples"))
    set_split_names(examples, list(tables))
    examples.custom_properties["row_counts"] = ",".join(
        f"{name}={table.num_rows}" for name, table in tables.items()
    )
    record_engine(examples, None, {name: 1 for name in tables})


def _files(base: Path, pattern: str) -> list[Path]:
    files = [base] if base.is_file() else sorted(base.glob(pattern))
    if not files:
        raise FileNotFoundError(f"no CSV file matches {pattern!r} under {base}")
    return files


def _read(base: Path, pattern: str) -> pa.Table:
    tables = [pa_csv.read_csv(f) for f in _files(base, pattern)]
    return pa.concat_tables(tables, promote_options="permissive")


def _check_ratios(ratios: dict) -> None:
    if not ratios or any(not isinstance(r, int) or r <= 0 for r in ratios.values()):
        raise ValueError(f"split_ratios must be positive integers, got {ratios}")


def hash_split(table: pa.Table, ratios: dict[str, int]) -> dict[str, pa.Table]:
    """Rows to splits by the CRC-32 of their values, ``ratios`` giving each split's share."""
    _check_ratios(ratios)
    columns = [pc.fill_null(pc.cast(c, pa.string()), "") for c in table.columns]
    keys = pc.binary_join_element_wise(*columns, "\x1f") if columns else pa.array([])
    total = sum(ratios.values())
    buckets = pa.array([zlib.crc32(k.encode()) % total for k in keys.to_pylist()])
    tables = {}
    low = 0
    for name, ratio in ratios.items():
        mask = pc.and_(pc.greater_equal(buckets, low), pc.less(buckets, low + ratio))
        tables[name] = table.filter(mask)
        low += ratio
    return tables


def _stage(path: str, staged: str) -> pa.Schema:
    """Read one CSV file as one process reads it and keep it as Parquet: one Dask task."""
    table = pa_csv.read_csv(path)
    pq.write_table(table, staged)
    return table.schema


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with ``schema`` (wider types, missing columns as nulls), as the permissive
    concatenation of all files gives it."""
    columns = [
        table.column(f.name).cast(f.type)
        if f.name in table.column_names
        else pa.nulls(table.num_rows, f.type)
        for f in schema
    ]
    return pa.table(columns, schema=schema)


def _split_part(
    staged: str, schema: pa.Schema, folders: dict[str, str], ratios: dict | None, index: int
) -> None:
    """Type one staged file as all files are typed, split it (all of it to the only folder, or
    by ``ratios``) and write each split's rows as ``data-<index>.parquet``: one Dask task."""
    table = _conform(pq.read_table(staged), schema)
    if not ratios:
        tables = {next(iter(folders)): table}
    elif table.num_rows:
        tables = hash_split(table, ratios)
    else:  # a file with a header only: an empty part in every split
        tables = dict.fromkeys(folders, table)
    for name, part in tables.items():
        pq.write_table(part, Path(folders[name]) / f"data-{index:05d}.parquet")
    Path(staged).unlink()


def _on_dask(base: Path, examples, input_splits: dict | None, ratios: dict | None, client) -> None:
    """CsvExampleGen with Dask tasks per CSV file: read (kept as Parquet), then typed as all
    files of its split are, split and written. The rows, their order and types are those of one
    process."""
    from datajourney.stats.distributed import map_parts

    if input_splits:
        groups = {name: _files(base, pattern) for name, pattern in input_splits.items()}
        names = list(input_splits)
    else:
        groups = {None: _files(base, "*.csv")}
        names = list(ratios or DEFAULT_RATIOS)
    # absolute paths: the workers may run in another folder (a cluster needs shared storage)
    folders = {name: str(split_file(examples, name, "Examples").parent.resolve()) for name in names}
    staging = Path(examples.uri).resolve() / ".staging"
    staging.mkdir(exist_ok=True)
    files = [(group, path) for group, paths in groups.items() for path in paths]
    staged = [str(staging / f"{index:05d}.parquet") for index in range(len(files))]
    schemas = map_parts(_stage, [(str(p.resolve()), s) for (_, p), s in zip(files, staged)], client)
    unified = {
        group: pa.unify_schemas(
            [s for (g, _), s in zip(files, schemas) if g == group], promote_options="permissive"
        )
        for group in groups
    }
    tasks = []
    for index, ((group, _), path) in enumerate(zip(files, staged)):
        targets = folders if group is None else {group: folders[group]}
        split_ratios = ratios or DEFAULT_RATIOS if group is None else None
        tasks.append((path, unified[group], targets, split_ratios, index))
    map_parts(_split_part, tasks, client)
    staging.rmdir()
    parts = {name: sorted(Path(folders[name]).glob("*.parquet")) for name in names}
    set_split_names(examples, names)
    examples.custom_properties["row_counts"] = ",".join(
        f"{name}={sum(pq.read_metadata(p).num_rows for p in found)}"
        for name, found in parts.items()
    )
    record_engine(examples, client, {name: len(found) for name, found in parts.items()})
