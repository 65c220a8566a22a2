"""The native metadata store: ML Metadata's data model and operations on plain dataclasses.

Every public method runs in one database transaction: it either completes or changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import StaticPool

from . import deletion, hooks
from .deletion import DeletionPlan
from .errors import (
    AbortedError,
    AlreadyExistsError,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
    StatusError,
)
from .lineage_graph import LineageGraph, load_lineage
from .model import (
    AnyNode,
    AnyType,
    Artifact,
    Association,
    Attribution,
    Context,
    Event,
    Execution,
    NodeKind,
    ParentContext,
)
from .run_diff import ExecutionDiff, diff_executions
from .sql import conflicts, edges, nodes, types
from .sql import deletion as deletion_sql
from .sql.engine import ensure_schema, open_engine, plan_statistics
from .sql.queries import NodeQuery
from .sql.raw import Raw
from .tracking import ContextSpec, Run, friendly_filter, newest, resolve_context, track

DEFAULT_FOLDER = ".datajourney"
KindLike = NodeKind | type


def default_url() -> str:
    """``$DATAJOURNEY_STORE``, else ``./.datajourney/metadata.sqlite`` (folder created)."""
    url = os.environ.get("DATAJOURNEY_STORE")
    if url:
        return url
    folder = Path(DEFAULT_FOLDER)
    folder.mkdir(exist_ok=True)
    return f"sqlite:///{folder / 'metadata.sqlite'}"


def kind_of(kind: KindLike) -> NodeKind:
    """Accept NodeKind or a model class (Artifact, ArtifactType, ...)."""
    if isinstance(kind, NodeKind):
        return kind
    value = getattr(kind, "kind", None)
    if isinstance(value, NodeKind):
        return value
    raise InvalidArgumentError(f"{kind!r} is not an artifact, execution or context kind")


def _retried(method: Callable) -> Callable:
    """Run a store call again, after a short random wait, when a concurrent transaction
    aborted it; a call that joined an enclosing transaction leaves that to the outermost."""

    @functools.wraps(method)
    def call(self: MetadataStore, *args, **kwargs):
        if self._joined():
            return method(self, *args, **kwargs)
        for attempt in range(conflicts.ATTEMPTS - 1):
            try:
                return method(self, *args, **kwargs)
            except AbortedError:
                time.sleep(conflicts.backoff(attempt))
        return method(self, *args, **kwargs)

    return call


class MetadataStore:
    """Artifacts, executions, contexts, their types and lineage, in an ML Metadata database.

    ``url``: ``sqlite:///path/to/file.sqlite``, ``memory://`` (private, in memory),
    ``mysql://user:password@host:port/database``, ``postgresql://user:password@host:port/database``
    (the database is created if missing), or None for the embedded default
    (``$DATAJOURNEY_STORE`` or ``./.datajourney/metadata.sqlite``).
    """

    def __init__(self, url: str | None = None, *, read_only: bool = False, create: bool = True):
        self.url = url or default_url()
        self._engine = open_engine(self.url, read_only=read_only, create=create and not read_only)
        self._local = threading.local()
        self._shared = threading.Lock() if isinstance(self._engine.pool, StaticPool) else None
        self._lock = threading.Lock()
        self._connections: list[Connection] = []
        with self._errors():
            ensure_schema(self._engine, read_only=read_only)
            if not read_only:
                plan_statistics(self._engine)

    def close(self) -> None:
        """Release the database connections."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._engine.dispose()

    def __enter__(self) -> MetadataStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MetadataStore({self.url!r})"

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except StatusError:
            raise
        except DBAPIError as error:
            message = str(error.orig)
            if conflicts.is_conflict(error):
                raise AbortedError(f"a concurrent transaction interfered: {message}") from None
            if isinstance(error, IntegrityError):
                raise AlreadyExistsError(f"already exists: {message}") from None
            if any(words in message.lower() for words in ("readonly", "read-only", "read only")):
                raise FailedPreconditionError(f"the store is read-only: {message}") from None
            raise InternalError(f"database error: {message}") from None

    def _joined(self) -> bool:
        """Whether this thread is inside a transaction (a call now joins it)."""
        conn = getattr(self._local, "conn", None)
        return conn is not None and not conn.closed and conn.in_transaction()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One database transaction; database errors become the store's errors.

        Store calls made inside ``with store.transaction():`` on the same thread join it, so
        several calls commit (or fail) together. Each thread keeps one connection open between
        calls (checking one out of the pool per call costs more than a small query).
        A store call that a concurrent transaction aborts runs again by itself; a block of
        calls under ``with store.transaction():`` raises AbortedError for the caller to rerun.
        """
        with self._transaction(batch_writes=False) as conn:
            yield conn

    @contextmanager
    def _transaction(self, batch_writes: bool) -> Iterator[Connection]:
        """``transaction``; ``batch_writes``: the call runs only ``Raw`` statements, and when
        it has a transaction of its own PostgreSQL receives its writes together."""
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self._local.conn = self._engine.connect()
            with self._lock:
                self._connections.append(conn)
        if conn.in_transaction():
            yield conn
            return
        batched = Raw(conn).batched_writes() if batch_writes else nullcontext()
        # An in-memory database is one connection shared by every thread: take turns.
        with self._shared or nullcontext(), self._errors(), conn.begin(), batched:
            yield conn

    # Types -------------------------------------------------------------------------------

    @_retried
    def put_type(
        self, t: AnyType, can_add_fields: bool = False, can_omit_fields: bool = False
    ) -> int:
        """Register a type, or evolve the stored one with the same name and version."""
        with self.transaction() as conn:
            return types.put_type(conn, t, can_add_fields, can_omit_fields)

    @_retried
    def get_type(self, kind: KindLike, name: str, version: str | None = None) -> AnyType:
        """The type with this name and version; NotFoundError if there is none."""
        with self.transaction() as conn:
            return types.get_type(conn, kind_of(kind), name, version)

    @_retried
    def find_type(self, kind: KindLike, name: str, version: str | None = None) -> AnyType | None:
        """The type with this name and version, or None."""
        with self.transaction() as conn:
            return types.find_type(conn, kind_of(kind), name, version)

    @_retried
    def get_types(
        self,
        kind: KindLike,
        ids: Sequence[int] | None = None,
        external_ids: Sequence[str] | None = None,
    ) -> list[AnyType]:
        """Types of a kind: all user types, or those with these ids / external ids."""
        kind = kind_of(kind)
        with self.transaction() as conn:
            if ids is not None:
                return types.types_by_id(conn, kind, ids)
            if external_ids is not None:
                return types.types_by_external_id(conn, kind, external_ids)
            return types.all_types(conn, kind)

    # Nodes -------------------------------------------------------------------------------

    @_retried
    def put(
        self,
        items: Sequence[AnyNode],
        field_mask: Sequence[str] | None = None,
    ) -> list[int]:
        """Insert (no id) or update (id set) nodes of one kind; returns their ids in order.

        With ``field_mask`` (paths such as ``uri`` or ``properties.split``) an update changes
        only those fields (an empty mask changes nothing but the update time).
        """
        if not items:
            return []
        kind = items[0].kind
        with self._transaction(batch_writes=True) as conn:
            return nodes.put_nodes(conn, kind, items, field_mask)

    @_retried
    def get(self, kind: KindLike, query: NodeQuery | None = None, **criteria) -> list[AnyNode]:
        """Nodes of a kind matching the criteria of ``NodeQuery`` (as object or keywords)."""
        kind = kind_of(kind)
        query = query or NodeQuery(**criteria)
        with self.transaction() as conn:
            if query.ids is not None and query == NodeQuery(ids=query.ids):
                return nodes.load_nodes_by_id(conn, kind, query.ids or [])
            return nodes.load_nodes(
                conn, kind, query.clause(kind, conn), query.ordering(kind), query.limit
            )

    def get_artifacts(self, **criteria) -> list[Artifact]:
        """Artifacts matching ``NodeQuery`` keywords, e.g. ``type_name="Model"``."""
        return self.get(NodeKind.ARTIFACT, **criteria)

    def get_executions(self, **criteria) -> list[Execution]:
        """Executions matching ``NodeQuery`` keywords."""
        return self.get(NodeKind.EXECUTION, **criteria)

    def get_contexts(self, **criteria) -> list[Context]:
        """Contexts matching ``NodeQuery`` keywords."""
        return self.get(NodeKind.CONTEXT, **criteria)

    # Edges -------------------------------------------------------------------------------

    @_retried
    def put_events(self, events: Sequence[Event]) -> None:
        """Record that executions consumed or produced artifacts."""
        with self.transaction() as conn:
            edges.put_events(conn, events)

    @_retried
    def get_events(
        self, artifact_ids: Sequence[int] = (), execution_ids: Sequence[int] = ()
    ) -> list[Event]:
        """Events touching any of these artifacts or executions."""
        with self.transaction() as conn:
            return edges.events_of(conn, artifact_ids, execution_ids)

    @_retried
    def put_attributions_and_associations(
        self, attributions: Sequence[Attribution], associations: Sequence[Association]
    ) -> None:
        """Put artifacts (attributions) and executions (associations) into contexts."""
        with self.transaction() as conn:
            edges.put_attributions_and_associations(conn, attributions, associations)

    @_retried
    def put_parent_contexts(self, links: Sequence[ParentContext]) -> None:
        """Nest contexts (a pipeline run inside a pipeline, say)."""
        with self.transaction() as conn:
            edges.put_parent_contexts(conn, links)

    # Concise tracking and queries ----------------------------------------------------------

    def run(
        self,
        execution_type: str,
        context: ContextSpec | Sequence[ContextSpec] | None = None,
        params: dict | None = None,
        name: str | None = None,
    ) -> Run:
        """``with store.run("Train", context=("Experiment", "x"), params={...}) as run:``
        records an execution with ``run.input(...)`` / ``run.output(...)`` (see tracking)."""
        if context is None:
            contexts = []
        elif isinstance(context, Context | int | tuple):
            contexts = [context]
        else:
            contexts = list(context)
        return Run(self, execution_type, contexts, dict(params or {}), name)

    def track(
        self, execution_type: str | None = None, context: ContextSpec | None = None
    ) -> Callable[[Callable], Callable]:
        """Decorator recording each call of a function as a run (see ``tracking.track``)."""
        return track(self, execution_type, context)

    def _listing(
        self,
        kind: NodeKind,
        type_name: str | None,
        context: ContextSpec | str | None,
        where: str | None,
        limit: int | None,
    ) -> list[AnyNode]:
        context_id = None
        if context is not None:
            context_id = resolve_context(self, context, create=False).id
        if where:
            found = self.find_type(kind, type_name) if type_name else None
            where = friendly_filter(where, found.properties if found else {})
        return self.get(
            kind,
            NodeQuery(type_name=type_name, context_id=context_id, filter_query=where, limit=limit),
        )

    def artifacts(
        self,
        type_name: str | None = None,
        context: ContextSpec | str | None = None,
        where: str | None = None,
        limit: int | None = None,
    ) -> list[Artifact]:
        """Artifacts of a type, in a context (object, id, name or (type, name)), matching a
        filter query such as ``"properties.accuracy > 0.9"``; oldest first."""
        return self._listing(NodeKind.ARTIFACT, type_name, context, where, limit)

    def executions(
        self,
        type_name: str | None = None,
        context: ContextSpec | str | None = None,
        where: str | None = None,
        limit: int | None = None,
    ) -> list[Execution]:
        """Executions of a type, in a context, matching a filter query; oldest first."""
        return self._listing(NodeKind.EXECUTION, type_name, context, where, limit)

    def latest(
        self,
        type_name: str | None = None,
        context: ContextSpec | str | None = None,
        where: str | None = None,
    ) -> Artifact | None:
        """The newest artifact matching ``artifacts(...)``'s criteria, or None."""
        return newest(self.artifacts(type_name, context, where))

    @_retried
    def restore_inputs(self, execution: Execution | int, dest: str | None = None) -> dict:
        """Put back exactly the data an execution read (inputs recorded with a snapshot):
        each to its uri, or under ``dest``; artifact id -> restored path."""
        return hooks.hook(hooks.RESTORE_INPUTS)(self, execution, dest=dest)

    def diff_executions(self, a: Execution | int, b: Execution | int) -> ExecutionDiff:
        """How execution ``b`` differs from ``a``: parameters, inputs (by snapshot digest or
        uri) and outputs (by type, then properties). ``print()`` it for a summary."""
        ids = [x if isinstance(x, int) else x.id for x in (a, b)]
        with self.transaction() as conn:
            found = {e.id: e for e in nodes.load_nodes_by_id(conn, NodeKind.EXECUTION, ids)}
            missing = [i for i in ids if i not in found]
            if missing:
                raise NotFoundError(f"no execution with id {missing[0]}")
            events = edges.events_of(conn, execution_ids=ids)
            artifacts = {
                x.id: x
                for x in nodes.load_nodes_by_id(
                    conn, NodeKind.ARTIFACT, {e.artifact_id for e in events}
                )
            }
        sides = [
            [(e.type, artifacts[e.artifact_id]) for e in events if e.execution_id == i] for i in ids
        ]
        return diff_executions(found[ids[0]], found[ids[1]], *sides)

    # Deletion ----------------------------------------------------------------------------

    @_retried
    def _delete(
        self, kind: NodeKind, ids: Sequence[int], cascade: bool, dry_run: bool
    ) -> DeletionPlan:
        with self.transaction() as conn:
            plan = deletion.plan_deletion(conn, kind, ids, cascade)
            if not dry_run:
                deletion.execute(conn, plan, nodes.now_ms(), mark_artifacts=False)
            return plan

    def delete_artifacts(
        self, ids: Sequence[int], cascade: bool = False, dry_run: bool = False
    ) -> DeletionPlan:
        """Delete artifacts with their properties, events and attributions. One an execution
        read is refused unless ``cascade`` (which deletes what derives from it too)."""
        return self._delete(NodeKind.ARTIFACT, ids, cascade, dry_run)

    def delete_executions(
        self, ids: Sequence[int], cascade: bool = False, dry_run: bool = False
    ) -> DeletionPlan:
        """Delete executions; one that wrote artifacts is refused unless ``cascade``."""
        return self._delete(NodeKind.EXECUTION, ids, cascade, dry_run)

    def delete_contexts(
        self, ids: Sequence[int], cascade: bool = False, dry_run: bool = False
    ) -> DeletionPlan:
        """Delete contexts and their links (their nodes stay); a context with child contexts
        is refused unless ``cascade`` (which deletes the children too)."""
        return self._delete(NodeKind.CONTEXT, ids, cascade, dry_run)

    @_retried
    def gc(
        self,
        older_than: datetime.datetime | None = None,
        context: ContextSpec | str | None = None,
        dry_run: bool = False,
        mark_artifacts: bool = False,
    ) -> DeletionPlan:
        """Remove artifacts and executions created before ``older_than`` and / or in
        ``context``, except those a remaining node derives from. ``mark_artifacts`` sets the
        artifacts MARKED_FOR_DELETION (for a file cleaner) instead of deleting them."""
        if older_than is None and context is None:
            raise InvalidArgumentError("gc needs older_than, context or both")
        where = None
        if older_than is not None:
            where = f"create_time_since_epoch < {int(older_than.timestamp() * 1000)}"
        with self.transaction() as conn:
            artifacts = {a.id for a in self.artifacts(context=context, where=where)}
            executions = {e.id for e in self.executions(context=context, where=where)}
            artifacts, executions = deletion.garbage(conn, artifacts, executions)
            plan = DeletionPlan(
                artifacts=sorted(artifacts),
                executions=sorted(executions),
                events=deletion_sql.count_events(conn, artifacts, executions),
            )
            if not dry_run:
                deletion.execute(conn, plan, nodes.now_ms(), mark_artifacts)
            return plan

    # Lineage -----------------------------------------------------------------------------

    @_retried
    def lineage(
        self,
        node: AnyNode | int,
        direction: str = "both",
        max_hops: int | None = None,
    ) -> LineageGraph:
        """What an artifact (object or id) or execution came from (``"upstream"``), what came
        of it (``"downstream"``) or both, within ``max_hops`` events (None: no limit).

        The walk is one recursive SQL query, however long the chain.
        """
        with self.transaction() as conn:
            return load_lineage(conn, node, direction, max_hops)

    # Composite writes --------------------------------------------------------------------

    @_retried
    def put_execution(
        self,
        execution: Execution,
        artifact_and_events: Sequence[tuple[Artifact, Event | None]] = (),
        contexts: Sequence[Context] = (),
        reuse_context_if_already_exist: bool = False,
        reuse_artifact_if_already_exist_by_external_id: bool = False,
        force_reuse_context: bool = False,
    ) -> tuple[int, list[int], list[int]]:
        """Write an execution with its artifacts, events and contexts atomically.

        Returns the execution id, the artifact ids and the context ids.
        """
        with self._transaction(batch_writes=True) as conn:
            context_ids, [execution_id], artifact_ids = _put_nodes_together(
                conn,
                contexts,
                [execution],
                [artifact for artifact, _ in artifact_and_events],
                reuse_context_if_already_exist,
                force_reuse_context,
                reuse_artifact_if_already_exist_by_external_id,
            )
            events = []
            for position, ((artifact, event), artifact_id) in enumerate(
                zip(artifact_and_events, artifact_ids)
            ):
                if event is None:
                    continue
                if event.artifact_id is not None and (
                    artifact.id is None or artifact.id != event.artifact_id
                ):
                    raise InvalidArgumentError(
                        f"pair {position}: event.artifact_id {event.artifact_id} is not the "
                        f"artifact's id {artifact.id}"
                    )
                if event.execution_id not in (None, execution_id):
                    raise InvalidArgumentError(
                        f"pair {position}: event.execution_id {event.execution_id} is not the "
                        f"execution's id {execution_id}"
                    )
                events.append(_bound(event, artifact_id, execution_id))
            new = [execution_id] if execution.id is None else []
            edges.put_events(conn, events, nodes_known=True, new_executions=new)
            _link(conn, context_ids, artifact_ids, [execution_id])
            return execution_id, artifact_ids, context_ids

    @_retried
    def put_lineage_subgraph(
        self,
        executions: Sequence[Execution],
        artifacts: Sequence[Artifact],
        contexts: Sequence[Context],
        event_edges: Sequence[tuple[int | None, int | None, Event]],
        reuse_context_if_already_exist: bool = False,
        reuse_artifact_if_already_exist_by_external_id: bool = False,
    ) -> tuple[list[int], list[int], list[int]]:
        """Write executions, artifacts, contexts and the events between them atomically.

        ``event_edges`` holds (execution index or None, artifact index or None, event).
        """
        with self._transaction(batch_writes=True) as conn:
            context_ids, execution_ids, artifact_ids = _put_nodes_together(
                conn,
                contexts,
                executions,
                artifacts,
                reuse_context_if_already_exist,
                False,
                reuse_artifact_if_already_exist_by_external_id,
            )
            events = []
            for position, (execution_index, artifact_index, event) in enumerate(event_edges):
                execution_id = _edge_end(
                    position, "execution", execution_index, event.execution_id, execution_ids
                )
                artifact_id = _edge_end(
                    position, "artifact", artifact_index, event.artifact_id, artifact_ids
                )
                events.append(_bound(event, artifact_id, execution_id))
            new = [i for i, e in zip(execution_ids, executions) if e.id is None]
            edges.put_events(conn, events, new_executions=new)
            _link(conn, context_ids, artifact_ids, execution_ids)
            return execution_ids, artifact_ids, context_ids


def _bound(event: Event, artifact_id: int, execution_id: int) -> Event:
    return Event(
        artifact_id=artifact_id,
        execution_id=execution_id,
        type=event.type,
        path=list(event.path),
        milliseconds_since_epoch=event.milliseconds_since_epoch,
    )


def _edge_end(
    position: int, what: str, index: int | None, given: int | None, ids: list[int]
) -> int:
    if index is not None:
        if not 0 <= index < len(ids):
            raise OutOfRangeError(
                f"event edge {position}: {what} index {index} is outside 0..{len(ids) - 1}"
            )
        if given is not None and given != ids[index]:
            raise InvalidArgumentError(
                f"event edge {position}: event.{what}_id {given} is not the id {ids[index]} "
                f"of {what} {index}"
            )
        return ids[index]
    if given is None:
        raise InvalidArgumentError(f"event edge {position} names no {what}")
    return given


def _put_nodes_together(
    conn: Connection,
    contexts: Sequence[Context],
    executions: Sequence[Execution],
    artifacts: Sequence[Artifact],
    reuse_contexts: bool,
    force_reuse_contexts: bool,
    reuse_artifacts: bool,
) -> tuple[list[int], list[int], list[int]]:
    """The nodes of a composite write, with ML Metadata's reuse options; their ids.

    What the writes need to read (nodes to update, and on PostgreSQL the new ids) is read in
    one round trip before anything is written.
    """
    context_ids: list[int] = []
    to_put: list[Context] = []
    put_at: list[tuple[int, int]] = []  # (position in context_ids, index in to_put)
    named: dict[tuple[int, str], int] = {}  # a new context's (type id, name) -> index in to_put
    for context in contexts:
        if context.id is not None and force_reuse_contexts:
            nodes.check_exist(conn, NodeKind.CONTEXT, [context.id], "context")
            context_ids.append(context.id)
            continue
        key = (context.type_id, context.name)
        if context.id is None and reuse_contexts and context.type_id is not None and context.name:
            found = nodes.find_by_name(conn, NodeKind.CONTEXT, *key)
            if found is not None:
                context_ids.append(found.id)
                continue
            if key in named:  # the same new context twice: the second reuses the first
                put_at.append((len(context_ids), named[key]))
                context_ids.append(0)
                continue
            named[key] = len(to_put)
        put_at.append((len(context_ids), len(to_put)))
        context_ids.append(0)
        to_put.append(context)
    artifacts = [_reuse_by_external_id(conn, a, reuse_artifacts) for a in artifacts]
    kinds = {NodeKind.CONTEXT: to_put, NodeKind.EXECUTION: executions, NodeKind.ARTIFACT: artifacts}
    found = nodes.prefetch(conn, kinds)
    put_ids = nodes.put_nodes(conn, NodeKind.CONTEXT, to_put, prefetched=found)
    for position, index in put_at:
        context_ids[position] = put_ids[index]
    execution_ids = nodes.put_nodes(conn, NodeKind.EXECUTION, list(executions), prefetched=found)
    artifact_ids = nodes.put_nodes(conn, NodeKind.ARTIFACT, artifacts, prefetched=found)
    return context_ids, execution_ids, artifact_ids


def _reuse_by_external_id(conn: Connection, artifact: Artifact, reuse: bool) -> Artifact:
    if not reuse or artifact.id is not None or not artifact.external_id:
        return artifact
    found = nodes.find_by_external_id(conn, NodeKind.ARTIFACT, artifact.external_id)
    if found is None:
        return artifact
    return dataclasses.replace(artifact, id=found.id)


def _link(
    conn: Connection, context_ids: list[int], artifact_ids: list[int], execution_ids: list[int]
) -> None:
    edges.put_attributions_and_associations(
        conn,
        [Attribution(c, a) for c in context_ids for a in artifact_ids],
        [Association(c, e) for c in context_ids for e in execution_ids],
        nodes_known=True,  # all written (or checked) by the caller in this transaction
    )
