"""Data versioning: content-addressed snapshots of files and folders, tied to lineage.

``snapshot(path)`` stores a file or folder and returns its digest; ``restore(digest, path)``
puts it back; ``diff``, ``status``, ``ls`` compare and list; ``gc`` frees space without touching
what a kept snapshot or a live artifact needs; ``push`` / ``fetch`` / ``pull`` move objects to
and from any fsspec URL. See docs/versioning.md.
"""

from .changes import Diff, diff, status
from .checkout import local_changes, restore
from .collect import GcResult, gc
from .errors import (
    CorruptObjectError,
    FileChangedError,
    InvalidDigestError,
    LocalChangesError,
    NoSpaceError,
    NotASnapshotError,
    NotSnapshottedError,
    ObjectNotFoundError,
    PathNotFoundError,
    RemoteUnavailableError,
    TransferError,
    UnsupportedFileError,
    VersioningError,
)
from .lineage import SNAPSHOT_PROPERTY, live_snapshots, restore_inputs, snapshot_property
from .manifest import Entry, Manifest
from .remote import Remote, TransferResult, fetch, pull, push
from .repository import Repository
from .tree import ls, snapshot

__all__ = [
    "SNAPSHOT_PROPERTY",
    "CorruptObjectError",
    "Diff",
    "Entry",
    "FileChangedError",
    "GcResult",
    "InvalidDigestError",
    "LocalChangesError",
    "Manifest",
    "NoSpaceError",
    "NotASnapshotError",
    "NotSnapshottedError",
    "ObjectNotFoundError",
    "PathNotFoundError",
    "Remote",
    "RemoteUnavailableError",
    "Repository",
    "TransferError",
    "TransferResult",
    "UnsupportedFileError",
    "VersioningError",
    "diff",
    "fetch",
    "gc",
    "live_snapshots",
    "local_changes",
    "ls",
    "pull",
    "push",
    "restore",
    "restore_inputs",
    "snapshot",
    "snapshot_property",
    "status",
]
