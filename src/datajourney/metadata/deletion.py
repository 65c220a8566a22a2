"""Deleting artifacts, executions and contexts without breaking the lineage that remains.

A node others were derived from (an artifact an execution read, an execution that wrote
artifacts, a context with child contexts) is only deleted with ``cascade=True``, which removes
everything derived from it too. ``dry_run=True`` reports what a call would remove and changes
nothing. ``gc`` removes old or per-context nodes but keeps every node a remaining node was
derived from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection

from .errors import FailedPreconditionError, InvalidArgumentError
from .model import ArtifactState, NodeKind
from .sql import deletion as sql
from .sql import nodes as nodes_sql


@dataclass
class DeletionPlan:
    """What a deletion removes (or, with ``dry_run``, would remove)."""

    artifacts: list[int] = field(default_factory=list)
    executions: list[int] = field(default_factory=list)
    contexts: list[int] = field(default_factory=list)
    events: int = 0
    executed: bool = False
    marked: list[int] = field(default_factory=list)  # artifacts MARKED_FOR_DELETION instead

    def __str__(self) -> str:
        verb = "removed" if self.executed else "would remove"
        text = (
            f"{verb} {len(self.artifacts)} artifacts, {len(self.executions)} executions, "
            f"{len(self.contexts)} contexts and {self.events} events"
        )
        if self.marked:
            text += f"; {len(self.marked)} artifacts marked for deletion"
        return text


def _downstream(
    conn: Connection, artifacts: set[int], executions: set[int]
) -> tuple[set[int], set[int]]:
    """These nodes and every node derived from them."""
    frontier_a, frontier_e = set(artifacts), set(executions)
    all_a, all_e = set(artifacts), set(executions)
    while frontier_a or frontier_e:
        new_e = sql.across_events(conn, frontier_a, from_artifacts=True, inputs=True) - all_e
        new_a = sql.across_events(conn, frontier_e | new_e, from_artifacts=False, inputs=False)
        new_a -= all_a
        all_e |= new_e
        all_a |= new_a
        frontier_a, frontier_e = new_a, set()
    return all_a, all_e


def _check_exist(conn: Connection, kind: NodeKind, ids: list[int]) -> None:
    found = {n.id for n in nodes_sql.load_nodes_by_id(conn, kind, ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidArgumentError(f"no {kind.name.lower()} with id {missing[0]} to delete")


def plan_deletion(
    conn: Connection,
    kind: NodeKind,
    ids: Iterable[int],
    cascade: bool = False,
) -> DeletionPlan:
    """What deleting these nodes removes; FailedPreconditionError if others derive from them
    and ``cascade`` is off."""
    wanted = sorted(set(ids))
    _check_exist(conn, kind, wanted)
    if kind is NodeKind.CONTEXT:
        children = sql.child_contexts(conn, wanted) - set(wanted)
        while cascade and children:
            wanted = sorted(set(wanted) | children)
            children = sql.child_contexts(conn, children) - set(wanted)
        if children:
            raise FailedPreconditionError(
                f"contexts {sorted(children)[:10]} are children of the contexts to delete; "
                "pass cascade=True to delete them too (dry_run=True shows what goes)"
            )
        return DeletionPlan(contexts=wanted)
    start_a = set(wanted) if kind is NodeKind.ARTIFACT else set()
    start_e = set(wanted) if kind is NodeKind.EXECUTION else set()
    artifacts, executions = _downstream(conn, start_a, start_e)
    derived = (artifacts - start_a) | (executions - start_e)
    if derived and not cascade:
        dependants = sorted(executions - start_e)[:5] or sorted(artifacts - start_a)[:5]
        what = "executions" if executions - start_e else "artifacts"
        raise FailedPreconditionError(
            f"{len(derived)} nodes derive from the {kind.name.lower()}s to delete (e.g. "
            f"{what} {dependants}); pass cascade=True to delete them too "
            "(dry_run=True shows what goes)"
        )
    return DeletionPlan(
        artifacts=sorted(artifacts),
        executions=sorted(executions),
        events=sql.count_events(conn, artifacts, executions),
    )


def garbage(
    conn: Connection, artifacts: set[int], executions: set[int]
) -> tuple[set[int], set[int]]:
    """The candidates that can go: those no remaining node derives from."""
    derived_a, derived_e = _downstream(conn, artifacts, executions)
    kept_a, kept_e = derived_a - artifacts, derived_e - executions
    # Walk upstream from what stays, and keep every candidate met on the way.
    protected_a: set[int] = set()
    protected_e: set[int] = set()
    frontier_a, frontier_e = kept_a, kept_e
    while frontier_a or frontier_e:
        writers = sql.across_events(conn, frontier_a, from_artifacts=True, inputs=False)
        new_e = (writers & executions) - protected_e
        protected_e |= new_e
        read = sql.across_events(conn, frontier_e | new_e, from_artifacts=False, inputs=True)
        new_a = (read & artifacts) - protected_a
        protected_a |= new_a
        frontier_a, frontier_e = new_a, set()
    return artifacts - protected_a, executions - protected_e


def execute(conn: Connection, plan: DeletionPlan, now: int, mark_artifacts: bool) -> None:
    """Carry out a plan (artifacts are only marked MARKED_FOR_DELETION with mark_artifacts)."""
    if mark_artifacts:
        sql.set_artifact_state(conn, plan.artifacts, int(ArtifactState.MARKED_FOR_DELETION), now)
        plan.marked, plan.artifacts = plan.artifacts, []
        plan.events = sql.count_events(conn, [], plan.executions)
    sql.delete_nodes(conn, plan.artifacts, plan.executions, plan.contexts)
    plan.executed = True
