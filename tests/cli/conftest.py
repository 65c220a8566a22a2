"""Running the ``datajourney`` command as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``datajourney ARGS`` in ``cwd``, without the caller's DATAJOURNEY_* variables (plus
    ``env``), its output captured as text."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAJOURNEY_")} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "datajourney.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict]:
    cwd = tmp_path_factory.mktemp("cli")
    done = run(cwd, "--json", "demo", "--rows", "400")
    assert done.returncode == 0, done.stderr
    return cwd, json.loads(done.stdout)
