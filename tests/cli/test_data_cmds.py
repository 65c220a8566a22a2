"""``data push|pull|gc`` and ``ls --context`` as a real process, a local folder as the remote."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run

FILES = {"a.csv": "x\n1\n", "sub/b.csv": "y\n2\n", "sub/c.csv": "x\n1\n"}


def write_files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def contents(path: Path) -> dict[str, str]:
    """The files of a folder (or the one file) by relative path."""
    if path.is_file():
        return {"": path.read_bytes().hex()}
    return {
        p.relative_to(path).as_posix(): p.read_text(errors="replace")
        for p in path.rglob("*")
        if p.is_file()
    }


def test_push_sends_the_objects_and_pull_restores_them_elsewhere(tmp_path):
    here, there, remote = tmp_path / "here", tmp_path / "there", tmp_path / "remote"
    write_files(here / "d", FILES)
    there.mkdir()
    digest = run(here, "data", "snapshot", "d").stdout.strip()
    pushed = run(here, "--json", "data", "push", digest, str(remote))
    assert pushed.returncode == 0, pushed.stderr
    # the snapshot and the two distinct file contents (a.csv and sub/c.csv are one object)
    assert json.loads(pushed.stdout) == {"transferred": 3, "skipped": 0}
    objects = [p for p in remote.rglob("*") if p.is_file()]
    assert len(objects) == 3 and (remote / digest[:2] / digest[2:]).is_file()
    again = run(here, "data", "push", digest, str(remote))
    assert again.stdout.strip() == "0 sent, 3 already there"
    pulled = run(there, "data", "pull", digest, "copy", str(remote))
    assert pulled.returncode == 0, pulled.stderr
    assert contents(there / "copy") == FILES
    missing = run(there, "data", "pull", "0" * 64, "other", str(remote))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1


def test_gc_removes_only_what_no_live_artifact_or_latest_snapshot_needs(demo):
    cwd, out = demo
    # what no artifact needs already (the lake's listing of the demo's data folder)
    before = json.loads(run(cwd, "--json", "data", "gc", "--dry-run").stdout)["removed"]
    # the anomalies' folder gets a later snapshot: only the LIVE artifact keeps its own
    shown = json.loads(
        run(cwd, "--json", "show", str(out["anomalies_artifact"]), "--kind", "artifact").stdout
    )
    extra = Path(shown["uri"]) / "extra.txt"
    extra.write_text("later")
    assert run(cwd, "data", "snapshot", shown["uri"]).returncode == 0
    extra.unlink()
    write_files(cwd / "scratch", {"a.csv": "old\n"})
    old = run(cwd, "data", "snapshot", "scratch").stdout.strip()
    write_files(cwd / "scratch", {"a.csv": "new\n"})
    new = run(cwd, "data", "snapshot", "scratch").stdout.strip()
    dry = json.loads(run(cwd, "--json", "data", "gc", "--dry-run").stdout)
    assert dry["removed"] == before + 2  # the old snapshot and its one file
    assert run(cwd, "data", "diff", old, new).stdout.strip() == "~ a.csv"
    done = run(cwd, "--json", "data", "gc")
    assert done.returncode == 0 and json.loads(done.stdout) == dry
    assert run(cwd, "data", "restore", old, "old").returncode == 2
    assert run(cwd, "data", "restore", new, "new").returncode == 0
    assert contents(cwd / "new") == {"a.csv": "new\n"}
    listed = json.loads(run(cwd, "--json", "ls", "artifacts", "--where", "state = LIVE").stdout)
    # snapshots, and the lake entries' plain object digests (each restores its one file)
    live = [a for a in listed if "snapshot" in a.get("custom_properties", {})]
    assert len(live) > 5 and out["anomalies_artifact"] in [a["id"] for a in live]
    assert {a["type"] for a in live} >= {"LakeEntry", "ExampleAnomalies"}
    for artifact in live:
        target = cwd / "restored" / str(artifact["id"])
        restored = run(
            cwd, "data", "restore", artifact["custom_properties"]["snapshot"], str(target)
        )
        assert restored.returncode == 0, restored.stderr
        assert contents(target) == contents(Path(artifact["uri"]))


def test_ls_context_lists_the_members_of_one_run(demo):
    cwd, out = demo
    contexts = json.loads(run(cwd, "--json", "ls", "contexts", "--type", "pipeline_run").stdout)
    assert len(contexts) == 2
    for context, component_runs in zip(contexts, out["runs"]):
        listed = run(cwd, "--json", "ls", "executions", "--context", str(context["id"]))
        assert [e["id"] for e in json.loads(listed.stdout)] == [
            r["execution"] for r in component_runs
        ]
    artifacts = run(cwd, "--json", "ls", "artifacts", "--context", str(contexts[0]["id"]))
    assert out["anomalies_artifact"] in [a["id"] for a in json.loads(artifacts.stdout)]
    assert json.loads(run(cwd, "--json", "ls", "artifacts", "--context", "999").stdout) == []
