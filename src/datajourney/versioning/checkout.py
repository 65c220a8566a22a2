"""Restoring snapshots into the working tree.

Every file's content is checked against its digest as it is written. A file the destination
lacks is created under its own name (exclusively) and removed again if anything fails; a file
already there is replaced by writing a temporary file beside it and renaming that into place, so
it holds either its old or its new content. No error leaves a partial or corrupt file. ``link``:

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
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NoReturn

from . import fileio
from .errors import CorruptObjectError, NotASnapshotError
from .guard import local_changes_error, unsaved
from .hashing import PARALLEL_BYTES, hash_bytes, hash_copy, hash_fd
from .manifest import Entry, Manifest
from .repository import Repository, RepositoryLike, using
from .state import Stamp, settled, stamp
from .tree import SKIPPED_FOLDERS

Link = Literal["copy", "reflink", "hardlink"]
LINKS = ("copy", "reflink", "hardlink")
_CHUNK_FILES = 1024
_Written = tuple[str, os.stat_result | None, str]  # a file restored: path, stat, digest
_CREATE = os.O_RDWR | os.O_CREAT | os.O_EXCL | fileio.BINARY


def restore(
    digest: str,
    path: str | os.PathLike,
    *,
    link: Link = "copy",
    clean: bool = False,
    force: bool = False,
    objects: RepositoryLike = None,
    jobs: int | None = None,
) -> Path:
    """Put snapshot ``digest`` back at ``path``; the path.

    A folder snapshot writes every file it holds under ``path`` (files already there with the
    right content are left alone); ``clean=True`` also deletes files the snapshot does not hold.
    A file snapshot writes the file ``path``; so does the digest of a plain data object (what
    a lake entry records: its file stored as it came).

    A file that would be overwritten or deleted while its content is neither the snapshot's
    nor its last recorded one (edited since the last snapshot or restore of it, or never
    snapshotted) is a local change: unless ``force``, LocalChangesError lists them all and
    nothing is written (see ``local_changes``).
    """
    if link not in LINKS:
        raise ValueError(f"link must be one of {LINKS}, not {link!r}")
    with using(objects) as repo, repo.locked():
        plan = _plan(repo, digest, path, clean)
        if not force:
            _refuse_local_changes(repo, plan)
        dest, todo = plan.dest, plan.todo
        for folder in sorted({_folder(target) for _, target, _ in todo}):
            os.makedirs(folder, exist_ok=True)
        how = _How(repo, link, link == "hardlink" and _permissions_bind(), fileio.umask())

        def work(chunk: list[tuple[Entry, str, bool]]) -> list[_Written]:
            return [
                (target, _restore_file(how, entry, target, exists), entry.digest)
                for entry, target, exists in chunk
            ]

        chunks = _by_folder(todo)
        clock_folder = str(dest) if plan.manifest.kind == "tree" else _folder(str(dest))
        if len(chunks) <= 1 or jobs == 1:
            _remember(repo, map(work, chunks), clock_folder)
        else:
            with ThreadPoolExecutor(jobs or fileio.default_jobs()) as pool:
                _remember(repo, pool.map(work, chunks), clock_folder)
        for extra in plan.extra:
            fileio.remove_quietly(extra)
        repo.state.log(str(dest), digest, "restore")
        return dest


def local_changes(
    digest: str, path: str | os.PathLike, *, clean: bool = False, objects: RepositoryLike = None
) -> list[Path]:
    """The files ``restore(digest, path, clean=clean)`` would refuse to overwrite or delete:
    their content is neither the snapshot's nor their last recorded one. Nothing is written."""
    with using(objects) as repo, repo.locked():
        return [Path(p) for p in _unsaved(repo, _plan(repo, digest, path, clean))]


@dataclass(frozen=True)
class _Plan:
    """What a restore will do: files to write (entry, target, whether it exists) and files to
    delete (``clean``)."""

    manifest: Manifest
    dest: Path
    todo: list[tuple[Entry, str, bool]]
    extra: list[str]
    cached: dict[str, tuple[Stamp, str]]


def _plan(repo: Repository, digest: str, path: str | os.PathLike, clean: bool) -> _Plan:
    dest = Path(path).absolute()
    manifest = _manifest_of(repo, digest, dest)
    targets = list(_targets(manifest, str(dest), digest))
    existing = _existing(targets)
    extra = []
    if clean and manifest.kind == "tree":
        extra = _extra(dest, {target for _, target in targets})
    cached = repo.state.digests_under(str(dest)) if existing or extra else {}
    todo = [
        (entry, target, target in existing)
        for entry, target in targets
        if target not in existing or not _current(target, entry, cached)
    ]
    return _Plan(manifest, dest, todo, extra, cached)


def _manifest_of(repo: Repository, digest: str, dest: Path) -> Manifest:
    """The snapshot ``digest``; a plain data object (a lake entry's file, which is stored as
    it came, without a snapshot) is restored as a file snapshot of that one file."""
    try:
        return repo.manifest(digest)
    except NotASnapshotError:
        return Manifest.build("file", [Entry(dest.name, digest, repo.objects.size(digest))])


def _unsaved(repo: Repository, plan: _Plan) -> list[str]:
    overwrite = [(target, entry) for entry, target, exists in plan.todo if exists]
    if not overwrite and not plan.extra:
        return []
    return unsaved(repo, str(plan.dest), overwrite, plan.extra, plan.cached)


def _refuse_local_changes(repo: Repository, plan: _Plan) -> None:
    lost = _unsaved(repo, plan)
    if lost:
        base = plan.dest if plan.manifest.kind == "tree" else plan.dest.parent
        raise local_changes_error(plan.dest, base, lost)


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
        yield entry, dest + os.sep + entry.path.replace("/", os.sep)


def _by_folder(todo: list[tuple[Entry, str, bool]]) -> list[list[tuple[Entry, str, bool]]]:
    """The work in chunks of one folder's files (at most ``_CHUNK_FILES``), so that threads
    seldom create files in the same folder at once (the kernel locks a folder to add a name)."""
    chunks: list[list[tuple[Entry, str, bool]]] = []
    folder = None
    for item in todo:
        here = _folder(item[1])
        if here != folder or len(chunks[-1]) == _CHUNK_FILES:
            chunks.append([])
            folder = here
        chunks[-1].append(item)
    return chunks


def _folder(target: str) -> str:
    return target.rpartition(os.sep)[0]


def _existing(targets: list[tuple[Entry, str]]) -> set[str]:
    """Which targets exist now (one listing per folder)."""
    found = set()
    for folder in {_folder(target) for _, target in targets}:
        try:
            names = os.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        found.update(f"{folder}{os.sep}{name}" for name in names)
    return found


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


@dataclass(frozen=True)
class _How:
    """How files are restored: from which repository, linked or copied."""

    repo: Repository
    link: Link
    hardlink: bool  # hard links protect the store here (see _permissions_bind)
    umask: int  # the mode bits new files lose to the process's umask


def _restore_file(how: _How, entry: Entry, target: str, exists: bool) -> os.stat_result | None:
    """Write one file: in place if ``target`` does not exist, else by a temporary and a rename;
    the stat of the file written (None if another file took its place meanwhile).

    The file is created with the entry's mode, which is set again only if the umask took some
    of it away.
    """
    if exists:
        folder, _, name = target.rpartition(os.sep)
        temp = f"{folder}{os.sep}.{name}.{fileio.unique_name()}.tmp"
    else:
        temp = target
    ours = exists  # whether ``temp`` is ours to remove on failure (a target made by someone
    # else between our listing and now is theirs)
    src = how.repo.objects._open(entry.digest)
    try:
        with fileio.no_space(target):
            if how.hardlink and _hardlink(how.repo, entry, src, temp):
                ours = True
                written = os.stat(temp)
            else:
                fd = os.open(temp, _CREATE, entry.mode)
                ours = True
                try:
                    _copy_verified(how, entry, src, fd)
                    if entry.mode & how.umask:
                        os.chmod(temp, entry.mode)
                    written = os.fstat(fd)
                finally:
                    os.close(fd)
            if exists:
                os.replace(temp, target)
                return _renamed(target, written)
            return written
    except BaseException:
        if ours:
            fileio.remove_quietly(temp)
        raise
    finally:
        os.close(src)


def _renamed(target: str, written: os.stat_result) -> os.stat_result | None:
    """The stat of ``target``, renamed from the file ``written`` describes (a rename changes
    its ctime), or None if it is another file now."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return None
    return st if (st.st_ino, st.st_dev) == (written.st_ino, written.st_dev) else None


def _remember(repo: Repository, done: Iterable[list[_Written]], folder: str) -> None:
    """Record the files written in the state cache, chunk by chunk as they are done (while
    the threads write the next ones), so that the next snapshot does not read them again:
    those older than the file system's clock once their chunk is done (``state.settled``)."""
    for chunk in done:
        now = fileio.file_system_time(folder)
        repo.state.remember(
            (target, st, digest) for target, st, digest in chunk if st and settled(st, now)
        )


def _hardlink(repo: Repository, entry: Entry, src: int, temp: str) -> bool:
    if hash_fd(src, os.fstat(src).st_size) != entry.digest:
        _corrupt(repo, entry)
    try:
        os.link(repo.objects.path_of(entry.digest), temp)
    except OSError:  # another file system, or links not allowed: copy instead
        return False
    return True


def _copy_verified(how: _How, entry: Entry, src: int, fd: int) -> None:
    """Copy the object into ``fd`` (the new file), checking its digest.

    A copy reads the object once: a small one is checked in memory before it is written, a
    large one hashed chunk by chunk as it is written. A copy takes the entry's size (no stat of
    the object), so the file written is exactly the content checked.
    """
    size = entry.size
    if how.link == "reflink" and fileio.clone_fd(src, fd):
        actual = hash_fd(fd, os.fstat(fd).st_size)
    elif size < PARALLEL_BYTES:
        data = fileio.read_exact(src, size)
        actual = hash_bytes(data)
        if actual == entry.digest:
            fileio.write_all(fd, data)
    else:
        actual = hash_copy(src, fd, size)
    if actual != entry.digest:
        _corrupt(how.repo, entry)


def _corrupt(repo: Repository, entry: Entry) -> NoReturn:
    raise CorruptObjectError(
        f"object {entry.digest} is corrupt: its content does not match its digest"
        f" (not restored to {entry.path})",
        repo.objects.path_of(entry.digest),
    )


def _extra(dest: Path, keep: set[str]) -> list[str]:
    """The files under ``dest`` that are not in ``keep``."""
    found = []
    for folder, subfolders, files in os.walk(dest):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_FOLDERS]
        found.extend(path for name in files if (path := os.path.join(folder, name)) not in keep)
    return found
