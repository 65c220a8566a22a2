"""The state cache: unchanged files are not read again, racily recent ones are."""

from __future__ import annotations

import os
import time

import pytest

from datajourney import versioning as v
from datajourney.versioning import checkout
from datajourney.versioning import tree as snapshot_module

from .conftest import OLD, write


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The paths snapshot reads, in order."""
    seen: list[str] = []
    original = snapshot_module._read

    def spy(file, batch):
        seen.append(file.relative)
        return original(file, batch)

    monkeypatch.setattr(snapshot_module, "_read", spy)
    return seen


def test_an_unchanged_tree_is_not_read_again(data, reads):
    first = v.snapshot(data)
    assert len(reads) == 4
    reads.clear()
    assert v.snapshot(data) == first
    assert reads == []


def test_only_changed_files_are_read(data, reads):
    v.snapshot(data)
    reads.clear()
    write(data / "test.csv", "a,b\n5,6\n")
    write(data / "new.csv", "n")
    v.snapshot(data)
    assert sorted(reads) == ["new.csv", "test.csv"]


def test_same_size_same_mtime_edit_is_seen_through_ctime(data, reads):
    first = v.snapshot(data)
    write(data / "train.csv", "a,b\n9,9\n")  # same size, mtime set back to the same OLD
    assert os.stat(data / "train.csv").st_mtime == OLD
    assert v.snapshot(data) != first


def test_racily_recent_files_are_read_again(data, reads):
    write(data / "fresh.csv", "x", old=False)
    v.snapshot(data)
    reads.clear()
    v.snapshot(data)
    assert reads == ["fresh.csv"]


def test_a_removed_object_is_stored_again(data, repo):
    first = v.snapshot(data)
    v.gc(keep=[])
    assert v.snapshot(data) == first
    assert repo.objects.read_bytes(v.ls(first)[3].digest) == b"a,b\n1,2\n"


@pytest.fixture
def slow_clock(monkeypatch):
    """A restore that ends a little after its last write (as a restore of many files does)."""
    real = checkout.fileio.file_system_time

    def later(folder):
        time.sleep(0.05)
        return real(folder)

    monkeypatch.setattr(checkout.fileio, "file_system_time", later)


def test_restored_files_are_not_read_by_the_next_snapshot(data, work, reads, slow_clock):
    digest = v.snapshot(data)
    write(data / "train.csv", "replaced")  # restored through a temporary and a rename
    v.restore(digest, data, force=True)
    v.restore(digest, work / "elsewhere")
    reads.clear()
    assert v.snapshot(data) == digest and v.snapshot(work / "elsewhere") == digest
    assert reads == []


def test_restored_files_changed_afterwards_are_read_again(data, work, reads, slow_clock):
    digest = v.snapshot(data)
    v.restore(digest, work / "out")
    write(work / "out" / "train.csv", "a,b\n9,9\n", old=False)  # same size
    reads.clear()
    assert v.snapshot(work / "out") != digest
    assert reads == ["train.csv"]


def test_files_restored_in_the_clock_tick_that_ends_the_restore_are_not_cached(
    data, work, reads, monkeypatch
):
    digest = v.snapshot(data)
    monkeypatch.setattr(checkout.fileio, "file_system_time", lambda folder: 0)
    v.restore(digest, work / "out")
    reads.clear()
    assert v.snapshot(work / "out") == digest
    assert sorted(reads) == ["copy/train.csv", "empty.txt", "test.csv", "train.csv"]
