"""TFRecord files: the record framing TensorFlow writes, plain or gzip-compressed.

Each record is ``uint64 length | uint32 masked crc32c(length) | data | uint32 masked
crc32c(data)``, little-endian; both checksums are verified on reading.
"""

from __future__ import annotations

import gzip
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Literal

import google_crc32c

from datajourney.io.errors import DataReadError

Compression = Literal["auto", "gzip", "none"]
_MASK_DELTA = 0xA282EAD8
_GZIP_MAGIC = b"\x1f\x8b"


def masked_crc32c(data: bytes) -> int:
    """The masked CRC-32C that TFRecord stores (rotated right by 15 bits, plus a constant)."""
    crc = google_crc32c.value(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def _open(path: Path, compression: Compression) -> BinaryIO:
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    if compression == "gzip" or (compression == "auto" and raw.peek(2)[:2] == _GZIP_MAGIC):
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def iter_records(path: str | os.PathLike, compression: Compression = "auto") -> Iterator[bytes]:
    """The records of one TFRecord file; gzip is detected when ``compression="auto"``.

    Raises :class:`DataReadError` naming the file, record number and byte offset (in the
    uncompressed stream) of a truncated record or a checksum mismatch.
    """
    path = Path(path)
    if not path.exists():
        raise DataReadError("no such file", path)
    with _open(path, compression) as stream:
        offset, number = 0, 0
        while True:
            where = f"record {number} at offset {offset}"
            try:
                header = stream.read(12)
            except (OSError, EOFError) as error:  # a damaged gzip stream
                raise DataReadError(f"unreadable data ({error})", path, where) from None
            if not header:
                return
            if len(header) < 12:
                raise DataReadError("truncated record header", path, where)
            length_bytes, length_crc = header[:8], struct.unpack("<I", header[8:])[0]
            if masked_crc32c(length_bytes) != length_crc:
                raise DataReadError("corrupt record: length checksum mismatch", path, where)
            (length,) = struct.unpack("<Q", length_bytes)
            data = stream.read(length)
            footer = stream.read(4)
            if len(data) < length or len(footer) < 4:
                raise DataReadError("truncated record", path, where)
            if masked_crc32c(data) != struct.unpack("<I", footer)[0]:
                raise DataReadError("corrupt record: data checksum mismatch", path, where)
            yield data
            offset += 16 + length
            number += 1


class TFRecordWriter:
    """Writes records to a TFRecord file (``compression="gzip"`` compresses the whole file)."""

    def __init__(self, path: str | os.PathLike, compression: Literal["gzip", "none"] = "none"):
        self.path = Path(path)
        raw = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        self._raw = raw
        self._stream: BinaryIO = (
            gzip.GzipFile(fileobj=raw, mode="wb") if compression == "gzip" else raw  # type: ignore[assignment]
        )

    def write(self, record: bytes) -> None:
        """Append one record."""
        length = struct.pack("<Q", len(record))
        self._stream.write(length + struct.pack("<I", masked_crc32c(length)))
        self._stream.write(record + struct.pack("<I", masked_crc32c(record)))

    def close(self) -> None:
        if self._stream is not self._raw:
            self._stream.close()
        self._raw.close()

    def __enter__(self) -> TFRecordWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
