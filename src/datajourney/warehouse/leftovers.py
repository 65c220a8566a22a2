"""Creating a table all or nothing: what a failed creation (or first load) wrote is removed.

with removed_on_failure(warehouse, "sales.orders"):
    ...                          # version 0, the contexts, the first load
# failed: the files and folders that appeared for the table and its quarantine table, and
# the contexts recorded for it, are gone again (types stay; so does a failed run's
# execution, FAILED, as for any table).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pyarrow import fs

from datajourney.metadata.errors import NotFoundError, StatusError
from datajourney.metadata.model import Context
from datajourney.metadata.store import MetadataStore

from . import delta
from .errors import TableExistsError
from .quarantine import SUFFIX

if TYPE_CHECKING:
    from .warehouse import Warehouse


def context_specs(name: str) -> list[tuple[str, str]]:
    """The contexts of table ``name``: its subject's, then its own."""
    return [("WarehouseSubject", name.split(".")[0]), ("WarehouseTable", name)]


@contextlib.contextmanager
def removed_on_failure(warehouse: Warehouse, name: str) -> Iterator[None]:
    """Remove what the block wrote for new table ``name`` if it fails; a TableExistsError
    (another process created the table first) removes nothing: the table is theirs."""
    written = [NewFiles(warehouse.location(n)) for n in (name, name + SUFFIX)]
    store = warehouse.store
    had = {spec: _context(store, *spec) is not None for spec in context_specs(name)}
    try:
        yield
    except TableExistsError:
        raise
    except BaseException:
        for files in written:
            files.remove()
        for spec in reversed(context_specs(name)):  # the table's, then its subject's
            found = _context(store, *spec)
            if found is not None and not had[spec]:
                with contextlib.suppress(StatusError):  # a subject another table is in now
                    store.delete_contexts([found.id])
        raise


def _context(store: MetadataStore, type_name: str, name: str) -> Context | None:
    try:
        found = store.get_contexts(type_name=type_name, name=name)
    except NotFoundError:  # no such type yet
        return None
    return found[0] if found else None


class NewFiles:
    """The files and folders that appear under ``location`` from now on (and, for a local
    location, the folders down to it that are not there yet)."""

    def __init__(self, location: str):
        self._filesystem, self._path = delta.filesystem(location)
        self._before = {info.path for info in self._found()}
        self._missing = []
        if "://" not in location:
            folder = Path(self._path)
            while not folder.exists():
                self._missing.append(folder)
                folder = folder.parent

    def _found(self) -> list[fs.FileInfo]:
        selector = fs.FileSelector(self._path, recursive=True, allow_not_found=True)
        return self._filesystem.get_file_info(selector)

    def remove(self) -> None:
        """Remove what appeared; a folder that was missing stays if something else is in it."""
        new = [info for info in self._found() if info.path not in self._before]
        for info in sorted(new, key=lambda i: i.path, reverse=True):  # a folder after its files
            with contextlib.suppress(OSError):
                if info.type == fs.FileType.Directory:
                    self._filesystem.delete_dir(info.path)
                else:
                    self._filesystem.delete_file(info.path)
        for folder in self._missing:  # the deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()
