"""A dry run writes nothing: not the subject index, not the key file, not the database; it
works on a store opened read-only, and its plan is what the erasure then does (issue 16)."""

from __future__ import annotations

from pathlib import Path

from datajourney import erasure
from datajourney.metadata.store import MetadataStore

from .conftest import SUBJECT


def _files(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder``: (mtime_ns, bytes)."""
    return {
        str(p): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _unchanged(folder: Path, before: dict[str, tuple[int, bytes]]) -> None:
    """No file changed or appeared, but SQLite's own ``-shm`` / ``-wal`` beside a database
    opened read-only (made by SQLite when a reader opens a WAL database; empty of data)."""
    after = _files(folder)
    assert {path: after.get(path) for path in before} == before
    assert all(path.endswith(("-shm", "-wal")) for path in set(after) - set(before))


def _what(plan: erasure.ErasurePlan) -> dict:
    data = plan.to_json()
    data["steps"] = [(s["kind"], s["target"]) for s in data["steps"]]
    for name in ("erasure_id", "status", "receipt_id", "reason"):
        data.pop(name)
    return data


def _dry_run(url: str) -> erasure.ErasurePlan:
    with MetadataStore(url, read_only=True) as readable:
        return erasure.erase_subject(readable, SUBJECT)


def test_a_dry_run_on_a_read_only_store_changes_no_file(world):
    url = world.store.url
    world.store.close()  # no connection left: the WAL is folded into the database file
    before = _files(world.folder)
    plan = _dry_run(url)  # nothing indexed yet: every file is read in memory
    _unchanged(world.folder, before)
    assert not (world.folder / "erasure.key").exists()
    assert plan.erasure_id is None and plan.found
    assert {ref["type"] for ref in plan.holding} >= {"LakeEntry", "WarehouseTableVersion"}

    erasure.index_subjects(world.store)  # the index up to date, under the key file's secret
    world.store.close()
    before = _files(world.folder)
    planned = _dry_run(url)
    _unchanged(world.folder, before)
    assert _what(planned) == {**_what(plan), "subject_hash": planned.subject_hash}

    done = erasure.erase_subject(world.store, SUBJECT, dry_run=False)
    assert done.status == "done"
    assert _what(done) == _what(planned)


def test_a_dry_run_reads_what_the_index_does_not_hold_yet(world):
    store = world.store
    erasure.index_subjects(store)
    extra = world.folder / "extra.csv"  # a file under the store, not indexed yet
    extra.write_text(f"user_id,score\n{SUBJECT},1\n5,2\n")
    with store.run("Export") as run:
        run.output("DataSet", uri=str(extra))
    store.close()
    before = _files(world.folder)
    plan = _dry_run(store.url)
    _unchanged(world.folder, before)
    assert str(extra) in [ref["name"] for ref in plan.holding]
    assert ("file", {"path": str(extra), "name": "extra.csv"}) in _what(plan)["steps"]
