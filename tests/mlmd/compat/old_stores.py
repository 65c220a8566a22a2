"""Stores at older MLMD schema versions, made by real ml-metadata, for the migration tests.

    .peers/mlmd/bin/python tests/mlmd/compat/old_stores.py make      # regenerate the fixtures
    python tests/mlmd/compat/old_stores.py <prefix> upgrade <file>   # open with migration on
    python tests/mlmd/compat/old_stores.py <prefix> downgrade <file> <version>
    python tests/mlmd/compat/old_stores.py <prefix> dump <file>

``make`` writes roundtrip.py's varied store with ml-metadata 1.17.1, downgrades copies to each
version with its ``downgrade_schema``, and keeps each as SQL text (``old_stores/v<N>.sql``)
beside what ml-metadata reads from it after its own upgrade (``old_stores/v<N>.json``).
"""

from __future__ import annotations

import importlib
import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import roundtrip

HERE = Path(__file__).parent / "old_stores"
VERSIONS = (6, 7, 8, 9)


def _config(prefix: str, path: str):
    pb = importlib.import_module(f"{prefix}.proto.metadata_store_pb2")
    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = path
    config.sqlite.connection_mode = 3
    return config


def upgrade(prefix: str, path: str) -> None:
    ms = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
    ms.MetadataStore(_config(prefix, path), enable_upgrade_migration=True)


def downgrade(prefix: str, path: str, version: int) -> None:
    ms = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
    ms.downgrade_schema(_config(prefix, path), version)


def write(prefix: str, path: str) -> None:
    """roundtrip.py's store without the proto and bool values that only version 10 can hold
    (a downgrade keeps the rows but loses those values, and a row without a value is an
    error in either library)."""
    roundtrip.write(prefix, path)
    ms = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
    store = ms.MetadataStore(_config(prefix, path))
    artifacts = store.get_artifacts()
    for artifact in artifacts:
        for properties in (artifact.properties, artifact.custom_properties):
            for name in [
                name
                for name, value in properties.items()
                if value.WhichOneof("value") in ("proto_value", "bool_value")
            ]:
                del properties[name]
    store.put_artifacts(artifacts)


def dump(prefix: str, path: str) -> dict:
    """roundtrip.py's dump, where an external id found nowhere (below version 9 there are
    none) reads as no artifacts rather than ending the dump with NotFoundError."""
    ms = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
    errors = importlib.import_module(f"{prefix}.errors")
    name = "get_artifacts_by_external_ids"
    original = vars(ms.MetadataStore)[name]

    def lenient(self, *args, **kwargs):
        try:
            return original.__get__(self, type(self))(*args, **kwargs)
        except errors.NotFoundError:
            return []

    setattr(ms.MetadataStore, name, lenient)
    try:
        return roundtrip.dump(prefix, path)
    finally:
        setattr(ms.MetadataStore, name, original)


def to_sql(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return "\n".join(db.iterdump()) + "\n"


def from_sql(sql: str, path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.executescript(sql)
    db.close()


def make() -> None:
    HERE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        latest = Path(tmp) / "v10.sqlite"
        write("ml_metadata", str(latest))
        for version in VERSIONS:
            old = Path(tmp) / f"v{version}.sqlite"
            shutil.copy(latest, old)
            downgrade("ml_metadata", str(old), version)
            (HERE / f"v{version}.sql").write_text(to_sql(old))
            upgraded = Path(tmp) / f"up{version}.sqlite"
            from_sql(to_sql(old), upgraded)
            upgrade("ml_metadata", str(upgraded))
            seen = dump("ml_metadata", str(upgraded))
            (HERE / f"v{version}.json").write_text(json.dumps(seen, indent=1, sort_keys=True))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make()
    elif sys.argv[2] == "dump":
        json.dump(dump(sys.argv[1], sys.argv[3]), sys.stdout, indent=1, sort_keys=True)
    elif sys.argv[2] == "upgrade":
        upgrade(sys.argv[1], sys.argv[3])
    else:
        downgrade(sys.argv[1], sys.argv[3], int(sys.argv[4]))
