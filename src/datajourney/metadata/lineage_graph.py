"""``LineageGraph``: what a node came from and what came of it, as a graph users can explore.

Nodes are artifacts and executions (with their types and properties), edges are events (an
INPUT event runs artifact -> execution, an OUTPUT event execution -> artifact), and the contexts
of the nodes come along. Export to networkx, Graphviz DOT, Mermaid and JSON.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection

from .errors import InvalidArgumentError, NotFoundError
from .model import (
    INPUT_EVENT_TYPES,
    AnyNode,
    Artifact,
    Context,
    Event,
    Execution,
    NodeKind,
)
from .sql import edges as edges_sql
from .sql import nodes as nodes_sql
from .sql.lineage_walk import closure

NodeKey = tuple[str, int]  # ("artifact" | "execution", id)


def node_key(node: AnyNode | NodeKey) -> NodeKey:
    """The key of an artifact or execution: ("artifact", id) or ("execution", id)."""
    if isinstance(node, tuple):
        return node
    if isinstance(node, Artifact | Execution) and node.id is not None:
        return (node.kind.name.lower(), node.id)
    raise InvalidArgumentError(f"{node!r} is not a stored artifact or execution")


def _edge(event: Event) -> tuple[NodeKey, NodeKey]:
    """An event as (source, target) in the direction data flows."""
    artifact, execution = ("artifact", event.artifact_id), ("execution", event.execution_id)
    return (artifact, execution) if event.type in INPUT_EVENT_TYPES else (execution, artifact)


@dataclass
class LineageGraph:
    """Artifacts, executions and the events between them, around a ``focus`` node."""

    focus: NodeKey
    artifacts: dict[int, Artifact] = field(default_factory=dict)
    executions: dict[int, Execution] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    contexts: dict[int, Context] = field(default_factory=dict)
    # node key -> ids of the contexts it belongs to
    memberships: dict[NodeKey, list[int]] = field(default_factory=dict)

    def node(self, key: NodeKey) -> Artifact | Execution:
        """The artifact or execution with this key."""
        kind, node_id = key
        found = (self.artifacts if kind == "artifact" else self.executions).get(node_id)
        if found is None:
            raise NotFoundError(f"{kind} {node_id} is not in this lineage graph")
        return found

    @property
    def edges(self) -> list[tuple[NodeKey, NodeKey]]:
        """(source, target) pairs in the direction data flows, one per event."""
        return [_edge(e) for e in self.events]

    def _reachable(self, start: NodeKey, forward: bool) -> set[NodeKey]:
        neighbours: dict[NodeKey, list[NodeKey]] = {}
        for source, target in self.edges:
            a, b = (source, target) if forward else (target, source)
            neighbours.setdefault(a, []).append(b)
        seen = {start}
        queue = deque([start])
        while queue:
            for nxt in neighbours.get(queue.popleft(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def _restricted(self, keys: set[NodeKey]) -> LineageGraph:
        return LineageGraph(
            focus=self.focus,
            artifacts={i: a for i, a in self.artifacts.items() if ("artifact", i) in keys},
            executions={i: e for i, e in self.executions.items() if ("execution", i) in keys},
            events=[e for e in self.events if set(_edge(e)) <= keys],
            contexts=self.contexts,
            memberships={k: v for k, v in self.memberships.items() if k in keys},
        )

    def upstream(self) -> LineageGraph:
        """The part of the graph the focus node came from (the focus included)."""
        return self._restricted(self._reachable(self.focus, forward=False))

    def downstream(self) -> LineageGraph:
        """The part of the graph that came from the focus node (the focus included)."""
        return self._restricted(self._reachable(self.focus, forward=True))

    def path(self, source: AnyNode | NodeKey, target: AnyNode | NodeKey) -> list[NodeKey]:
        """How ``target`` came from ``source``: the nodes of a shortest path along the data
        flow, both ends included; NotFoundError if ``target`` does not derive from ``source``."""
        start, goal = node_key(source), node_key(target)
        previous: dict[NodeKey, NodeKey | None] = {start: None}
        queue = deque([start])
        forward: dict[NodeKey, list[NodeKey]] = {}
        for a, b in self.edges:
            forward.setdefault(a, []).append(b)
        while queue:
            current = queue.popleft()
            if current == goal:
                steps = []
                at: NodeKey | None = current
                while at is not None:
                    steps.append(at)
                    at = previous[at]
                return steps[::-1]
            for nxt in forward.get(current, ()):
                if nxt not in previous:
                    previous[nxt] = current
                    queue.append(nxt)
        raise NotFoundError(f"{goal[0]} {goal[1]} does not derive from {start[0]} {start[1]}")

    # Export ------------------------------------------------------------------------------

    def _label(self, key: NodeKey) -> str:
        node = self.node(key)
        name = node.name or (getattr(node, "uri", None) or "")
        return f"{node.type or key[0]} {key[1]}" + (f": {name}" if name else "")

    def _keys(self) -> list[NodeKey]:
        return [("artifact", i) for i in sorted(self.artifacts)] + [
            ("execution", i) for i in sorted(self.executions)
        ]

    def to_networkx(self) -> Any:
        """A ``networkx.DiGraph``: nodes keyed ("artifact", id) / ("execution", id) with their
        record as the ``node`` attribute, edges along the data flow with the ``event``."""
        try:
            import networkx
        except ImportError as error:
            raise ImportError("to_networkx() needs networkx: pip install networkx") from error
        graph = networkx.DiGraph()
        for key in self._keys():
            graph.add_node(key, node=self.node(key), label=self._label(key))
        for event in self.events:
            source, target = _edge(event)
            graph.add_edge(source, target, event=event)
        return graph

    def to_dot(self) -> str:
        """Graphviz DOT text: artifacts as ellipses, executions as boxes."""
        lines = ["digraph lineage {", "  rankdir=LR;"]
        for kind, node_id in self._keys():
            shape = "ellipse" if kind == "artifact" else "box"
            style = ", penwidth=2" if (kind, node_id) == self.focus else ""
            label = json.dumps(self._label((kind, node_id)))
            lines.append(f"  {kind[0]}{node_id} [label={label}, shape={shape}{style}];")
        for (sk, si), (tk, ti) in self.edges:
            lines.append(f"  {sk[0]}{si} -> {tk[0]}{ti};")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def to_mermaid(self) -> str:
        """Mermaid flowchart text: artifacts as rounded nodes, executions as boxes."""
        lines = ["flowchart LR"]
        for kind, node_id in self._keys():
            label = self._label((kind, node_id)).replace('"', "'")
            shape = f'("{label}")' if kind == "artifact" else f'["{label}"]'
            lines.append(f"  {kind[0]}{node_id}{shape}")
        for (sk, si), (tk, ti) in self.edges:
            lines.append(f"  {sk[0]}{si} --> {tk[0]}{ti}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The graph as JSON: focus, artifacts, executions, events and contexts."""

        def record(node: Any) -> dict:
            data = asdict(node)
            for key, value in list(data.items()):
                if hasattr(value, "name") and hasattr(value, "value"):  # enums by name
                    data[key] = value.name
            return data

        return json.dumps(
            {
                "focus": {"kind": self.focus[0], "id": self.focus[1]},
                "artifacts": [record(a) for _, a in sorted(self.artifacts.items())],
                "executions": [record(e) for _, e in sorted(self.executions.items())],
                "events": [record(e) for e in self.events],
                "contexts": [record(c) for _, c in sorted(self.contexts.items())],
            },
            default=str,
            indent=1,
        )


DIRECTIONS = ("upstream", "downstream", "both")


def load_lineage(
    conn: Connection, node: AnyNode | int, direction: str = "both", max_hops: int | None = None
) -> LineageGraph:
    """The lineage of an artifact (object or id) or an execution, read in one transaction."""
    if direction not in DIRECTIONS:
        raise InvalidArgumentError(f"direction {direction!r}: choose one of {DIRECTIONS}")
    if max_hops is not None and max_hops < 0:
        raise InvalidArgumentError(f"max_hops cannot be negative: {max_hops}")
    if isinstance(node, int):
        kind, node_id = NodeKind.ARTIFACT, node
    else:
        name, node_id = node_key(node)
        kind = NodeKind.ARTIFACT if name == "artifact" else NodeKind.EXECUTION
    if not nodes_sql.load_nodes_by_id(conn, kind, [node_id]):
        raise NotFoundError(f"no {kind.name.lower()} with id {node_id}")
    artifact_ids: set[int] = set()
    execution_ids: set[int] = set()
    events: dict[tuple[int, int, int], Event] = {}
    for upstream in (True, False):
        if direction == ("downstream" if upstream else "upstream"):
            continue
        found = closure(conn, kind, node_id, upstream, max_hops)
        artifact_ids.update(found.artifacts)
        execution_ids.update(found.executions)
        for event in found.events:
            events.setdefault((event.artifact_id, event.execution_id, event.type), event)
    artifacts = nodes_sql.load_nodes_by_id(conn, NodeKind.ARTIFACT, artifact_ids)
    executions = nodes_sql.load_nodes_by_id(conn, NodeKind.EXECUTION, execution_ids)
    memberships = edges_sql.memberships(conn, sorted(artifact_ids), sorted(execution_ids))
    context_ids = {c for ids in memberships.values() for c in ids}
    contexts = nodes_sql.load_nodes_by_id(conn, NodeKind.CONTEXT, context_ids)
    return LineageGraph(
        focus=(kind.name.lower(), node_id),
        artifacts={a.id: a for a in artifacts},
        executions={e.id: e for e in executions},
        events=[events[k] for k in sorted(events)],
        contexts={c.id: c for c in contexts},
        memberships=memberships,
    )
