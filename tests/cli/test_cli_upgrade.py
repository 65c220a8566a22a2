"""``datajourney upgrade``: a store written by an older ML Metadata release (schema 7) is
refused by the other verbs with a hint naming this one, and is readable after it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .conftest import run

OLD_STORE = Path(__file__).parents[1] / "mlmd" / "compat" / "old_stores" / "v7.sql"


def test_upgrade_makes_an_old_store_readable(tmp_path):
    with sqlite3.connect(tmp_path / "old.db") as connection:
        connection.executescript(OLD_STORE.read_text())
    store = ["--store", f"sqlite:///{tmp_path / 'old.db'}"]
    refused = run(tmp_path, *store, "ls", "artifacts")
    assert refused.returncode == 2 and "`datajourney --store URL upgrade`" in refused.stderr
    assert run(tmp_path, *store, "--read-only", "upgrade").returncode == 2
    done = run(tmp_path, *store, "upgrade")
    assert done.returncode == 0 and "schema version 10" in done.stdout, done.stderr
    listed = run(tmp_path, *store, "--json", "ls", "artifacts")
    assert listed.returncode == 0 and '"DataSet"' in listed.stdout, listed.stderr
    assert run(tmp_path, *store, "upgrade").returncode == 0  # already current: nothing to do
