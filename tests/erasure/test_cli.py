"""``datajourney erase``: the plan with --dry-run, the erasure and its receipt, the list."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import EMAIL, SUBJECT, leftovers


def _run(world, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAJOURNEY_")}
    return subprocess.run(
        [sys.executable, "-m", "datajourney.cli", "--store", world.store.url, *args],
        cwd=world.folder.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_erase_from_the_command_line(world):
    dry = _run(world, "erase", str(SUBJECT), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "holds rows: WarehouseTableVersion" in dry.stdout
    assert "needs retraining: Model" in dry.stdout
    assert "dry run: nothing changed" in dry.stdout
    assert EMAIL not in dry.stdout
    assert leftovers(world.folder)

    done = _run(world, "--json", "erase", str(SUBJECT), "--reason", "ticket 9")
    assert done.returncode == 0, done.stderr
    receipt = json.loads(done.stdout)
    assert receipt["status"] == "done" and receipt["receipt_id"]
    assert receipt["reason"] == "ticket 9"
    assert leftovers(world.folder) == []

    listed = _run(world, "erase", "--list")
    assert f"erasure {receipt['erasure_id']}: done, receipt #{receipt['receipt_id']}" in (
        listed.stdout
    )
    missing = _run(world, "erase")
    assert missing.returncode == 2 and "give SUBJECT_KEY" in missing.stderr
