"""Edges: events (artifact <-> execution), attributions and associations (node -> context) and
parent contexts (context -> context)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import Connection, Table, and_, insert, select

from ..errors import AlreadyExistsError, InvalidArgumentError
from ..model import (
    EVENT_TYPE_BY_VALUE,
    Association,
    Attribution,
    Event,
    EventType,
    NodeKind,
    ParentContext,
)
from .nodes import check_exist, insert_returning_ids, now_ms
from .raw import CHUNK, Raw
from .schema import (
    association_table,
    attribution_table,
    event_table,
    parent_context_table,
)


def put_events(
    conn: Connection,
    events: Sequence[Event],
    nodes_known: bool = False,
    new_executions: Collection[int] = (),
) -> None:
    """Insert events and their paths; the artifact and execution must exist.
    ``new_executions``: executions this transaction created (they have no events yet)."""
    for position, e in enumerate(events):
        if e.artifact_id is None:
            raise InvalidArgumentError(f"event at position {position} has no artifact_id")
        if e.execution_id is None:
            raise InvalidArgumentError(f"event at position {position} has no execution_id")
        if EventType(e.type) == EventType.UNKNOWN:
            raise InvalidArgumentError(f"event at position {position} has no type")
    if not nodes_known:  # else the caller wrote these nodes in this transaction
        check_exist(conn, NodeKind.ARTIFACT, [e.artifact_id for e in events], "event")
        check_exist(conn, NodeKind.EXECUTION, [e.execution_id for e in events], "event")
    if not events:
        return
    raw = Raw(conn)
    executions = sorted({e.execution_id for e in events}.difference(new_executions))
    existing: set[tuple[int, int, int]] = set()
    for in_ids, params in raw.id_chunks(executions):
        existing.update(
            raw.rows(
                "SELECT artifact_id, execution_id, type FROM Event "
                f"WHERE execution_id IN ({in_ids})",
                params,
            )
        )
    for position, e in enumerate(events):
        if (e.artifact_id, e.execution_id, int(e.type)) in existing:
            raise AlreadyExistsError(
                f"event at position {position}: artifact {e.artifact_id} already has a "
                f"{EventType(e.type).name} event with execution {e.execution_id}"
            )
    now = now_ms()
    rows = [
        (e.artifact_id, e.execution_id, int(e.type), e.milliseconds_since_epoch or now)
        for e in events
    ]
    columns = ("artifact_id", "execution_id", "type", "milliseconds_since_epoch")
    if not any(e.path for e in events):  # no paths to attach: the ids are not needed
        raw.insert(event_table.name, columns, rows)
        return
    ids = insert_returning_ids(conn, event_table, columns, rows)
    raw.insert(
        "EventPath",
        ("event_id", "is_index_step", "step_index", "step_key"),
        [
            (event_id, True, step, None) if isinstance(step, int) else (event_id, False, None, step)
            for event_id, e in zip(ids, events)
            for step in e.path
        ],
    )


ONE_STATEMENT = CHUNK  # ids of one list that ``events_of`` reads in a single statement


def events_of(
    conn: Connection, artifact_ids: Iterable[int] = (), execution_ids: Iterable[int] = ()
) -> list[Event]:
    """Events touching any of these artifacts or executions, ordered by id, with their paths
    (one query per id list: events joined with their path steps)."""
    raw = Raw(conn)
    found: dict[int, Event] = {}
    for column, ids in (
        ("artifact_id", sorted(set(artifact_ids))),
        ("execution_id", sorted(set(execution_ids))),
    ):
        if not ids:
            continue
        for in_ids, params in raw.id_chunks(ids):
            seen: set[int] = set()
            for (
                event_id,
                artifact_id,
                execution_id,
                event_type,
                ms,
                is_index,
                index,
                key,
            ) in raw.rows(
                "SELECT e.id, e.artifact_id, e.execution_id, e.type, "
                "e.milliseconds_since_epoch, p.is_index_step, p.step_index, p.step_key "
                "FROM Event e LEFT JOIN EventPath p ON p.event_id = e.id "
                f"WHERE e.{column} IN ({in_ids})",
                params,
            ):
                if event_id in found and event_id not in seen:
                    continue  # already read through the other id list, paths included
                seen.add(event_id)
                event = found.get(event_id)
                if event is None:
                    event = Event(
                        artifact_id, execution_id, EVENT_TYPE_BY_VALUE[event_type], [], ms
                    )
                    found[event_id] = event
                if is_index is not None:
                    event.path.append(index if is_index else key)
    return [found[i] for i in sorted(found)]


def attach_paths(conn: Connection, events: dict[int, Event]) -> None:
    """Fill the paths of events (keyed by event id) from the EventPath table."""
    raw = Raw(conn)
    for in_ids, params in raw.id_chunks(sorted(events)):
        for event_id, is_index, index, key in raw.rows(
            "SELECT event_id, is_index_step, step_index, step_key FROM EventPath "
            f"WHERE event_id IN ({in_ids})",
            params,
        ):
            events[event_id].path.append(index if is_index else key)


def put_attributions_and_associations(
    conn: Connection,
    attributions: Sequence[Attribution],
    associations: Sequence[Association],
    nodes_known: bool = False,
) -> None:
    """Link artifacts and executions to contexts; an existing link is left as it is.
    ``nodes_known``: the caller wrote every node named in this transaction (no checks)."""
    if not nodes_known:
        check_exist(conn, NodeKind.CONTEXT, [a.context_id for a in attributions], "attribution")
        check_exist(conn, NodeKind.ARTIFACT, [a.artifact_id for a in attributions], "attribution")
        check_exist(conn, NodeKind.CONTEXT, [a.context_id for a in associations], "association")
        check_exist(conn, NodeKind.EXECUTION, [a.execution_id for a in associations], "association")
    _insert_missing_links(
        conn,
        attribution_table,
        "artifact_id",
        {(a.context_id, a.artifact_id) for a in attributions},
    )
    _insert_missing_links(
        conn,
        association_table,
        "execution_id",
        {(a.context_id, a.execution_id) for a in associations},
    )


def _insert_missing_links(
    conn: Connection, table: Table, member: str, pairs: set[tuple[int, int]]
) -> None:
    Raw(conn).insert(table.name, ("context_id", member), sorted(pairs), skip_duplicates=True)


def put_parent_contexts(conn: Connection, links: Sequence[ParentContext]) -> None:
    """Nest contexts; a link to itself, a repeated link or a cycle is refused."""
    for position, link in enumerate(links):
        if link.child_id == link.parent_id:
            raise InvalidArgumentError(
                f"parent context at position {position}: context {link.child_id} "
                "cannot be its own parent"
            )
    ids = [link.child_id for link in links] + [link.parent_id for link in links]
    check_exist(conn, NodeKind.CONTEXT, ids, "parent context")
    for position, link in enumerate(links):
        exists = conn.execute(
            select(parent_context_table.c.context_id).where(
                and_(
                    parent_context_table.c.context_id == link.child_id,
                    parent_context_table.c.parent_context_id == link.parent_id,
                )
            )
        ).first()
        if exists:
            raise AlreadyExistsError(
                f"parent context at position {position}: context {link.parent_id} is already "
                f"a parent of {link.child_id}"
            )
        if link.child_id in ancestors(conn, link.parent_id):
            raise InvalidArgumentError(
                f"parent context at position {position}: making {link.parent_id} a parent of "
                f"{link.child_id} would create a cycle"
            )
        conn.execute(
            insert(parent_context_table).values(
                context_id=link.child_id, parent_context_id=link.parent_id
            )
        )


def ancestors(conn: Connection, context_id: int) -> set[int]:
    """Every context above this one (parents, their parents, ...)."""
    seen: set[int] = set()
    frontier = [context_id]
    while frontier:
        rows = conn.execute(
            select(parent_context_table.c.parent_context_id).where(
                parent_context_table.c.context_id.in_(frontier)
            )
        ).scalars()
        frontier = [p for p in rows if p not in seen]
        seen.update(frontier)
    return seen


def memberships(
    conn: Connection, artifact_ids: Sequence[int], execution_ids: Sequence[int]
) -> dict[tuple[str, int], list[int]]:
    """Context ids of each artifact and execution: {("artifact", id): [context ids], ...}."""
    raw = Raw(conn)
    found: dict[tuple[str, int], list[int]] = {}
    for kind, table, member, ids in (
        ("artifact", "Attribution", "artifact_id", artifact_ids),
        ("execution", "Association", "execution_id", execution_ids),
    ):
        for in_ids, params in raw.id_chunks(list(ids)):
            for node_id, context_id in raw.rows(
                f"SELECT {member}, context_id FROM {table} "
                f"WHERE {member} IN ({in_ids}) ORDER BY {member}, context_id",
                params,
            ):
                found.setdefault((kind, node_id), []).append(context_id)
    return found
