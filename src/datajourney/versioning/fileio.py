"""Low-level file operations: whole reads and writes, kernel copies, clones, durable syncs.

Every byte the versioning layer writes goes through ``write_chunk`` or ``copy_range``, and an
``OSError`` saying the disk is full becomes ``NoSpaceError`` (see ``no_space``).
"""

from __future__ import annotations

import ctypes
import errno
import itertools
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from .errors import NoSpaceError

CHUNK = 8 << 20
BINARY = getattr(os, "O_BINARY", 0)
_FULL = {errno.ENOSPC, errno.EDQUOT} if hasattr(errno, "EDQUOT") else {errno.ENOSPC}
_FICLONE = 0x40049409  # Linux ioctl: share the extents of another file (copy-on-write)
_TOKEN = os.urandom(6).hex()
_COUNTER = itertools.count()


def unique_name() -> str:
    """A name no other call, thread or process on this machine gets (for temporary files)."""
    return f"{os.getpid()}-{_TOKEN}-{next(_COUNTER)}"


def default_jobs() -> int:
    """Threads for many small files: one per core. Creating files is serialised by the file
    system's journal and directory locks, so more threads only spin (measured on ext4)."""
    return min(8, os.cpu_count() or 1)


def umask() -> int:
    """The permission bits the process's umask removes from new files: read from /proc on
    Linux, without changing it (``os.umask`` can only be read by setting it, which races with
    other threads); elsewhere 0o777, so that callers always set modes explicitly."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o777


def read_exact(fd: int, size: int) -> bytes:
    """Read ``size`` bytes from the current position (fewer if the file is shorter)."""
    first = os.read(fd, size if size < CHUNK else CHUNK)
    if len(first) == size or not first:
        return first
    parts = [first]
    size -= len(first)
    while size > 0:
        part = os.read(fd, min(size, CHUNK))
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def write_chunk(fd: int, data: bytes | memoryview) -> int:
    """Write some of ``data``; the number of bytes written."""
    return os.write(fd, data)


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data``."""
    written = write_chunk(fd, data)
    if written < len(data):
        view = memoryview(data)[written:]
        while view:
            view = view[write_chunk(fd, view) :]


def copy_range(src: int, dst: int, offset: int, count: int) -> int:
    """Copy up to ``count`` bytes at ``offset`` of ``src`` to the same offset of ``dst``; the
    number copied (0 at the end of ``src``). In the kernel where it can, else through memory."""
    if hasattr(os, "copy_file_range"):
        try:
            return os.copy_file_range(src, dst, count, offset, offset)
        except OSError as error:
            if error.errno in _FULL:
                raise
            # Not supported between these file systems: copy through user space.
    data = os.pread(src, count, offset)
    os.lseek(dst, offset, os.SEEK_SET)
    write_all(dst, data)
    return len(data)


def reserve(fd: int, size: int) -> None:
    """Allocate ``size`` bytes for a new file at once where the file system can."""
    if size and hasattr(os, "posix_fallocate"):
        try:
            os.posix_fallocate(fd, 0, size)
        except OSError as error:
            if error.errno in _FULL:
                raise
            # Not supported here (EOPNOTSUPP, EINVAL): the writes allocate as they go.


def clone_fd(src: int, dst: int) -> bool:
    """Make ``dst`` share ``src``'s blocks copy-on-write (a reflink); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import fcntl

    try:
        fcntl.ioctl(dst, _FICLONE, src)
    except OSError:
        return False
    return True


class no_space:
    """Turn a full-disk OSError into NoSpaceError naming ``path``: ``with no_space(path):``.

    A class rather than a generator-based context manager: it wraps every small file written.
    """

    __slots__ = ("path",)

    def __init__(self, path: str | os.PathLike):
        self.path = path

    def __enter__(self) -> None:
        pass

    def __exit__(self, kind, error, traceback) -> None:
        if isinstance(error, OSError) and error.errno in _FULL:
            message = f"no space left on device while writing {self.path}"
            raise NoSpaceError(message, self.path) from error


def _libc_function(name: str, *argtypes):
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None
    function.argtypes = list(argtypes)
    return function


_SYNCFS = _libc_function("syncfs", ctypes.c_int)
_SYNC_FILE_RANGE = _libc_function(
    "sync_file_range", ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint
)
_SYNC_FILE_RANGE_WRITE = 2
_LINKAT = (
    _libc_function(
        "linkat", ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int
    )
    if hasattr(os, "O_TMPFILE")
    else None
)
_AT_FDCWD = -100
_AT_SYMLINK_FOLLOW = 0x400


def start_writeback(fd: int, offset: int, count: int) -> None:
    """Start writing a range of a file to disk without waiting (Linux; a no-op elsewhere), so
    a later fsync finds most of it already written."""
    if _SYNC_FILE_RANGE is not None:
        _SYNC_FILE_RANGE(fd, offset, count, _SYNC_FILE_RANGE_WRITE)


def sync_files(files: Iterable[str | int], folder: str | os.PathLike) -> None:
    """Make the content of ``files`` (paths or open descriptors, all in ``folder``'s file
    system) durable.

    On Linux one ``syncfs`` flushes them all (a group commit: far cheaper than one fsync per
    small file); elsewhere each file is fsynced.
    """
    files = list(files)
    if files and not _syncfs(folder):
        for file in files:
            if isinstance(file, int):
                os.fsync(file)
            else:
                fsync_path(file)


def sync_folders(folders: list[Path]) -> None:
    """Make the renames inside ``folders`` (all in one file system) durable: one ``syncfs`` on
    Linux, an fsync of each folder elsewhere."""
    if folders and not _syncfs(folders[0]):
        for folder in folders:
            fsync_folder(folder)


def _syncfs(folder: str | os.PathLike) -> bool:
    if _SYNCFS is None:
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        return _SYNCFS(fd) == 0
    finally:
        os.close(fd)


def fsync_path(path: str | os.PathLike) -> None:
    """fsync one file."""
    fd = os.open(path, os.O_RDONLY | BINARY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(path: Path) -> None:
    """Make renames inside a folder durable (a no-op where folders cannot be opened)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Unnamed:
    """Opens files without a name (Linux ``O_TMPFILE``) in one folder; ``link_unnamed`` names
    them once complete. A crash or an error before that leaves nothing behind: the kernel frees
    an unnamed file when its descriptor closes."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = os.fspath(folder)
        self.supported = _LINKAT is not None and os.path.isdir("/proc/self/fd")

    def open(self, mode: int) -> int | None:
        """A new unnamed file open for writing; None where the file system cannot (the caller
        then writes a named temporary file)."""
        if self.supported:
            try:
                return os.open(self.folder, os.O_TMPFILE | os.O_WRONLY, mode)
            except OSError as error:
                if error.errno in _FULL:
                    raise
                self.supported = False  # EOPNOTSUPP, EISDIR, ...: not on this file system
        return None


def link_unnamed(fd: int, path: str) -> None:
    """Name the unnamed file ``fd`` ``path`` (nothing is done if ``path`` exists)."""
    source = b"/proc/self/fd/%d" % fd  # the open file itself, followed by AT_SYMLINK_FOLLOW
    if _LINKAT(_AT_FDCWD, source, _AT_FDCWD, os.fsencode(path), _AT_SYMLINK_FOLLOW) != 0:
        code = ctypes.get_errno()
        if code != errno.EEXIST:
            raise OSError(code, os.strerror(code), path)


def file_system_time(folder: str | os.PathLike) -> int:
    """The time, in ns, that ``folder``'s file system gives a file changed now: the mtime of a
    file created there (removed again)."""
    path = os.path.join(folder, f".{unique_name()}.clock")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | BINARY, 0o600)
    try:
        return os.fstat(fd).st_mtime_ns
    finally:
        os.close(fd)
        os.unlink(path)


def remove_quietly(path: str | os.PathLike) -> None:
    """Delete a file if it exists."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except PermissionError:  # read-only on Windows
        os.chmod(path, 0o644)
        os.unlink(path)
