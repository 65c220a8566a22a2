"""diff between snapshots and status of the working tree."""

from __future__ import annotations

from datajourney import versioning as v

from .conftest import write


def test_diff_reports_added_removed_modified_and_renamed(data):
    a = v.snapshot(data)
    write(data / "train.csv", "a,b\n1,3\n")
    (data / "test.csv").rename(data / "holdout.csv")
    (data / "empty.txt").unlink()
    write(data / "new.csv", "n")
    b = v.snapshot(data)
    change = v.diff(a, b)
    assert (change.base, change.target) == (a, b)
    assert change.added == ["new.csv"]
    assert change.removed == ["empty.txt"]
    assert change.modified == ["train.csv"]
    assert change.renamed == [("test.csv", "holdout.csv")]
    assert v.diff(a, a).changed is False


def test_status_compares_with_the_last_snapshot(data):
    digest = v.snapshot(data)
    assert not v.status(data).changed
    write(data / "test.csv", "other")
    state = v.status(data)
    assert state.base == digest and state.modified == ["test.csv"]


def test_status_after_restore_is_against_what_was_restored(data, work):
    first = v.snapshot(data)
    write(data / "test.csv", "other")
    v.snapshot(data)
    v.restore(first, data)
    assert v.status(data).base == first
    assert not v.status(data).changed


def test_status_of_a_path_never_snapshotted_lists_everything_added(data, repo):
    state = v.status(data)
    assert state.base is None and len(state.added) == 4
    assert list(repo.objects.digests()) == []
