"""The reading verbs of the lake, data versioning, the feature store and erasure on a store the
user may not write (its folders chmod a-w) and under ``--read-only``: they answer, and no byte
or time of any file changes (issue 14)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from datajourney import erasure
from datajourney.metadata.store import MetadataStore
from tests.features.template import copy_template

from .conftest import run


def _files(*roots: Path) -> dict[str, tuple[int, int, str]]:
    """Every file under the roots: (size, mtime_ns, sha256)."""
    return {
        str(p): (p.stat().st_size, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for root in roots
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _chmod_tree(root: Path, files: int, folders: int) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(folders if path.is_dir() else files)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    """A lake, a snapshot, an applied feature repo and an erasure configuration in one
    working folder."""
    cwd = tmp_path_factory.mktemp("stores")
    (cwd / "landing").mkdir()
    (cwd / "landing" / "users.csv").write_text("user,clicks\n1,3\n2,5\n")
    done = run(cwd, "lake", "ingest", "landing")
    assert done.returncode == 0, done.stderr
    digest = json.loads(run(cwd, "--json", "data", "snapshot", "landing").stdout)["digest"]
    repo = copy_template(cwd)
    done = run(cwd, "features", "apply", "-r", str(repo))
    assert done.returncode == 0, done.stderr
    with MetadataStore(f"sqlite:///{cwd / '.datajourney' / 'metadata.sqlite'}") as store:
        erasure.configure(store, key_columns=["user"])
    return {"cwd": cwd, "digest": digest, "repo": repo}


def _verbs(world: dict) -> list[tuple[list[str], str]]:
    """(arguments, text the answer holds) of each reading verb."""
    repo, digest = str(world["repo"]), world["digest"]
    return [
        (["lake", "ls"], "landing/users.csv"),
        (["lake", "find", "landing/*.csv", "--since", "2000-01-01"], "landing/users.csv"),
        (["lake", "read", "landing/users.csv"], "2 rows"),
        (["lake", "sql", "SELECT sum(clicks) AS n FROM lake('landing/*.csv')"], "8"),
        (["data", "diff", digest, digest], "no change"),
        (["data", "status", "landing"], "no change"),
        (["features", "ls", "-r", repo], "driver_hourly_stats"),
        (["features", "describe", "driver_hourly_stats", "-r", repo], "driver_hourly_stats"),
        (["features", "plan", "-r", repo], "no change to apply"),
        (["erase", "--list"], "No erasure yet."),
    ]


def _dry_run_plans(done) -> None:
    """``erase --dry-run`` writes nothing, not even the subject index (issue 16): it plans."""
    assert done.returncode == 0, done.stderr
    assert "dry run: nothing changed" in done.stdout and "holds rows: LakeEntry" in done.stdout


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="file modes and capabilities: POSIX")
def test_reading_verbs_work_on_a_store_nobody_may_write(world):
    cwd = world["cwd"]
    roots = [cwd / ".datajourney", world["repo"] / "data"]
    before = _files(*roots)
    for root in roots:
        _chmod_tree(root, 0o444, 0o555)
    try:
        for args, says in _verbs(world):
            done = run(cwd, *args, modes_bind=True)
            assert done.returncode == 0 and says in done.stdout, (args, done.stderr)
        _dry_run_plans(run(cwd, "erase", "1", "--dry-run", modes_bind=True))
    finally:
        for root in roots:
            _chmod_tree(root, 0o644, 0o755)
    assert _files(*roots) == before


def test_reading_verbs_under_read_only_change_no_file(world):
    cwd = world["cwd"]
    roots = [cwd / ".datajourney", world["repo"] / "data"]
    before = _files(*roots)
    for args, says in _verbs(world):
        done = run(cwd, "--read-only", *args)
        assert done.returncode == 0 and says in done.stdout, (args, done.stderr)
    _dry_run_plans(run(cwd, "--read-only", "erase", "1", "--dry-run"))
    after = _files(*roots)
    assert {k: after[k] for k in before} == before


def test_features_plan_of_a_repo_never_applied_creates_nothing(tmp_path):
    repo = copy_template(tmp_path)
    before = _files(tmp_path)
    done = run(tmp_path, "features", "plan", "-r", str(repo))
    assert done.returncode == 0, done.stderr
    assert "+ FeatureView driver_hourly_stats" in done.stdout
    assert _files(tmp_path) == before
