"""Slicing: statistics per group of examples, named by TFDV's slice keys.

A slice function maps a record batch to ``(slice key, sub-batch)`` pairs. The key of the slice
where feature ``f`` has value ``v`` is ``"f_v"``; slices on several features join their keys
with ``"_"`` (``"sex_F_age_30"``), as TFDV 1.16 names them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datajourney.stats.arrays import from_numpy, to_numpy
from datajourney.stats.options import SliceFunction

DEFAULT_SLICE_KEY = "All Examples"


def _rows_by_value(column: pa.Array) -> dict[str, np.ndarray]:
    """For each value of a column (primitive or list), the rows that have it."""
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        rows = to_numpy(pc.list_parent_indices(column))
        column = pc.list_flatten(column)
    else:
        rows = np.arange(len(column))
    valid = to_numpy(column.is_valid())
    values = column.filter(from_numpy(valid))
    rows = rows[valid]
    result: dict[str, np.ndarray] = {}
    encoded = pc.dictionary_encode(values)
    for code, value in enumerate(encoded.dictionary.to_pylist()):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        result[text] = np.unique(rows[to_numpy(encoded.indices) == code])
    return result


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def get_feature_value_slicer(
    features: Mapping[str, Iterable[object] | None],
) -> SliceFunction:
    """A slice function by feature values: ``{"sex": ["F"], "age": None}`` slices on sex F and
    on every value of age (and their combinations)."""
    wanted = {
        name: None if values is None else {_text(v) for v in values}
        for name, values in features.items()
    }

    def slice_batch(batch: pa.RecordBatch) -> Iterator[tuple[str, pa.RecordBatch]]:
        slices: list[tuple[str, np.ndarray]] = [("", np.arange(batch.num_rows))]
        for name, values in wanted.items():
            if name not in batch.schema.names:
                return
            by_value = _rows_by_value(batch.column(name))
            slices = [
                (f"{key}_{name}_{value}" if key else f"{name}_{value}", np.intersect1d(rows, hit))
                for key, rows in slices
                for value, hit in by_value.items()
                if values is None or value in values
            ]
        for key, rows in slices:
            if len(rows):
                yield key, batch.take(from_numpy(rows))

    return slice_batch
