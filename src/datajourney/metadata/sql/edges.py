"""Edges: events (artifact <-> execution), attributions and associations (node -> context) and
parent contexts (context -> context)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, and_, insert, select

from ..errors import AlreadyExistsError, InvalidArgumentError
from ..model import (
    Association,
    Attribution,
    Event,
    EventType,
    NodeKind,
    ParentContext,
)
from .nodes import check_exist, chunks, now_ms
from .schema import (
    association_table,
    attribution_table,
    event_path_table,
    event_table,
    parent_context_table,
)


def put_events(conn: Connection, events: Sequence[Event]) -> None:
    """Insert events and their paths; the artifact and execution must exist."""
    for position, e in enumerate(events):
        if e.artifact_id is None:
            raise InvalidArgumentError(f"event at position {position} has no artifact_id")
        if e.execution_id is None:
            raise InvalidArgumentError(f"event at position {position} has no execution_id")
        if EventType(e.type) == EventType.UNKNOWN:
            raise InvalidArgumentError(f"event at position {position} has no type")
    check_exist(conn, NodeKind.ARTIFACT, [e.artifact_id for e in events], "event")
    check_exist(conn, NodeKind.EXECUTION, [e.execution_id for e in events], "event")
    now = now_ms()
    for position, e in enumerate(events):
        duplicate = conn.execute(
            select(event_table.c.id).where(
                and_(
                    event_table.c.artifact_id == e.artifact_id,
                    event_table.c.execution_id == e.execution_id,
                    event_table.c.type == int(e.type),
                )
            )
        ).first()
        if duplicate:
            raise AlreadyExistsError(
                f"event at position {position}: artifact {e.artifact_id} already has a "
                f"{EventType(e.type).name} event with execution {e.execution_id}"
            )
    if not events:
        return
    rows = [
        {
            "artifact_id": e.artifact_id,
            "execution_id": e.execution_id,
            "type": int(e.type),
            "milliseconds_since_epoch": e.milliseconds_since_epoch or now,
        }
        for e in events
    ]
    stmt = insert(event_table).returning(event_table.c.id, sort_by_parameter_order=True)
    ids = list(conn.execute(stmt, rows).scalars())
    path_rows = [
        {
            "event_id": event_id,
            "is_index_step": 1 if isinstance(step, int) else 0,
            "step_index": step if isinstance(step, int) else None,
            "step_key": step if isinstance(step, str) else None,
        }
        for event_id, e in zip(ids, events)
        for step in e.path
    ]
    if path_rows:
        conn.execute(insert(event_path_table), path_rows)


def events_of(
    conn: Connection, artifact_ids: Iterable[int] = (), execution_ids: Iterable[int] = ()
) -> list[Event]:
    """Events touching any of these artifacts or executions, ordered by id."""
    found: dict[int, Event] = {}
    for column, ids in (
        (event_table.c.artifact_id, sorted(set(artifact_ids))),
        (event_table.c.execution_id, sorted(set(execution_ids))),
    ):
        for part in chunks(ids):
            for row in conn.execute(select(event_table).where(column.in_(part))):
                found[row.id] = Event(
                    artifact_id=row.artifact_id,
                    execution_id=row.execution_id,
                    type=EventType(row.type),
                    milliseconds_since_epoch=row.milliseconds_since_epoch,
                )
    event_ids = sorted(found)
    for part in chunks(event_ids):
        for row in conn.execute(
            select(event_path_table).where(event_path_table.c.event_id.in_(part))
        ):
            step = row.step_index if row.is_index_step else row.step_key
            found[row.event_id].path.append(step)
    return [found[i] for i in event_ids]


def put_attributions_and_associations(
    conn: Connection, attributions: Sequence[Attribution], associations: Sequence[Association]
) -> None:
    """Link artifacts and executions to contexts; an existing link is left as it is."""
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
    conn: Connection, table, member: str, pairs: set[tuple[int, int]]
) -> None:
    if not pairs:
        return
    existing: set[tuple[int, int]] = set()
    contexts = sorted({c for c, _ in pairs})
    members = sorted({m for _, m in pairs})
    for part in chunks(members):
        rows = conn.execute(
            select(table.c.context_id, table.c[member]).where(
                table.c[member].in_(part), table.c.context_id.in_(contexts)
            )
        )
        existing.update((context, node) for context, node in rows)
    rows = [{"context_id": c, member: m} for c, m in sorted(pairs - existing)]
    if rows:
        conn.execute(insert(table), rows)


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
