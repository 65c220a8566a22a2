"""Removing nodes and everything that hangs off them, and the event neighbourhoods deletion
planning walks over."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

from ..model import INPUT_EVENT_TYPES, OUTPUT_EVENT_TYPES
from .raw import Raw, chunks, marks

_IN = tuple(sorted(int(t) for t in INPUT_EVENT_TYPES))
_OUT = tuple(sorted(int(t) for t in OUTPUT_EVENT_TYPES))


def _ids_where_in(
    raw: Raw, select: str, column: str, ids: Iterable[int], extra: str = "", params=()
) -> set[int]:
    found: set[int] = set()
    for part in chunks(sorted(set(ids))):
        rows = raw.rows(f"{select} WHERE {column} IN ({marks(len(part))}){extra}", (*part, *params))
        found.update(row[0] for row in rows)
    return found


def across_events(conn: Connection, ids: Iterable[int], from_artifacts: bool, inputs: bool):
    """The nodes at the other end of input (or output) events of these artifacts (or
    executions): e.g. from artifacts over input events, the executions that read them."""
    types = _IN if inputs else _OUT
    select, column = (
        ("SELECT execution_id FROM Event", "artifact_id")
        if from_artifacts
        else ("SELECT artifact_id FROM Event", "execution_id")
    )
    return _ids_where_in(
        Raw(conn), select, column, ids, f" AND type IN ({marks(len(types))})", types
    )


def child_contexts(conn: Connection, context_ids: Iterable[int]) -> set[int]:
    """Contexts whose parent is any of these."""
    return _ids_where_in(
        Raw(conn), "SELECT context_id FROM ParentContext", "parent_context_id", context_ids
    )


def count_events(conn: Connection, artifact_ids: Iterable[int], execution_ids: Iterable[int]):
    """How many events touch these artifacts or executions."""
    raw = Raw(conn)
    return len(
        _ids_where_in(raw, "SELECT id FROM Event", "artifact_id", artifact_ids)
        | _ids_where_in(raw, "SELECT id FROM Event", "execution_id", execution_ids)
    )


def delete_nodes(
    conn: Connection,
    artifact_ids: Iterable[int],
    execution_ids: Iterable[int],
    context_ids: Iterable[int],
) -> None:
    """Delete nodes with their properties, events (and paths), links and parent links."""
    raw = Raw(conn)
    artifacts = sorted(set(artifact_ids))
    executions = sorted(set(execution_ids))
    contexts = sorted(set(context_ids))
    events = _ids_where_in(raw, "SELECT id FROM Event", "artifact_id", artifacts)
    events |= _ids_where_in(raw, "SELECT id FROM Event", "execution_id", executions)
    plan = [
        ("EventPath", "event_id", sorted(events)),
        ("Event", "id", sorted(events)),
        ("Attribution", "artifact_id", artifacts),
        ("Association", "execution_id", executions),
        ("Attribution", "context_id", contexts),
        ("Association", "context_id", contexts),
        ("ParentContext", "context_id", contexts),
        ("ParentContext", "parent_context_id", contexts),
        ("ArtifactProperty", "artifact_id", artifacts),
        ("ExecutionProperty", "execution_id", executions),
        ("ContextProperty", "context_id", contexts),
        ("Artifact", "id", artifacts),
        ("Execution", "id", executions),
        ("Context", "id", contexts),
    ]
    for table, column, ids in plan:
        for part in chunks(ids):
            raw.run(f"DELETE FROM {table} WHERE {column} IN ({marks(len(part))})", part)


def set_artifact_state(conn: Connection, artifact_ids: Iterable[int], state: int, now: int):
    """Set the state (and update time) of these artifacts."""
    raw = Raw(conn)
    for part in chunks(sorted(set(artifact_ids))):
        raw.run(
            "UPDATE Artifact SET state = ?, last_update_time_since_epoch = ? "
            f"WHERE id IN ({marks(len(part))})",
            (state, now, *part),
        )
