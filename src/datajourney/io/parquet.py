"""Parquet files as a stream of record batches (row group by row group)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from datajourney.io.errors import DataReadError
from datajourney.io.source import DEFAULT_BATCH_ROWS, Location, Source, expand_paths


class ParquetSource(Source):
    """Parquet files (a path, a glob, or several), optionally only some ``columns``."""

    def __init__(
        self,
        location: Location,
        columns: Sequence[str] | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ):
        super().__init__()
        self.paths = expand_paths(location)
        self.columns = list(columns) if columns is not None else None
        self.batch_rows = batch_rows

    def _batches(self) -> Iterator[pa.RecordBatch]:
        for path in self.paths:
            try:
                parquet = pq.ParquetFile(path)
                yield from parquet.iter_batches(batch_size=self.batch_rows, columns=self.columns)
            except (pa.ArrowInvalid, OSError) as error:
                raise DataReadError(str(error).splitlines()[0], path) from None


def read_parquet(location: Location, columns: Sequence[str] | None = None) -> ParquetSource:
    """Read Parquet files as a stream of record batches."""
    return ParquetSource(location, columns)
