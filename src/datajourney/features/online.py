"""Online stores: the latest feature values per entity, for low-latency reads.

Both keep, per (feature view, entity key), the event time, created time and values (JSON);
a write replaces what is stored unless the stored row is newer. SQLite is the embedded
default (``./.datajourney/online.sqlite``); Redis serves many readers.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

Row = tuple[str, int, int | None, str]  # entity key, event time us, created us, values JSON
Stored = tuple[int, str]  # event time us, values JSON


def entity_key(values: Sequence[Any]) -> str:
    """The stored key of an entity: its join key values in order, as JSON."""
    if all(type(v) is int for v in values):  # the usual case, as json.dumps writes it
        return "[" + ", ".join(map(str, values)) + "]"
    return json.dumps([v.item() if hasattr(v, "item") else v for v in values], default=str)


class OnlineStore(Protocol):
    """Where materialized and pushed feature values are read from online."""

    def write(self, project: str, view: str, rows: Iterable[Row]) -> int: ...

    def read(self, project: str, view: str, keys: Sequence[str]) -> list[Stored | None]: ...

    def delete_view(self, project: str, view: str) -> None: ...

    def close(self) -> None: ...


class SQLiteOnlineStore:
    """One SQLite table: (project, view, entity key) -> event time, created time, values."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS feature_values (project TEXT NOT NULL, "
                "view TEXT NOT NULL, entity_key TEXT NOT NULL, event_us INTEGER NOT NULL, "
                "created_us INTEGER, feature_values TEXT NOT NULL, "
                "PRIMARY KEY (project, view, entity_key)) WITHOUT ROWID"
            )

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def write(self, project: str, view: str, rows: Iterable[Row]) -> int:
        """Store rows; a stored row with a later (event, created) time stays. Returns count."""
        conn = self._conn()
        data = [(project, view, *row) for row in rows]
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "INSERT INTO feature_values VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (project, view, entity_key) DO UPDATE SET "
                "event_us = excluded.event_us, created_us = excluded.created_us, "
                "feature_values = excluded.feature_values "
                "WHERE excluded.event_us > feature_values.event_us OR "
                "(excluded.event_us = feature_values.event_us AND "
                "coalesce(excluded.created_us, 0) >= coalesce(feature_values.created_us, 0))",
                data,
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return len(data)

    def read(self, project: str, view: str, keys: Sequence[str]) -> list[Stored | None]:
        """The stored (event time, values) of each key, None where there is none."""
        conn = self._conn()
        if len(keys) == 1:
            found = conn.execute(
                "SELECT entity_key, event_us, feature_values FROM feature_values "
                "WHERE project = ? AND view = ? AND entity_key = ?",
                (project, view, keys[0]),
            ).fetchall()
        else:
            marks = ",".join("?" * len(keys))
            found = conn.execute(
                "SELECT entity_key, event_us, feature_values FROM feature_values "
                f"WHERE project = ? AND view = ? AND entity_key IN ({marks})",
                (project, view, *keys),
            ).fetchall()
        by_key = {key: (event, values) for key, event, values in found}
        return [by_key.get(key) for key in keys]

    def delete_view(self, project: str, view: str) -> None:
        """Forget a view's values."""
        self._conn().execute(
            "DELETE FROM feature_values WHERE project = ? AND view = ?", (project, view)
        )

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


# Keeps the newer of the stored and the given value: KEYS[i], ARGV = event, created, value ...
_WRITE_NEWER = """
for i, key in ipairs(KEYS) do
  local at = (i - 1) * 3
  local event, created = tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local have = redis.call('HMGET', key, 'e', 'c')
  local he, hc = tonumber(have[1]), tonumber(have[2])
  if not he or event > he or (event == he and created >= (hc or 0)) then
    redis.call('HSET', key, 'e', ARGV[at + 1], 'c', ARGV[at + 2], 'v', ARGV[at + 3])
  end
end
return #KEYS
"""


# Reads many entities in one round trip and one reply: [[event, values] | [false, false], ...]
_READ_MANY = """
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('HMGET', key, 'e', 'v')
end
return cjson.encode(out)
"""


class RedisOnlineStore:
    """A Redis hash per (project, view, entity key) with fields e (event), c (created), v."""

    def __init__(self, connection_string: str = "localhost:6379", key_prefix: str = "dj"):
        import redis

        host, _, rest = connection_string.partition(",")
        options = dict(part.split("=", 1) for part in rest.split(",") if "=" in part)
        hostname, _, port = host.partition(":")
        self.client = redis.Redis(
            host=hostname or "localhost",
            port=int(port or 6379),
            db=int(options.get("db", 0)),
            password=options.get("password"),
            ssl=options.get("ssl", "").lower() == "true",
            socket_timeout=10,
        )
        self.prefix = key_prefix
        self._script = self.client.register_script(_WRITE_NEWER)
        self._read_many = self.client.register_script(_READ_MANY)

    def _key(self, project: str, view: str, key: str) -> str:
        return f"{self.prefix}:{project}:{view}:{key}"

    def write(self, project: str, view: str, rows: Iterable[Row]) -> int:
        """Store rows (newer-wins, atomically per batch); returns the count."""
        rows = list(rows)
        for start in range(0, len(rows), 2000):
            batch = rows[start : start + 2000]
            keys = [self._key(project, view, r[0]) for r in batch]
            args = [x for r in batch for x in (r[1], r[2] if r[2] is not None else 0, r[3])]
            self._script(keys=keys, args=args)
        return len(rows)

    def read(self, project: str, view: str, keys: Sequence[str]) -> list[Stored | None]:
        """The stored (event time, values) of each key, None where there is none."""
        if len(keys) == 1:
            e, v = self.client.hmget(self._key(project, view, keys[0]), "e", "v")
            return [(int(e), v.decode()) if e is not None else None]
        found = json.loads(self._read_many(keys=[self._key(project, view, k) for k in keys]))
        return [(int(e), v) if e else None for e, v in found]

    def delete_view(self, project: str, view: str) -> None:
        """Forget a view's values."""
        names = list(self.client.scan_iter(match=self._key(project, view, "*"), count=1000))
        for start in range(0, len(names), 1000):
            self.client.delete(*names[start : start + 1000])

    def close(self) -> None:
        """Release the connection pool."""
        self.client.close()


def open_online_store(config: dict[str, Any], root: Path) -> OnlineStore:
    """The online store ``feature_store.yaml`` names (SQLite path relative to the repo)."""
    kind = config.get("type", "sqlite")
    if kind == "redis":
        return RedisOnlineStore(
            config.get("connection_string", "localhost:6379"), config.get("key_prefix", "dj")
        )
    path = Path(config.get("path") or ".datajourney/online.sqlite")
    return SQLiteOnlineStore(path if path.is_absolute() else root / path)
