"""Fixtures: a working folder with its own lake (embedded store and objects) and raw files."""

from __future__ import annotations

from pathlib import Path

import pytest

from datajourney.lake import Lake


def write(path: Path, content: bytes | str) -> Path:
    """Write a file, its folders created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """A temporary working folder as the current directory, no store configured."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATAJOURNEY_OBJECTS", raising=False)
    monkeypatch.delenv("DATAJOURNEY_STORE", raising=False)
    return tmp_path


@pytest.fixture
def lake(work) -> Lake:
    """The default lake of the working folder."""
    opened = Lake()
    yield opened
    opened.close()


@pytest.fixture
def landing(work) -> Path:
    """Raw files of several formats under ``landing/``."""
    root = work / "landing"
    write(root / "events" / "a.csv", "user,clicks\nann,3\nbob,5\n")
    write(root / "events" / "b.csv", "user,clicks\ncid,7\n")
    write(
        root / "events" / "c.jsonl", '{"user": "dan", "clicks": 1}\n{"user": "eve", "clicks": 2}\n'
    )
    write(root / "notes.txt", "free text, kept as it is\n")
    write(root / "pixel.png", b"\x89PNG\r\n\x1a\n" + bytes(range(40)))
    return root
