"""BLAKE3 content hashing: digests of byte strings and of open files.

A digest is the 64-digit lowercase hexadecimal BLAKE3-256 of the content. Files of
``PARALLEL_BYTES`` or more are memory-mapped and hashed by BLAKE3's own worker threads (it
releases the GIL), so hashing runs at about the speed of reading; smaller ones are hashed in one
call.
"""

from __future__ import annotations

import mmap
import os
import re

from blake3 import blake3

from .errors import InvalidDigestError
from .fileio import read_exact

DIGEST_LENGTH = 64
PARALLEL_BYTES = 16 << 20  # from here on, BLAKE3 hashes a file with several threads
_DIGEST = re.compile(r"[0-9a-f]{64}")


def hash_bytes(data: bytes | memoryview) -> str:
    """The digest of a byte string."""
    return blake3(data).hexdigest()


def hash_fd(fd: int, size: int) -> str:
    """The digest of the first ``size`` bytes of an open file (``size`` from its fstat)."""
    if size == 0:
        return hash_bytes(b"")
    if size < PARALLEL_BYTES:
        os.lseek(fd, 0, os.SEEK_SET)
        return hash_bytes(read_exact(fd, size))
    with mmap.mmap(fd, size, access=mmap.ACCESS_READ) as view:
        if hasattr(view, "madvise"):
            view.madvise(mmap.MADV_SEQUENTIAL)
        return blake3(view, max_threads=blake3.AUTO).hexdigest()


def hash_file(path: str | os.PathLike) -> str:
    """The digest of a file's content."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        return hash_fd(fd, os.fstat(fd).st_size)
    finally:
        os.close(fd)


def check_digest(digest: str) -> str:
    """``digest`` if well formed, else InvalidDigestError."""
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        raise InvalidDigestError(f"not a BLAKE3 digest (64 lowercase hex digits): {digest!r}")
    return digest
