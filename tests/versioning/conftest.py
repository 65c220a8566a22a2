"""Fixtures: a working folder with a private object store and a small data tree."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from datajourney.versioning import Repository

OLD = time.time() - 3600  # an mtime old enough to be cached (outside the racy window)


def write(path: Path, content: bytes | str, *, old: bool = True) -> Path:
    """Write a file (parents created); by default with an mtime an hour ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    if old:
        os.utime(path, (OLD, OLD))
    return path


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """A temporary working folder as the current directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATAJOURNEY_OBJECTS", raising=False)
    monkeypatch.delenv("DATAJOURNEY_STORE", raising=False)
    return tmp_path


@pytest.fixture
def repo(work) -> Repository:
    """The default repository of the working folder."""
    repository = Repository()
    yield repository
    repository.close()


@pytest.fixture
def data(work) -> Path:
    """A folder of a few files, two of them identical."""
    root = work / "data"
    write(root / "train.csv", "a,b\n1,2\n")
    write(root / "test.csv", "a,b\n3,4\n")
    write(root / "copy" / "train.csv", "a,b\n1,2\n")
    write(root / "empty.txt", b"")
    return root
