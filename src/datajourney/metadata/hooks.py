"""Hooks through which layers above the metadata store extend it.

The metadata layer imports no other layer. Where the concise API offers something an upper
layer does (``run.input(..., snapshot=True)`` and ``store.restore_inputs(...)`` are data
versioning's work), it calls a hook by name. A hook is found among the functions registered
with :func:`register`, else where the package root's ``METADATA_HOOKS`` table points (the one
place that wires the layers together), imported on first use.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any

from .errors import FailedPreconditionError

SNAPSHOT = "snapshot"  # (uri) -> custom properties to record, e.g. {"snapshot": digest}
RESTORE_INPUTS = "restore_inputs"  # (store, execution, *, dest) -> {artifact id: path}
#: (store, contexts, detail) -> None, ``contexts()`` giving [(context type name, context name)]
#: (called only when a policy is in force): raises when whoever is acting may not record a run
#: in those contexts (access control's check)
RECORD_RUN = "record_run"

_registered: dict[str, Callable[..., Any]] = {}


def register(name: str, function: Callable[..., Any]) -> None:
    """Make ``function`` the hook ``name`` (replacing any earlier one)."""
    _registered[name] = function


def hook(name: str) -> Callable[..., Any]:
    """The function behind hook ``name``; FailedPreconditionError if no layer provides it."""
    found = _registered.get(name)
    if found is not None:
        return found
    root = sys.modules.get(__name__.split(".", 1)[0])
    target = getattr(root, "METADATA_HOOKS", {}).get(name)
    if target is None:
        raise FailedPreconditionError(f"no installed layer provides the {name!r} hook")
    module, _, attribute = target.partition(":")
    found = _registered[name] = getattr(import_module(module), attribute)
    return found
