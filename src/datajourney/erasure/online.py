"""Online feature entries of a subject: found by the entity keys of the views whose join keys
include a key column, in every online store the lineage names (``OnlineState`` artifacts) or
the configuration lists; deleted, then the SQLite file vacuumed so the bytes leave its free
pages and its write-ahead log."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..metadata.store import MetadataStore
from .config import ErasureConfig, Hasher
from .datasets import local_path

ONLINE_STATE = "OnlineState"


@dataclass(frozen=True)
class OnlineTarget:
    """One online store (``sqlite`` path or ``redis`` connection) and key prefix."""

    kind: str
    where: str
    prefix: str = "dj"

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.where}"

    def to_json(self) -> dict:
        return {"kind": self.kind, "where": self.where, "prefix": self.prefix}


def targets(store: MetadataStore, config: ErasureConfig) -> list[OnlineTarget]:
    """The online stores to search: those materializations wrote to, and configured ones."""
    found: dict[str, OnlineTarget] = {}
    for spec in config.online_stores:
        if spec.get("type") == "redis":
            target = OnlineTarget(
                "redis",
                spec.get("connection_string", "localhost:6379"),
                spec.get("key_prefix", "dj"),
            )
        else:
            target = OnlineTarget("sqlite", str(Path(spec.get("path", "")).absolute()))
        found.setdefault(target.label, target)
    try:
        states = store.get_artifacts(type_name=ONLINE_STATE)
    except Exception:  # no such type yet
        states = []
    for state in states:
        uri = state.uri or ""
        if uri.startswith("redis://"):
            target = OnlineTarget("redis", uri[len("redis://") :])
            found.setdefault(target.label, target)
            continue
        path = local_path(uri)
        if path is not None and path.is_file():
            found.setdefault(f"sqlite:{path}", OnlineTarget("sqlite", str(path)))
    return list(found.values())


def view_keys(store: MetadataStore) -> dict[tuple[str, str], list[str]]:
    """(project, view) -> the view's join keys, from the newest registry versions."""

    def newest(type_name: str) -> dict[tuple[str, str], dict]:
        try:
            found = store.get_artifacts(type_name=type_name)
        except Exception:
            return {}
        out: dict[tuple[str, str], tuple[int, dict]] = {}
        for artifact in found:
            p = artifact.properties
            key = (str(p.get("project", "")), str(p.get("name", "")))
            version = int(p.get("version", 0) or 0)
            if key not in out or version >= out[key][0]:
                try:
                    out[key] = (version, json.loads(p.get("spec") or "{}"))
                except ValueError:
                    continue
        return {k: v[1] for k, v in out.items()}

    entities = newest("FeatureEntity")
    keys = {}
    for (project, name), spec in newest("FeatureView").items():
        joined: list[str] = []
        for entity in spec.get("entities", []):
            joined += entities.get((project, entity), {}).get("join_keys", [entity])
        keys[(project, name)] = joined
    return keys


def _positions(join_keys: list[str], config: ErasureConfig, view: str) -> list[int]:
    columns = config.columns_for(view)
    return [i for i, k in enumerate(join_keys) if k in columns]


def _matches(entity_key: str, positions: list[int], hasher: Hasher, wanted: set[str]) -> bool:
    try:
        parts = json.loads(entity_key)
    except ValueError:
        return False
    if not isinstance(parts, list):
        return False
    return any(p < len(parts) and hasher.of(parts[p]) in wanted for p in positions)


def _redis(target: OnlineTarget) -> Any:
    import redis

    host, _, rest = target.where.partition(",")
    options = dict(part.split("=", 1) for part in rest.split(",") if "=" in part)
    hostname, _, port = host.partition(":")
    return redis.Redis(
        host=hostname or "localhost",
        port=int(port or 6379),
        db=int(options.get("db", 0)),
        password=options.get("password"),
        socket_timeout=10,
    )


def find_entries(
    target: OnlineTarget,
    views: dict[tuple[str, str], list[str]],
    config: ErasureConfig,
    hasher: Hasher,
    wanted: set[str],
) -> dict[str, int]:
    """'project/view' -> how many of the subject's entries the store holds."""
    found: dict[str, int] = {}
    for (project, view), keys in _entries(target, views, config, hasher, wanted).items():
        found[f"{project}/{view}"] = len(keys)
    return found


def _entries(target, views, config, hasher, wanted) -> dict[tuple[str, str], list[Any]]:
    out: dict[tuple[str, str], list[Any]] = {}
    if target.kind == "sqlite":
        if not Path(target.where).is_file():
            return out
        conn = sqlite3.connect(target.where, timeout=30)
        try:
            has = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='feature_values'"
            ).fetchone()
            if not has:
                return out
            pairs = conn.execute("SELECT DISTINCT project, view FROM feature_values").fetchall()
            for project, view in pairs:
                positions = _positions(views.get((project, view), []), config, view)
                if not positions:
                    continue
                keys = [
                    k
                    for (k,) in conn.execute(
                        "SELECT entity_key FROM feature_values WHERE project = ? AND view = ?",
                        (project, view),
                    )
                    if _matches(k, positions, hasher, wanted)
                ]
                if keys:
                    out[(project, view)] = keys
        finally:
            conn.close()
        return out
    client = _redis(target)
    try:
        for (project, view), join_keys in views.items():
            positions = _positions(join_keys, config, view)
            if not positions:
                continue
            lead = f"{target.prefix}:{project}:{view}:"
            keys = [
                name
                for name in client.scan_iter(match=lead + "*", count=1000)
                if _matches(name.decode()[len(lead) :], positions, hasher, wanted)
            ]
            if keys:
                out[(project, view)] = keys
    finally:
        client.close()
    return out


def delete_entries(
    target: OnlineTarget,
    views: dict[tuple[str, str], list[str]],
    config: ErasureConfig,
    hasher: Hasher,
    wanted: set[str],
) -> int:
    """Delete the subject's entries; how many were deleted (SQLite: then vacuumed)."""
    found = _entries(target, views, config, hasher, wanted)
    count = sum(len(k) for k in found.values())
    if target.kind == "sqlite":
        if found:
            conn = sqlite3.connect(target.where, timeout=30, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                for (project, view), keys in found.items():
                    conn.executemany(
                        "DELETE FROM feature_values WHERE project = ? AND view = ? "
                        "AND entity_key = ?",
                        [(project, view, k) for k in keys],
                    )
                conn.execute("COMMIT")
            finally:
                conn.close()
        if Path(target.where).is_file():
            vacuum_sqlite(Path(target.where))
        return count
    if found:
        client = _redis(target)
        try:
            for keys in found.values():
                for start in range(0, len(keys), 1000):
                    client.delete(*keys[start : start + 1000])
        finally:
            client.close()
    return count


def vacuum_sqlite(path: Path) -> None:
    """Rewrite a SQLite file so deleted rows leave its free pages, and empty its WAL."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
