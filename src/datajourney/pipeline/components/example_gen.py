"""``CsvExampleGen``: CSV files -> Examples in Parquet, one file per split."""

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

DEFAULT_RATIOS = {"train": 2, "eval": 1}


@component
def CsvExampleGen(
    input_base: InputPath,
    examples: Output[Examples],
    input_splits: dict | None = None,
    split_ratios: dict | None = None,
) -> None:
    """Read the CSV files of ``input_base`` (a file or a folder of ``*.csv``) into splits.

    ``input_splits`` maps split names to file patterns under ``input_base`` (one split per
    pattern); without it every row goes to a split by a hash of its values, in proportion to
    ``split_ratios`` (default train 2 : eval 1): the same row always lands in the same split.
    """
    base = Path(input_base)
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


def _read(base: Path, pattern: str) -> pa.Table:
    files = [base] if base.is_file() else sorted(base.glob(pattern))
    if not files:
        raise FileNotFoundError(f"no CSV file matches {pattern!r} under {base}")
    return pa.concat_tables([pa_csv.read_csv(f) for f in files], promote_options="permissive")


def hash_split(table: pa.Table, ratios: dict[str, int]) -> dict[str, pa.Table]:
    """Rows to splits by the CRC-32 of their values, ``ratios`` giving each split's share."""
    if not ratios or any(not isinstance(r, int) or r <= 0 for r in ratios.values()):
        raise ValueError(f"split_ratios must be positive integers, got {ratios}")
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
