"""TFDV's checks of the CSV files it is given: the files a location names, their compression
and their header lines (ValueError, with TFDV's messages, where TFDV raises one)."""

from __future__ import annotations

import csv
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


def _header_line(path: Path, compression: str | None) -> bytes:
    """The first line of ``path`` (decompressed); empty for an empty file."""
    detect = "detect" if compression == "auto" else compression
    line = b""
    with pa.input_stream(str(path), compression=detect) as stream:
        while b"\n" not in line:
            chunk = stream.read(1 << 16)
            if not chunk:
                break
            line += chunk
    return line.split(b"\n", 1)[0].rstrip(b"\r")


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
    headers = set()
    for path in paths:
        line = _header_line(path, compression)
        if not line:
            raise ValueError(f"Found empty file when reading the header line: {path}")
        text = line.decode("utf-8", "replace")
        headers.add(tuple(next(csv.reader([text], delimiter=delimiter))))
    if len(headers) > 1:
        raise ValueError("Files have different headers.")
    return paths
