"""push / fetch / pull through fsspec: only missing objects move, interruptions resume."""

from __future__ import annotations

import uuid

import pytest

from datajourney import versioning as v
from datajourney.versioning import Remote

from .conftest import write


@pytest.fixture(params=["folder", "memory"])
def remote(request, tmp_path) -> Remote:
    """An empty remote: a local folder, or fsspec's in-memory file system."""
    if request.param == "folder":
        yield Remote(str(tmp_path / "remote"))
        return
    remote = Remote(f"memory://bucket-{uuid.uuid4().hex}/objects")
    yield remote
    if remote.fs.exists(remote.root):
        remote.fs.rm(remote.root, recursive=True)


def test_push_then_pull_into_another_repository(data, work, remote):
    digest = v.snapshot(data)
    assert v.push(digest, remote) == v.TransferResult(transferred=4, skipped=0)
    assert len(remote.digests()) == 4  # three contents and the manifest
    other = work / "elsewhere" / "objects"
    out = v.pull(digest, work / "out", remote, objects=other)
    assert (out / "copy" / "train.csv").read_bytes() == b"a,b\n1,2\n"
    assert v.ls(digest, objects=other) == v.ls(digest)


def test_only_missing_objects_are_transferred(data, work, remote):
    first = v.snapshot(data)
    v.push(first, remote)
    write(data / "new.csv", "new")
    second = v.snapshot(data)
    assert v.push([first, second], remote) == v.TransferResult(transferred=2, skipped=4)
    other = work / "other" / "objects"
    v.fetch(first, remote, objects=other)
    assert v.fetch(second, remote, objects=other) == v.TransferResult(transferred=2, skipped=3)


def test_an_interrupted_push_resumes(data, remote, monkeypatch):
    digest = v.snapshot(data)
    sent = []
    original = Remote.upload

    def flaky(self, repo, d):
        if len(sent) == 2:
            raise ConnectionError("network down")
        sent.append(d)
        original(self, repo, d)

    monkeypatch.setattr(Remote, "upload", flaky)
    with pytest.raises(v.TransferError, match="network down") as caught:
        v.push(digest, remote, jobs=1)
    assert caught.value.path == remote.url
    assert remote.digests() == set(sent)  # whole objects only; no snapshot without its files
    assert digest not in remote.digests()
    monkeypatch.setattr(Remote, "upload", original)
    assert v.push(digest, remote).transferred == 2


def test_a_half_uploaded_object_is_never_taken_as_present(data, remote, monkeypatch):
    digest = v.snapshot(data)
    original = remote.fs.put_file

    def dies_midway(local, target, *args, **kwargs):
        remote.fs.pipe_file(target, b"half")
        raise ConnectionError("cut")

    monkeypatch.setattr(remote.fs, "put_file", dies_midway)
    with pytest.raises(v.TransferError):
        v.push(digest, remote, jobs=1)
    assert remote.digests() == set()
    monkeypatch.setattr(remote.fs, "put_file", original)
    assert v.push(digest, remote).transferred == 4


def test_a_corrupt_remote_object_is_never_fetched(data, work, remote):
    digest = v.snapshot(data)
    v.push(digest, remote)
    victim = v.ls(digest)[2].digest
    remote.fs.rm_file(remote.path_of(victim))
    remote.fs.pipe_file(remote.path_of(victim), b"garbage")
    other = v.Repository(work / "other" / "objects")
    with pytest.raises(v.CorruptObjectError):
        v.fetch(digest, remote, objects=other)
    assert not other.objects.has(victim) and not other.objects.has(digest)


def test_fetching_what_the_remote_lacks_is_one_clear_error(work, remote):
    with pytest.raises(v.ObjectNotFoundError, match=remote.url):
        v.fetch("0" * 64, remote)


def test_an_interrupted_fetch_resumes_and_keeps_no_partial_object(data, work, remote, monkeypatch):
    digest = v.snapshot(data)
    v.push(digest, remote)
    other = v.Repository(work / "other" / "objects")
    original = remote.fs.get_file
    calls = []

    def dies_on_second(source, target, *args, **kwargs):
        calls.append(source)
        if len(calls) == 2:
            with open(target, "wb") as f:
                f.write(b"par")
            raise ConnectionError("reset by peer")
        return original(source, target, *args, **kwargs)

    monkeypatch.setattr(remote.fs, "get_file", dies_on_second)
    with pytest.raises(v.TransferError, match="reset by peer"):
        v.fetch(digest, remote, objects=other, jobs=1)
    kept = set(other.objects.digests())
    assert kept and digest not in kept  # whole files kept, the snapshot not before its files
    for d in kept:
        other.objects.verify(d)
    assert list(other.objects.tmp.iterdir()) == []
    monkeypatch.setattr(remote.fs, "get_file", original)
    assert v.fetch(digest, remote, objects=other).transferred == 4 - len(kept)
    v.restore(digest, work / "out", objects=other)
    assert (work / "out" / "test.csv").read_bytes() == b"a,b\n3,4\n"
