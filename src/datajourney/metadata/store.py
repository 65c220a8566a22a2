"""The native metadata store: ML Metadata's data model and operations on plain dataclasses.

Every public method is atomic: it either completes or changes nothing. The reads and writes go
through a backend (``backend.StoreBackend``): a database (``sql.backend.SqlBackend``) today,
a ``datajourney serve`` server next, with the same results and errors.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import hooks
from .backend import StoreBackend, open_backend
from .deletion import DeletionPlan
from .errors import InvalidArgumentError, NotFoundError
from .lineage_graph import LineageGraph, node_key
from .liveness import mark_abandoned_runs
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
from .sql.queries import NodeQuery
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


class MetadataStore:
    """Artifacts, executions, contexts, their types and lineage, in an ML Metadata database.

    ``url``: ``sqlite:///path/to/file.sqlite``, ``memory://`` (private, in memory),
    ``mysql://user:password@host:port/database``, ``postgresql://user:password@host:port/database``
    (the database is created if missing), ``http://host:port`` (a ``datajourney serve``), the
    path of an existing SQLite file (a bare path that does not exist is refused as a likely
    typo; ``sqlite:///path`` creates one), or None for the embedded default
    (``$DATAJOURNEY_STORE`` or ``./.datajourney/metadata.sqlite``). ``upgrade``: a
    database at an older MLMD schema version (6-9, written by older TFX / Kubeflow) is upgraded
    to version 10 in place (SQLite, PostgreSQL: in one transaction; MySQL: see docs/metadata.md);
    without it such a database is refused.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        read_only: bool = False,
        create: bool = True,
        upgrade: bool = False,
    ):
        self.url = url or default_url()
        self._backend = open_backend(self.url, read_only=read_only, create=create, upgrade=upgrade)

    @property
    def backend(self) -> StoreBackend:
        """The backend every call goes through (a database, or a server over HTTP)."""
        return self._backend

    def close(self) -> None:
        """Release the database connections."""
        self._backend.close()

    def __enter__(self) -> MetadataStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MetadataStore({self.url!r})"

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One database transaction; database errors become the store's errors.

        Store calls made inside ``with store.transaction():`` on the same thread join it, so
        several calls commit (or fail) together; it yields the SQLAlchemy connection. Each
        thread keeps one connection open between calls (checking one out of the pool per call
        costs more than a small query). A store call that a concurrent transaction aborts runs
        again by itself; a block of calls under ``with store.transaction():`` raises
        AbortedError for the caller to rerun.
        """
        with self._backend.transaction() as conn:
            yield conn

    # Types -------------------------------------------------------------------------------

    def put_type(
        self, t: AnyType, can_add_fields: bool = False, can_omit_fields: bool = False
    ) -> int:
        """Register a type, or evolve the stored one with the same name and version."""
        return self._backend.put_type(t, can_add_fields, can_omit_fields)

    def get_type(self, kind: KindLike, name: str, version: str | None = None) -> AnyType:
        """The type with this name and version; NotFoundError if there is none."""
        return self._backend.get_type(kind_of(kind), name, version)

    def find_type(self, kind: KindLike, name: str, version: str | None = None) -> AnyType | None:
        """The type with this name and version, or None."""
        return self._backend.find_type(kind_of(kind), name, version)

    def get_types(
        self,
        kind: KindLike,
        ids: Sequence[int] | None = None,
        external_ids: Sequence[str] | None = None,
    ) -> list[AnyType]:
        """Types of a kind: all user types, or those with these ids / external ids."""
        return self._backend.get_types(kind_of(kind), ids, external_ids)

    # Nodes -------------------------------------------------------------------------------

    def put(
        self,
        items: Sequence[AnyNode],
        field_mask: Sequence[str] | None = None,
    ) -> list[int]:
        """Insert (no id) or update (id set) nodes of one kind; returns their ids in order.

        With ``field_mask`` (paths such as ``uri`` or ``properties.split``) an update changes
        only those fields (an empty mask changes nothing but the update time).
        """
        return self._backend.put(items, field_mask)

    def get(self, kind: KindLike, query: NodeQuery | None = None, **criteria) -> list[AnyNode]:
        """Nodes of a kind matching the criteria of ``NodeQuery`` (as object or keywords)."""
        return self._backend.get(kind_of(kind), query or NodeQuery(**criteria))

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

    def put_events(self, events: Sequence[Event]) -> None:
        """Record that executions consumed or produced artifacts."""
        self._backend.put_events(events)

    def get_events(
        self, artifact_ids: Sequence[int] = (), execution_ids: Sequence[int] = ()
    ) -> list[Event]:
        """Events touching any of these artifacts or executions."""
        return self._backend.get_events(artifact_ids, execution_ids)

    def put_attributions_and_associations(
        self, attributions: Sequence[Attribution], associations: Sequence[Association]
    ) -> None:
        """Put artifacts (attributions) and executions (associations) into contexts."""
        self._backend.put_attributions_and_associations(attributions, associations)

    def put_parent_contexts(self, links: Sequence[ParentContext]) -> None:
        """Nest contexts (a pipeline run inside a pipeline, say)."""
        self._backend.put_parent_contexts(links)

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

    def mark_abandoned_runs(self, dry_run: bool = False) -> list[Execution]:
        """Record FAILED (custom property ``abandoned``) every RUNNING execution whose process,
        on this host, is gone (killed before it recorded its end); those executions."""
        return mark_abandoned_runs(self, dry_run)

    def restore_inputs(self, execution: Execution | int, dest: str | None = None) -> dict:
        """Put back exactly the data an execution read (inputs recorded with a snapshot):
        each to its uri, or under ``dest``; artifact id -> restored path."""
        return hooks.hook(hooks.RESTORE_INPUTS)(self, execution, dest=dest)

    def diff_executions(self, a: Execution | int, b: Execution | int) -> ExecutionDiff:
        """How execution ``b`` differs from ``a``: parameters, inputs (by snapshot digest or
        uri) and outputs (by type, then properties). ``print()`` it for a summary."""
        ids = [x if isinstance(x, int) else x.id for x in (a, b)]
        with self.transaction():
            found = {e.id: e for e in self.get_executions(ids=ids)}
            missing = [i for i in ids if i not in found]
            if missing:
                raise NotFoundError(f"no execution with id {missing[0]}")
            events = self.get_events(execution_ids=ids)
            read = sorted({e.artifact_id for e in events})
            artifacts = {x.id: x for x in self.get_artifacts(ids=read)} if read else {}
        sides = [
            [(e.type, artifacts[e.artifact_id]) for e in events if e.execution_id == i] for i in ids
        ]
        return diff_executions(found[ids[0]], found[ids[1]], *sides)

    # Deletion ----------------------------------------------------------------------------

    def delete_artifacts(
        self, ids: Sequence[int], cascade: bool = False, dry_run: bool = False
    ) -> DeletionPlan:
        """Delete artifacts with their properties, events and attributions. One an execution
        read is refused unless ``cascade`` (which deletes what derives from it too)."""
        return self._backend.delete(NodeKind.ARTIFACT, ids, cascade, dry_run)

    def delete_executions(
        self, ids: Sequence[int], cascade: bool = False, dry_run: bool = False
    ) -> DeletionPlan:
        """Delete executions; one that wrote artifacts is refused unless ``cascade``."""
        return self._backend.delete(NodeKind.EXECUTION, ids, cascade, dry_run)

    def delete_contexts(
        self, ids: Sequence[int], cascade: bool = False, dry_run: bool = False
    ) -> DeletionPlan:
        """Delete contexts and their links (their nodes stay); a context with child contexts
        is refused unless ``cascade`` (which deletes the children too)."""
        return self._backend.delete(NodeKind.CONTEXT, ids, cascade, dry_run)

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
        before = None if older_than is None else int(older_than.timestamp() * 1000)
        with self.transaction():
            context_id = None
            if context is not None:
                context_id = resolve_context(self, context, create=False).id
            return self._backend.collect_garbage(context_id, before, dry_run, mark_artifacts)

    # Lineage -----------------------------------------------------------------------------

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
        name, node_id = ("artifact", node) if isinstance(node, int) else node_key(node)
        kind = NodeKind.ARTIFACT if name == "artifact" else NodeKind.EXECUTION
        return self._backend.lineage(kind, node_id, direction, max_hops)

    # Composite writes --------------------------------------------------------------------

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
        return self._backend.put_execution(
            execution,
            artifact_and_events,
            contexts,
            reuse_context_if_already_exist,
            reuse_artifact_if_already_exist_by_external_id,
            force_reuse_context,
        )

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
        return self._backend.put_lineage_subgraph(
            executions,
            artifacts,
            contexts,
            event_edges,
            reuse_context_if_already_exist,
            reuse_artifact_if_already_exist_by_external_id,
        )
