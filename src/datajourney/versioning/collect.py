"""Garbage collection: delete objects no kept snapshot and no live artifact can reach."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import fileio
from .errors import NotASnapshotError, ObjectNotFoundError
from .repository import Repository, RepositoryLike, using

if TYPE_CHECKING:
    from datajourney.metadata.store import MetadataStore

STALE_TEMP_SECONDS = 3600


@dataclass(frozen=True)
class GcResult:
    """What gc did: objects kept and removed, bytes freed."""

    kept: int
    removed: int
    freed_bytes: int


def gc(
    keep: Iterable[str] | None = None,
    store: MetadataStore | str | None = None,
    *,
    objects: RepositoryLike = None,
    dry_run: bool = False,
) -> GcResult:
    """Delete every object that is not reachable from a kept snapshot.

    Kept: the snapshots in ``keep`` (default: the last snapshot taken of or restored to every
    path) and every snapshot named by the ``snapshot`` property of a LIVE artifact in the
    metadata ``store`` (a store or its URL; default: the embedded store beside the objects
    folder, or ``$DATAJOURNEY_STORE``, when there is one). Snapshots and the files they hold are
    kept; leftover temporary files older than an hour go too.
    """
    with using(objects) as repo, repo.locked(exclusive=True):
        roots = set(repo.state.latest().values() if keep is None else keep)
        roots |= _live_snapshots(repo, store)
        reachable = reachable_from(repo, roots)
        removed = freed = kept = 0
        for digest in list(repo.objects.digests()):
            if digest in reachable:
                kept += 1
                continue
            removed += 1
            freed += repo.objects.size(digest)
            if not dry_run:
                repo.objects.remove(digest)
        if not dry_run:
            _remove_stale_temps(repo)
        return GcResult(kept, removed, freed)


def reachable_from(repo: Repository, roots: Iterable[str]) -> set[str]:
    """The snapshots among ``roots`` present here and every object they hold.

    A root that is a plain data object is kept as it is; a missing one holds nothing here.
    """
    reachable = set()
    for digest in roots:
        try:
            manifest = repo.manifest(digest)
        except ObjectNotFoundError:
            continue
        except NotASnapshotError:
            pass
        else:
            reachable.update(entry.digest for entry in manifest.entries)
        reachable.add(digest)
    return reachable


def _live_snapshots(repo: Repository, store: MetadataStore | str | None) -> set[str]:
    from .lineage import live_snapshots

    if store is None:
        default = repo.objects.root.parent / "metadata.sqlite"
        url = os.environ.get("DATAJOURNEY_STORE")
        if url is None and not default.is_file():
            return set()
        store = url or f"sqlite:///{default}"
    if isinstance(store, str):
        from datajourney.metadata.store import MetadataStore

        with MetadataStore(store, read_only=store != "memory://") as opened:
            return live_snapshots(opened)
    return live_snapshots(store)


def _remove_stale_temps(repo: Repository) -> None:
    if not repo.objects.tmp.is_dir():
        return
    limit = time.time() - STALE_TEMP_SECONDS
    for entry in os.scandir(repo.objects.tmp):
        if entry.stat().st_mtime < limit:
            fileio.remove_quietly(entry.path)
