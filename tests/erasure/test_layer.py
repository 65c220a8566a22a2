"""Erasure sits above the storage layers (DESIGN.md): it imports them, and nothing below it
imports erasure (only the CLI and the server, above it, may)."""

from __future__ import annotations

import ast
from pathlib import Path

import datajourney

PACKAGE = Path(datajourney.__file__).resolve().parent
ABOVE = {"erasure", "cli", "server"}


def _imports(path: Path) -> list[str]:
    package = ".".join(("datajourney", *path.relative_to(PACKAGE).parent.parts))
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                if node.module:
                    names.append(".".join([*base, node.module]))
                else:  # from .. import erasure
                    names += [".".join([*base, alias.name]) for alias in node.names]
            else:  # from datajourney import erasure
                names.append(node.module or "")
                names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_no_layer_below_imports_erasure():
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] not in ABOVE
        for name in _imports(path)
        if name == "datajourney.erasure" or name.startswith("datajourney.erasure.")
    ]
    assert not wrong, "\n".join(wrong)


def test_erasure_imports_only_layers_below_it():
    allowed = {
        "metadata",
        "versioning",
        "access",
        "lake",
        "warehouse",
        "features",
        "io",
        "schema",
        "validation",
        "stats",
        "erasure",
    }
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / "erasure").rglob("*.py"))
        for name in _imports(path)
        if name.startswith("datajourney.") and name.split(".")[1] not in allowed
    ]
    assert not wrong, "\n".join(wrong)
