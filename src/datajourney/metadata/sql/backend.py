"""``SqlBackend``: the store's operations on an ML Metadata database (SQLite, MySQL,
PostgreSQL), each in one transaction: it either completes or changes nothing."""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import StaticPool

from .. import deletion
from ..deletion import DeletionPlan
from ..errors import (
    AbortedError,
    AlreadyExistsError,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    OutOfRangeError,
    StatusError,
)
from ..lineage_graph import LineageGraph, load_lineage
from ..model import (
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
from . import conflicts, edges, migration, nodes, types
from . import deletion as deletion_sql
from .engine import ensure_schema, open_engine, plan_statistics
from .queries import NodeQuery
from .raw import Raw

T = TypeVar("T")


def _retried(method: Callable) -> Callable:
    """Run a store call again, after a short random wait, when a concurrent transaction
    aborted it; a call that joined an enclosing transaction leaves that to the outermost."""

    @functools.wraps(method)
    def call(self: SqlBackend, *args, **kwargs):
        if self._joined():
            return method(self, *args, **kwargs)
        return conflicts.rerun(lambda: method(self, *args, **kwargs), self.attempts)

    return call


def _status_error(error: DBAPIError) -> StatusError:
    """The store's error for a database error."""
    message = str(error.orig)
    if conflicts.is_conflict(error):
        return AbortedError(f"a concurrent transaction interfered: {message}")
    if isinstance(error, IntegrityError):
        return AlreadyExistsError(f"already exists: {message}")
    if any(words in message.lower() for words in ("readonly", "read-only", "read only")):
        return FailedPreconditionError(f"the store is read-only: {message}")
    return InternalError(f"database error: {message}")


class SqlBackend:
    """The store's primitive operations over SQLAlchemy Core (see ``StoreBackend``)."""

    attempts: int | None = None
    """How many times a call runs when concurrent transactions keep aborting it (None: for
    ``conflicts.PATIENCE_S``)."""

    def __init__(
        self, url: str, read_only: bool = False, create: bool = True, upgrade: bool = False
    ):
        self._engine = open_engine(url, read_only=read_only, create=create and not read_only)
        self._local = threading.local()
        self._shared = threading.Lock() if isinstance(self._engine.pool, StaticPool) else None
        self._sqlite = self._engine.dialect.name == "sqlite"
        self._lock = threading.Lock()
        self._connections: list[Connection] = []
        with self._errors():
            if upgrade and not read_only:
                migration.upgrade(self._engine)
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

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except StatusError:
            raise
        except DBAPIError as error:
            raise _status_error(error) from None

    def _joined(self) -> bool:
        """Whether this thread is inside a transaction (a call now joins it)."""
        conn = getattr(self._local, "conn", None)
        return conn is not None and not conn.closed and conn.in_transaction()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One database transaction that the calls made inside it on this thread join."""
        with self._transaction(batch_writes=False) as conn:
            yield conn

    def _connection(self) -> Connection:
        """This thread's connection (opened on first use, then kept)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self._local.conn = self._engine.connect()
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _transaction(self, batch_writes: bool) -> Iterator[Connection]:
        """``transaction``; ``batch_writes``: the call runs only ``Raw`` statements, and when
        it has a transaction of its own PostgreSQL receives its writes together."""
        conn = self._connection()
        if conn.in_transaction():
            yield conn
            return
        batched = Raw(conn).batched_writes() if batch_writes else nullcontext()
        # An in-memory database is one connection shared by every thread: take turns.
        with self._shared or nullcontext(), self._errors(), conn.begin(), batched:
            yield conn

    def _read(self, work: Callable[..., T], *args, single: bool = False) -> T:
        """``work(conn, *args)`` for a call that only reads, in one transaction.

        On SQLite the transaction's BEGIN and COMMIT go straight to the driver: SQLAlchemy's
        begin and commit cost more than a small read itself (a walk of many small calls spends
        most of its time there). A SQLAlchemy statement inside still works (it joins the
        driver's transaction and is committed with it). Elsewhere, and inside an open
        transaction, the call is an ordinary ``transaction``. ``single``: the work is one
        statement, which SQLite runs atomically by itself (no BEGIN / COMMIT at all).
        """
        conn = self._connection()
        if not self._sqlite or conn.in_transaction():
            with self.transaction() as conn:
                return work(conn, *args)
        driver = conn.connection.dbapi_connection
        if self._shared is not None:
            self._shared.acquire()
        try:
            if single:
                return work(conn, *args)
            driver.execute("BEGIN")
            try:
                return work(conn, *args)
            finally:
                if conn.in_transaction():  # a SQLAlchemy statement began one: end it with ours
                    conn.commit()
                elif driver.in_transaction:
                    driver.execute("COMMIT")
        except DBAPIError as error:
            raise _status_error(error) from None
        except sqlite3.Error as error:  # BEGIN or COMMIT themselves
            raise _status_error(DBAPIError.instance("BEGIN", (), error, sqlite3.Error)) from None
        finally:
            if self._shared is not None:
                self._shared.release()

    # Types -------------------------------------------------------------------------------

    @_retried
    def put_type(self, t: AnyType, can_add_fields: bool, can_omit_fields: bool) -> int:
        with self.transaction() as conn:
            return types.put_type(conn, t, can_add_fields, can_omit_fields)

    @_retried
    def get_type(self, kind: NodeKind, name: str, version: str | None) -> AnyType:
        return self._read(types.get_type, kind, name, version)

    @_retried
    def find_type(self, kind: NodeKind, name: str, version: str | None) -> AnyType | None:
        return self._read(types.find_type, kind, name, version)

    @_retried
    def get_types(
        self, kind: NodeKind, ids: Sequence[int] | None, external_ids: Sequence[str] | None
    ) -> list[AnyType]:
        if ids is not None:
            return self._read(types.types_by_id, kind, ids)
        if external_ids is not None:
            return self._read(types.types_by_external_id, kind, external_ids)
        return self._read(types.all_types, kind)

    # Nodes and edges ---------------------------------------------------------------------

    @_retried
    def put(self, items: Sequence[AnyNode], field_mask: Sequence[str] | None) -> list[int]:
        if not items:
            return []
        with self._transaction(batch_writes=True) as conn:
            return nodes.put_nodes(conn, items[0].kind, items, field_mask)

    @_retried
    def get(self, kind: NodeKind, query: NodeQuery) -> list[AnyNode]:
        return self._read(_get_nodes, kind, query)

    @_retried
    def put_events(self, events: Sequence[Event]) -> None:
        with self.transaction() as conn:
            edges.put_events(conn, events)

    @_retried
    def get_events(self, artifact_ids: Sequence[int], execution_ids: Sequence[int]) -> list[Event]:
        artifact_ids, execution_ids = list(artifact_ids), list(execution_ids)
        single = (
            not (artifact_ids and execution_ids)
            and max(len(artifact_ids), len(execution_ids)) <= edges.ONE_STATEMENT
        )
        return self._read(edges.events_of, artifact_ids, execution_ids, single=single)

    @_retried
    def put_attributions_and_associations(
        self, attributions: Sequence[Attribution], associations: Sequence[Association]
    ) -> None:
        with self.transaction() as conn:
            edges.put_attributions_and_associations(conn, attributions, associations)

    @_retried
    def put_parent_contexts(self, links: Sequence[ParentContext]) -> None:
        with self.transaction() as conn:
            edges.put_parent_contexts(conn, links)

    # Deletion and lineage ----------------------------------------------------------------

    @_retried
    def delete(
        self, kind: NodeKind, ids: Sequence[int], cascade: bool, dry_run: bool
    ) -> DeletionPlan:
        with self.transaction() as conn:
            plan = deletion.plan_deletion(conn, kind, ids, cascade)
            if not dry_run:
                deletion.execute(conn, plan, nodes.now_ms(), mark_artifacts=False)
            return plan

    @_retried
    def collect_garbage(
        self,
        context_id: int | None,
        created_before_ms: int | None,
        dry_run: bool,
        mark_artifacts: bool,
    ) -> DeletionPlan:
        where = None
        if created_before_ms is not None:
            where = f"create_time_since_epoch < {int(created_before_ms)}"
        query = NodeQuery(context_id=context_id, filter_query=where)
        with self.transaction() as conn:
            found = {
                kind: {n.id for n in self.get(kind, query)}
                for kind in (NodeKind.ARTIFACT, NodeKind.EXECUTION)
            }
            artifacts, executions = deletion.garbage(
                conn, found[NodeKind.ARTIFACT], found[NodeKind.EXECUTION]
            )
            plan = DeletionPlan(
                artifacts=sorted(artifacts),
                executions=sorted(executions),
                events=deletion_sql.count_events(conn, artifacts, executions),
            )
            if not dry_run:
                deletion.execute(conn, plan, nodes.now_ms(), mark_artifacts)
            return plan

    @_retried
    def lineage(
        self, kind: NodeKind, node_id: int, direction: str, max_hops: int | None
    ) -> LineageGraph:
        return self._read(load_lineage, (kind.name.lower(), node_id), direction, max_hops)

    # Composite writes --------------------------------------------------------------------

    @_retried
    def put_execution(
        self,
        execution: Execution,
        artifact_and_events: Sequence[tuple[Artifact, Event | None]],
        contexts: Sequence[Context],
        reuse_context_if_already_exist: bool,
        reuse_artifact_if_already_exist_by_external_id: bool,
        force_reuse_context: bool,
    ) -> tuple[int, list[int], list[int]]:
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
        reuse_context_if_already_exist: bool,
        reuse_artifact_if_already_exist_by_external_id: bool,
    ) -> tuple[list[int], list[int], list[int]]:
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


def _get_nodes(conn: Connection, kind: NodeKind, query: NodeQuery) -> list[AnyNode]:
    if query.ids is not None and query == NodeQuery(ids=query.ids):
        return nodes.load_nodes_by_id(conn, kind, query.ids or [])
    plain = query.raw_clause(kind)
    if plain is not None:
        where, params = plain
        return nodes.load_nodes_where(conn, kind, where, params, query.raw_ordering(), query.limit)
    return nodes.load_nodes(conn, kind, query.clause(kind, conn), query.ordering(kind), query.limit)


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
