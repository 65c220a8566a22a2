"""The ``datajourney`` command, run as a real process: exit codes, --json, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run


def test_demo_json(demo):
    _, out = demo
    assert [r["state"] for r in out["runs"][1]] == ["CACHED"] * 6
    assert out["anomalies"]["serving"] == ["Slope"]
    assert Path(out["report"]).name == "report.html"


def test_ls_show_lineage_diff(demo):
    cwd, out = demo
    listed = json.loads(run(cwd, "--json", "ls", "artifacts", "--type", "ExampleAnomalies").stdout)
    assert out["anomalies_artifact"] in [a["id"] for a in listed]
    shown = run(cwd, "--json", "show", str(out["anomalies_artifact"]), "--kind", "artifact")
    record = json.loads(shown.stdout)
    assert record["kind"] == "artifact" and record["type"] == "ExampleAnomalies"
    assert record["state"] == "LIVE"
    tree = run(cwd, "lineage", str(out["anomalies_artifact"]), "--up")
    assert tree.returncode == 0 and "WarehouseExampleGen" in tree.stdout
    assert "LakeEntry" in tree.stdout  # the lineage starts at the raw files
    mermaid = run(cwd, "lineage", str(out["anomalies_artifact"]), "--format", "mermaid").stdout
    assert mermaid.startswith(("graph", "flowchart"))
    first, second = out["runs"][0][0]["execution"], out["runs"][1][0]["execution"]
    same = run(cwd, "--json", "diff-runs", str(first), str(second))
    assert same.returncode == 0
    diff = json.loads(same.stdout)
    assert diff["state"] == ["COMPLETE", "CACHED"] and diff["inputs"] == {} and diff["same"]
    where = run(cwd, "--json", "ls", "executions", "--where", "last_known_state = CACHED")
    assert len(json.loads(where.stdout)) == 6


def test_validate_exit_codes(demo):
    cwd, _ = demo
    data = cwd / ".datajourney" / "demo" / "data"
    schema = cwd / ".datajourney" / "demo" / "curated" / "schema.pbtxt"
    bad = run(cwd, "validate", str(data / "eval.csv"), "--schema", str(schema))
    assert bad.returncode == 1 and "Soil_Type" in bad.stdout
    good = run(
        cwd,
        "validate",
        str(data / "train.csv"),
        "--schema",
        str(schema),
        "--environment",
        "TRAINING",
    )
    assert good.returncode == 0, good.stdout
    serving = run(
        cwd,
        "--json",
        "validate",
        str(data / "serving.csv"),
        "--schema",
        str(schema),
        "--environment",
        "SERVING",
    )
    assert serving.returncode == 1
    assert set(json.loads(serving.stdout)["anomalyInfo"]) == {"Slope"}


def test_errors_are_one_line_with_exit_code_2(tmp_path):
    missing = run(tmp_path, "stats", "nope.csv")
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "nope.csv" in missing.stderr
    assert run(tmp_path, "ls", "nothing").returncode == 2
    nothing_here = run(tmp_path, "show", "999")  # a reading command creates no store
    assert nothing_here.returncode == 2 and "does not exist" in nothing_here.stderr
    assert not (tmp_path / ".datajourney").exists()
    import datajourney as dj

    dj.MetadataStore(f"sqlite:///{tmp_path / 'empty.sqlite'}").close()
    unknown = run(tmp_path, "--store", "empty.sqlite", "show", "999")
    assert unknown.returncode == 2 and "artifact or execution or context 999" in unknown.stderr
    by_kind = run(tmp_path, "--store", "empty.sqlite", "show", "999", "--kind", "execution")
    assert "execution 999" in by_kind.stderr


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
    assert run(tmp_path, "data", "restore", digest, "d", "--force").returncode == 0
    assert (tmp_path / "d" / "a.csv").read_text() == "x,y\n1,a\n2,b\n"


def test_diff_runs_exits_1_when_the_runs_differ(demo):
    cwd, out = demo
    statistics_gen, schema_gen = (r["execution"] for r in out["runs"][0][1:3])
    differ = run(cwd, "diff-runs", str(statistics_gen), str(schema_gen))
    assert differ.returncode == 1
    assert "~ parameters." in differ.stdout and "~ inputs." in differ.stdout
    assert run(cwd, "diff-runs", str(statistics_gen), "999").returncode == 2


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["ls", "artifacts", "--bogus"], "ls: No such option: --bogus"),
        (["show"], "show: Missing argument 'ID'"),
        (["show", "abc"], "show: Invalid value for 'ID'"),
        (["ls", "artifacts", "--limit", "many"], "ls: Invalid value for '--limit'"),
        (["data", "push", "abc"], "data push: Missing argument 'remote'"),
        (["--jsn", "ls"], "No such option: --jsn"),
    ],
)
def test_usage_errors_are_one_line_on_stderr_with_exit_code_2(tmp_path, args, problem):
    done = run(tmp_path, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"error: {problem}")
    assert "--help" in done.stderr


def test_help_is_still_typers(tmp_path):
    for args in (["--help"], ["ls", "--help"]):
        done = run(tmp_path, *args)
        assert done.returncode == 0 and done.stderr == ""
        assert "Usage:" in done.stdout and done.stdout.count("\n") > 5
    bare = run(tmp_path, "data")
    assert bare.returncode == 2 and "snapshot" in bare.stdout


def test_show_finds_the_kind_when_only_one_has_the_id(demo):
    cwd, _ = demo
    ids = {
        kind: {n["id"] for n in json.loads(run(cwd, "--json", "ls", f"{kind}s").stdout)}
        for kind in ("artifact", "execution", "context")
    }
    only = {
        node_id: kind
        for kind, mine in ids.items()
        for node_id in mine
        if sum(node_id in theirs for theirs in ids.values()) == 1
    }
    node_id, kind = max(only.items())
    shown = json.loads(run(cwd, "--json", "show", str(node_id)).stdout)
    assert shown["kind"] == kind and shown["id"] == node_id
    ambiguous = run(cwd, "show", "1")
    assert ambiguous.returncode == 2 and ambiguous.stderr.count("\n") == 1
    assert "id 1 names several nodes (artifact, execution, context)" in ambiguous.stderr
    assert "--kind artifact|execution|context" in ambiguous.stderr
