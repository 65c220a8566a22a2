"""snapshot, ls and the manifest: what gets stored and how a snapshot is named."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from datajourney import versioning as v
from datajourney.versioning import fileio
from datajourney.versioning import objects as objects_module
from datajourney.versioning import tree as snapshot_module
from datajourney.versioning.hashing import hash_bytes
from datajourney.versioning.manifest import Entry, Manifest

from .conftest import write


def test_folder_snapshot_lists_every_file_with_digest_size_and_mode(data, repo):
    digest = v.snapshot(data)
    entries = v.ls(digest)
    assert [e.path for e in entries] == ["copy/train.csv", "empty.txt", "test.csv", "train.csv"]
    train = entries[3]
    assert train.digest == hash_bytes(b"a,b\n1,2\n")
    assert (train.size, train.mode) == (8, stat.S_IMODE((data / "train.csv").stat().st_mode))


def test_the_digest_names_the_content_not_the_time_or_place(data, work):
    first = v.snapshot(data)
    os.rename(data, work / "elsewhere")
    assert v.snapshot(work / "elsewhere") == first
    assert v.snapshot(work / "elsewhere", objects=work / "other" / "objects") == first


def test_identical_files_are_stored_once_across_snapshots(data, repo):
    v.snapshot(data)
    write(data / "more" / "again.csv", "a,b\n1,2\n")
    v.snapshot(data)
    contents = [repo.objects.path_of(d).read_bytes() for d in repo.objects.digests()]
    assert contents.count(b"a,b\n1,2\n") == 1
    assert len(list(repo.objects.digests())) == 3 + 2  # three contents, two manifests


def test_objects_are_read_only_and_sharded(data, repo):
    digest = v.snapshot(data)
    path = repo.objects.path_of(digest)
    assert path.parent.name == digest[:2] and path.name == digest[2:]
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert not list(repo.objects.tmp.iterdir())


def test_manifest_serialisation_is_documented_text(data, repo):
    digest = v.snapshot(data)
    text = repo.objects.path_of(digest).read_bytes()
    lines = text.decode().splitlines()
    assert lines[0] == "datajourney-snapshot 1 tree"
    mode = stat.S_IMODE((data / "train.csv").stat().st_mode)
    train = hash_bytes(b"a,b\n1,2\n")
    assert lines[-1] == f"{mode:04o} 8 {train} train.csv"
    assert hash_bytes(text) == digest


def test_odd_file_names_round_trip():
    entries = [Entry("a\\b\nc\rd", "0" * 64, 1), Entry("é/\udcff", "1" * 64, 2, 0o755)]
    manifest = Manifest.build("tree", entries)
    assert Manifest.from_bytes(manifest.to_bytes()) == manifest


def test_a_single_file_can_be_snapshotted(data, repo):
    digest = v.snapshot(data / "train.csv")
    [entry] = v.ls(digest)
    assert entry.path == "train.csv" and entry.digest == hash_bytes(b"a,b\n1,2\n")
    assert repo.manifest(digest).kind == "file"


def test_large_files_are_stored_whole(work, repo, monkeypatch):
    monkeypatch.setattr(snapshot_module, "PARALLEL_BYTES", 1000)
    content = os.urandom(5000)
    write(work / "big" / "blob.bin", content)
    [entry] = v.ls(v.snapshot(work / "big"))
    assert entry.digest == hash_bytes(content)
    assert repo.objects.read_bytes(entry.digest) == content


def test_the_store_folder_is_never_part_of_a_snapshot(data, work):
    write(work / "top.txt", "x")
    digest = v.snapshot(work)
    assert not [e for e in v.ls(digest) if e.path.startswith(".datajourney")]


def test_a_missing_path_is_one_clear_error(work):
    with pytest.raises(v.PathNotFoundError) as caught:
        v.snapshot("nope")
    assert caught.value.path == str(work / "nope")


def test_a_broken_link_is_unsupported(data):
    os.symlink(data / "gone", data / "link")
    with pytest.raises(v.UnsupportedFileError) as caught:
        v.snapshot(data)
    assert caught.value.path == str(data / "link")


def test_a_malformed_or_unknown_digest_is_one_clear_error(data, repo):
    with pytest.raises(v.InvalidDigestError):
        v.ls("abc")
    with pytest.raises(v.ObjectNotFoundError):
        v.ls("0" * 64)
    digest = v.snapshot(data)
    with pytest.raises(v.NotASnapshotError):
        v.ls(v.ls(digest)[0].digest)


def test_presence_of_many_objects_at_once(repo):
    with repo.objects.batch() as batch:
        stored = {batch.add_bytes(hash_bytes(b"%d" % i), b"%d" % i) for i in range(1100)}
    absent = {hash_bytes(b"absent %d" % i) for i in range(50)}
    assert repo.objects.present(stored | absent) == stored
    assert repo.objects.present(set(list(stored)[:10]) | absent) == set(list(stored)[:10])


def test_objects_are_committed_in_groups_and_stored_once(repo):
    with repo.objects.batch(expected=2000) as batch:
        batch.max_files = 3  # several group commits, in the background
        stored = {batch.add_bytes(hash_bytes(b"%d" % i), b"%d" % i) for i in range(10)}
    assert set(repo.objects.digests()) == stored
    inode = repo.objects.path_of(hash_bytes(b"1")).stat().st_ino
    with repo.objects.batch(expected=2000) as batch:  # a batch that lists the store up front
        batch.add_bytes(hash_bytes(b"1"), b"1")
    assert repo.objects.path_of(hash_bytes(b"1")).stat().st_ino == inode
    assert list(repo.objects.tmp.glob("*")) == []


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="unnamed files are Linux-only")
def test_a_file_system_without_unnamed_files_gets_named_temporaries(data, repo, monkeypatch):
    real_open = os.open

    def refuses_unnamed(path, flags, *args, **kwargs):
        if flags & os.O_TMPFILE == os.O_TMPFILE:
            raise OSError(errno.EOPNOTSUPP, "Operation not supported")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuses_unnamed)
    digest = v.snapshot(data)
    assert len(v.ls(digest)) == 4 and len(list(repo.objects.digests())) == 4
    for stored in repo.objects.digests():
        repo.objects.verify(stored)
    assert list(repo.objects.tmp.glob("*")) == []


@pytest.mark.parametrize(
    "line",
    [
        b"0644 1 " + b"0" * 64 + b" a\ngarbage\n",
        b"x0644 1 " + b"0" * 64 + b" a\n",
        b"0644 1 " + b"0" * 63 + b"X a\n",
        b"0644 one " + b"0" * 64 + b" a\n",
        b"0644 1 " + b"0" * 64 + b" no newline",
    ],
)
def test_a_malformed_manifest_is_refused(line):
    with pytest.raises(v.CorruptObjectError, match="malformed"):
        Manifest.from_bytes(b"datajourney-snapshot 1 tree\n" + line)


def test_a_snapshot_is_named_only_once_its_files_are_durably_named(data, repo, monkeypatch):
    events = []
    for name in ("sync_files", "sync_folders"):
        original = getattr(fileio, name)
        monkeypatch.setattr(
            fileio,
            name,
            lambda *args, _original=original: (events.append("sync"), _original(*args)),
        )
    publish = objects_module._publish
    monkeypatch.setattr(
        objects_module, "_publish", lambda temp, path: (events.append(path), publish(temp, path))
    )
    digest = v.snapshot(data)
    named = events.index(str(repo.objects.path_of(digest)))
    files = [events.index(str(repo.objects.path_of(e.digest))) for e in v.ls(digest)]
    assert "sync" in events[max(files) : named]
