"""Feast 0.67's own ``feast init`` local template (taken from the Feast peer at test time, see
feast_template.py) on datajourney.feast: its workflow script runs with only the imports
changed, and the same calls on the same data answer as real Feast does."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.features.feast_peer import feast_python
from tests.features.feast_template import bootstrap

WORKLOAD = Path(__file__).parent / "differential" / "template_workload.py"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env.pop("DATAJOURNEY_STORE", None)
    return env


def _run(args: list[str], repo: Path) -> str:
    """What the command prints, run in ``repo``; it must succeed."""
    done = subprocess.run(args, cwd=repo, env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_template_workflow_runs_on_datajourney(tmp_path):
    _, repo = bootstrap(tmp_path)
    out = _run([sys.executable, "test_workflow.py"], repo)
    assert "+ FeatureView driver_quality_labels" in out  # the apply step, label view included
    # historical: entity columns and the five features asked for (the 2021 rows hit the
    # bootstrap's fixed 2021-04-12 07:00 row); no missing values either time
    training, scoring = out.split("--- Historical features for")[1:3]
    assert training.count("[3 rows x 10 columns]") == 1 and "NaN" not in training
    assert "[3 rows x 10 columns]" in scoring and "NaN" not in scoring.split("---")[0]
    online = out.split("--- Online features ---")[1].split("\n---")[0]
    lines = dict(line.split("  :  ") for line in online.strip().splitlines())
    assert lines["driver_id"] == "[1001, 1002]"
    assert "None" not in online and "nan" not in online
    metadata = ast.literal_eval(lines["driver_metadata"])
    assert all(set(m) == {"vehicle_type", "rating"} for m in metadata)
    config = ast.literal_eval(lines["driver_config"])
    assert all(isinstance(c["max_distance_km"], int) for c in config)  # Json read back parsed
    pushed = out.split("updated values from a stream push")[1]
    assert "conv_rate  :  [1.0," in pushed and "avg_daily_trips  :  [1000," in pushed
    assert "{'max_distance_km': 500, 'preferred_zones': ['north']}" in pushed
    assert "{'vehicle_type': 'truck', 'rating': '5.0'}" in pushed
    assert "{'name': 'driver_1001_updated', 'age': '30'}" in pushed


def _answers(python: str, package: str, repo: Path, apply: list[str]) -> dict:
    subprocess.run(apply, cwd=repo, env=_env(), check=True, capture_output=True, timeout=300)
    out = _run([python, str(WORKLOAD), package, "."], repo)
    return json.loads(out.strip().splitlines()[-1])


def test_template_answers_as_feast_does(tmp_path):
    feast_repo, ours_repo = bootstrap(tmp_path)
    python = feast_python()
    feast_cli = str(Path(python).parent / "feast")
    peer = _answers(python, "feast", feast_repo, [feast_cli, "apply"])
    ours = _answers(
        sys.executable,
        "datajourney.feast",
        ours_repo,
        [str(Path(sys.executable).parent / "datajourney"), "features", "apply"],
    )
    assert ours == peer
    # the comparison covers what it should: Map / Json / Struct values offline and online,
    # pushed rows read back both ways, labels resolved by the latest write
    historical = peer["historical"]
    assert isinstance(historical["driver_metadata"][0], dict)
    assert isinstance(historical["driver_config"][0], str)  # offline, Json is its text
    assert isinstance(peer["online"]["driver_config"][0], dict)  # online, parsed
    assert peer["online"]["driver_metadata"][2] is None  # the unknown driver
    assert peer["pushed_offline"]["driver_profile"] == [{"name": "pushed", "age": "41"}]
    assert peer["labels_online"]["labeler"] == ["bob", "alice"]
    assert peer["labels_offline"]["labeler"] == ["alice", "bob", "alice", None]
