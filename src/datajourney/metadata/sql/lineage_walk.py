"""Upstream / downstream closure of a node over events, in one recursive SQL query.

The walk runs on artifacts, two event hops per step: upstream, from an artifact to the
executions that output it and on to their inputs; downstream, from an artifact to the executions
that consumed it and on to their outputs. With ``max_hops``, each row carries the number of
events crossed from the starting node, so the bound holds inside the database. The executions
in between come from the events of the artifacts found, read by the same query.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from ..model import EVENT_TYPE_BY_VALUE, INPUT_EVENT_TYPES, OUTPUT_EVENT_TYPES, Event, NodeKind
from .edges import attach_paths
from .raw import Raw, marks

_IN = tuple(sorted(int(t) for t in INPUT_EVENT_TYPES))
_OUT = tuple(sorted(int(t) for t in OUTPUT_EVENT_TYPES))
UNBOUNDED = 1 << 40
# PostgreSQL plans a recursive step once, for a guessed handful of rows: on a small Event table
# it then hashes or scans the whole table at every step, which makes a walk quadratic in its
# length (0.5 s for 2,000 steps). With index lookups in nested loops only, each step reads just
# the events of the artifacts it reached (30 ms).
_PLANNER_SETTINGS = ("enable_hashjoin", "enable_mergejoin", "enable_seqscan")


@dataclass
class Closure:
    """Node ids found by a walk, each with the events crossed to reach it, and those events."""

    artifacts: dict[int, int]
    executions: dict[int, int]
    events: list[Event]


def closure(
    conn: Connection, kind: NodeKind, node_id: int, upstream: bool, max_hops: int | None
) -> Closure:
    """Every node upstream (or downstream) of one artifact or execution, within ``max_hops``."""
    limit = UNBOUNDED if max_hops is None else max_hops
    raw = Raw(conn)
    # Upstream, an artifact is reached from the execution that output it, and an execution
    # from the artifacts it read; downstream the other way round.
    toward_execution, toward_artifact = (_OUT, _IN) if upstream else (_IN, _OUT)
    # Bounded walks carry the events crossed so far. UNION only merges equal rows, so a node
    # reached by paths of several lengths is expanded once per length: an unbounded walk
    # leaves the count out, and then expands each artifact once.
    counted = max_hops is not None
    hop_column, hop_step = (", hops", ", w.hops + 2") if counted else ("", "")
    if kind is NodeKind.ARTIFACT:
        seed_sql = f"SELECT id{', 0' if counted else ''} FROM Artifact WHERE id = ?"
        seed_params: tuple[int, ...] = (node_id,)
    else:
        seed_sql = (
            f"SELECT artifact_id{', 1' if counted else ''} FROM Event WHERE execution_id = ? "
            f"AND type IN ({marks(len(toward_artifact))})"
        )
        seed_params = (node_id, *toward_artifact)
    step = (
        f"SELECT nxt.artifact_id{hop_step} FROM walk w "
        "JOIN Event via ON via.artifact_id = w.id "
        "JOIN Event nxt ON nxt.execution_id = via.execution_id "
        f"WHERE via.type IN ({marks(len(toward_execution))}) "
        f"AND nxt.type IN ({marks(len(toward_artifact))})"
        + (" AND w.hops + 2 <= ?" if counted else "")
    )
    # The artifacts found, each with its events (one row per event, or one without).
    index_lookups = conn.dialect.name == "postgresql"
    if index_lookups:  # see _PLANNER_SETTINGS
        raw.run("; ".join(f"SET LOCAL {name} = off" for name in _PLANNER_SETTINGS))
    # An unbounded walk's rows are distinct already (UNION); a bounded one keeps each
    # artifact's shortest distance.
    found = "walk" if not counted else "(SELECT id, MIN(hops) AS hops FROM walk GROUP BY id)"
    rows = raw.rows(
        f"WITH RECURSIVE walk(id{hop_column}) AS ({seed_sql} UNION {step}) "
        f"SELECT f.id, {'f.hops' if counted else '0'}, e.id, e.execution_id, e.type, "
        f"e.milliseconds_since_epoch FROM {found} f LEFT JOIN Event e ON e.artifact_id = f.id "
        "ORDER BY e.id",
        (*seed_params, *toward_execution, *toward_artifact, *((limit,) if counted else ())),
    )
    if index_lookups:
        raw.run("; ".join(f"RESET {name}" for name in _PLANNER_SETTINGS))
    artifacts = {artifact_id: hops for artifact_id, hops, *_ in rows if hops <= limit}
    executions: dict[int, int] = {node_id: 0} if kind is NodeKind.EXECUTION else {}
    for _, hops, _, execution_id, event_type, _ in rows:
        if event_type in toward_execution and hops < min(
            limit, executions.get(execution_id, limit + 1)
        ):
            executions[execution_id] = hops + 1
    events = {
        event_id: Event(artifact_id, execution_id, EVENT_TYPE_BY_VALUE[event_type], [], ms)
        for artifact_id, hops, event_id, execution_id, event_type, ms in rows
        if execution_id in executions
        and hops <= limit
        and (event_type in _IN or event_type in _OUT)
    }
    attach_paths(conn, events)
    return Closure(artifacts, executions, list(events.values()))
