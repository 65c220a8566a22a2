"""Two processes resuming one erasure at once: the second is refused, naming the first; a
holder killed midway does not keep it locked (issue 16)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from datajourney import erasure

from .conftest import SUBJECT, leftovers

PRELUDE = """
import os, pathlib, sys, time
from datajourney import erasure
from datajourney.erasure import execute
from datajourney.metadata.store import MetadataStore
store = MetadataStore(sys.argv[1])
"""


def _python(script: str, *args: str, **kwargs):
    code = PRELUDE + textwrap.dedent(script)
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _wait_for(path, process, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < end, f"{path} never appeared"
        time.sleep(0.05)


def test_a_second_resume_is_refused_while_the_first_runs(world, tmp_path):
    url = world.store.url
    crash = _python(
        f"""
        execute._Context._online = lambda self, step: os._exit(3)
        erasure.erase_subject(store, {SUBJECT}, dry_run=False)
        """,
        url,
    )
    assert crash.wait(300) == 3, crash.communicate()
    [record] = erasure.erasures(world.store)
    assert record["status"] == "running"  # killed while holding it: the lock is stale

    ready, go = tmp_path / "ready", tmp_path / "go"
    first = _python(
        """
        original = execute._Context._online
        def waiting(self, step):
            pathlib.Path(sys.argv[3]).write_text("")
            while not pathlib.Path(sys.argv[4]).exists():
                time.sleep(0.05)
            original(self, step)
        execute._Context._online = waiting
        print(erasure.resume_erasure(store, int(sys.argv[2])).status)
        """,
        url,
        str(record["id"]),
        str(ready),
        str(go),
    )
    try:
        _wait_for(ready, first)
        second = _python(
            """
            try:
                erasure.resume_erasure(store, int(sys.argv[2]))
            except erasure.ErasureBusyError as busy:
                print(busy)
                sys.exit(9)
            """,
            url,
            str(record["id"]),
        )
        out, err = second.communicate(timeout=300)
        assert second.returncode == 9, err
        assert f"erasure {record['id']} is being carried out by process {first.pid}" in out
    finally:
        go.write_text("")
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0 and out.strip() == "done", err
    assert leftovers(world.folder) == []
    assert erasure.resume_erasure(world.store, record["id"]).status == "done"  # lock let go
    assert len(world.store.get_artifacts(type_name=erasure.RECEIPT_TYPE)) == 1
