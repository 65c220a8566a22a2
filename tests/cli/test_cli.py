"""The ``datajourney`` command, run as a real process: exit codes, --json, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAJOURNEY_")}
    return subprocess.run([sys.executable, "-m", "datajourney.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict]:
    cwd = tmp_path_factory.mktemp("cli")
    done = run(cwd, "--json", "demo", "--rows", "400")
    assert done.returncode == 0, done.stderr
    return cwd, json.loads(done.stdout)


def test_demo_json(demo):
    _, out = demo
    assert [r["state"] for r in out["runs"][1]] == ["CACHED"] * 6
    assert out["anomalies"]["serving"] == ["Slope"]
    assert Path(out["report"]).name == "report.html"


def test_ls_show_lineage_diff(demo):
    cwd, out = demo
    listed = json.loads(run(cwd, "--json", "ls", "artifacts", "--type", "ExampleAnomalies").stdout)
    assert out["anomalies_artifact"] in [a["id"] for a in listed]
    shown = json.loads(run(cwd, "--json", "show", str(out["anomalies_artifact"])).stdout)
    assert shown["type"] == "ExampleAnomalies" and shown["state"] == "LIVE"
    tree = run(cwd, "lineage", str(out["anomalies_artifact"]), "--up")
    assert tree.returncode == 0 and "CsvExampleGen" in tree.stdout
    mermaid = run(cwd, "lineage", str(out["anomalies_artifact"]), "--format", "mermaid").stdout
    assert mermaid.startswith(("graph", "flowchart"))
    first, second = out["runs"][0][0]["execution"], out["runs"][1][0]["execution"]
    diff = json.loads(run(cwd, "--json", "diff-runs", str(first), str(second)).stdout)
    assert diff["state"] == ["COMPLETE", "CACHED"] and diff["inputs"] == {}
    where = run(cwd, "--json", "ls", "executions", "--where", "last_known_state = CACHED")
    assert len(json.loads(where.stdout)) == 6


def test_validate_exit_codes(demo):
    cwd, _ = demo
    data = cwd / ".datajourney" / "demo" / "data"
    schema = cwd / ".datajourney" / "demo" / "curated" / "schema.pbtxt"
    bad = run(cwd, "validate", str(data / "eval.csv"), "--schema", str(schema))
    assert bad.returncode == 1 and "Soil_Type" in bad.stdout
    good = run(cwd, "validate", str(data / "train.csv"), "--schema", str(schema),
               "--environment", "TRAINING")
    assert good.returncode == 0, good.stdout
    serving = run(cwd, "--json", "validate", str(data / "serving.csv"), "--schema", str(schema),
                  "--environment", "SERVING")
    assert serving.returncode == 1
    assert set(json.loads(serving.stdout)["anomalyInfo"]) == {"Slope"}


def test_errors_are_one_line_with_exit_code_2(tmp_path):
    missing = run(tmp_path, "stats", "nope.csv")
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "nope.csv" in missing.stderr
    assert run(tmp_path, "ls", "nothing").returncode == 2
    unknown = run(tmp_path, "show", "999")
    assert unknown.returncode == 2 and "artifact 999" in unknown.stderr


def test_stats_schema_and_data_verbs(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.csv").write_text("x,y\n1,a\n2,b\n")
    stats = json.loads(run(tmp_path, "--json", "stats", "d/a.csv").stdout)
    assert stats["d/a.csv"]["datasets"][0]["numExamples"] == "2"
    assert run(tmp_path, "schema", "infer", "d/a.csv", "-o", "s1.pbtxt").returncode == 0
    assert "x" in run(tmp_path, "schema", "show", "s1.pbtxt").stdout
    (tmp_path / "d" / "b.csv").write_text("x,y,z\n1,a,3\n")
    run(tmp_path, "schema", "infer", "d/b.csv", "-o", "s2.pbtxt")
    assert "z" in run(tmp_path, "schema", "diff", "s1.pbtxt", "s2.pbtxt").stdout
    digest = run(tmp_path, "data", "snapshot", "d").stdout.strip()
    assert len(digest) == 64
    (tmp_path / "d" / "a.csv").write_text("x,y\n9,z\n")
    status = json.loads(run(tmp_path, "--json", "data", "status", "d").stdout)
    assert status["modified"] == ["a.csv"]
    assert run(tmp_path, "data", "restore", digest, "d").returncode == 0
    assert (tmp_path / "d" / "a.csv").read_text() == "x,y\n1,a\n2,b\n"
