"""What commands print: JSON for scripts (``--json``), rich tables and text for people."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from datajourney.metadata.model import Artifact, ArtifactState, Context, Execution, ExecutionState

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False)


@dataclasses.dataclass
class Settings:
    """The global options."""

    store: str | None = None
    json: bool = False

    def open_store(self):
        """The metadata store the options name (the embedded one by default)."""
        from datajourney.metadata.store import MetadataStore

        return MetadataStore(self.store)


def settings(ctx: typer.Context) -> Settings:
    """The global options of this invocation."""
    return ctx.find_root().obj


def emit(ctx: typer.Context, data: Any, human: Callable[[], None]) -> None:
    """Print ``data`` as JSON with ``--json``, else call ``human``."""
    if settings(ctx).json:
        console.print_json(json.dumps(data, default=_jsonable))
    else:
        human()


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    return str(value)


def node_record(node: Artifact | Execution | Context) -> dict[str, Any]:
    """A node as a JSON-ready dict (states by name)."""
    record = {k: v for k, v in dataclasses.asdict(node).items() if v not in (None, {})}
    if isinstance(node, Artifact) and node.state is not None:
        record["state"] = ArtifactState(node.state).name
    if isinstance(node, Execution) and node.last_known_state is not None:
        record["last_known_state"] = ExecutionState(node.last_known_state).name
    return record


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    """Print rows as a table."""
    out = Table(*columns, title=title, show_lines=False)
    for row in rows:
        out.add_row(*("" if cell is None else str(cell) for cell in row))
    console.print(out)
