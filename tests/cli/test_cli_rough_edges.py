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
