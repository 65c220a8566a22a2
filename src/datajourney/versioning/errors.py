"""Errors of the versioning layer: one class per thing that went wrong, each naming its path."""

from __future__ import annotations

import os


class VersioningError(Exception):
    """Base class of every versioning error; ``path`` names the file, object or URL concerned."""

    def __init__(self, message: str, path: str | os.PathLike | None = None):
        super().__init__(message)
        self.path = None if path is None else os.fspath(path)


class PathNotFoundError(VersioningError, FileNotFoundError):
    """The file or folder to snapshot, or a snapshot's destination parent, does not exist."""


class UnsupportedFileError(VersioningError):
    """Not a regular file or folder (a socket, a device, a broken symbolic link)."""


class FileChangedError(VersioningError):
    """A file changed while it was being read; nothing was stored for it."""


class NoSpaceError(VersioningError, OSError):
    """The disk (or quota) is full; the partial file was removed."""


class CorruptObjectError(VersioningError):
    """An object's content does not match its digest; it is never restored or sent."""


class ObjectNotFoundError(VersioningError, KeyError):
    """No object with this digest in the store (or on the remote)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class InvalidDigestError(VersioningError, ValueError):
    """A string that is not a 64-digit lowercase hexadecimal BLAKE3 digest."""


class NotASnapshotError(VersioningError):
    """The object exists but is a data object, not a snapshot manifest."""


class NotSnapshottedError(VersioningError):
    """An artifact carries no ``snapshot`` property, so its data cannot be restored."""


class LocalChangesError(VersioningError):
    """A restore would overwrite or remove files whose content differs from the snapshot and
    from the last state recorded for them (edited since, or never snapshotted); nothing was
    written. ``files`` lists them (absolute paths)."""

    def __init__(self, message: str, path: str | os.PathLike, files: list[str]):
        super().__init__(message, path)
        self.files = files


class RemoteUnavailableError(VersioningError):
    """A remote URL that cannot be used here: an unknown protocol, or one whose fsspec package
    (``s3fs``, ``gcsfs``, ...) is not installed."""


class TransferError(VersioningError):
    """A transfer to or from a remote failed; objects already moved stay, a retry resumes."""
