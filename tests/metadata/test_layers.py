"""The metadata layer is the floor: it imports no other datajourney layer (DESIGN.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import datajourney as dj
from datajourney.metadata import hooks
from datajourney.metadata.errors import FailedPreconditionError

PACKAGE = Path(dj.__file__).resolve().parent
METADATA = PACKAGE / "metadata"


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a module of the metadata layer."""
    package = ".".join(("datajourney", *path.relative_to(PACKAGE).parent.parts))
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def _other_layer(name: str) -> bool:
    return name.startswith("datajourney.") and name.split(".")[1] != "metadata"


def test_metadata_imports_no_other_layer() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE)}:{line} imports {name}"
        for path in sorted(METADATA.rglob("*.py"))
        for line, name in _imported_modules(path)
        if name == "datajourney" or _other_layer(name)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_versioning_hooks_resolve_to_versioning() -> None:
    from datajourney.versioning import lineage

    assert hooks.hook(hooks.SNAPSHOT) is lineage.snapshot_property
    assert hooks.hook(hooks.RESTORE_INPUTS) is lineage.restore_inputs


def test_a_registered_hook_replaces_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "_registered", {})
    hooks.register(hooks.SNAPSHOT, lambda uri: {"snapshot": f"digest-of-{uri}"})
    store = dj.MetadataStore("memory://")
    with store.run("Train") as run:
        data = run.input("DataSet", uri="data.csv", snapshot=True)
    assert data.custom_properties == {"snapshot": "digest-of-data.csv"}


def test_a_hook_no_layer_provides_is_a_clear_error() -> None:
    with pytest.raises(FailedPreconditionError, match="'no-such-hook'"):
        hooks.hook("no-such-hook")


def test_recording_metadata_does_not_load_versioning() -> None:
    code = (
        "import sys, datajourney as dj\n"
        "store = dj.MetadataStore('memory://')\n"
        "with store.run('Train') as run:\n"
        "    run.input('DataSet', uri='x.csv')\n"
        "print('datajourney.versioning' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "False"
