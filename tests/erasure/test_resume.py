"""A crash midway (the process killed) leaves an erasure that says it is not done, and
``resume_erasure`` finishes it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from datajourney import erasure
from datajourney.metadata.model import NodeKind

from .conftest import OTHERS, SUBJECT, leftovers

CRASHES = {
    # killed between two steps: the table, lake object and training set are done
    "between_steps": """
        from datajourney.erasure import execute
        execute._Context._online = lambda self, step: os._exit(3)
    """,
    # killed inside the table step: the log rewritten, no data file replaced yet
    "inside_the_table_step": """
        from datajourney.erasure import delta_history
        original = delta_history._rewrite_log
        def crash(*args, **kwargs):
            original(*args, **kwargs)
            os._exit(3)
        delta_history._rewrite_log = crash
    """,
}


@pytest.mark.parametrize("where", sorted(CRASHES))
def test_a_crash_midway_leaves_a_resumable_erasure(world, where):
    script = (
        "import os, sys\n"
        + textwrap.dedent(CRASHES[where])
        + textwrap.dedent(f"""
        from datajourney import erasure
        from datajourney.metadata.store import MetadataStore
        store = MetadataStore(sys.argv[1])
        erasure.erase_subject(store, {SUBJECT}, dry_run=False, reason="crash test")
    """)
    )
    done = subprocess.run(
        [sys.executable, "-c", script, world.store.url], capture_output=True, text=True
    )
    assert done.returncode == 3, done.stderr
    store = world.store
    [record] = erasure.erasures(store)
    assert record["status"] == "running" and record["receipt_id"] is None
    assert store.find_type(NodeKind.ARTIFACT, erasure.RECEIPT_TYPE) is None
    assert leftovers(world.folder)  # not done, and it does not claim to be
    plan = erasure.load_plan(store, record["id"])
    assert any(s.status == "pending" for s in plan.steps)

    finished = erasure.resume_erasure(store, record["id"])
    assert finished.status == "done" and finished.receipt is not None
    assert leftovers(world.folder) == []
    wh = world.warehouse
    assert sorted(wh.table("crm.users").to_arrow().column("user_id").to_pylist()) == OTHERS
    assert sorted(wh.as_of("crm.users", 1).to_arrow().column("user_id").to_pylist()) == OTHERS
    assert erasure.erasures(store)[0]["status"] == "done"
    # Resuming a finished erasure changes nothing and records no second receipt.
    again = erasure.resume_erasure(store, record["id"])
    assert again.receipt.id == finished.receipt.id
    assert len(store.get_artifacts(type_name=erasure.RECEIPT_TYPE)) == 1
