"""A lineage graph as an indented text tree, the focus node at the top."""

from __future__ import annotations

from datajourney.metadata.lineage_graph import LineageGraph, NodeKey
from datajourney.metadata.model import Artifact, ArtifactState, ExecutionState


def node_label(graph: LineageGraph, key: NodeKey) -> str:
    """``Type #id`` with the component and state of an execution, the state and file of an
    artifact."""
    node = graph.node(key)
    label = f"{node.type or key[0]} #{key[1]}"
    if isinstance(node, Artifact):
        state = ArtifactState(node.state).name if node.state is not None else ""
        return f"{label} {state} {node.uri or ''}".rstrip()
    component = node.custom_properties.get("component_id")
    state = ExecutionState(node.last_known_state).name if node.last_known_state else ""
    return f"{label}" + (f" [{component}]" if component else "") + (f" {state}" if state else "")


def _folded(graph: LineageGraph) -> dict[NodeKey, NodeKey]:
    """Cached executions (not the focus) whose original execution is in the graph -> it."""
    folded = {}
    for execution_id, execution in graph.executions.items():
        original = ("execution", execution.custom_properties.get("cached_from"))
        key = ("execution", execution_id)
        if key != graph.focus and original[1] in graph.executions:
            folded[key] = original
    return folded


def lineage_tree(graph: LineageGraph, upstream: bool = True) -> str:
    """The graph walked from its focus against (``upstream``) or along the data flow; a node
    met again is shown once more with ``...`` instead of its subtree. Executions served from
    cache are folded into the one whose outputs they reused (``+ cached #7``)."""
    folded = _folded(graph)
    reused_by: dict[NodeKey, list[int]] = {}
    for key, original in sorted(folded.items()):
        reused_by.setdefault(original, []).append(key[1])
    children: dict[NodeKey, list[NodeKey]] = {}
    for source, target in graph.edges:
        parent, child = (target, source) if upstream else (source, target)
        if parent not in folded and child not in folded:
            children.setdefault(parent, []).append(child)
    lines: list[str] = []
    seen: set[NodeKey] = set()

    def walk(key: NodeKey, prefix: str, last: bool, top: bool) -> None:
        label = node_label(graph, key)
        if key in reused_by:
            label += " + cached " + ", ".join(f"#{i}" for i in reused_by[key])
        again = key in seen
        branch = "" if top else ("└── " if last else "├── ")
        lines.append(prefix + branch + label + (" ..." if again else ""))
        if again:
            return
        seen.add(key)
        kids = sorted(set(children.get(key, [])))
        inner = prefix + ("" if top else ("    " if last else "│   "))
        for index, kid in enumerate(kids):
            walk(kid, inner, index == len(kids) - 1, False)

    walk(graph.focus, "", True, True)
    return "\n".join(lines)
