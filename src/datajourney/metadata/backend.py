"""The one interface ``MetadataStore`` talks to, and choosing its implementation from a URL.

``MetadataStore`` holds the user-facing API (the concise tracking calls, listings, diffs);
every read and write it makes goes through a ``StoreBackend``: ``SqlBackend`` (SQLite, MySQL,
PostgreSQL, in memory) and ``HttpBackend`` (a ``datajourney serve`` server), so a remote
store has the same methods, results and errors as a local one (MLflow's tracking-store pattern).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from .deletion import DeletionPlan
from .errors import InvalidArgumentError
from .lineage_graph import LineageGraph
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
from .sql.queries import NodeQuery


class StoreBackend(Protocol):
    """The primitive operations of a metadata store; each one is atomic."""

    def close(self) -> None: ...

    def transaction(self) -> AbstractContextManager[Any]: ...

    def put_type(self, t: AnyType, can_add_fields: bool, can_omit_fields: bool) -> int: ...

    def get_type(self, kind: NodeKind, name: str, version: str | None) -> AnyType: ...

    def find_type(self, kind: NodeKind, name: str, version: str | None) -> AnyType | None: ...

    def get_types(
        self, kind: NodeKind, ids: Sequence[int] | None, external_ids: Sequence[str] | None
    ) -> list[AnyType]: ...

    def put(self, items: Sequence[AnyNode], field_mask: Sequence[str] | None) -> list[int]: ...

    def get(self, kind: NodeKind, query: NodeQuery) -> list[AnyNode]: ...

    def put_events(self, events: Sequence[Event]) -> None: ...

    def get_events(
        self, artifact_ids: Sequence[int], execution_ids: Sequence[int]
    ) -> list[Event]: ...

    def put_attributions_and_associations(
        self, attributions: Sequence[Attribution], associations: Sequence[Association]
    ) -> None: ...

    def put_parent_contexts(self, links: Sequence[ParentContext]) -> None: ...

    def delete(
        self, kind: NodeKind, ids: Sequence[int], cascade: bool, dry_run: bool
    ) -> DeletionPlan: ...

    def collect_garbage(
        self,
        context_id: int | None,
        created_before_ms: int | None,
        dry_run: bool,
        mark_artifacts: bool,
    ) -> DeletionPlan: ...

    def lineage(
        self, kind: NodeKind, node_id: int, direction: str, max_hops: int | None
    ) -> LineageGraph: ...

    def put_execution(
        self,
        execution: Execution,
        artifact_and_events: Sequence[tuple[Artifact, Event | None]],
        contexts: Sequence[Context],
        reuse_context_if_already_exist: bool,
        reuse_artifact_if_already_exist_by_external_id: bool,
        force_reuse_context: bool,
    ) -> tuple[int, list[int], list[int]]: ...

    def put_lineage_subgraph(
        self,
        executions: Sequence[Execution],
        artifacts: Sequence[Artifact],
        contexts: Sequence[Context],
        event_edges: Sequence[tuple[int | None, int | None, Event]],
        reuse_context_if_already_exist: bool,
        reuse_artifact_if_already_exist_by_external_id: bool,
    ) -> tuple[list[int], list[int], list[int]]: ...


def open_backend(url: str, read_only: bool, create: bool, upgrade: bool = False) -> StoreBackend:
    """The backend for the store at ``url``: a ``datajourney serve`` server for http(s)://,
    else a database (``upgrade``: an older MLMD schema version is migrated to ours first)."""
    if url.startswith(("http://", "https://")):
        if upgrade:
            raise InvalidArgumentError("upgrade applies to a database, not to a server's URL")
        from .http.backend import HttpBackend

        return HttpBackend(url, read_only=read_only, create=create)
    from .sql.backend import SqlBackend

    return SqlBackend(url, read_only=read_only, create=create, upgrade=upgrade)
