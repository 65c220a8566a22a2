"""examples/metadata_quickstart.py (the former ``make demo``) still runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "metadata_quickstart.py"


def test_metadata_quickstart_runs(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAJOURNEY_")}
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
