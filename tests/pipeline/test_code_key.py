"""The cache key covers the executor's module and the modules of its package that it imports:
an edit there is a miss, an edit elsewhere in the package is not."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from datajourney.pipeline import Pipeline

from .conftest import read_number

FILES = {
    "__init__.py": "",
    "helpers.py": "SCALE = 2\n\n\ndef scale(x):\n    return x * SCALE\n",
    "unrelated.py": "NOTE = 'not imported by comps'\n",
    "comps.py": """
from pathlib import Path

from datajourney.pipeline import Output, component

from .helpers import scale

OFFSET = 1


class Numbers:
    pass


def describe(n):
    return str(scale(n) + OFFSET)


@component
def Emit(numbers: Output[Numbers]) -> None:
    (Path(numbers.uri) / "n.txt").write_text(describe(3))
""",
}


@pytest.fixture
def project(workspace, monkeypatch) -> Path:
    """A package ``cachedproj`` whose component calls a helper and reads constants."""
    package = workspace / "src" / "cachedproj"
    package.mkdir(parents=True)
    for name, text in FILES.items():
        (package / name).write_text(text)
    monkeypatch.syspath_prepend(str(package.parent))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    yield package
    forget_project()


def forget_project() -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == "cachedproj"]:
        del sys.modules[name]


def run_emit(store) -> tuple[str, str]:
    """Import the project afresh, run its component; its state and output."""
    forget_project()
    importlib.invalidate_caches()
    emit = importlib.import_module("cachedproj.comps").Emit()
    [result] = Pipeline("p", [emit], store=store, root="root").run().results
    return result.state, read_number(emit.outputs["numbers"].artifacts[0])


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("comps.py", "OFFSET = 1", "OFFSET = 10", ("COMPLETE", "16")),
        ("comps.py", "scale(n) + OFFSET", "scale(n) - OFFSET", ("COMPLETE", "5")),
        ("helpers.py", "SCALE = 2", "SCALE = 3", ("COMPLETE", "10")),
        ("unrelated.py", "not imported", "still not imported", ("CACHED", "7")),
        ("comps.py", "", "", ("CACHED", "7")),
    ],
    ids=[
        "module-constant",
        "same-module-helper",
        "imported-module",
        "module-not-imported",
        "no-change",
    ],
)
def test_code_change_in_the_executors_modules_is_a_miss(store, project, file, old, new, expected):
    assert run_emit(store) == ("COMPLETE", "7")
    path = project / file
    path.write_text(path.read_text().replace(old, new, 1))
    assert run_emit(store) == expected
