"""JSON lines files (one JSON object per line) as a stream of record batches."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.json as pajson

from datajourney.io.errors import DataReadError
from datajourney.io.source import Location, Source, expand_paths

DEFAULT_BLOCK_SIZE = 4 << 20


class JsonLinesSource(Source):
    """JSON lines files (a path, a glob, or several); arrays become list columns."""

    def __init__(self, location: Location, block_size: int = DEFAULT_BLOCK_SIZE):
        super().__init__()
        self.paths = expand_paths(location)
        self.block_size = block_size

    def _batches(self) -> Iterator[pa.RecordBatch]:
        options = pajson.ReadOptions(block_size=self.block_size)
        for path in self.paths:
            try:
                if path.stat().st_size == 0:
                    continue
                yield from pajson.open_json(path, read_options=options)
            except (pa.ArrowInvalid, OSError) as error:
                raise DataReadError(str(error).splitlines()[0], path) from None


def read_jsonl(location: Location) -> JsonLinesSource:
    """Read JSON lines files as a stream of record batches."""
    return JsonLinesSource(location)
