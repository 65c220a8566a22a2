"""Feast's local template repo and its workflow script run on datajourney.feast."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.features.template import copy_template


def test_workflow_script_runs(tmp_path):
    repo = copy_template(tmp_path)
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env.pop("DATAJOURNEY_STORE", None)
    done = subprocess.run(
        [sys.executable, "test_workflow.py"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # historical retrieval: 2021 rows have no features in the 15-day data; "now" rows do
    assert out.count("[3 rows x 10 columns]") == 2
    training, scoring = out.split("Historical features for")[1:3]
    assert "NaN" in training
    assert "NaN" not in scoring.split("Load features")[0]
    # online reads after materialize_incremental, then after the push
    online = out.split("--- Online features ---")[1].split("---")[0]
    assert "driver_id  :  [1001, 1002]" in online
    assert "None" not in online and "nan" not in online
    pushed = out.split("updated values from a stream push")[1]
    assert "conv_rate  :  [1.0," in pushed
    assert "avg_daily_trips  :  [1000," in pushed
