"""BLAKE3 content hashing: digests of byte strings and of open files.

A digest is the 64-digit lowercase hexadecimal BLAKE3-256 of the content. Files smaller than
``PARALLEL_BYTES`` are read and hashed in one call; larger ones are memory-mapped and hashed in
one call (the kernel's readahead overlaps the disk with hashing) or, when copied, copied and
hashed in one pass by ``hash_copy``.
"""

from __future__ import annotations

import mmap
import os
import re
from concurrent.futures import ThreadPoolExecutor

from blake3 import blake3

from . import fileio
from .errors import InvalidDigestError

DIGEST_LENGTH = 64
PARALLEL_BYTES = 16 << 20  # from here on, a file is streamed through a pipeline of threads
_DIGEST = re.compile(r"[0-9a-f]{64}")


def hash_bytes(data: bytes | memoryview) -> str:
    """The digest of a byte string."""
    return blake3(data).hexdigest()


def hash_fd(fd: int, size: int) -> str:
    """The digest of the first ``size`` bytes of an open file (``size`` from its fstat).

    Large files are read in chunks, the next chunk read while the current one is hashed. Not
    memory-mapped: a file truncated by someone else while mapped kills the process (SIGBUS);
    read, it only comes out short, which the callers' before / after stat comparison reports.
    """
    if size < PARALLEL_BYTES:
        os.lseek(fd, 0, os.SEEK_SET)
        return hash_bytes(fileio.read_exact(fd, size))
    hasher = blake3()
    with ThreadPoolExecutor(1, thread_name_prefix="datajourney-read") as pool:
        pending = pool.submit(os.pread, fd, min(fileio.CHUNK, size), 0)
        offset = 0
        while pending is not None:
            chunk = pending.result()
            offset += len(chunk)
            pending = None
            if chunk and offset < size:
                pending = pool.submit(os.pread, fd, min(fileio.CHUNK, size - offset), offset)
            hasher.update(chunk)
    return hasher.hexdigest()


def hash_copy(src: int, dst: int, size: int, *, durable: bool = False) -> str:
    """Copy the first ``size`` bytes of ``src`` into ``dst`` (new, empty, open read-write);
    their digest.

    The source is read once: chunks are copied in the kernel where it can, and each chunk is
    hashed from ``dst`` (still in the page cache) while the next one is copied, so the digest
    is of the bytes actually written. If ``src`` is shorter, ``dst`` holds what was read.
    ``durable``: each chunk starts on its way to disk once copied, so a final fsync is short.
    """
    if size == 0:
        return hash_bytes(b"")
    hasher = blake3()
    os.ftruncate(dst, size)
    fileio.reserve(dst, size)
    copied = 0
    with (
        mmap.mmap(dst, size, access=mmap.ACCESS_READ) as mapped,
        memoryview(mapped) as view,
        ThreadPoolExecutor(1, thread_name_prefix="datajourney-hash") as pool,
    ):

        def hash_part(start: int, end: int) -> None:
            with view[start:end] as part:
                hasher.update(part)

        hashing = None
        while copied < size:
            count = fileio.copy_range(src, dst, copied, min(fileio.CHUNK, size - copied))
            if count == 0:
                break
            if hashing is not None:
                hashing.result()
            hashing = pool.submit(hash_part, copied, copied + count)
            if durable:
                fileio.start_writeback(dst, copied, count)
            copied += count
        if hashing is not None:
            hashing.result()
    if copied < size:
        os.ftruncate(dst, copied)
    return hasher.hexdigest()


def hash_file(path: str | os.PathLike) -> str:
    """The digest of a file's content."""
    fd = os.open(path, os.O_RDONLY | fileio.BINARY)
    try:
        return hash_fd(fd, os.fstat(fd).st_size)
    finally:
        os.close(fd)


def check_digest(digest: str) -> str:
    """``digest`` if well formed, else InvalidDigestError."""
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        raise InvalidDigestError(f"not a BLAKE3 digest (64 lowercase hex digits): {digest!r}")
    return digest
