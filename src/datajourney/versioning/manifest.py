"""Snapshot manifests: the list of files a snapshot holds, stored as an object itself.

The serialisation is stable, so the same files always give the same snapshot digest::

    datajourney-snapshot 1 tree\\n
    <mode> <size> <digest> <path>\\n        (one line per file)

* the header's last word is ``tree`` (a folder) or ``file`` (a single file: one entry, its path
  the file's name);
* ``mode`` is the permission bits as 4 octal digits (``0644``), ``size`` a decimal byte count,
  ``digest`` the content's BLAKE3 digest (64 lowercase hex digits);
* ``path`` is relative to the snapshot's root with ``/`` separators, encoded as UTF-8 (names that
  are not valid UTF-8 keep their raw bytes), with ``\\`` written ``\\\\``, a newline ``\\n`` and a
  carriage return ``\\r``;
* lines are sorted by the encoded path's bytes, and there are no empty folders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from .errors import CorruptObjectError, NotASnapshotError
from .hashing import hash_bytes

MAGIC = b"datajourney-snapshot 1 "
KINDS = ("tree", "file")
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "n": "\n", "r": "\r"}
_LINE = re.compile(rb"^([0-7]+) ([0-9]+) ([0-9a-f]{64}) ([^\n]*)\n", re.MULTILINE)  # one entry


@dataclass(frozen=True, order=True)
class Entry:
    """One file of a snapshot."""

    path: str
    digest: str
    size: int
    mode: int = 0o644


@dataclass(frozen=True)
class Manifest:
    """The files of a snapshot, sorted by path; ``kind`` is ``tree`` or ``file``."""

    kind: str
    entries: tuple[Entry, ...]

    @classmethod
    def build(cls, kind: str, entries: Iterable[Entry]) -> Manifest:
        """A manifest with its entries in canonical order."""
        if kind not in KINDS:
            raise ValueError(f"manifest kind must be one of {KINDS}, not {kind!r}")
        return cls(kind, tuple(sorted(entries, key=lambda e: _encode_path(e.path, True))))

    @property
    def size(self) -> int:
        """Total bytes of the files."""
        return sum(entry.size for entry in self.entries)

    def to_bytes(self) -> bytes:
        """The canonical serialisation (see the module's documentation)."""
        return self._serialised

    @cached_property
    def _serialised(self) -> bytes:
        text = "".join(
            f"{e.mode:04o} {e.size} {e.digest} {_encode_path(e.path, False)}\n"
            for e in self.entries
        )
        return MAGIC + self.kind.encode() + b"\n" + text.encode("utf-8", "surrogateescape")

    @cached_property
    def digest(self) -> str:
        """The snapshot's digest: that of its serialisation."""
        return hash_bytes(self.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes, digest: str = "") -> Manifest:
        """Parse a serialised manifest; NotASnapshotError if ``data`` is not one."""
        header, _, body = data.partition(b"\n")
        kind = header[len(MAGIC) :].decode("ascii", "replace")
        if not header.startswith(MAGIC) or kind not in KINDS:
            raise NotASnapshotError(f"object {digest} is a data object, not a snapshot", digest)
        lines = _LINE.findall(body)
        if len(lines) != body.count(b"\n") or body[-1:] not in (b"", b"\n"):
            raise CorruptObjectError(f"snapshot {digest} is malformed", digest)
        try:
            entries = [
                Entry(_decode_path(path), entry_digest.decode("ascii"), int(size), int(mode, 8))
                for mode, size, entry_digest, path in lines
            ]
        except ValueError as error:
            raise CorruptObjectError(f"snapshot {digest} is malformed: {error}", digest) from None
        return cls(kind, tuple(entries))


def _encode_path(path: str, to_bytes: bool) -> str | bytes:
    """The path as written in a manifest: escaped, then (``to_bytes``) encoded."""
    if "\\" in path or "\n" in path or "\r" in path:
        path = "".join(_ESCAPES.get(char, char) for char in path)
    return path.encode("utf-8", "surrogateescape") if to_bytes else path


def _decode_path(raw: bytes) -> str:
    text = raw.decode("utf-8", "surrogateescape")
    if "\\" not in text:
        return text
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            char = _UNESCAPES.get(next(chars, ""))
            if char is None:
                raise ValueError(f"bad escape in path {text!r}")
        out.append(char)
    return "".join(out)
