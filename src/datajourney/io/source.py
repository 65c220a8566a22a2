"""What every reader returns: a re-iterable stream of Arrow record batches."""

from __future__ import annotations

import glob
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from datajourney.io.errors import DataReadError
from datajourney.io.problems import ProblemLog

#: One path, a glob pattern, or several of them.
Location = str | os.PathLike | Sequence[str | os.PathLike]

DEFAULT_BATCH_ROWS = 65_536


class Source(ABC):
    """A data set read as a stream of ``pyarrow.RecordBatch``.

    Iterating a source reads it from the start, one batch at a time, so a file larger than
    memory is never loaded whole; each pass starts a fresh :attr:`problems` log, where the
    reader records bad data (malformed rows, unparsable values) instead of failing.
    """

    def __init__(self) -> None:
        self.problems = ProblemLog()

    @abstractmethod
    def _batches(self) -> Iterator[pa.RecordBatch]:
        """The batches of one pass."""

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        self.problems.clear()
        return self._batches()

    def read_all(self) -> pa.Table:
        """All batches as one table (loads the data into memory).

        Batches whose column types differ are promoted to a common type; when a column widened
        from numbers to text during the pass, the data is read once more with the final types.
        """
        tables = [pa.Table.from_batches([batch]) for batch in self]
        if not tables:
            return pa.table({})
        try:
            return pa.concat_tables(tables, promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return pa.concat_tables([pa.Table.from_batches([batch]) for batch in self])


class ArrowSource(Source):
    """Batches from an Arrow table, a record batch, or a re-iterable of record batches."""

    def __init__(
        self,
        data: pa.Table | pa.RecordBatch | Iterable[pa.RecordBatch],
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ):
        super().__init__()
        self._data = data
        self._batch_rows = batch_rows

    def _batches(self) -> Iterator[pa.RecordBatch]:
        data = self._data
        if isinstance(data, pa.RecordBatch):
            data = pa.Table.from_batches([data])
        if isinstance(data, pa.Table):
            yield from data.to_batches(max_chunksize=self._batch_rows)
        else:
            yield from data


def expand_paths(location: Location) -> list[Path]:
    """The files a location names: paths and glob patterns, in order, each existing.

    Raises :class:`DataReadError` for a path or pattern that matches no file.
    """
    items = [location] if isinstance(location, (str, os.PathLike)) else list(location)
    if not items:
        raise DataReadError("no data file given")
    paths: list[Path] = []
    for item in items:
        text = os.fspath(item)
        if glob.has_magic(text):
            matches = sorted(glob.glob(text))
            if not matches:
                raise DataReadError("no file matches this pattern", text)
            paths.extend(Path(match) for match in matches)
        elif Path(text).is_dir():
            raise DataReadError("is a folder; name the files or a glob pattern", text)
        elif not Path(text).exists():
            raise DataReadError("no such file", text)
        else:
            paths.append(Path(text))
    return paths


def is_pandas_dataframe(data: Any) -> bool:
    """Whether ``data`` is a pandas DataFrame (without importing pandas)."""
    return type(data).__module__.startswith("pandas") and hasattr(data, "columns")


def is_dask_dataframe(data: Any) -> bool:
    """Whether ``data`` is a Dask DataFrame (without importing Dask)."""
    return type(data).__module__.startswith("dask") and hasattr(data, "to_delayed")
