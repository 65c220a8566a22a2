"""The content-addressed object store: files named by the BLAKE3 digest of their content.

Layout: ``<root>/ab/cdef...`` (the first two hex digits name a shard folder, the other 62 the
file), temporary files in ``<root>/tmp/``. An object is written to a temporary file on the same
file system, made durable, made read-only and only then renamed to its digest, so a crash or a
full disk never leaves a partial object under a digest. Objects are verified on read: content
that does not match its digest raises ``CorruptObjectError`` and is never handed out.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from . import fileio
from .errors import CorruptObjectError, ObjectNotFoundError
from .hashing import check_digest, hash_bytes, hash_copy, hash_fd, hash_file

READ_ONLY = 0o444
_READ = os.O_RDONLY | fileio.BINARY
_HEX = frozenset("0123456789abcdef")
_SHARDS = [f"{i:02x}" for i in range(256)]


class ObjectStore:
    """Objects under a root folder (created on first write)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).absolute()
        self.tmp = self.root / "tmp"
        self._prefix = str(self.root) + os.sep
        self._tmp_prefix = str(self.tmp) + os.sep
        self._tmp_made = False
        self._shards_made: set[str] = set()

    def __repr__(self) -> str:
        return f"ObjectStore({str(self.root)!r})"

    def path_of(self, digest: str) -> Path:
        """Where the object with this digest lives (whether or not it exists)."""
        check_digest(digest)
        return self.root / digest[:2] / digest[2:]

    def has(self, digest: str) -> bool:
        """Whether the object is present (False for a malformed digest)."""
        return len(digest) == 64 and os.path.isfile(self._file(digest))

    def present(self, digests: Collection[str]) -> set[str]:
        """Which of ``digests`` are present (by listing the shards where that is cheaper)."""
        if not self._listing_pays(len(digests)):
            return {d for d in digests if self.has(d)}
        return self._listed({d[:2] for d in digests}) & set(digests)

    def _listing_pays(self, lookups: int) -> bool:
        """Whether listing every shard beats ``lookups`` single checks (one sample shard tells
        how big the store is)."""
        return lookups >= 1024 and len(self._listing("00")) * 256 <= 4 * lookups

    def _listed(self, shards: Iterable[str]) -> set[str]:
        return {shard + name for shard in shards for name in self._listing(shard)}

    def _listing(self, shard: str) -> list[str]:
        try:
            return os.listdir(self._prefix + shard)
        except FileNotFoundError:
            return []

    def size(self, digest: str) -> int:
        """The object's size in bytes."""
        return self._stat(digest).st_size

    def _stat(self, digest: str) -> os.stat_result:
        try:
            return self.path_of(digest).stat()
        except FileNotFoundError:
            raise ObjectNotFoundError(f"no object {digest} in {self.root}", digest) from None

    def temp_path(self) -> str:
        """A fresh temporary file name inside the store (its folder created)."""
        self.tmp_folder()
        return self._tmp_prefix + fileio.unique_name()

    def tmp_folder(self) -> Path:
        """The folder of temporary files (created)."""
        if not self._tmp_made:
            self.tmp.mkdir(parents=True, exist_ok=True)
            self._tmp_made = True
        return self.tmp

    def _file(self, digest: str) -> str:
        return f"{self._prefix}{digest[:2]}{os.sep}{digest[2:]}"

    def open(self, digest: str) -> int:
        """An open read-only descriptor of the object (not verified; see ``read_bytes``)."""
        return self._open(check_digest(digest))

    def _open(self, digest: str) -> int:
        """``open`` for a digest known to be well formed (from a verified manifest)."""
        try:
            return os.open(f"{self._prefix}{digest[:2]}{os.sep}{digest[2:]}", _READ)
        except FileNotFoundError:
            raise ObjectNotFoundError(f"no object {digest} in {self.root}", digest) from None

    def read_bytes(self, digest: str) -> bytes:
        """The object's content, verified against its digest."""
        fd = self.open(digest)
        try:
            data = fileio.read_exact(fd, os.fstat(fd).st_size)
        finally:
            os.close(fd)
        self._check(digest, hash_bytes(data))
        return data

    def verify(self, digest: str) -> None:
        """Raise CorruptObjectError unless the object's content matches its digest."""
        fd = self.open(digest)
        try:
            self._check(digest, hash_fd(fd, os.fstat(fd).st_size))
        finally:
            os.close(fd)

    def _check(self, digest: str, actual: str) -> None:
        if actual != digest:
            raise CorruptObjectError(
                f"object {digest} is corrupt: its content does not match its digest",
                self.path_of(digest),
            )

    def put_bytes(self, data: bytes) -> str:
        """Store a byte string durably; its digest."""
        with self.batch() as batch:
            return batch.add_bytes(hash_bytes(data), data)

    def batch(self, expected: int = 0) -> Batch:
        """A group of writes made durable together (use as a context manager); ``expected``:
        about how many objects it will be offered."""
        return Batch(self, expected=expected)

    def digests(self) -> Iterator[str]:
        """The digests of every object present."""
        if not self.root.is_dir():
            return
        for shard in os.scandir(self.root):
            if len(shard.name) != 2 or not _HEX.issuperset(shard.name) or not shard.is_dir():
                continue
            for entry in os.scandir(shard.path):
                if len(entry.name) == 62 and _HEX.issuperset(entry.name):
                    yield shard.name + entry.name

    def remove(self, digest: str) -> None:
        """Delete an object (gc only)."""
        fileio.remove_quietly(self.path_of(digest))


class Batch:
    """Stages new objects and commits them in groups, one durable sync each.

    An object is staged as an unnamed file (Linux ``O_TMPFILE``: nothing is left behind if
    the process dies before it is named) or, where that is not available, as a temporary file
    in ``tmp/``. A group's commit makes all its files durable with one sync, then names them by
    their digests, then makes the names durable.

    Thread-safe. A full group is committed by a background thread while staging goes on (one
    commit at a time, in order; its error surfaces at the next commit). Leaving the ``with``
    block commits the rest, after an exception too: every staged object is complete and named
    by its content, so work done is kept and a retry resumes from it. For many objects, the
    store's listing is read once up front instead of checking each object (one that appears
    meanwhile is just written again, identically).
    """

    def __init__(
        self, store: ObjectStore, max_files: int = 4096, max_bytes: int = 1 << 30, expected: int = 0
    ):
        self.store = store
        self.max_files = max_files
        self.max_bytes = max_bytes
        self._staged: dict[str, str | int] = {}  # digest -> temporary path or unnamed file
        self._seen: set[str] = set()  # every digest staged, committed or not
        self._bytes = 0
        self._lock = threading.Lock()
        self._present = store._listed(_SHARDS) if store._listing_pays(expected) else None
        # Two groups are open at once (one staging, one committing): unnamed files only if
        # their descriptors fit in the process's limit.
        unnamed = fileio.Unnamed(store.tmp_folder())
        self._unnamed = unnamed if 2 * max_files <= _OPEN_BUDGET else None
        self._committer: ThreadPoolExecutor | None = None
        self._committing: Future | None = None

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc) -> None:
        self.commit()

    def add_bytes(self, digest: str, data: bytes) -> str:
        """Store ``data``, already hashed to ``digest``, unless present; the digest."""
        if digest in self._seen or self._present_already(digest):
            return digest
        fd = None
        try:
            with fileio.no_space(self.store.tmp):
                fd = self._unnamed.open(READ_ONLY) if self._unnamed is not None else None
                if fd is not None:
                    fileio.write_all(fd, data)
        except BaseException:
            if fd is not None:
                os.close(fd)
            raise
        self._stage(digest, self._write_temp(data) if fd is None else fd, len(data))
        return digest

    def _write_temp(self, data: bytes) -> str:
        temp = self.store.temp_path()
        try:
            with fileio.no_space(temp):
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | fileio.BINARY
                fd = os.open(temp, flags, READ_ONLY)  # this descriptor may still write
                try:
                    fileio.write_all(fd, data)
                finally:
                    os.close(fd)
        except BaseException:
            fileio.remove_quietly(temp)
            raise
        return temp

    def add_fd(self, src: int, size: int, still_valid: Callable[[], bool]) -> str | None:
        """Copy ``size`` bytes of an open file into the store; the digest of what was copied.

        The source is read once: each chunk is hashed as it is written, so the object holds
        exactly the bytes hashed and always matches its name.
        ``still_valid()`` is asked once the copy is made (has the source changed meanwhile?);
        if False nothing is stored and None is returned.
        """
        temp = self.store.temp_path()
        try:
            with fileio.no_space(temp):
                flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | fileio.BINARY
                fd = os.open(temp, flags, READ_ONLY)
                try:
                    digest = hash_copy(src, fd, size, durable=True)
                    keep = still_valid() and not self._known(digest)
                    if keep:
                        os.fsync(fd)  # a large file: its own fsync is the cheap way
                finally:
                    os.close(fd)
        except BaseException:
            fileio.remove_quietly(temp)
            raise
        if keep:
            self._stage(digest, temp, 0)
        else:
            fileio.remove_quietly(temp)
        return digest if keep or self._known(digest) else None

    def add_verified(self, temp: str | Path, digest: str, source: str) -> None:
        """Stage a complete temporary file of this store if its content matches ``digest``."""
        if hash_file(temp) != digest:
            raise CorruptObjectError(
                f"object {digest} from {source} does not match its digest", source
            )
        if self._known(digest):
            fileio.remove_quietly(temp)
        else:
            os.chmod(temp, READ_ONLY)
            self._stage(digest, temp, os.path.getsize(temp))

    def _known(self, digest: str) -> bool:
        return digest in self._seen or self._present_already(digest)

    def _present_already(self, digest: str) -> bool:
        if self._present is not None:
            return digest in self._present
        return self.store.has(digest)

    def _stage(self, digest: str, temp: str | int, size: int) -> None:
        with self._lock:
            if digest in self._seen:
                _discard(temp)
                return
            self._seen.add(digest)
            self._staged[digest] = temp
            self._bytes += size
            if len(self._staged) < self.max_files and self._bytes < self.max_bytes:
                return
            self._wait()
            staged, self._staged, self._bytes = self._staged, {}, 0
            if self._committer is None:
                self._committer = ThreadPoolExecutor(1, thread_name_prefix="datajourney-commit")
            self._committing = self._committer.submit(self._commit, staged)

    def _wait(self) -> None:
        if self._committing is not None:
            committing, self._committing = self._committing, None
            committing.result()

    def commit(self) -> None:
        """Make every staged object durable, read-only, then visible under its digest."""
        with self._lock:
            staged, self._staged, self._bytes = self._staged, {}, 0
            try:
                self._wait()
            finally:
                if self._committer is not None:
                    self._committer.shutdown()
                    self._committer = None
                self._commit(staged)

    def _commit(self, staged: dict[str, str | int]) -> None:
        if not staged:
            return
        published = 0
        try:
            fileio.sync_files(staged.values(), self.store.tmp)
            shards = {digest[:2] for digest in staged}
            for shard in shards - self.store._shards_made:
                os.makedirs(self.store.root / shard, exist_ok=True)
                self.store._shards_made.add(shard)
            for digest, temp in staged.items():
                _publish(temp, self.store._file(digest))
                published += 1
            fileio.sync_folders([self.store.root / shard for shard in shards])
        finally:
            for number, temp in enumerate(staged.values()):
                if isinstance(temp, int):
                    os.close(temp)  # an unnamed file never linked is freed with it
                elif number >= published:
                    fileio.remove_quietly(temp)


def _publish(temp: str | int, path: str) -> None:
    """Give a complete staged object its final name (kept as it is if already there)."""
    if isinstance(temp, int):
        fileio.link_unnamed(temp, path)
        return
    try:
        os.replace(temp, path)
    except PermissionError:  # Windows: a read-only object is already there
        fileio.remove_quietly(temp)


def _discard(temp: str | int) -> None:
    """Drop a staged object that will not be published."""
    if isinstance(temp, int):
        os.close(temp)
    else:
        fileio.remove_quietly(temp)


def _open_budget() -> int:
    """How many unnamed files batches may hold open: half the process's descriptor limit."""
    try:
        import resource
    except ImportError:
        return 0
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return (1 << 16) if soft == resource.RLIM_INFINITY else soft // 2


_OPEN_BUDGET = _open_budget()
