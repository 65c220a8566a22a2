"""Lineage subgraphs: a bounded breadth-first walk over events from a set of starting nodes.

The walk is ML Metadata's ``get_lineage_subgraph`` (ml-metadata 1.17) in one recursive SQL
statement (``sql.subgraph_walk``), one whole level of the search per step; this module reads
which events were crossed from the levels it returns, and then the nodes, contexts and types.

- A hop crosses one event: artifact -> execution or execution -> artifact. Starting from
  artifacts, hop 1 reaches executions, hop 2 artifacts, and so on.
- ``max_num_hops``: None means :data:`MAX_NUM_HOPS` (100); larger values are lowered to it;
  a negative value is an InvalidArgumentError.
- Starting nodes: the nodes a filter query (or an id list) selects, lowest ids first, at most
  ``max_starting_nodes`` of them (:data:`MAX_STARTING_NODES` = 101: ml-metadata documents "100"
  but its list query keeps one more row; the rest are silently dropped). None selected is a
  NotFoundError.
- Direction: an INPUT-like event (INPUT, DECLARED_INPUT, INTERNAL_INPUT) runs artifact ->
  execution, an OUTPUT-like one (OUTPUT, DECLARED_OUTPUT, INTERNAL_OUTPUT, PENDING_OUTPUT)
  execution -> artifact. UPSTREAM follows events against their direction (from an artifact to
  the executions that produced it), DOWNSTREAM along it, BIDIRECTIONAL follows every event.
- Ending nodes: a node matching ``ending_artifacts`` / ``ending_executions`` is not expanded
  further; it (and the events that reach it) is returned only with ``include``. A starting node
  can itself be an ending node. An empty filter query matches every node; one that does not
  compile is an error only once the walk meets a node of its kind.
- Events: every event crossed while reaching a new node. In UPSTREAM / DOWNSTREAM walks an event
  that reaches an already visited node is kept too (the graph is a DAG seen from the start); a
  BIDIRECTIONAL walk leaves those out (each such event was already crossed the other way).
- Contexts are those the returned artifacts are attributed to and the returned executions
  associated with; attributions and associations are those of the returned nodes.

Order of the results (what ml-metadata returns from SQLite): nodes and contexts by id; events
hop by hop, within a hop by (artifact_id, execution_id, type) when leaving artifacts and by
(execution_id, event id) when leaving executions; attributions and associations by their row id;
artifact types in the order their artifacts first appear, execution and context types by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from sqlalchemy import Connection, select, true

from .errors import InvalidArgumentError, NotFoundError
from .model import (
    EVENT_TYPE_BY_VALUE,
    INPUT_EVENT_TYPES,
    OUTPUT_EVENT_TYPES,
    Artifact,
    ArtifactType,
    Association,
    Attribution,
    Context,
    ContextType,
    Event,
    EventType,
    Execution,
    ExecutionType,
    NodeKind,
)
from .sql import edges as edges_sql
from .sql import nodes as nodes_sql
from .sql import subgraph_walk
from .sql import types as types_sql
from .sql.nodes import NODE_TABLES
from .sql.queries import NodeQuery
from .sql.raw import Raw, chunks, marks

MAX_NUM_HOPS = 100
MAX_STARTING_NODES = 101

# A set of nodes: a filter query (ml-metadata's syntax) or explicit ids.
NodeSelector = str | Sequence[int]

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT


class Direction(IntEnum):
    """Which events a walk follows; the numbers are ``LineageSubgraphQueryOptions.Direction``'s."""

    UPSTREAM = 1
    DOWNSTREAM = 2
    BIDIRECTIONAL = 3


@dataclass(frozen=True)
class EndingNodes:
    """Nodes where the walk stops: a filter query or ids; ``include`` returns them too."""

    nodes: NodeSelector
    include: bool = False


PARTS = frozenset(
    {
        "artifacts",
        "executions",
        "contexts",
        "events",
        "attributions",
        "associations",
        "artifact_types",
        "execution_types",
        "context_types",
    }
)


@dataclass
class LineageSubgraph:
    """The nodes, edges and types a lineage query returned (only the parts asked for)."""

    artifacts: list[Artifact] = field(default_factory=list)
    executions: list[Execution] = field(default_factory=list)
    contexts: list[Context] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    associations: list[Association] = field(default_factory=list)
    artifact_types: list[ArtifactType] = field(default_factory=list)
    execution_types: list[ExecutionType] = field(default_factory=list)
    context_types: list[ContextType] = field(default_factory=list)


@dataclass
class _Walk:
    """What a traversal found: visited and ending node ids per kind, and the events crossed."""

    visited: dict[NodeKind, set[int]]
    ending: dict[NodeKind, set[int]]
    events: list[tuple[int, Event]]


def lineage_subgraph(
    conn: Connection,
    *,
    starting_artifacts: NodeSelector | None = None,
    starting_executions: NodeSelector | None = None,
    max_num_hops: int | None = None,
    direction: Direction | int = Direction.BIDIRECTIONAL,
    ending_artifacts: EndingNodes | None = None,
    ending_executions: EndingNodes | None = None,
    parts: Iterable[str] = PARTS,
    max_starting_nodes: int | None = MAX_STARTING_NODES,
) -> LineageSubgraph:
    """The lineage subgraph around the starting artifacts or executions (see the module doc)."""
    wanted = set(parts)
    unknown = wanted - PARTS
    if unknown:
        raise InvalidArgumentError(
            f"unknown lineage subgraph parts {sorted(unknown)}; choose from {sorted(PARTS)}"
        )
    if starting_artifacts is not None and starting_executions is not None:
        raise InvalidArgumentError("give starting artifacts or starting executions, not both")
    if starting_artifacts is not None:
        start_kind, selector = A, starting_artifacts
    elif starting_executions is not None:
        start_kind, selector = E, starting_executions
    else:
        raise InvalidArgumentError("Missing arguments for listing starting nodes.")
    if isinstance(selector, str) and not selector:
        raise InvalidArgumentError("Cannot list starting nodes if `filter_query` is unspecified.")
    hops = MAX_NUM_HOPS if max_num_hops is None else max_num_hops
    if hops < 0:
        raise InvalidArgumentError(f"max_num_hops cannot be negative: max_num_hops = {hops}")
    hops = min(hops, MAX_NUM_HOPS)
    try:
        direction = Direction(direction) if direction else Direction.BIDIRECTIONAL
    except ValueError:
        raise InvalidArgumentError(f"unknown lineage direction {direction!r}") from None

    start_ids = starting_ids(conn, start_kind, selector, max_starting_nodes)
    ending = {A: ending_artifacts, E: ending_executions}
    walk = _traverse(conn, start_kind, start_ids, hops, direction, ending)

    ids = {}
    for kind in (A, E):
        found = set(walk.visited[kind])
        spec = ending[kind]
        if spec is not None and spec.include:
            found |= walk.ending[kind]
        ids[kind] = sorted(found)
    return _assemble(conn, ids, walk.events, wanted)


def starting_ids(
    conn: Connection, kind: NodeKind, selector: NodeSelector, limit: int | None
) -> list[int]:
    """Ids of the starting nodes, lowest first, at most ``limit``; NotFoundError if none."""
    table = NODE_TABLES[kind].table
    if isinstance(selector, str):
        query = select(table.c.id).where(NodeQuery(filter_query=selector).clause(kind))
        query = query.order_by(table.c.id)
        if limit is not None:
            query = query.limit(limit)
        found = list(conn.execute(query).scalars())
    else:
        found = []
        raw = Raw(conn)
        for part in chunks(sorted(set(selector))):
            rows = raw.rows(f"SELECT id FROM {table.name} WHERE id IN ({marks(len(part))})", part)
            found.extend(row[0] for row in rows)
        found.sort()
        if limit is not None:
            found = found[:limit]
    if not found:
        raise NotFoundError("Cannot find qualified nodes to start the traversal.")
    return found


def _followed_types(from_artifacts: bool, direction: Direction) -> frozenset[EventType] | None:
    """Event types a hop follows; None for all of them."""
    if direction is Direction.BIDIRECTIONAL:
        return None
    # Upstream from an artifact means to the executions that output it; downstream from an
    # execution means to the artifacts it output.
    outputs = (direction is Direction.UPSTREAM) == from_artifacts
    return OUTPUT_EVENT_TYPES if outputs else INPUT_EVENT_TYPES


def _traverse(
    conn: Connection,
    start_kind: NodeKind,
    start_ids: list[int],
    hops: int,
    direction: Direction,
    ending_specs: dict[NodeKind, EndingNodes | None],
) -> _Walk:
    ending_nodes: dict[NodeKind, subgraph_walk.Ending] = {}
    unusable = None
    for kind, spec in ending_specs.items():
        if spec is None or not isinstance(spec.nodes, str):
            ending_nodes[kind] = None if spec is None else spec.nodes
            continue
        try:  # "" matches every node
            ending_nodes[kind] = NodeQuery(filter_query=spec.nodes).clause(kind)
        except InvalidArgumentError as error:
            if kind is start_kind:
                raise
            # ml-metadata tests an ending filter only against the nodes a walk meets: walk as
            # if every node of this kind ended it, and fail if the walk met one.
            ending_nodes[kind], unusable = true(), error
    followed = {kind: _followed_types(kind is A, direction) for kind in (A, E)}
    levels = subgraph_walk.walk(conn, start_kind, start_ids, hops, followed, ending_nodes)
    if unusable is not None and levels.events:
        raise unusable

    visited = {kind: set(found) for kind, found in levels.hops.items()}
    ending: dict[NodeKind, set[int]] = {A: set(), E: set()}
    ending[start_kind] = set(start_ids) - visited[start_kind]
    directional = direction is not Direction.BIDIRECTIONAL
    kept = []
    for row in levels.events:
        hop, _, artifact_id, execution_id, _, _ = row
        to_kind = A if hop % 2 == levels.artifact_parity else E
        end = artifact_id if to_kind is A else execution_id
        reached_at = levels.hops[to_kind].get(end)
        if reached_at is None:  # only ending nodes are reached but not visited
            ending[to_kind].add(end)
            spec = ending_specs[to_kind]
            keep = spec is not None and spec.include
        else:
            keep = reached_at == hop or directional
        if keep:
            kept.append(row)

    def order(row: tuple) -> tuple[int, int, int, int]:
        hop, event_id, artifact_id, execution_id, event_type, _ = row
        if hop % 2 == levels.artifact_parity:  # the hop left executions
            return hop, execution_id, event_id, 0
        return hop, artifact_id, execution_id, event_type

    kept.sort(key=order)
    crossed = [
        (event_id, Event(artifact_id, execution_id, EVENT_TYPE_BY_VALUE[event_type], [], ms))
        for _, event_id, artifact_id, execution_id, event_type, ms in kept
    ]
    return _Walk(visited, ending, crossed)


def _links(conn: Connection, table: str, member: str, ids: list[int]) -> list[tuple[int, int, int]]:
    """(row id, context id, member id) of the links of these nodes, by row id."""
    raw = Raw(conn)
    rows: list[tuple[int, int, int]] = []
    for part in chunks(ids):
        rows.extend(
            raw.rows(
                f"SELECT id, context_id, {member} FROM {table} "
                f"WHERE {member} IN ({marks(len(part))})",
                part,
            )
        )
    rows.sort()
    return rows


def _type_ids(conn: Connection, kind: NodeKind, ids: list[int]) -> list[int]:
    """The type ids of these nodes, in node id order, each once."""
    table = NODE_TABLES[kind].table.name
    raw = Raw(conn)
    pairs: list[tuple[int, int]] = []
    for part in chunks(ids):
        pairs.extend(
            raw.rows(f"SELECT id, type_id FROM {table} WHERE id IN ({marks(len(part))})", part)
        )
    pairs.sort()
    return list(dict.fromkeys(type_id for _, type_id in pairs))


def _assemble(
    conn: Connection,
    ids: dict[NodeKind, list[int]],
    events: list[tuple[int, Event]],
    wanted: set[str],
) -> LineageSubgraph:
    graph = LineageSubgraph()
    if "artifacts" in wanted:
        graph.artifacts = nodes_sql.load_nodes_by_id(conn, A, ids[A])
    if "executions" in wanted:
        graph.executions = nodes_sql.load_nodes_by_id(conn, E, ids[E])
    if "events" in wanted:
        edges_sql.attach_paths(conn, dict(events))
        graph.events = [event for _, event in events]
    attributions = associations = None
    if wanted & {"attributions", "associations", "contexts", "context_types"}:
        attributions = _links(conn, "Attribution", "artifact_id", ids[A])
        associations = _links(conn, "Association", "execution_id", ids[E])
    if "attributions" in wanted:
        graph.attributions = [Attribution(c, a) for _, c, a in attributions]
    if "associations" in wanted:
        graph.associations = [Association(c, e) for _, c, e in associations]
    if wanted & {"contexts", "context_types"}:
        context_ids = sorted({c for _, c, _ in attributions} | {c for _, c, _ in associations})
        contexts = nodes_sql.load_nodes_by_id(conn, C, context_ids)
        if "contexts" in wanted:
            graph.contexts = contexts
        if "context_types" in wanted:
            graph.context_types = types_sql.types_by_id(
                conn, C, sorted({c.type_id for c in contexts})
            )
    if "artifact_types" in wanted:
        order = _type_ids(conn, A, ids[A])
        by_id = {t.id: t for t in types_sql.types_by_id(conn, A, order)}
        graph.artifact_types = [by_id[i] for i in order if i in by_id]
    if "execution_types" in wanted:
        graph.execution_types = types_sql.types_by_id(
            conn, E, sorted(set(_type_ids(conn, E, ids[E])))
        )
    return graph
