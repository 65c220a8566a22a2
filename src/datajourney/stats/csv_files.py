"""TFDV's checks of the CSV files it is given: the files a location names, their compression
and their header lines (ValueError, with TFDV's messages, where TFDV raises one)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from datajourney.io.errors import DataReadError
from datajourney.io.source import Location, expand_paths

#: TFDV's (Beam's) compression names, as pyarrow names them; "auto": from the file's suffix.
_COMPRESSIONS: dict[str, str | None] = {
    "auto": "auto",
    "uncompressed": None,
    "gzip": "gzip",
    "bzip2": "bz2",
    "bz2": "bz2",
    "zstd": "zstd",
    "lz4": "lz4",
    "brotli": "brotli",
}


def csv_compression(compression_type: str | None) -> str | None:
    """The CSV reader's ``compression`` for TFDV's ``compression_type``."""
    key = "uncompressed" if compression_type is None else str(compression_type).lower()
    if key not in _COMPRESSIONS:
        raise ValueError(
            f"Unsupported compression_type {compression_type!r} "
            f"(one of {', '.join(sorted(_COMPRESSIONS))})"
        )
    return _COMPRESSIONS[key]


def _header(path: Path, compression: str | None, delimiter: str) -> tuple[str, ...]:
    """The column names of the first record of ``path`` (decompressed; a quoted field may hold
    a line break); ValueError for an empty file."""
    detect = "detect" if compression == "auto" else compression
    with pa.input_stream(str(path), compression=detect) as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
        names = next(csv.reader(text, delimiter=delimiter), None)
    if not names:
        raise ValueError(f"Found empty file when reading the header line: {path}")
    return tuple(names)


def csv_paths(
    location: Location,
    column_names: Sequence[str] | None,
    delimiter: str,
    compression: str | None,
) -> list[Path]:
    """The files of ``location``, checked as TFDV checks them: some file must match, and
    without ``column_names`` every file must have the same, non-empty, header line."""
    try:
        paths = expand_paths(location)
    except DataReadError:
        raise ValueError(f"No file found in the input data location: {location}") from None
    if column_names is not None:
        return paths
    headers = {_header(path, compression, delimiter) for path in paths}
    if len(headers) > 1:
        raise ValueError("Files have different headers.")
    return paths


def get_csv_header(
    data_location: Location, delimiter: str, compression_type: str | None = "auto"
) -> list[str]:
    """The column names of the CSV files at ``data_location`` (a path, glob or list of them),
    from their first line; every file must have the same header (ValueError otherwise, and
    for no file or an empty one). ``compression_type`` as in ``generate_statistics_from_csv``.
    """
    compression = csv_compression(compression_type)
    paths = csv_paths(data_location, None, delimiter, compression)
    return list(_header(paths[0], compression, delimiter))
