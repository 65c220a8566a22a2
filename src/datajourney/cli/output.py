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
if not console.is_terminal:  # piped: tables as wide as their cells, nothing cut at 80 columns
    console.width = 1_000_000
errors = Console(stderr=True, highlight=False)


class ReadOnlyError(ValueError):
    """A command that writes to the metadata store, run with ``--read-only``."""


@dataclasses.dataclass
class Settings:
    """The global options."""

    store: str | None = None
    json: bool = False
    read_only: bool = False

    def open_store(self, writes: bool = True):
        """The metadata store the options name (the embedded one by default). A command that
        only reads passes ``writes=False`` and gets it read-only, so a store the user may not
        write can be browsed; under ``--read-only`` a command that writes is refused."""
        from datajourney.metadata.errors import NotFoundError
        from datajourney.metadata.store import DEFAULT_FOLDER, MetadataStore

        self.refuse_writes(writes)
        url = self.store
        if url is None and not writes:  # the default store, its folder not created to read it
            url = f"sqlite:///{DEFAULT_FOLDER}/metadata.sqlite"
        try:
            return MetadataStore(url, read_only=self.read_only or not writes)
        except NotFoundError as error:
            if writes or "does not exist" not in str(error):
                raise
            raise NotFoundError(
                f"{error}: nothing is recorded there yet (run a pipeline or 'datajourney demo' "
                "first, or name a store with --store)"
            ) from None

    def refuse_writes(self, writes: bool = True) -> None:
        """Raise ReadOnlyError when a command that writes runs under ``--read-only``."""
        if writes and self.read_only:
            raise ReadOnlyError(
                "--read-only: this command writes to the metadata store; run it without "
                "--read-only (ls, show, lineage, diff-runs and the other reading commands work)"
            )


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
    """A node as a dict (states by name), property values as stored."""
    record = {k: v for k, v in dataclasses.asdict(node).items() if v not in (None, {})}
    if isinstance(node, Artifact) and node.state is not None:
        record["state"] = ArtifactState(node.state).name
    if isinstance(node, Execution) and node.last_known_state is not None:
        record["last_known_state"] = ExecutionState(node.last_known_state).name
    return record


def node_json(record: dict[str, Any]) -> dict[str, Any]:
    """``node_record``'s dict for ``--json``: a property holding JSON text of an object or a
    list (``anomaly_counts``, ``split_names``, ``parameters``) as that JSON value, not as a
    string to decode again."""
    out = dict(record)
    for key in ("properties", "custom_properties"):
        if key in out:
            out[key] = {name: _json_value(value) for name, value in out[key].items()}
    return out


def _json_value(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            pass
    return value


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    """Print rows as a table: cells wrap (long words fold) to a terminal's width; piped, nothing
    is cut or wrapped."""
    out = Table(title=title, show_lines=False)
    for column in columns:
        out.add_column(column, overflow="fold")
    for row in rows:
        out.add_row(*("" if cell is None else str(cell) for cell in row))
    console.print(out)
