"""What a restore would lose: the files it would overwrite or remove whose content is neither
the snapshot's nor their last recorded one.

A file's last recorded state is what the most recent snapshot taken of, or restore made to, the
file or a folder above it held (the snapshot log). A file that differs from it was edited since;
a file it does not hold was never snapshotted. Either is lost if a restore replaces it, so
``restore`` refuses (as ``git checkout`` and ``dvc checkout`` do) unless forced. A file whose
stat matches the state cache is not read; the others are hashed (several at a time).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import LocalChangesError, VersioningError
from .fileio import default_jobs
from .hashing import hash_file
from .manifest import Entry
from .repository import Repository
from .state import Stamp, stamp

Known = tuple[str, int]  # a file's digest and size
SHOWN = 10  # local changes named in the error message (all are in its ``files``)


def recorded_files(repo: Repository, dest: str) -> dict[str, Known]:
    """Absolute path -> (digest, size) of every file at or under ``dest`` in its last recorded
    state."""
    inside = dest + os.sep
    files: dict[str, Known] = {}
    for path, digest in repo.state.history_around(dest):
        prefix = path + os.sep
        for name in [n for n in files if n == path or n.startswith(prefix)]:
            del files[name]  # this later record replaces what was known below ``path``
        try:
            manifest = repo.manifest(digest)
        except VersioningError:  # gone from the store, or damaged: it tells nothing
            continue
        for entry in manifest.entries:
            name = path if manifest.kind == "file" else prefix + entry.path.replace("/", os.sep)
            if name == dest or name.startswith(inside):
                files[name] = (entry.digest, entry.size)
    return files


def unsaved(
    repo: Repository,
    dest: str,
    overwrite: list[tuple[str, Entry]],
    remove: list[str],
    cached: dict[str, tuple[Stamp, str]],
) -> list[str]:
    """The files among ``overwrite`` (path, the snapshot's entry for it) and ``remove`` whose
    content is neither the entry's nor their recorded one; sorted."""
    recorded = recorded_files(repo, dest)
    candidates = [(path, entry) for path, entry in overwrite] + [(path, None) for path in remove]
    lost: list[str] = []
    to_hash: list[tuple[str, set[str]]] = []
    for path, entry in candidates:
        allowed = [recorded[path]] if path in recorded else []
        if entry is not None:
            allowed.append((entry.digest, entry.size))
        digests = {digest for digest, _ in allowed}
        try:
            st = os.stat(path)
        except FileNotFoundError:  # gone already: nothing to lose
            continue
        hit = cached.get(path)
        if hit is not None and hit[0] == stamp(st):
            if hit[1] not in digests:
                lost.append(path)
        elif st.st_size not in {size for _, size in allowed}:
            lost.append(path)
        else:
            to_hash.append((path, digests))
    with ThreadPoolExecutor(default_jobs()) as pool:
        found = pool.map(_digest, [path for path, _ in to_hash])
        lost.extend(
            path
            for (path, digests), digest in zip(to_hash, found)
            if digest is not None and digest not in digests
        )
    return sorted(lost)


def _digest(path: str) -> str | None:
    """The file's digest, or None if it is gone."""
    try:
        return hash_file(path)
    except FileNotFoundError:
        return None


def local_changes_error(dest: Path, base: Path, lost: list[str]) -> LocalChangesError:
    """The error refusing a restore to ``dest`` that would lose ``lost`` (named relative to
    ``base``)."""
    names = [os.path.relpath(path, base) for path in lost]
    shown = ", ".join(names[:SHOWN])
    if len(names) > SHOWN:
        shown += f" and {len(names) - SHOWN} more"
    return LocalChangesError(
        f"restoring to {dest} would overwrite local changes to {len(lost)} file(s) that differ"
        f" from the snapshot and from their last recorded state: {shown} (snapshot them first,"
        " or force the restore: --force, force=True)",
        dest,
        lost,
    )
