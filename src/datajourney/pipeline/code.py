"""The code a component's cache key covers: the executor's module and, transitively, the modules
of its own package (or, for a script, the modules beside it) that module imports.

Sound rather than minimal: any edit to one of those files is a cache miss. Third-party packages
are left to the environment record; see docs/pipelines.md, "What the cache key covers".
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import inspect
import sys
from collections.abc import Callable, Iterator
from importlib.machinery import PathFinder
from pathlib import Path
from typing import Any


def source_hash(fn: Callable[..., Any]) -> str:
    """SHA-256 of the function's source (of its code object when the source is not available)."""
    try:
        text = inspect.getsource(fn).encode()
    except (OSError, TypeError):
        text = _code_bytes(fn.__code__)
    return hashlib.sha256(text).hexdigest()


def code_hash(fn: Callable[..., Any]) -> str:
    """SHA-256 over the function's source and the sources of the modules it may run."""
    digest = hashlib.sha256(source_hash(fn).encode())
    for name, path in sorted(module_closure(fn).items()):
        digest.update(f"\0{name}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def module_closure(fn: Callable[..., Any]) -> dict[str, Path]:
    """The source files of ``fn``'s module and of the project modules it imports, transitively,
    by module name (empty when the module has no source file, as in a notebook)."""
    module = sys.modules.get(fn.__module__)
    spec = getattr(module, "__spec__", None)
    name = spec.name if spec is not None else fn.__module__
    start = _python_file(getattr(module, "__file__", None))
    if start is None:
        return {}
    top = name.partition(".")[0]
    if "." in name or start.name == "__init__.py":
        in_project = functools.partial(_same_package, top)
    else:
        in_project = functools.partial(_beside, str(start.parent))
    found: dict[str, Path] = {}
    pending = [(name, start)]
    while pending:
        name, path = pending.pop()
        if name in found:
            continue
        found[name] = path
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for imported in _imports(path.read_bytes(), package):
            if imported not in found and in_project(imported):
                file = _module_file(imported)
                if file is not None:
                    pending.append((imported, file))
    return found


def _same_package(top: str, name: str) -> bool:
    return name.partition(".")[0] == top


def _beside(folder: str, name: str) -> bool:
    return PathFinder.find_spec(name.partition(".")[0], [folder]) is not None


@functools.lru_cache(maxsize=4096)
def _imports(text: bytes, package: str) -> tuple[str, ...]:
    """The absolute names of the modules a module's source imports (and their parents)."""
    return tuple(dict.fromkeys(_imported_names(ast.parse(text), package)))


def _imported_names(tree: ast.AST, package: str) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            try:
                base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            except (ImportError, ValueError):
                continue
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            parts = name.strip(".").split(".")
            yield from (".".join(parts[:end]) for end in range(1, len(parts) + 1))


def _module_file(name: str) -> Path | None:
    module = sys.modules.get(name)
    if module is not None:
        return _python_file(getattr(module, "__file__", None))
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return _python_file(spec.origin if spec is not None and spec.has_location else None)


def _python_file(file: str | None) -> Path | None:
    return Path(file) if file and file.endswith(".py") and Path(file).is_file() else None


def _code_bytes(code: Any) -> bytes:
    parts = [code.co_code, repr((code.co_names, code.co_varnames)).encode()]
    for const in code.co_consts:
        parts.append(_code_bytes(const) if inspect.iscode(const) else repr(const).encode())
    return b"\0".join(parts)
