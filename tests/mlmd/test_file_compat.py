"""A SQLite store written by ml-metadata opens in datajourney with identical query results, and
one written by datajourney opens in ml-metadata with identical results."""

from __future__ import annotations

import base64
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import json_format, struct_pb2

from tests.peer import mlmd_python

SCRIPT = Path(__file__).parent / "compat" / "roundtrip.py"
OURS = "datajourney.mlmd"
PEER = "ml_metadata"


def run(python: str, prefix: str, action: str, path: Path) -> dict | None:
    done = subprocess.run(
        [python, str(SCRIPT), prefix, action, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{prefix} {action} failed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout) if action == "dump" else None


def _comparable_string(value: str | None) -> str | None:
    """Struct values decoded: the serialized map order of a Struct is not fixed."""
    prefix = "mlmd-struct::"
    if value is None or not value.startswith(prefix):
        return value
    struct = struct_pb2.Struct()
    struct.ParseFromString(base64.b64decode(value[len(prefix) :]))
    return json.dumps(json_format.MessageToDict(struct), sort_keys=True)


@pytest.fixture(scope="module")
def peer() -> str:
    return mlmd_python()


@pytest.mark.parametrize("writer", [PEER, OURS])
def test_both_libraries_read_the_same_file_identically(tmp_path, peer, writer):
    path = tmp_path / "store.sqlite"
    run(peer if writer == PEER else sys.executable, writer, "write", path)
    as_peer_sees_it = run(peer, PEER, "dump", path)
    as_we_see_it = run(sys.executable, OURS, "dump", path)
    assert as_we_see_it == as_peer_sees_it
    assert len(as_we_see_it["artifacts"]) == 7
    assert len(as_we_see_it["events"]) == 3


def test_both_libraries_write_the_same_layout(tmp_path, peer):
    layouts = {}
    for writer, python in ((PEER, peer), (OURS, sys.executable)):
        path = tmp_path / f"{writer}.sqlite"
        run(python, writer, "write", path)
        with sqlite3.connect(path) as db:
            layouts[writer] = {
                table: [tuple(col[1:]) for col in db.execute(f"PRAGMA table_info(`{table}`)")]
                for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            layouts[writer]["indexes"] = sorted(
                db.execute("SELECT name, tbl_name FROM sqlite_master WHERE type='index'")
            )
            layouts[writer]["MLMDEnv"] = list(db.execute("SELECT * FROM MLMDEnv"))
            layouts[writer]["Type"] = list(db.execute("SELECT * FROM Type ORDER BY id"))
            layouts[writer]["ArtifactProperty"] = sorted(
                (*row[:5], _comparable_string(row[5]), *row[6:])
                for row in db.execute(
                    # ml-metadata keeps 6 significant digits of a double in SQLite; we keep all.
                    "SELECT artifact_id, name, is_custom_property, int_value, "
                    "printf('%.6g', double_value), string_value, typeof(proto_value), bool_value "
                    "FROM ArtifactProperty"
                )
            )
    assert layouts[OURS] == layouts[PEER]
