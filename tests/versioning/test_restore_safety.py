"""restore never loses local changes unless forced: a file it would overwrite or delete whose
content is neither the snapshot's nor its last recorded one is listed, and nothing is written."""

from __future__ import annotations

import pytest

from datajourney import versioning as v

from ..cli.conftest import run
from .conftest import write
from .test_restore import tree


def test_an_edit_since_the_last_snapshot_is_refused_and_nothing_is_written(data, work):
    digest = v.snapshot(data)
    write(data / "train.csv", "a,b\n9,9\n")  # same size: only its content tells
    (data / "test.csv").unlink()  # the restore would create it: it must not
    before = tree(data)
    with pytest.raises(v.LocalChangesError, match=r"train\.csv") as refused:
        v.restore(digest, data)
    assert refused.value.files == [str(data / "train.csv")]
    assert isinstance(refused.value, v.VersioningError) and "--force" in str(refused.value)
    assert tree(data) == before
    assert v.local_changes(digest, data) == [data / "train.csv"]
    assert tree(data) == before
    v.restore(digest, data, force=True)
    assert (data / "train.csv").read_text() == "a,b\n1,2\n"
    assert (data / "test.csv").exists()


def test_files_as_last_snapshotted_or_restored_are_overwritten(data, work):
    first = v.snapshot(data)
    write(data / "train.csv", "a,b\n1,2\n5,6\n")
    second = v.snapshot(data)  # train.csv's edit is recorded: nothing to lose
    v.restore(first, data)
    assert (data / "train.csv").read_text() == "a,b\n1,2\n"
    v.restore(second, data)  # the last restore is the recorded state now
    assert (data / "train.csv").read_text() == "a,b\n1,2\n5,6\n"
    write(data / "train.csv", "edited after the restore")
    with pytest.raises(v.LocalChangesError):
        v.restore(first, data)


def test_an_untracked_file_the_snapshot_would_overwrite_is_refused(data, work):
    digest = v.snapshot(data)
    write(work / "out" / "train.csv", "never snapshotted")
    write(work / "out" / "test.csv", "a,b\n3,4\n")  # already the snapshot's content
    with pytest.raises(v.LocalChangesError) as refused:
        v.restore(digest, work / "out")
    assert refused.value.files == [str(work / "out" / "train.csv")]
    assert sorted(p.name for p in (work / "out").iterdir()) == ["test.csv", "train.csv"]
    v.restore(digest, work / "out", force=True)
    assert tree(work / "out") == tree(data)


def test_clean_refuses_to_delete_what_no_snapshot_holds(data, work):
    write(data / "old.csv", "tracked")
    first = v.snapshot(data)
    (data / "old.csv").unlink()
    second = v.snapshot(data)
    v.restore(first, data)
    v.restore(second, data, clean=True)  # old.csv is as recorded: deleted without asking
    assert not (data / "old.csv").exists()
    write(data / "notes.txt", "mine")
    with pytest.raises(v.LocalChangesError, match=r"notes\.txt"):
        v.restore(second, data, clean=True)
    assert (data / "notes.txt").read_text() == "mine"
    v.restore(second, data)  # without clean it stays, untouched
    assert (data / "notes.txt").read_text() == "mine"


def test_a_file_is_judged_by_the_newest_record_of_it_or_a_folder_above(data, work):
    other = v.snapshot(write(work / "other.csv", "a,b\n7,7\n"))
    first = v.snapshot(data / "train.csv")
    write(data / "train.csv", "a,b\n1,2\n3,4\n")
    v.snapshot(data)  # newer than the file's own record: it holds this edit
    v.restore(first, data / "train.csv")
    assert (data / "train.csv").read_text() == "a,b\n1,2\n"
    v.restore(other, data / "test.csv")  # as the folder's snapshot recorded it: no loss
    assert (data / "test.csv").read_text() == "a,b\n7,7\n"
    write(data / "copy" / "train.csv", "edited")
    with pytest.raises(v.LocalChangesError, match=r"train\.csv"):
        v.restore(other, data / "copy" / "train.csv")
    assert (data / "copy" / "train.csv").read_text() == "edited"


def test_the_command_refuses_in_one_line_and_force_overrides(work):
    write(work / "d" / "a.csv", "x\n1\n")
    write(work / "d" / "b.csv", "x\n2\n")
    digest = run(work, "data", "snapshot", "d").stdout.strip()
    (work / "d" / "a.csv").write_text("x\n1\n2\n")
    refused = run(work, "data", "restore", digest, "d")
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: LocalChangesError: ")
    assert refused.stderr.count("\n") == 1 and "a.csv" in refused.stderr
    assert "b.csv" not in refused.stderr
    assert (work / "d" / "a.csv").read_text() == "x\n1\n2\n"
    forced = run(work, "data", "restore", digest, "d", "--force")
    assert forced.returncode == 0, forced.stderr
    assert (work / "d" / "a.csv").read_text() == "x\n1\n"


def test_pull_refuses_local_changes_too(data, work):
    digest = v.snapshot(data)
    v.push(digest, str(work / "remote"))
    write(data / "train.csv", "edited")
    with pytest.raises(v.LocalChangesError):
        v.pull(digest, data, str(work / "remote"))
    assert (data / "train.csv").read_text() == "edited"
    v.pull(digest, data, str(work / "remote"), force=True)
    assert (data / "train.csv").read_text() == "a,b\n1,2\n"
