"""Faults: a file changing while read, a full disk, a corrupt object. One clear error each,
nothing corrupt stored or restored, and a retry completes the work."""

from __future__ import annotations

import errno
import os

import pytest

from datajourney import versioning as v
from datajourney.versioning import checkout, fileio
from datajourney.versioning import objects as objects_module
from datajourney.versioning import tree as snapshot_module
from datajourney.versioning.hashing import hash_bytes

from .conftest import write


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture(params=["unnamed", "named"])
def staging(request, monkeypatch) -> str:
    """Both ways objects are staged: unnamed files (Linux) and named temporary files."""
    if request.param == "named":
        monkeypatch.setattr(objects_module, "_OPEN_BUDGET", 0)
    return request.param


def open_in(folder) -> list[str]:
    """The files under ``folder`` this process holds open (Linux; empty elsewhere)."""
    found = []
    for fd in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else []:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


@pytest.mark.parametrize("large", [False, True])
def test_a_file_that_keeps_changing_is_refused(data, repo, monkeypatch, large):
    module, name = (objects_module, "hash_copy") if large else (snapshot_module, "read_exact")
    original = getattr(module, name)

    def growing(*args, **kwargs):
        result = original(*args, **kwargs)
        with open(data / "train.csv", "a") as f:  # someone appends while we read
            f.write("more\n")
        return result

    if large:
        monkeypatch.setattr(snapshot_module, "PARALLEL_BYTES", 4)
    monkeypatch.setattr(module, name, growing)
    with pytest.raises(v.FileChangedError) as caught:
        v.snapshot(data / "train.csv")
    assert caught.value.path == str(data / "train.csv")
    assert list(repo.objects.digests()) == [] and list(repo.objects.tmp.glob("*")) == []


def test_a_file_that_changed_once_is_read_again(data, monkeypatch):
    original = snapshot_module.read_exact
    calls = []

    def changes_once(fd, size):
        content = original(fd, size)
        if not calls:
            write(data / "train.csv", "a,b\n1,2\n3,4\n")
        calls.append(size)
        return content

    monkeypatch.setattr(snapshot_module, "read_exact", changes_once)
    [entry] = v.ls(v.snapshot(data / "train.csv"))
    assert entry.size == len(b"a,b\n1,2\n3,4\n") and len(calls) == 2


@pytest.mark.parametrize("large", [False, True])
def test_a_full_disk_stores_nothing_and_a_retry_completes(data, repo, monkeypatch, large, staging):
    if large:
        monkeypatch.setattr(snapshot_module, "PARALLEL_BYTES", 4)
    with monkeypatch.context() as patch, pytest.raises(v.NoSpaceError) as caught:
        patch.setattr(fileio, "write_chunk", disk_full)
        patch.setattr(fileio, "copy_range", disk_full)
        v.snapshot(data)
    assert str(repo.objects.tmp) in str(caught.value.path)
    assert list(repo.objects.digests()) == [] and list(repo.objects.tmp.glob("*")) == []
    digest = v.snapshot(data)
    assert len(v.ls(digest)) == 4


def test_a_failed_group_commit_is_reported_and_publishes_nothing(repo, monkeypatch, staging):
    def failing_sync(paths, folder):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(fileio, "sync_files", failing_sync)
    with pytest.raises(OSError), repo.objects.batch() as batch:
        batch.max_files = 2  # the first group fails in the background, then the rest
        for i in range(5):
            batch.add_bytes(hash_bytes(b"%d" % i), b"%d" % i)
    assert list(repo.objects.digests()) == [] and list(repo.objects.tmp.glob("*")) == []


def test_a_failure_while_naming_objects_publishes_no_snapshot_and_a_retry_completes(
    data, repo, monkeypatch, staging
):
    """Objects are named only once all of their group is durable; a failure part way through
    naming leaves only complete objects, no snapshot, nothing in tmp and no open file."""
    named = []

    def fails_after_one(publish):
        def wrapped(temp, path):
            if named:
                raise OSError(errno.EIO, "Input/output error")
            named.append(path)
            publish(temp, path)

        return wrapped

    with monkeypatch.context() as patch, pytest.raises(OSError, match="Input/output"):
        patch.setattr(objects_module, "_publish", fails_after_one(objects_module._publish))
        v.snapshot(data)
    assert len(list(repo.objects.digests())) == 1
    for digest in repo.objects.digests():
        repo.objects.verify(digest)
    assert list(repo.objects.tmp.glob("*")) == [] and open_in(repo.objects.root) == []
    digest = v.snapshot(data)
    assert len(v.ls(digest)) == 4 and len(list(repo.objects.digests())) == 4


def test_a_full_disk_during_restore_leaves_the_destination_as_it_was(data, work, monkeypatch):
    digest = v.snapshot(data)
    write(data / "train.csv", "mine")
    with monkeypatch.context() as patch, pytest.raises(v.NoSpaceError):
        patch.setattr(fileio, "write_chunk", disk_full)
        v.restore(digest, data, force=True)
    assert (data / "train.csv").read_text() == "mine"
    assert sorted(p.name for p in data.iterdir()) == ["copy", "empty.txt", "test.csv", "train.csv"]
    v.restore(digest, data, force=True)
    assert (data / "train.csv").read_bytes() == b"a,b\n1,2\n"


def corrupt(repo, digest: str, content: bytes) -> None:
    path = repo.objects.path_of(digest)
    os.chmod(path, 0o644)
    path.write_bytes(content)


@pytest.mark.parametrize("link", ["copy", "reflink", "hardlink"])
def test_a_corrupt_object_is_never_restored(data, repo, work, link):
    digest = v.snapshot(data)
    corrupt(repo, v.ls(digest)[3].digest, b"a,b\n6,6\n")
    with pytest.raises(v.CorruptObjectError) as caught:
        v.restore(digest, work / "out", link=link)
    assert caught.value.path == str(repo.objects.path_of(v.ls(digest)[3].digest))
    assert not (work / "out" / "train.csv").exists()
    assert [p for p in (work / "out").rglob("*") if ".tmp" in p.name] == []


def test_a_corrupt_large_object_leaves_the_destination_untouched(data, repo, work, monkeypatch):
    """The single-pass copy of a large object checks it before anything is placed."""
    monkeypatch.setattr(fileio, "CHUNK", 8)
    monkeypatch.setattr(checkout, "PARALLEL_BYTES", 16)
    monkeypatch.setattr(snapshot_module, "PARALLEL_BYTES", 16)
    write(data / "big.bin", b"0123456789" * 10)
    digest = v.snapshot(data)
    [big] = [entry for entry in v.ls(digest) if entry.path == "big.bin"]
    corrupt(repo, big.digest, b"0123456789" * 9 + b"012345678X")
    write(data / "big.bin", "mine")
    with pytest.raises(v.CorruptObjectError):
        v.restore(digest, data, force=True)
    assert (data / "big.bin").read_text() == "mine"
    assert [p for p in data.rglob("*") if ".tmp" in p.name] == []
    with pytest.raises(v.CorruptObjectError):  # a new file is removed again
        v.restore(digest, work / "fresh")
    assert not (work / "fresh" / "big.bin").exists()
    corrupt(repo, big.digest, b"0123456789" * 10)
    v.restore(digest, data, force=True)
    assert (data / "big.bin").read_bytes() == b"0123456789" * 10


def test_a_corrupt_snapshot_is_refused_everywhere(data, repo, work):
    digest = v.snapshot(data)
    corrupt(repo, digest, repo.objects.path_of(digest).read_bytes() + b"0644 1 x evil\n")
    for command in (lambda: v.ls(digest), lambda: v.restore(digest, work / "out")):
        with pytest.raises(v.CorruptObjectError):
            command()
    with pytest.raises(v.CorruptObjectError):
        v.gc(keep=[digest])
    assert repo.objects.has(digest)


def test_a_snapshot_cannot_write_outside_its_folder(repo, work):
    evil = b"datajourney-snapshot 1 tree\n0644 1 " + b"0" * 64 + b" ../escape\n"
    digest = repo.objects.put_bytes(evil)
    with pytest.raises(v.CorruptObjectError, match="outside"):
        v.restore(digest, work / "out")
    assert not (work / "escape").exists()


def test_a_corrupt_object_is_never_pushed(data, repo, tmp_path):
    digest = v.snapshot(data)
    corrupt(repo, v.ls(digest)[0].digest, b"bad")
    remote = v.Remote(str(tmp_path / "remote"))
    with pytest.raises(v.CorruptObjectError):
        v.push(digest, remote, jobs=1)
    assert v.ls(digest)[0].digest not in remote.digests() and digest not in remote.digests()
