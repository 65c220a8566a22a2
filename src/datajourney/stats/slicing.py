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


def _key_text(value: object) -> str:
    """A value as it appears in a slice key (bytes must be UTF-8, as TFDV requires)."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(
                f"Feature names and slicing feature values must be valid UTF-8. Found value "
                f"{value!r}."
            ) from None
    return str(value)


def _rows_by_value(column: pa.Array, wanted: set[str] | None) -> dict[str, np.ndarray]:
    """For each value of a column (primitive or list), the rows that have it; only the
    ``wanted`` values (compared as integers on an integer column) when given."""
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        rows = to_numpy(pc.list_parent_indices(column))
        column = pc.list_flatten(column)
    else:
        rows = np.arange(len(column))
    if wanted is not None and pa.types.is_integer(column.type):
        try:
            wanted = {str(int(value)) for value in wanted}
        except ValueError:
            raise ValueError(
                "The feature to slice on has integer values but the provided slice values are "
                f"not valid integers: {sorted(wanted)}"
            ) from None
    valid = to_numpy(column.is_valid())
    values = column.filter(from_numpy(valid))
    rows = rows[valid]
    result: dict[str, np.ndarray] = {}
    encoded = pc.dictionary_encode(values)
    for code, value in enumerate(encoded.dictionary.to_pylist()):
        text = _key_text(value)
        if wanted is None or text in wanted:
            result[text] = np.unique(rows[to_numpy(encoded.indices) == code])
    return result


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _check_slice_values(features: Mapping[str, Iterable[object] | None]) -> None:
    for values in features.values():
        if values is None:
            continue
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise TypeError("Feature values must be specified in an iterable.")
        if not all(isinstance(value, (str, bytes, int)) for value in values):
            raise NotImplementedError(
                "Only string and int values are supported as the slice value."
            )


def get_feature_value_slicer(
    features: Mapping[str, Iterable[object] | None],
) -> SliceFunction:
    """A slice function by feature values: ``{"sex": ["F"], "age": None}`` slices on sex F and
    on every value of age (and their combinations). Features missing from a batch are left
    out of its keys; key parts follow the features' names in sorted order, as TFDV's do."""
    _check_slice_values(features)
    wanted = {
        name: None if values is None else {_text(v) for v in values}
        for name, values in sorted(features.items())
    }

    def slice_batch(batch: pa.RecordBatch) -> Iterator[tuple[str, pa.RecordBatch]]:
        present = [name for name in wanted if name in batch.schema.names]
        if not present:
            return
        slices: list[tuple[str, np.ndarray]] = [("", np.arange(batch.num_rows))]
        for name in present:
            by_value = _rows_by_value(batch.column(name), wanted[name])
            slices = [
                (f"{key}_{name}_{value}" if key else f"{name}_{value}", np.intersect1d(rows, hit))
                for key, rows in slices
                for value, hit in by_value.items()
            ]
        for key, rows in slices:
            if len(rows):
                yield key, batch.take(from_numpy(rows))

    return slice_batch
