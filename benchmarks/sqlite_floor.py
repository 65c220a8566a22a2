"""The floor of a bulk put on a SQLite file in ml-metadata's layout: SQLite alone inserting the
rows the workload's put_artifacts writes, with no Python per row and no driver.

The rows (an artifact with 3 declared properties each) are generated inside SQLite by a
recursive series and inserted with INSERT ... SELECT into the schema-v10 tables and indexes that
both libraries share, in one transaction (WAL, synchronous=NORMAL, as datajourney opens files).
No library that keeps ml-metadata's file format can write those rows faster on this machine.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from datajourney.metadata.sql.schema import sqlite_ddl

_SERIES = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
_ROWS = (
    "INSERT INTO Artifact (type_id, uri, create_time_since_epoch, last_update_time_since_epoch) "
    "SELECT 1, '/data/set-' || (i - 1), 1, 1 FROM n",
    "INSERT INTO ArtifactProperty (artifact_id, name, is_custom_property, int_value) "
    "SELECT i, 'rows', 0, i - 1 FROM n",
    "INSERT INTO ArtifactProperty (artifact_id, name, is_custom_property, string_value) "
    "SELECT i, 'split', 0, CASE WHEN (i - 1) % 4 THEN 'train' ELSE 'eval' END FROM n",
    "INSERT INTO ArtifactProperty (artifact_id, name, is_custom_property, double_value) "
    "SELECT i, 'score', 0, (i - 1) / 7.0 FROM n",
)


def bulk_insert_floor(folder: Path, artifacts: int, repeats: int = 3) -> float:
    """Best seconds, over ``repeats`` fresh files, for SQLite to insert ``artifacts`` rows with
    their property rows."""
    times = []
    for run in range(repeats):
        path = folder / f"floor-{run}.sqlite"
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            for statement in sqlite_ddl():
                conn.execute(statement)
            start = time.perf_counter()
            conn.execute("BEGIN")
            for insert in _ROWS:
                conn.execute(_SERIES + insert, (artifacts,))
            conn.execute("COMMIT")
            times.append(time.perf_counter() - start)
        finally:
            conn.close()
    return min(times)
