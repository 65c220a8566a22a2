"""Restoring snapshots into the working tree.

Every file is written to a temporary name beside its destination, checked against its digest
and renamed into place, so a destination never holds a partial or corrupt file. ``link``:

* ``"copy"`` (default): an independent copy.
* ``"reflink"``: a copy-on-write clone where the file system supports it (Btrfs, XFS, ...),
  a copy elsewhere. Editing the clone writes new blocks; the object is never touched.
* ``"hardlink"``: the destination *is* the store's object, read-only. An in-place edit would
  change the object itself, so this is only done where the read-only bit protects it: not when
  running as root (permissions do not bind root; a copy is made), and not across file systems.
  Editors that save by writing a new file and renaming it break the link harmlessly; making a
  hardlinked file writable (``chmod``) and editing it in place tampers with the store, which is
  then caught by the digest check on every read (the object is never restored or pushed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

from . import fileio
from .errors import CorruptObjectError
from .hashing import PARALLEL_BYTES, hash_bytes, hash_copy, hash_fd
from .manifest import Entry, Manifest
from .repository import Repository, RepositoryLike, using
from .state import stamp
from .tree import SKIPPED_FOLDERS

Link = Literal["copy", "reflink", "hardlink"]
LINKS = ("copy", "reflink", "hardlink")


def restore(
    digest: str,
    path: str | os.PathLike,
    *,
    link: Link = "copy",
    clean: bool = False,
    objects: RepositoryLike = None,
    jobs: int | None = None,
) -> Path:
    """Put snapshot ``digest`` back at ``path``; the path.

    A folder snapshot writes every file it holds under ``path`` (files already there with the
    right content are left alone); ``clean=True`` also deletes files the snapshot does not hold.
    A file snapshot writes the file ``path``.
    """
    if link not in LINKS:
        raise ValueError(f"link must be one of {LINKS}, not {link!r}")
    with using(objects) as repo, repo.locked():
        manifest = repo.manifest(digest)
        dest = Path(path).absolute()
        targets = list(_targets(manifest, str(dest), digest))
        cached = repo.state.digests_under(str(dest))
        todo = [(entry, target) for entry, target in targets if not _current(target, entry, cached)]
        for folder in sorted({os.path.dirname(target) for _, target in todo}):
            os.makedirs(folder, exist_ok=True)
        hardlink = link == "hardlink" and _permissions_bind()

        def work(chunk: list[tuple[Entry, str]]) -> None:
            for entry, target in chunk:
                _restore_file(repo, entry, target, link, hardlink)

        chunks = [todo[i : i + 64] for i in range(0, len(todo), 64)]
        if len(chunks) <= 1 or jobs == 1:
            for chunk in chunks:
                work(chunk)
        else:
            with ThreadPoolExecutor(jobs or fileio.default_jobs()) as pool:
                list(pool.map(work, chunks))
        if clean and manifest.kind == "tree":
            _remove_extra(dest, {target for _, target in targets})
        repo.state.log(str(dest), digest, "restore")
        return dest


def _targets(manifest: Manifest, dest: str, digest: str) -> Iterator[tuple[Entry, str]]:
    if manifest.kind == "file":
        yield manifest.entries[0], dest
        return
    for entry in manifest.entries:
        parts = entry.path.split("/")
        if entry.path.startswith("/") or ".." in parts or not entry.path:
            raise CorruptObjectError(
                f"snapshot {digest} holds a path outside its folder: {entry.path!r}", digest
            )
        yield entry, os.path.join(dest, *parts)


def _current(target: str, entry: Entry, cached: dict) -> bool:
    """Whether ``target`` already holds the entry's content (by the state cache)."""
    hit = cached.get(target)
    if hit is None or hit[1] != entry.digest:
        return False
    try:
        return stamp(os.stat(target)) == hit[0]
    except FileNotFoundError:
        return False


def _permissions_bind() -> bool:
    return not hasattr(os, "geteuid") or os.geteuid() != 0


def _restore_file(repo: Repository, entry: Entry, target: str, link: Link, hardlink: bool) -> None:
    folder, name = os.path.split(target)
    temp = os.path.join(folder, f".{name}.{os.urandom(16).hex()}.tmp")
    src = repo.objects.open(entry.digest)
    try:
        with fileio.no_space(target):
            if hardlink and _hardlink(repo, entry, src, temp):
                os.replace(temp, target)
                return
            fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL | fileio.BINARY, 0o600)
            try:
                _copy_verified(repo, entry, src, fd, clone=link == "reflink")
            finally:
                os.close(fd)
            os.chmod(temp, entry.mode)
            os.replace(temp, target)
    except BaseException:
        fileio.remove_quietly(temp)
        raise
    finally:
        os.close(src)


def _hardlink(repo: Repository, entry: Entry, src: int, temp: str) -> bool:
    _check(repo, entry, hash_fd(src, os.fstat(src).st_size))
    try:
        os.link(repo.objects.path_of(entry.digest), temp)
    except OSError:  # another file system, or links not allowed: copy instead
        return False
    return True


def _copy_verified(repo: Repository, entry: Entry, src: int, fd: int, clone: bool) -> None:
    """Copy the object into ``fd`` (a temporary file beside the target), checking its digest.

    A copy reads the object once: each chunk is hashed as it is written.
    """
    size = os.fstat(src).st_size
    if clone and fileio.clone_fd(src, fd):
        _check(repo, entry, hash_fd(fd, size))
    elif size < PARALLEL_BYTES:
        data = fileio.read_exact(src, size)
        _check(repo, entry, hash_bytes(data))
        fileio.write_all(fd, data)
    else:
        _check(repo, entry, hash_copy(src, fd, size))


def _check(repo: Repository, entry: Entry, actual: str) -> None:
    if actual != entry.digest:
        raise CorruptObjectError(
            f"object {entry.digest} is corrupt: its content does not match its digest"
            f" (not restored to {entry.path})",
            repo.objects.path_of(entry.digest),
        )


def _remove_extra(dest: Path, keep: set[str]) -> None:
    for folder, subfolders, files in os.walk(dest):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_FOLDERS]
        for name in files:
            path = os.path.join(folder, name)
            if path not in keep:
                os.unlink(path)
