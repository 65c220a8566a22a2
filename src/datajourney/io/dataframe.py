"""pandas DataFrames as a stream of record batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from datajourney.io.problems import TYPE_MISMATCH, ProblemExample
from datajourney.io.source import DEFAULT_BATCH_ROWS, Source


class DataFrameSource(Source):
    """A pandas DataFrame, ``batch_rows`` rows at a time (the index is not a column).

    An object column that mixes types (numbers and text) is read as text and recorded as a
    ``type_mismatch`` problem, instead of failing the conversion.
    """

    def __init__(self, dataframe: Any, batch_rows: int = DEFAULT_BATCH_ROWS):
        super().__init__()
        self.dataframe = dataframe
        self.batch_rows = batch_rows

    def _batches(self) -> Iterator[pa.RecordBatch]:
        frame = self.dataframe
        for start in range(0, len(frame), self.batch_rows):
            yield self._to_batch(frame.iloc[start : start + self.batch_rows])

    def _to_batch(self, frame: Any) -> pa.RecordBatch:
        arrays = []
        for name in frame.columns:
            column = frame[name]
            try:
                arrays.append(pa.array(column, from_pandas=True))
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                present = column[column.notna()]
                odd = present[[not isinstance(v, str) for v in present]]
                self.problems.add(
                    TYPE_MISMATCH,
                    str(name),
                    len(odd),
                    [ProblemExample(repr(v), f"row {i}") for i, v in odd.head(5).items()],
                    detail="values of several types in one column, read as text",
                )
                text = [None if v is None or v != v else str(v) for v in column]
                arrays.append(pa.array(text, pa.string()))
        return pa.RecordBatch.from_arrays(arrays, names=[str(name) for name in frame.columns])


def read_dataframe(dataframe: Any, batch_rows: int = DEFAULT_BATCH_ROWS) -> DataFrameSource:
    """Read a pandas DataFrame as a stream of record batches."""
    return DataFrameSource(dataframe, batch_rows)
