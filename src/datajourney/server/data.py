"""What the API returns and the UI pages show, as plain JSON-able dicts.

Every function takes the ``MetadataStore`` first and returns a dict (or raises the store's
errors: NotFoundError, InvalidArgumentError...). The REST routes return these dicts as they
are; a UI page renders the same dict and its ``.json`` twin returns it, so the three agree.

Node dicts (``node_json``): ``kind`` ("artifact" | "execution" | "context"), ``id``, ``type``,
``type_id``, ``name``, ``external_id``, ``uri`` and ``state`` (artifacts), ``state``
(executions: last known state), ``properties``, ``custom_properties``, ``create_time`` and
``update_time`` (ms since the epoch). Enum values are their names. A protobuf property value is
``{"type_url": ..., "value_base64": ...}``; a NaN or infinite double is the string "NaN",
"Infinity" or "-Infinity".
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Iterable
from typing import Any, Literal

from datajourney.metadata.errors import InvalidArgumentError, NotFoundError
from datajourney.metadata.lineage_graph import DIRECTIONS, LineageGraph
from datajourney.metadata.model import (
    INPUT_EVENT_TYPES,
    AnyNode,
    AnyType,
    Artifact,
    Context,
    Event,
    Execution,
    ExecutionState,
    NodeKind,
    ProtoValue,
)
from datajourney.metadata.sql.queries import NodeQuery
from datajourney.metadata.store import MetadataStore
from datajourney.metadata.tracking import friendly_filter

from .governance import describe_metadata

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
# Lineage graphs are cut at this many nodes (the UI expands from there, never draws all).
MAX_LINEAGE_NODES = 5000
ORDER_FIELDS = ("id", "create_time", "update_time")
_ORDER_ATTRIBUTES = {
    "id": "id",
    "create_time": "create_time_since_epoch",
    "update_time": "last_update_time_since_epoch",
}
KINDS = {
    "artifacts": NodeKind.ARTIFACT,
    "executions": NodeKind.EXECUTION,
    "contexts": NodeKind.CONTEXT,
}
KindLiteral = Literal["artifact", "execution", "context"]
KIND_NAMES = {kind: name.removesuffix("s") for name, kind in KINDS.items()}


# Values and records ----------------------------------------------------------------------


# Values that are JSON as they are (checked first: most property values are one of these).
_AS_THEY_ARE = frozenset({str, int, bool, type(None)})


def value_json(value: Any) -> Any:
    """A property value as JSON (see the module docstring)."""
    if type(value) in _AS_THEY_ARE:
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, ProtoValue):
        return {"type_url": value.type_url, "value_base64": base64.b64encode(value.value).decode()}
    if isinstance(value, dict):
        return {str(k): value_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [value_json(v) for v in value]
    return value


def node_json(node: AnyNode) -> dict[str, Any]:
    """An artifact, execution or context as a dict."""
    out: dict[str, Any] = {
        "kind": KIND_NAMES[node.kind],
        "id": node.id,
        "type": node.type,
        "type_id": node.type_id,
        "name": node.name,
        "external_id": node.external_id,
    }
    if isinstance(node, Artifact):
        out["uri"] = node.uri
        out["state"] = node.state.name if node.state is not None else None
    elif isinstance(node, Execution):
        state = node.last_known_state
        out["state"] = state.name if state is not None else None
    out["properties"] = value_json(node.properties)
    out["custom_properties"] = value_json(node.custom_properties)
    out["create_time"] = node.create_time_since_epoch
    out["update_time"] = node.last_update_time_since_epoch
    return out


def type_json(t: AnyType) -> dict[str, Any]:
    """A type as a dict: kind, id, name, version, description, external id, base type and
    declared properties (name -> STRING / INT / DOUBLE...)."""
    return {
        "kind": KIND_NAMES[t.kind],
        "id": t.id,
        "name": t.name,
        "version": t.version,
        "description": t.description,
        "external_id": t.external_id,
        "base_type": t.base_type.name if t.base_type is not None else None,
        "properties": {k: v.name for k, v in t.properties.items()},
    }


def event_json(event: Event) -> dict[str, Any]:
    """An event: artifact and execution ids, type (INPUT, OUTPUT...), direction of the data
    ("input" into the execution or "output" of it), path and time."""
    return {
        "artifact_id": event.artifact_id,
        "execution_id": event.execution_id,
        "type": event.type.name,
        "direction": "input" if event.type in INPUT_EVENT_TYPES else "output",
        "path": list(event.path),
        "time": event.milliseconds_since_epoch,
    }


def parse_kind(name: str) -> NodeKind:
    """``artifacts`` / ``artifact`` (and the same for executions, contexts) as a NodeKind."""
    kind = KINDS.get(name) or KINDS.get(f"{name}s")
    if kind is None:
        raise InvalidArgumentError(f"{name!r} is not artifacts, executions or contexts")
    return kind


# Lists -----------------------------------------------------------------------------------


def _page_token(node: AnyNode, order_by: str) -> str:
    value = getattr(node, _ORDER_ATTRIBUTES[order_by]) or 0
    return base64.urlsafe_b64encode(f"{order_by}:{value}:{node.id}".encode()).decode()


def _after(token: str, order_by: str, ascending: bool) -> str:
    """The filter clause selecting the nodes after the page that ``token`` ends."""
    try:
        field, value, last_id = base64.urlsafe_b64decode(token.encode()).decode().split(":")
        value_n, last_n = int(value), int(last_id)
    except (ValueError, UnicodeDecodeError):
        raise InvalidArgumentError(f"page_token {token!r} is not one this server gave") from None
    if field != order_by:
        raise InvalidArgumentError(
            f"page_token was made for order_by={field}, not order_by={order_by}"
        )
    op = ">" if ascending else "<"
    if order_by == "id":
        return f"id {op} {last_n}"
    column = _ORDER_ATTRIBUTES[order_by]
    return f"({column} {op} {value_n} OR ({column} = {value_n} AND id {op} {last_n}))"


def list_nodes(
    store: MetadataStore,
    kind: NodeKind,
    *,
    type_name: str | None = None,
    context_id: int | None = None,
    filter: str | None = None,
    order_by: str = "id",
    ascending: bool = True,
    limit: int = DEFAULT_LIMIT,
    page_token: str | None = None,
) -> dict[str, Any]:
    """One page of artifacts, executions or contexts: ``{"items": [...], "next_page_token":
    ...}``. ``filter`` is the store's filter language (``properties.accuracy > 0.9``,
    ``type = 'Model' AND state = LIVE``...); a page continues where ``page_token`` says."""
    describe_metadata(store)
    if order_by not in ORDER_FIELDS:
        raise InvalidArgumentError(f"order_by {order_by!r}: choose one of {ORDER_FIELDS}")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgumentError(f"limit {limit}: give 1 to {MAX_LIMIT}")
    clauses = []
    if filter and filter.strip():
        declared = {}
        if type_name:
            found = store.find_type(kind, type_name)
            declared = found.properties if found else {}
        clauses.append(f"({friendly_filter(filter, declared)})")
    if page_token:
        clauses.append(_after(page_token, order_by, ascending))
    query = NodeQuery(
        type_name=type_name,
        context_id=context_id,
        filter_query=" AND ".join(clauses) or None,
        order_by=order_by,  # type: ignore[arg-type]
        ascending=ascending,
        limit=limit + 1,
    )
    found = store.get(kind, query)
    page, more = found[:limit], len(found) > limit
    return {
        "kind": KIND_NAMES[kind] + "s",
        "items": [node_json(n) for n in page],
        "next_page_token": _page_token(page[-1], order_by) if more else None,
        "limit": limit,
        "order_by": order_by,
        "ascending": ascending,
        "filter": filter or None,
        "type": type_name,
        "context_id": context_id,
    }


def list_types(store: MetadataStore, kind: NodeKind | None = None) -> dict[str, Any]:
    """The registered types (of one kind, or all): ``{"items": [...]}``."""
    describe_metadata(store)
    kinds = [kind] if kind is not None else list(KINDS.values())
    items = [type_json(t) for k in kinds for t in store.get_types(k)]
    return {"items": items}


def get_type(store: MetadataStore, kind: NodeKind, name: str, version: str | None = None) -> dict:
    """One type by name (and version)."""
    describe_metadata(store)
    return type_json(store.get_type(kind, name, version))


def list_events(
    store: MetadataStore, artifact_ids: Iterable[int] = (), execution_ids: Iterable[int] = ()
) -> dict[str, Any]:
    """The events touching these artifacts or executions: ``{"items": [...]}``."""
    describe_metadata(store)
    a, e = list(artifact_ids), list(execution_ids)
    if not a and not e:
        raise InvalidArgumentError("give artifact_id or execution_id (one or more)")
    return {"items": [event_json(x) for x in store.get_events(a, e)]}


# Details ---------------------------------------------------------------------------------


def get_node(store: MetadataStore, kind: NodeKind, node_id: int) -> AnyNode:
    """The node, or NotFoundError naming it."""
    found = store.get(kind, NodeQuery(ids=[node_id]))
    if not found:
        raise NotFoundError(f"no {KIND_NAMES[kind]} with id {node_id}")
    return found[0]


def _brief(node: AnyNode) -> dict[str, Any]:
    out = {"kind": KIND_NAMES[node.kind], "id": node.id, "type": node.type, "name": node.name}
    if isinstance(node, Artifact):
        out["uri"] = node.uri
        out["state"] = node.state.name if node.state is not None else None
    elif isinstance(node, Execution):
        state = node.last_known_state
        out["state"] = state.name if state is not None else None
    return out


def node_detail(
    store: MetadataStore, kind: NodeKind, node_id: int, members: int = 100
) -> dict[str, Any]:
    """A node with its type, events (with the node at their other end), contexts, and for a
    context its parents, children and first ``members`` artifacts and executions."""
    describe_metadata(store)
    return written_node_detail(store, kind, node_id, members)


def written_node_detail(
    store: MetadataStore, kind: NodeKind, node_id: int, members: int = 100
) -> dict[str, Any]:
    """``node_detail`` without asking the policy (what a write route answers with, the
    write itself having been allowed)."""
    with store.transaction():
        node = get_node(store, kind, node_id)
        out = node_json(node)
        found = store.get_types(kind, ids=[node.type_id])
        out["type_info"] = type_json(found[0]) if found else None
        if isinstance(node, Context):
            out["parents"] = [_brief(c) for c in store.get_contexts(child_id=node_id)]
            out["children"] = [_brief(c) for c in store.get_contexts(parent_id=node_id)]
            for name, member in (
                ("artifacts", NodeKind.ARTIFACT),
                ("executions", NodeKind.EXECUTION),
            ):
                nodes = store.get(member, NodeQuery(context_id=node_id, limit=members + 1))
                out[name] = [_brief(n) for n in nodes[:members]]
                out[f"more_{name}"] = len(nodes) > members
            return out
        is_artifact = isinstance(node, Artifact)
        events = store.get_events(
            artifact_ids=[node_id] if is_artifact else [],
            execution_ids=[] if is_artifact else [node_id],
        )
        other_kind = NodeKind.EXECUTION if is_artifact else NodeKind.ARTIFACT
        other_ids = sorted({e.execution_id if is_artifact else e.artifact_id for e in events})
        others = (
            {n.id: n for n in store.get(other_kind, NodeQuery(ids=other_ids))} if other_ids else {}
        )
        out["events"] = []
        for event in events:
            other = others.get(event.execution_id if is_artifact else event.artifact_id)
            out["events"].append({**event_json(event), "other": _brief(other) if other else None})
        query = NodeQuery(artifact_id=node_id) if is_artifact else NodeQuery(execution_id=node_id)
        out["contexts"] = [_brief(c) for c in store.get(NodeKind.CONTEXT, query)]
    return out


# Lineage ---------------------------------------------------------------------------------


def _key(kind: str, node_id: int) -> str:
    return f"{kind}:{node_id}"


def lineage_json(graph: LineageGraph, direction: str, depth: int | None) -> dict[str, Any]:
    """A lineage graph as nodes and edges for drawing: node ``key`` is ``artifact:12`` or
    ``execution:3``; an edge runs in the direction the data flowed."""
    nodes = []
    for kind, table in (("artifact", graph.artifacts), ("execution", graph.executions)):
        for node_id in sorted(table):
            node = table[node_id]
            nodes.append(
                {
                    **_brief(node),
                    "key": _key(kind, node_id),
                    "contexts": graph.memberships.get((kind, node_id), []),
                }
            )
    edges = []
    for event in graph.events:
        a, e = _key("artifact", event.artifact_id), _key("execution", event.execution_id)
        is_input = event.type in INPUT_EVENT_TYPES
        source, target = (a, e) if is_input else (e, a)
        edges.append({"source": source, "target": target, "type": event.type.name})
    return {
        "focus": _key(*graph.focus),
        "direction": direction,
        "depth": depth,
        "nodes": nodes,
        "edges": edges,
        "contexts": [_brief(c) for _, c in sorted(graph.contexts.items())],
    }


def lineage(
    store: MetadataStore,
    kind: str,
    node_id: int,
    direction: str = "both",
    depth: int | None = None,
) -> dict[str, Any]:
    """The lineage of an artifact or execution (``kind``), ``direction`` "upstream",
    "downstream" or "both", ``depth`` events at most (None: all)."""
    describe_metadata(store)
    if kind not in ("artifact", "execution", "artifacts", "executions"):
        raise InvalidArgumentError(f"lineage of {kind!r}: give artifact or execution")
    if direction not in DIRECTIONS:
        raise InvalidArgumentError(f"direction {direction!r}: choose one of {DIRECTIONS}")
    if depth is not None and depth < 0:
        raise InvalidArgumentError(f"depth cannot be negative: {depth}")
    node_kind = NodeKind.ARTIFACT if kind.startswith("artifact") else NodeKind.EXECUTION
    graph = store.backend.lineage(node_kind, node_id, direction, depth)
    return lineage_json(graph, direction, depth)


# Comparison and overview -----------------------------------------------------------------


def run_diff(store: MetadataStore, a: int, b: int) -> dict[str, Any]:
    """How execution ``b`` differs from ``a``: parameters, inputs and outputs."""
    describe_metadata(store)
    diff = store.diff_executions(a, b)
    return {
        "a": _brief(diff.a),
        "b": _brief(diff.b),
        "parameters": {
            k: {"a": value_json(x), "b": value_json(y)} for k, (x, y) in diff.parameters.items()
        },
        "identical_inputs": diff.identical_inputs,
        "inputs_only_a": [_brief(x) for x in diff.inputs_only_a],
        "inputs_only_b": [_brief(x) for x in diff.inputs_only_b],
        "same_inputs": [{"a": _brief(x), "b": _brief(y)} for x, y in diff.same_inputs],
        "outputs": [
            {
                "a": _brief(x) if x else None,
                "b": _brief(y) if y else None,
                "changes": {
                    k: {"a": value_json(u), "b": value_json(v)} for k, (u, v) in ch.items()
                },
            }
            for x, y, ch in diff.outputs
        ],
        "summary": str(diff),
    }


def summary(store: MetadataStore, recent: int = 20) -> dict[str, Any]:
    """The home page: the newest runs with their states, what failed, and node counts by
    type (one COUNT query per kind, however large the store)."""
    describe_metadata(store)
    from .store_queries import counts_by_type

    with store.transaction():
        runs = store.get(
            NodeKind.EXECUTION, NodeQuery(order_by="create_time", ascending=False, limit=recent)
        )
        failed = store.get(
            NodeKind.EXECUTION,
            NodeQuery(
                filter_query=f"last_known_state = {ExecutionState.FAILED.name}",
                order_by="create_time",
                ascending=False,
                limit=recent,
            ),
        )
        counts = {name: counts_by_type(store, kind) for name, kind in KINDS.items()}
    return {
        "recent_runs": [node_json(e) for e in runs],
        "failed_runs": [node_json(e) for e in failed],
        "counts": counts,
        "store": re.sub(r"://([^:/@]+):[^@/]*@", r"://\1:***@", store.url),
    }
