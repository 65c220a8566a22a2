"""The state cache and the snapshot log, in one SQLite file (``.datajourney/versioning.sqlite``).

The cache maps a file's absolute path and stat (inode, size, mtime_ns, ctime_ns) to its digest,
so an unchanged file is never read twice. ctime catches tools that restore an old mtime.

Racy timestamps (git's "racy clean" problem): a file modified within the same timestamp tick as
the moment it was hashed, then modified again, can keep an identical stat. So an entry is only
cached when the file's mtime is at least ``RACY_NS`` older than the moment its reading began;
files younger than that are read again next time (cheap: only recent writes). Two seconds covers
coarse file system clocks (FAT has two-second mtimes) and a little clock skew. As in git, the
window is judged on mtime; ctime only has to match.

Files that restore writes are cached too, by the stat taken once each was written, if their
mtime is older than the file system's clock at the end of the restore (the mtime of a file
created then, ``settled``): any later change gets a newer mtime, or a newer ctime. Only a change
by another process within the same clock tick as restore's own write would go unseen.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

RACY_NS = 2_000_000_000
Stamp = tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns

_SCHEMA = """
CREATE TABLE IF NOT EXISTS file_state (
    path TEXT PRIMARY KEY, inode INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,
    digest TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshot_log (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL, digest TEXT NOT NULL, action TEXT NOT NULL,
    time_ns INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshot_log_path ON snapshot_log (path, id);
"""


def stamp(st: os.stat_result) -> Stamp:
    """What identifies a file's version in the cache."""
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def cacheable(st: os.stat_result, read_started_ns: int) -> bool:
    """Whether a digest read at ``read_started_ns`` may be trusted for this stat later."""
    return st.st_mtime_ns < read_started_ns - RACY_NS


def settled(st: os.stat_result, file_system_now_ns: int) -> bool:
    """Whether a file we just wrote (stat ``st``) may be cached: its mtime is older than the
    file system's clock now, so any later change gets a newer mtime."""
    return st.st_mtime_ns < file_system_now_ns


class StateDB:
    """File digests by stat, and the log of snapshots taken of and restored to each path.

    ``read_only`` (implied when the file or its folder may not be written): the file is only
    read, never created; digests found are not cached and ``log`` is refused.
    """

    def __init__(self, path: str | os.PathLike, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only or not _writable(self.path)
        self._lock = threading.Lock()
        if self.read_only:
            self._conn = _read_only_connection(self.path)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        with self._lock, self._conn:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._conn.close()

    def digests_under(self, root: str) -> dict[str, tuple[Stamp, str]]:
        """Cached entries for ``root`` itself and every path below it."""
        low = root.rstrip(os.sep) + os.sep
        high = low[:-1] + chr(ord(os.sep) + 1)
        with self._lock:
            rows = self._conn.execute(
                "SELECT path, inode, size, mtime_ns, ctime_ns, digest FROM file_state"
                " WHERE path = ? OR (path >= ? AND path < ?)",
                (root, low, high),
            ).fetchall()
        return {row[0]: (tuple(row[1:5]), row[5]) for row in rows}

    def remember(self, items: Iterable[tuple[str, os.stat_result, str]]) -> None:
        """Cache digests: (absolute path, its stat, digest)."""
        rows = [
            (path, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, digest)
            for path, st, digest in items
        ]
        if not rows or self.read_only:
            return
        with self._lock, self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO file_state VALUES (?, ?, ?, ?, ?, ?)", rows
            )

    def log(self, path: str, digest: str, action: str) -> None:
        """Record that ``digest`` was snapshotted from / restored to ``path``."""
        if self.read_only:
            raise PermissionError(f"{self.path} is opened read-only: cannot log {action}")
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT INTO snapshot_log (path, digest, action, time_ns) VALUES (?, ?, ?, ?)",
                (path, digest, action, time.time_ns()),
            )

    def last(self, path: str) -> str | None:
        """The digest last snapshotted from or restored to ``path``."""
        with self._lock:
            row = self._conn.execute(
                "SELECT digest FROM snapshot_log WHERE path = ? ORDER BY id DESC LIMIT 1", (path,)
            ).fetchone()
        return row[0] if row else None

    def history_around(self, path: str) -> list[tuple[str, str]]:
        """(path, last digest) of ``path``, of each folder above it and of each path below it
        that the log names, oldest last entry first."""
        above = [path]
        while (parent := os.path.dirname(above[-1])) != above[-1]:
            above.append(parent)
        low = path.rstrip(os.sep) + os.sep
        high = low[:-1] + chr(ord(os.sep) + 1)
        marks = ", ".join("?" * len(above))
        with self._lock:
            rows = self._conn.execute(
                "SELECT path, digest, MAX(id) AS last FROM snapshot_log"
                f" WHERE path IN ({marks}) OR (path >= ? AND path < ?)"
                " GROUP BY path ORDER BY last",
                (*above, low, high),
            ).fetchall()
        return [(row[0], row[1]) for row in rows]

    def latest(self) -> dict[str, str]:
        """The last digest of every path in the log."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT path, digest FROM snapshot_log WHERE id IN"
                " (SELECT MAX(id) FROM snapshot_log GROUP BY path)"
            ).fetchall()
        return dict(rows)


def _writable(path: Path) -> bool:
    """Whether the state file may be written: it and its folder are writable (SQLite writes
    its journal beside it), or its folder is still to be made."""
    if not path.parent.exists():
        return True
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """The state file opened only to read (an empty state when there is none). A WAL file whose
    ``-shm`` file is missing from a folder nobody may write is read as immutable: no writer
    can have it open."""
    if not path.exists():
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.executescript(_SCHEMA)
        return conn
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if not path.with_name(path.name + "-shm").exists() and not os.access(path.parent, os.W_OK):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
