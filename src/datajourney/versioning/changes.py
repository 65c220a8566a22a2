"""Comparing snapshots with each other (``diff``) and with the working tree (``status``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .manifest import Entry, Manifest
from .repository import RepositoryLike, using
from .tree import absolute_path, scan


@dataclass(frozen=True)
class Diff:
    """What changed from ``base`` to ``target`` (digests; ``None``: nothing / the working tree).

    A file that disappeared from one path and appeared at another with the same content is
    ``renamed`` (old path, new path), not removed and added.
    """

    base: str | None
    target: str | None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether anything differs."""
        return bool(self.added or self.removed or self.modified or self.renamed)


def diff(a: str, b: str, *, objects: RepositoryLike = None) -> Diff:
    """How snapshot ``b`` differs from snapshot ``a``."""
    with using(objects) as repo:
        return compare(repo.manifest(a), repo.manifest(b), a, b)


def status(path: str | os.PathLike, *, objects: RepositoryLike = None) -> Diff:
    """How ``path`` differs from the snapshot last taken of (or restored to) it.

    Never snapshotted: every file is ``added``. Nothing is stored.
    """
    with using(objects) as repo:
        root = absolute_path(path)
        base = repo.state.last(str(root))
        current = scan(repo, root, store=False)
        before = repo.manifest(base) if base else Manifest.build(current.kind, ())
        return compare(before, current, base, None)


def compare(a: Manifest, b: Manifest, base: str | None, target: str | None) -> Diff:
    """The difference between two manifests."""
    old = {entry.path: entry for entry in a.entries}
    new = {entry.path: entry for entry in b.entries}
    modified = sorted(p for p in old.keys() & new.keys() if _differs(old[p], new[p]))
    removed = sorted(old.keys() - new.keys())
    added = sorted(new.keys() - old.keys())
    by_content: dict[str, list[str]] = {}
    for path in removed:
        by_content.setdefault(old[path].digest, []).append(path)
    renamed = []
    for path in list(added):
        candidates = by_content.get(new[path].digest)
        if candidates:
            source = candidates.pop(0)
            renamed.append((source, path))
            removed.remove(source)
            added.remove(path)
    return Diff(base, target, added, removed, modified, renamed)


def _differs(a: Entry, b: Entry) -> bool:
    return a.digest != b.digest or a.mode != b.mode
