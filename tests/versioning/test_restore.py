"""restore: files come back exactly, links only where they cannot corrupt the store."""

from __future__ import annotations

import os
import stat

import pytest

from datajourney import versioning as v
from datajourney.versioning import checkout

from .conftest import write


def tree(root) -> dict[str, bytes]:
    """Relative path -> content of every file under root."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_restore_puts_back_the_snapshot(data, work):
    digest = v.snapshot(data)
    before = tree(data)
    write(data / "train.csv", "changed")
    (data / "test.csv").unlink()
    assert v.restore(digest, data, force=True) == data
    assert tree(data) == before


def test_restore_to_a_new_place_and_modes(data, work):
    os.chmod(data / "test.csv", 0o755)
    digest = v.snapshot(data)
    v.restore(digest, work / "out")
    assert tree(work / "out") == tree(data)
    assert stat.S_IMODE((work / "out" / "test.csv").stat().st_mode) == 0o755


def test_modes_are_restored_whatever_the_umask(data, work):
    os.chmod(data / "test.csv", 0o664)
    digest = v.snapshot(data)
    previous = os.umask(0o077)
    try:
        v.restore(digest, work / "out")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((work / "out" / "test.csv").stat().st_mode) == 0o664
    assert stat.S_IMODE((work / "out" / "train.csv").stat().st_mode) == 0o644


def test_extra_files_stay_unless_clean(data, work):
    digest = v.snapshot(data)
    write(data / "extra.txt", "mine")
    v.restore(digest, data)
    assert (data / "extra.txt").exists()
    v.restore(digest, data, clean=True, force=True)  # extra.txt was never snapshotted
    assert not (data / "extra.txt").exists()
    assert "train.csv" in tree(data)


def test_a_file_snapshot_restores_one_file(data, work):
    digest = v.snapshot(data / "train.csv")
    v.restore(digest, work / "train-copy.csv")
    assert (work / "train-copy.csv").read_bytes() == b"a,b\n1,2\n"


def test_a_copy_is_independent_of_the_store(data, repo, work):
    digest = v.snapshot(data)
    for link in ("copy", "reflink"):
        out = work / link
        v.restore(digest, out, link=link)
        (out / "train.csv").write_text("edited in place")
    assert repo.objects.read_bytes(v.ls(digest)[3].digest) == b"a,b\n1,2\n"


def test_hardlinks_are_read_only_objects_when_permissions_bind(data, repo, work, monkeypatch):
    monkeypatch.setattr(checkout, "_permissions_bind", lambda: True)
    digest = v.snapshot(data)
    v.restore(digest, work / "out", link="hardlink")
    restored = (work / "out" / "train.csv").stat()
    obj = repo.objects.path_of(v.ls(digest)[3].digest).stat()
    assert (restored.st_ino, restored.st_dev) == (obj.st_ino, obj.st_dev)
    assert stat.S_IMODE(restored.st_mode) == 0o444


def test_hardlinks_become_copies_where_permissions_do_not_bind(data, repo, work, monkeypatch):
    monkeypatch.setattr(checkout, "_permissions_bind", lambda: False)
    digest = v.snapshot(data)
    v.restore(digest, work / "out", link="hardlink")
    (work / "out" / "train.csv").write_text("edited in place")
    assert repo.objects.read_bytes(v.ls(digest)[3].digest) == b"a,b\n1,2\n"


def test_unchanged_files_are_not_rewritten(data, work, monkeypatch):
    digest = v.snapshot(data)
    written = []
    original = checkout._restore_file
    monkeypatch.setattr(
        checkout,
        "_restore_file",
        lambda r, e, t, *a: written.append(e.path) or original(r, e, t, *a),
    )
    write(data / "test.csv", "changed")
    v.restore(digest, data, force=True)
    assert written == ["test.csv"]


def test_an_unknown_link_mode_is_refused(data):
    with pytest.raises(ValueError, match="link"):
        v.restore(v.snapshot(data), data, link="symlink")
