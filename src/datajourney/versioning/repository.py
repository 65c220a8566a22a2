"""A repository: the object store, the state database beside it, and the lock they share.

With no configuration the objects live in ``./.datajourney/objects/`` (``$DATAJOURNEY_OBJECTS``
overrides it) and the state database is ``versioning.sqlite`` in the objects folder's parent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from .manifest import Manifest
from .objects import ObjectStore
from .state import StateDB

DEFAULT_OBJECTS = Path(".datajourney") / "objects"


class Repository:
    """Objects, file state and snapshot log of one object store. ``read_only``: its state
    database is only read (see ``StateDB``); it is opened when first used, so reading objects
    touches no database file."""

    def __init__(self, objects: str | os.PathLike | None = None, read_only: bool = False):
        root = objects or os.environ.get("DATAJOURNEY_OBJECTS") or DEFAULT_OBJECTS
        self.objects = ObjectStore(root)
        self.read_only = read_only

    def __repr__(self) -> str:
        return f"Repository({str(self.objects.root)!r})"

    @cached_property
    def state(self) -> StateDB:
        """The file state cache and snapshot log (``versioning.sqlite`` beside the objects)."""
        return StateDB(self.objects.root.parent / "versioning.sqlite", self.read_only)

    def close(self) -> None:
        """Close the state database (if it was opened)."""
        if "state" in self.__dict__:
            self.state.close()

    def manifest(self, digest: str) -> Manifest:
        """The snapshot with this digest (verified)."""
        return Manifest.from_bytes(self.objects.read_bytes(digest), digest)

    @contextmanager
    def locked(self, exclusive: bool = False) -> Iterator[None]:
        """Hold the store's lock: shared while adding or reading objects, exclusive for gc.

        An advisory ``flock`` on POSIX systems; elsewhere gc must not run beside other commands.
        """
        try:
            import fcntl
        except ImportError:
            yield
            return
        self.objects.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.objects.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)  # releases the lock


RepositoryLike = Repository | str | os.PathLike | None


@contextmanager
def using(objects: RepositoryLike) -> Iterator[Repository]:
    """The repository given, or one opened on a path (closed afterwards)."""
    if isinstance(objects, Repository):
        yield objects
        return
    repo = Repository(objects)
    try:
        yield repo
    finally:
        repo.close()
