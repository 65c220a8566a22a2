from __future__ import annotations

from pathlib import Path

import pytest

from datajourney.metadata.store import MetadataStore
from datajourney.pipeline import Input, Output, component


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch) -> Path:
    """A fresh working folder (the embedded object store lands in it)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATAJOURNEY_STORE", raising=False)
    monkeypatch.delenv("DATAJOURNEY_OBJECTS", raising=False)
    return tmp_path


@pytest.fixture
def store(workspace: Path) -> MetadataStore:
    return MetadataStore("memory://")


def write_csv(path: Path, rows: int = 60, offset: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["a,b,c"] + [f"{i + offset},{i % 3},x{i % 4}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


class Numbers:
    """A test artifact type."""


@component
def Source(numbers: Output[Numbers], count: int = 3) -> None:
    (Path(numbers.uri) / "n.txt").write_text("\n".join(map(str, range(count))))


@component
def Total(numbers: Input[Numbers], total: Output[Numbers]) -> None:
    values = (Path(numbers.uri) / "n.txt").read_text().split()
    (Path(total.uri) / "n.txt").write_text(str(sum(map(int, values))))


def read_number(artifact) -> str:
    return (Path(artifact.uri) / "n.txt").read_text()
