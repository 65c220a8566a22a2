"""Taking snapshots: walk a folder (or take one file), hash what changed, store new content.

Files whose stat matches the state cache are not read again. The others are read by a pool of
threads (BLAKE3 and file reads release the GIL): a small file is read once into memory, hashed
and written to the store if new; a large one is copied into the store in the kernel and the copy
is hashed with BLAKE3's threads. A file whose stat changes while it is read is read again, and
after ``ATTEMPTS`` tries ``FileChangedError`` is raised: the stored content always matches its
digest, and no snapshot names a torn file.
"""

from __future__ import annotations

import os
import stat as stat_module
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import FileChangedError, PathNotFoundError, UnsupportedFileError
from .fileio import BINARY, default_jobs, read_exact
from .hashing import PARALLEL_BYTES, hash_bytes, hash_fd
from .manifest import Entry, Manifest
from .objects import Batch
from .repository import Repository, RepositoryLike, using
from .state import cacheable, stamp

ATTEMPTS = 3
SKIPPED_FOLDERS = frozenset({".datajourney"})
_CHUNK_FILES = 64
_READ = os.O_RDONLY | BINARY


def snapshot(
    path: str | os.PathLike, *, objects: RepositoryLike = None, jobs: int | None = None
) -> str:
    """Snapshot a file or folder into the object store; the snapshot's digest."""
    with using(objects) as repo, repo.locked():
        root = absolute_path(path)
        manifest = scan(repo, root, store=True, jobs=jobs)
        repo.objects.put_bytes(manifest.to_bytes())  # once the names of all its files are durable
        repo.state.log(str(root), manifest.digest, "snapshot")
        return manifest.digest


def scan(repo: Repository, root: Path, *, store: bool, jobs: int | None = None) -> Manifest:
    """The manifest of ``root`` now; with ``store`` its files' content is stored (the manifest
    itself is not: a snapshot stores it, the lake catalogues the files instead)."""
    kind, files = _files(root, repo.objects.root)
    cached = repo.state.digests_under(str(root))
    hits: dict[str, str] = {}
    for file in files:
        hit = cached.get(file.absolute)
        if hit and hit[0] == stamp(file.stat):
            hits[file.absolute] = hit[1]
    present = repo.objects.present(set(hits.values())) if store else set(hits.values())
    entries: list[Entry] = []
    todo: list[_File] = []
    for file in files:
        digest = hits.get(file.absolute)
        if digest in present:
            entries.append(file.entry(digest, file.stat))
        else:
            todo.append(file)
    if store:
        with repo.objects.batch(expected=len(todo)) as batch:
            fresh = _read_all(todo, batch, jobs)
    else:
        fresh = _read_all(todo, None, jobs)
    entries.extend(entry for entry, _, _ in fresh)
    repo.state.remember(
        (file.absolute, st, entry.digest)
        for (entry, st, started), file in zip(fresh, todo)
        if cacheable(st, started)
    )
    return Manifest.build(kind, entries)


@dataclass(frozen=True)
class _File:
    relative: str
    absolute: str
    stat: os.stat_result

    def entry(self, digest: str, st: os.stat_result) -> Entry:
        return Entry(self.relative, digest, st.st_size, stat_module.S_IMODE(st.st_mode))


def absolute_path(path: str | os.PathLike) -> Path:
    root = Path(path).absolute()
    if not os.path.lexists(root):
        raise PathNotFoundError(f"no such file or folder: {root}", root)
    return root


def _files(root: Path, objects_root: Path) -> tuple[str, list[_File]]:
    try:
        st = root.stat()
    except OSError:
        raise UnsupportedFileError(f"broken symbolic link: {root}", root) from None
    if stat_module.S_ISREG(st.st_mode):
        return "file", [_File(root.name, str(root), st)]
    if not stat_module.S_ISDIR(st.st_mode):
        raise UnsupportedFileError(f"not a regular file or folder: {root}", root)
    return "tree", list(_walk(str(root), "", str(objects_root)))


def _walk(folder: str, prefix: str, skip: str) -> Iterator[_File]:
    with os.scandir(folder) as scan_:
        entries = list(scan_)
    for entry in entries:
        relative = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in SKIPPED_FOLDERS and entry.path != skip:
                yield from _walk(entry.path, relative + "/", skip)
            continue
        try:
            st = entry.stat()
        except FileNotFoundError:
            if entry.is_symlink():
                raise UnsupportedFileError(
                    f"broken symbolic link: {entry.path}", entry.path
                ) from None
            raise FileChangedError(
                f"{entry.path} disappeared during the snapshot", entry.path
            ) from None
        if not stat_module.S_ISREG(st.st_mode):
            raise UnsupportedFileError(
                f"not a regular file (a folder link, socket or device): {entry.path}", entry.path
            )
        yield _File(relative, entry.path, st)


def _read_all(
    files: list[_File], batch: Batch | None, jobs: int | None
) -> list[tuple[Entry, os.stat_result, int]]:
    # While storing, a background thread commits the objects (see Batch): it takes a core.
    workers = jobs or max(1, default_jobs() - (batch is not None))
    if len(files) <= 1 or workers == 1:
        return [_read(file, batch) for file in files]
    chunks = [files[i : i + _CHUNK_FILES] for i in range(0, len(files), _CHUNK_FILES)]
    with ThreadPoolExecutor(workers) as pool:
        done = pool.map(lambda chunk: [_read(file, batch) for file in chunk], chunks)
        return [result for chunk in done for result in chunk]


def _read(file: _File, batch: Batch | None) -> tuple[Entry, os.stat_result, int]:
    """Hash (and store) one file; its entry, the stat it was read at, when reading began.

    The stat taken by the walk is compared with one taken after reading: if they are equal,
    what was read is that version of the file.
    """
    before = file.stat
    for _ in range(ATTEMPTS):
        started = time.time_ns()
        try:
            fd = os.open(file.absolute, _READ)
        except FileNotFoundError:
            raise FileChangedError(
                f"{file.absolute} disappeared during the snapshot", file.absolute
            ) from None
        try:
            digest = _content_digest(fd, before, batch)
            if digest is None:
                before = os.fstat(fd)
        finally:
            os.close(fd)
        if digest is not None:
            return file.entry(digest, before), before, started
    raise FileChangedError(
        f"{file.absolute} kept changing while it was read ({ATTEMPTS} attempts)", file.absolute
    )


def _content_digest(fd: int, before: os.stat_result, batch: Batch | None) -> str | None:
    """The digest of the file (stored if ``batch``); None if it is no longer the version
    ``before`` describes."""
    size = before.st_size
    if size >= PARALLEL_BYTES:
        return _large_digest(fd, before, batch)
    data = read_exact(fd, size)
    if len(data) != size or stamp(os.fstat(fd)) != stamp(before):
        return None
    digest = hash_bytes(data)
    if batch is not None:
        batch.add_bytes(digest, data)
    return digest


def _large_digest(fd: int, before: os.stat_result, batch: Batch | None) -> str | None:
    """``_content_digest`` of a large file: copied into the store and hashed in one pass."""

    def unchanged() -> bool:
        return stamp(os.fstat(fd)) == stamp(before)

    if batch is not None:
        return batch.add_fd(fd, before.st_size, unchanged)
    digest = hash_fd(fd, before.st_size)
    return digest if unchanged() else None


def ls(digest: str, *, objects: RepositoryLike = None) -> list[Entry]:
    """The files of a snapshot: path, digest, size, mode, sorted by path."""
    with using(objects) as repo:
        return list(repo.manifest(digest).entries)
