"""Issue 12, command-line rough edges, through the real ``datajourney`` process."""

from __future__ import annotations

import json

from .conftest import run


def test_ls_types_lists_every_kind(demo):
    cwd, _ = demo
    done = run(cwd, "--json", "ls", "types")
    assert done.returncode == 0, done.stderr
    kinds = {t["kind"] for t in json.loads(done.stdout)}
    assert kinds == {"artifact", "execution", "context"}
    human = run(cwd, "ls", "types")
    assert human.returncode == 0, human.stderr
    assert "Traceback" not in human.stderr and "pipeline_run" in human.stdout


def test_ls_unknown_type_is_an_error(demo):
    cwd, _ = demo
    done = run(cwd, "ls", "artifacts", "--type", "Nope")
    assert done.returncode == 2
    assert "no artifact type named 'Nope'" in done.stderr
    assert done.stdout == ""


def test_ls_negative_limit_is_refused(demo):
    cwd, _ = demo
    done = run(cwd, "ls", "executions", "--limit", "-1")
    assert done.returncode == 2
    assert "--limit" in done.stderr


def test_schema_diff_exits_1_when_schemas_differ(tmp_path):
    (tmp_path / "a.csv").write_text("x,y\n1,a\n2,b\n")
    (tmp_path / "b.csv").write_text("x,y,z\n1,a,3\n")
    assert run(tmp_path, "schema", "infer", "a.csv", "-o", "s1.pbtxt").returncode == 0
    assert run(tmp_path, "schema", "infer", "b.csv", "-o", "s2.pbtxt").returncode == 0
    differ = run(tmp_path, "schema", "diff", "s1.pbtxt", "s2.pbtxt")
    assert differ.returncode == 1 and "+ z" in differ.stdout
    same = run(tmp_path, "schema", "diff", "s1.pbtxt", "s1.pbtxt")
    assert same.returncode == 0 and "no changes" in same.stdout


def test_demo_with_no_rows_is_a_usage_error(tmp_path):
    done = run(tmp_path, "demo", "--rows", "0")
    assert done.returncode == 2
    assert "--rows" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / ".datajourney").exists()


def test_another_applications_sqlite_file_is_refused_unchanged(tmp_path):
    import hashlib
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('keep me')")
    connection.close()
    before = hashlib.sha256(other.read_bytes()).hexdigest()
    done = run(tmp_path, "--store", str(other), "ls", "artifacts")
    assert done.returncode == 2 and "not an ML Metadata store" in done.stderr
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]
