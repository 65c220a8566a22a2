"""The metadata store: ``ls``, ``show``, ``lineage``, ``diff-runs`` read it; ``upgrade``
brings a store written by an older ML Metadata release to the current schema."""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum

import typer

from datajourney.metadata.model import ArtifactType, ContextType, ExecutionType, NodeKind

from .output import console, emit, node_json, node_record, settings, table


class Listing(str, Enum):
    artifacts = "artifacts"
    executions = "executions"
    contexts = "contexts"
    types = "types"


class Kind(str, Enum):
    artifact = "artifact"
    execution = "execution"
    context = "context"


class Format(str, Enum):
    tree = "tree"
    dot = "dot"
    mermaid = "mermaid"
    json = "json"


_KINDS = {
    "artifact": NodeKind.ARTIFACT,
    "execution": NodeKind.EXECUTION,
    "context": NodeKind.CONTEXT,
}


_TYPE_CLASSES = {"artifact": ArtifactType, "execution": ExecutionType, "context": ContextType}


def _time(ms: int | None) -> str:
    return datetime.fromtimestamp(ms / 1000).strftime("%Y-%m-%d %H:%M:%S") if ms else ""


def ls(
    ctx: typer.Context,
    what: Listing = typer.Argument(..., help="What to list."),
    type_name: str = typer.Option(None, "--type", help="Only nodes of this type."),
    context: int = typer.Option(None, "--context", help="Only members of this context id."),
    where: str = typer.Option(None, "--where", help="An ML Metadata filter query."),
    limit: int = typer.Option(None, "--limit", min=1, help="At most this many (newest first)."),
) -> None:
    """List artifacts, executions, contexts or types."""
    store = settings(ctx).open_store(writes=False)
    if type_name is not None and what is not Listing.types:
        type_class = _TYPE_CLASSES[what.value[:-1]]
        if type_name not in {t.name for t in store.get_types(type_class)}:
            raise typer.BadParameter(
                f"no {what.value[:-1]} type named {type_name!r}", param_hint="--type"
            )
    if what is Listing.types:
        found = [
            (kind.__name__.removesuffix("Type").lower(), t)
            for kind in (ArtifactType, ExecutionType, ContextType)
            for t in store.get_types(kind)
            if type_name in (None, t.name)
        ]
        emit(
            ctx,
            [{"kind": k, "id": t.id, "name": t.name} for k, t in found],
            lambda: table(["kind", "id", "name"], [(k, t.id, t.name) for k, t in found]),
        )
        return
    kind = _KINDS[what.value[:-1]]
    nodes = store.get(
        kind,
        type_name=type_name,
        context_id=context,
        filter_query=where,
        order_by="id",
        ascending=limit is None,
        limit=limit,
    )
    records = [node_record(n) for n in nodes]
    if kind is NodeKind.EXECUTION:
        from datajourney.metadata.liveness import process_gone

        for n, r in zip(nodes, records):
            if process_gone(n):  # RUNNING, but its process was killed
                r["abandoned"] = True

    def human() -> None:
        rows = []
        for n, r in zip(nodes, records):
            detail = r.get("uri") or r.get("name") or n.custom_properties.get("component_id", "")
            state = r.get("state") or r.get("last_known_state") or ""
            state += " (process gone)" if r.get("abandoned") is True else ""
            rows.append((n.id, n.type, state, detail, _time(n.create_time_since_epoch)))
        table(["id", "type", "state", "uri / name", "created"], rows)

    emit(ctx, [node_json(r) for r in records], human)


def show(
    ctx: typer.Context,
    node_id: int = typer.Argument(..., metavar="ID"),
    kind: Kind = typer.Option(None, "--kind", help="What the id names (needed when several do)."),
) -> None:
    """Show one artifact, execution or context with all its properties."""
    store = settings(ctx).open_store(writes=False)
    kinds = [kind.value] if kind else list(_KINDS)
    found = {k: nodes for k in kinds if (nodes := store.get(_KINDS[k], ids=[node_id]))}
    if not found:
        raise KeyError(f"{' or '.join(kinds)} {node_id}")
    if len(found) > 1:
        raise ValueError(
            f"id {node_id} names several nodes ({', '.join(found)}): add --kind {'|'.join(found)}"
        )
    [(kind_name, nodes)] = found.items()
    record = {"kind": kind_name, **node_record(nodes[0])}

    def human() -> None:
        for key, value in record.items():
            if isinstance(value, dict):
                for name, inner in value.items():
                    console.print(f"{key}.{name}: {inner}", markup=False)
            else:
                console.print(f"{key}: {value}", markup=False)

    emit(ctx, node_json(record), human)


def lineage(
    ctx: typer.Context,
    node_id: int = typer.Argument(..., metavar="ID", help="An artifact id (or an execution's)."),
    up: bool = typer.Option(False, "--up", help="Only what it came from."),
    down: bool = typer.Option(False, "--down", help="Only what came of it."),
    execution: bool = typer.Option(False, "--execution", help="ID names an execution."),
    output_format: Format = typer.Option(Format.tree, "--format"),
) -> None:
    """The lineage of an artifact or execution as a tree, DOT, Mermaid or JSON."""
    from datajourney.pipeline.lineage_tree import lineage_tree

    store = settings(ctx).open_store(writes=False)
    direction = "upstream" if up and not down else "downstream" if down and not up else "both"
    focus = store.get_executions(ids=[node_id]) if execution else [node_id]
    if not focus:
        raise KeyError(f"execution {node_id}")
    graph = store.lineage(focus[0], direction=direction)
    if settings(ctx).json or output_format is Format.json:
        data = json.loads(graph.to_json())
        for kind in ("artifacts", "executions", "contexts"):
            data[kind] = [node_json(node) for node in data[kind]]
        console.print(json.dumps(data, indent=1), markup=False, soft_wrap=True)
    elif output_format is Format.tree:
        trees = [lineage_tree(graph, upstream=True)] if direction != "downstream" else []
        if direction != "upstream":
            trees.append(lineage_tree(graph, upstream=False))
        console.print("\n\n".join(trees), markup=False, soft_wrap=True)
    else:
        text = graph.to_dot() if output_format is Format.dot else graph.to_mermaid()
        console.print(text, markup=False, soft_wrap=True)


def diff_runs(
    ctx: typer.Context,
    a: int = typer.Argument(..., help="An execution id."),
    b: int = typer.Argument(..., help="Another execution id."),
) -> None:
    """Compare two executions: parameters, environment record, inputs and outputs.

    Exit code 0 when they match, 1 when they differ (like ``diff``), 2 on an error.
    """
    from datajourney.pipeline.diff import diff_executions

    diff = diff_executions(settings(ctx).open_store(writes=False), a, b)

    def human() -> None:
        console.print(f"execution {a} ({diff.state[0]}) vs {b} ({diff.state[1]})", markup=False)
        if diff.same:
            console.print("same parameters, code, environment, inputs and outputs")
        for section in ("parameters", "record", "inputs", "outputs"):
            for name, (left, right) in getattr(diff, section).items():
                console.print(f"~ {section}.{name}: {left} -> {right}", markup=False)

    emit(ctx, diff.to_dict(), human)
    raise typer.Exit(0 if diff.same else 1)


def upgrade(ctx: typer.Context) -> None:
    """Upgrade a store at an older ML Metadata schema version (6-9) to version 10 in place;
    a store at version 10 is left as it is."""
    from datajourney.metadata.store import MetadataStore

    options = settings(ctx)
    options.refuse_writes()
    with MetadataStore(options.store, upgrade=True) as store:
        url = store.url
    emit(
        ctx,
        {"store": url, "schema_version": 10},
        lambda: console.print(f"{url}: schema version 10"),
    )


def register(app: typer.Typer) -> None:
    """Add these commands to ``app``."""
    app.command("ls")(ls)
    app.command("show")(show)
    app.command("lineage")(lineage)
    app.command("diff-runs")(diff_runs)
    app.command("upgrade")(upgrade)
