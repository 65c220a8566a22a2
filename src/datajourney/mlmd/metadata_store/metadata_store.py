"""ml-metadata's ``MetadataStore`` API on datajourney's store.

Replace ``ml_metadata`` with ``datajourney.mlmd`` in the imports and the same code runs: the
same methods, arguments, protobuf messages and errors. This module only translates; the work
is done by :class:`datajourney.metadata.MetadataStore`.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ...metadata import errors
from ...metadata.deletion import DeletionPlan
from ...metadata.model import Association, Attribution, NodeKind, ParentContext
from ...metadata.sql import migration
from ...metadata.sql.queries import NodeQuery
from ...metadata.sql.schema import SCHEMA_VERSION
from ...metadata.store import MetadataStore as NativeStore
from .. import convert
from ..proto import metadata_store_pb2
from .connection import store_url

_Field = metadata_store_pb2.ListOperationOptions.OrderByField.Field
A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
_NODE_MESSAGES = {
    A: metadata_store_pb2.Artifact,
    E: metadata_store_pb2.Execution,
    C: metadata_store_pb2.Context,
}
_TYPE_MESSAGES = {
    A: metadata_store_pb2.ArtifactType,
    E: metadata_store_pb2.ExecutionType,
    C: metadata_store_pb2.ContextType,
}

# The most results one page of a list call returns in ml-metadata.
MAX_NUM_RESULT = 100


@enum.unique
class OrderByField(enum.Enum):
    """Fields that list results can be ordered by."""

    CREATE_TIME = _Field.CREATE_TIME
    UPDATE_TIME = _Field.LAST_UPDATE_TIME
    ID = _Field.ID


_ORDER_NAMES = {
    OrderByField.CREATE_TIME: "create_time",
    OrderByField.UPDATE_TIME: "update_time",
    OrderByField.ID: "id",
}


@dataclass
class ListOptions:
    """How to list nodes: at most ``limit``, ordered by ``order_by``, matching ``filter_query``."""

    limit: int | None = None
    order_by: OrderByField | None = None
    is_asc: bool = True
    filter_query: str | None = None


class ExtraOptions:
    """Accepted for signature compatibility with ml-metadata; carries nothing."""

    def __init__(self, euc=None) -> None:
        del euc


def _query(list_options: ListOptions | None, **criteria) -> NodeQuery:
    if list_options is None:
        return NodeQuery(**criteria)
    if list_options.limit and list_options.limit < 1:
        raise errors.InvalidArgumentError(
            "Invalid list_options.limit value passed. list_options.limit is expected to be "
            "greater than 1"
        )
    order = _ORDER_NAMES[list_options.order_by] if list_options.order_by else "id"
    return NodeQuery(
        **criteria,
        order_by=order,
        ascending=list_options.is_asc,
        limit=list_options.limit or None,
        filter_query=list_options.filter_query or None,
    )


def _ids(values: Iterable[int], what: str) -> list[int]:
    """The ids as a list; TypeError (as ml-metadata's request protos raise) for a non-int."""
    ids = list(values)
    for value in ids:
        if not isinstance(value, int):
            raise TypeError(f"{what}: {value!r} has type {type(value).__name__}, expected int")
    return ids


def _texts(values: Iterable[str], what: str) -> list[str]:
    texts = list(values)
    for value in texts:
        _text(value, what)
    return texts


def _text(value, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what}: {value!r} has type {type(value).__name__}, expected str")
    return value


def _message(value, cls, what: str):
    if not isinstance(value, cls):
        raise TypeError(f"{what}: expected {cls.__name__}, got {type(value).__name__}")
    return value


def _found(results: list, asked: Sequence, what: str) -> list:
    """ml-metadata answers NotFoundError where a lookup for something finds nothing."""
    if asked and not results:
        raise errors.NotFoundError(f"no {what} found")
    return results


def _known_paths(paths: Sequence[str] | None, cls) -> list[str] | None:
    """The field-mask paths naming a field of ``cls`` (ml-metadata ignores the others); None
    when there is no mask (the whole node is written)."""
    if not paths:
        return None
    fields = cls.DESCRIPTOR.fields_by_name
    return [p for p in paths if p.partition(".")[0] in fields]


DEFAULT_RETRIES = 5  # ml-metadata's client: attempts of a call aborted by a concurrent one


class _PerStore:
    """A public method that, read off the class (``MetadataStore.put_artifacts(store, ...)``),
    runs the given store's own implementation of it: ml-metadata has a single class, so such
    calls must also work on the gRPC client, which overrides the method."""

    def __init__(self, function: Callable) -> None:
        self._function = function
        functools.update_wrapper(self, function)

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, store: object, owner: type | None = None) -> Callable:
        if store is not None:
            return self._function.__get__(store, owner)
        name = self._name

        @functools.wraps(self._function)
        def on_store(store, *args, **kwargs):
            return getattr(store, name)(*args, **kwargs)

        return on_store


def _per_store(cls: type) -> type:
    """Make every public method of ``cls`` a :class:`_PerStore`."""
    for name, value in list(vars(cls).items()):
        if callable(value) and not name.startswith("_") and not isinstance(value, type):
            method = _PerStore(value)
            setattr(cls, name, method)
            method.__set_name__(cls, name)
    return cls


@_per_store
class MetadataStore:
    """A store for the metadata (the ml-metadata API).

    ``config``: a ``ConnectionConfig`` (the database itself) or a ``MetadataStoreClientConfig``
    (an ml-metadata gRPC server: ``datajourney serve-mlmd`` or Google's ``metadata_store_server``;
    needs grpcio).
    """

    def __new__(cls, config=None, enable_upgrade_migration: bool = False):
        if cls is MetadataStore and isinstance(
            config, metadata_store_pb2.MetadataStoreClientConfig
        ):
            from .remote import RemoteMetadataStore  # loads grpc

            cls = RemoteMetadataStore
        return super().__new__(cls)

    def __init__(self, config, enable_upgrade_migration: bool = False) -> None:
        self._config = config
        url, read_only, create = store_url(config)
        try:
            self._store = NativeStore(
                url, read_only=read_only, create=create, upgrade=enable_upgrade_migration
            )
        except errors.StatusError as error:  # ml-metadata fails to open with a RuntimeError
            raise RuntimeError(str(error)) from error
        # ml-metadata's client runs a call aborted by a concurrent transaction again, up to
        # ``retry_options.max_num_retries`` times in all (5 by default).
        self._max_num_retries = DEFAULT_RETRIES
        if config.HasField("retry_options"):
            self._max_num_retries = config.retry_options.max_num_retries
            backend = self._store.backend
            if hasattr(backend, "attempts"):
                backend.attempts = max(1, self._max_num_retries)

    @classmethod
    def over(cls, native: NativeStore) -> MetadataStore:
        """The ml-metadata API over an open datajourney store."""
        store = super().__new__(cls)
        store._config = None
        store._store = native
        store._max_num_retries = DEFAULT_RETRIES
        return store

    @property
    def native(self) -> NativeStore:
        """The datajourney store behind this API."""
        return self._store

    @property
    def pipeline_asset(self) -> None:
        return None

    # Types -------------------------------------------------------------------------------

    def _put_type(self, message, kind, can_add_fields, can_omit_fields) -> int:
        _message(message, _TYPE_MESSAGES[kind], "the type")
        t = convert.type_to_model(message, kind)
        return self._store.put_type(t, can_add_fields, can_omit_fields)

    def put_artifact_type(
        self,
        artifact_type,
        can_add_fields: bool = False,
        can_omit_fields: bool = False,
        extra_options=None,
    ) -> int:
        return self._put_type(artifact_type, A, can_add_fields, can_omit_fields)

    def put_execution_type(
        self,
        execution_type,
        can_add_fields: bool = False,
        can_omit_fields: bool = False,
        extra_options=None,
    ) -> int:
        return self._put_type(execution_type, E, can_add_fields, can_omit_fields)

    def put_context_type(
        self,
        context_type,
        can_add_fields: bool = False,
        can_omit_fields: bool = False,
        extra_options=None,
    ) -> int:
        return self._put_type(context_type, C, can_add_fields, can_omit_fields)

    def _get_type(self, kind, type_name, type_version):
        _text(type_name, "type_name")
        return convert.type_to_proto(self._store.get_type(kind, type_name, type_version or None))

    def get_artifact_type(
        self, type_name: str, type_version: str | None = None, extra_options=None
    ):
        return self._get_type(A, type_name, type_version)

    def get_execution_type(
        self, type_name: str, type_version: str | None = None, extra_options=None
    ):
        return self._get_type(E, type_name, type_version)

    def get_context_type(self, type_name: str, type_version: str | None = None, extra_options=None):
        return self._get_type(C, type_name, type_version)

    def _types(self, kind, **criteria) -> list:
        return [convert.type_to_proto(t) for t in self._store.get_types(kind, **criteria)]

    def _all_types(self, kind) -> list:
        # ml-metadata 1.17 lists every type without its external_id (lookups by name keep it).
        listed = self._types(kind)
        for message in listed:
            message.ClearField("external_id")
        return listed

    def get_artifact_types(self, extra_options=None) -> list:
        return self._all_types(A)

    def get_execution_types(self, extra_options=None) -> list:
        return self._all_types(E)

    def get_context_types(self, extra_options=None) -> list:
        return self._all_types(C)

    def get_artifact_types_by_id(self, type_ids: Iterable[int], extra_options=None) -> list:
        return self._types(A, ids=_ids(type_ids, "type_ids"))

    def get_execution_types_by_id(self, type_ids: Iterable[int], extra_options=None) -> list:
        return self._types(E, ids=_ids(type_ids, "type_ids"))

    def get_context_types_by_id(self, type_ids: Iterable[int], extra_options=None) -> list:
        return self._types(C, ids=_ids(type_ids, "type_ids"))

    def get_artifact_types_by_external_ids(
        self, external_ids: Iterable[str], extra_options=None
    ) -> list:
        asked = _texts(external_ids, "external_ids")
        return _found(
            self._types(A, external_ids=asked),
            asked,
            "artifact types with these external ids",
        )

    def get_execution_types_by_external_ids(
        self, external_ids: Iterable[str], extra_options=None
    ) -> list:
        asked = _texts(external_ids, "external_ids")
        return _found(
            self._types(E, external_ids=asked),
            asked,
            "execution types with these external ids",
        )

    def get_context_types_by_external_ids(
        self, external_ids: Iterable[str], extra_options=None
    ) -> list:
        asked = _texts(external_ids, "external_ids")
        return _found(
            self._types(C, external_ids=asked),
            asked,
            "context types with these external ids",
        )

    # Nodes -------------------------------------------------------------------------------

    def _put(self, kind, messages, field_mask_paths) -> list[int]:
        cls = _NODE_MESSAGES[kind]
        items = [convert.node_to_model(_message(m, cls, "put"), kind) for m in messages]
        if not items:
            return []
        return self._store.put(items, _known_paths(field_mask_paths, cls))

    def put_artifacts(
        self,
        artifacts: Sequence,
        field_mask_paths: Sequence[str] | None = None,
        extra_options=None,
    ) -> list[int]:
        return self._put(A, artifacts, field_mask_paths)

    def put_executions(
        self,
        executions: Sequence,
        field_mask_paths: Sequence[str] | None = None,
        extra_options=None,
    ) -> list[int]:
        return self._put(E, executions, field_mask_paths)

    def put_contexts(
        self,
        contexts: Sequence,
        field_mask_paths: Sequence[str] | None = None,
        extra_options=None,
    ) -> list[int]:
        return self._put(C, contexts, field_mask_paths)

    def _get(self, kind, query: NodeQuery) -> list:
        return convert.nodes_to_proto(self._store.get(kind, query))

    def get_artifacts(self, list_options: ListOptions | None = None, extra_options=None) -> list:
        return self._get(A, _query(list_options))

    def get_executions(self, list_options: ListOptions | None = None, extra_options=None) -> list:
        return self._get(E, _query(list_options))

    def get_contexts(self, list_options: ListOptions | None = None, extra_options=None) -> list:
        return self._get(C, _query(list_options))

    def get_artifacts_by_id(self, artifact_ids: Iterable[int], extra_options=None) -> list:
        return self._get(A, NodeQuery(ids=_ids(artifact_ids, "artifact_ids")))

    def get_executions_by_id(self, execution_ids: Iterable[int], extra_options=None) -> list:
        return self._get(E, NodeQuery(ids=_ids(execution_ids, "execution_ids")))

    def get_contexts_by_id(self, context_ids: Iterable[int], extra_options=None) -> list:
        return self._get(C, NodeQuery(ids=_ids(context_ids, "context_ids")))

    def get_artifacts_and_types_by_artifact_ids(
        self, artifact_ids: Iterable[int], extra_options=None
    ) -> tuple[list, list]:
        artifacts = self.get_artifacts_by_id(artifact_ids)
        type_ids = sorted({a.type_id for a in artifacts})
        return artifacts, self.get_artifact_types_by_id(type_ids)

    def get_artifacts_by_type(
        self, type_name: str, type_version: str | None = None, extra_options=None
    ) -> list:
        return self._get(
            A, NodeQuery(type_name=_text(type_name, "type_name"), type_version=type_version or None)
        )

    def get_executions_by_type(
        self, type_name: str, type_version: str | None = None, extra_options=None
    ) -> list:
        return self._get(
            E, NodeQuery(type_name=_text(type_name, "type_name"), type_version=type_version or None)
        )

    def get_contexts_by_type(
        self, type_name: str, type_version: str | None = None, extra_options=None
    ) -> list:
        return self._get(
            C, NodeQuery(type_name=_text(type_name, "type_name"), type_version=type_version or None)
        )

    def _by_type_and_name(self, kind, type_name, name, type_version):
        found = self._get(
            kind, NodeQuery(type_name=type_name, type_version=type_version or None, name=name)
        )
        return found[0] if found else None

    def get_artifact_by_type_and_name(
        self,
        type_name: str,
        artifact_name: str,
        type_version: str | None = None,
        extra_options=None,
    ):
        return self._by_type_and_name(A, type_name, artifact_name, type_version)

    def get_execution_by_type_and_name(
        self,
        type_name: str,
        execution_name: str,
        type_version: str | None = None,
        extra_options=None,
    ):
        return self._by_type_and_name(E, type_name, execution_name, type_version)

    def get_context_by_type_and_name(
        self,
        type_name: str,
        context_name: str,
        type_version: str | None = None,
        extra_options=None,
    ):
        return self._by_type_and_name(C, type_name, context_name, type_version)

    def get_artifacts_by_uri(self, uri: str, extra_options=None) -> list:
        return self._get(A, NodeQuery(uris=[uri]))

    def get_artifacts_by_external_ids(self, external_ids: Iterable[str], extra_options=None):
        asked = _texts(external_ids, "external_ids")
        return _found(
            self._get(A, NodeQuery(external_ids=asked)),
            asked,
            "artifacts with these external ids",
        )

    def get_executions_by_external_ids(self, external_ids: Iterable[str], extra_options=None):
        asked = _texts(external_ids, "external_ids")
        return _found(
            self._get(E, NodeQuery(external_ids=asked)),
            asked,
            "executions with these external ids",
        )

    def get_contexts_by_external_ids(self, external_ids: Iterable[str], extra_options=None):
        asked = _texts(external_ids, "external_ids")
        return _found(
            self._get(C, NodeQuery(external_ids=asked)),
            asked,
            "contexts with these external ids",
        )

    def get_artifacts_by_context(
        self, context_id: int, list_options: ListOptions | None = None, extra_options=None
    ) -> list:
        return self._get(A, _query(list_options, context_id=context_id))

    def get_executions_by_context(
        self, context_id: int, list_options: ListOptions | None = None, extra_options=None
    ) -> list:
        if list_options is None:
            list_options = ListOptions(order_by=OrderByField.CREATE_TIME, is_asc=False)
        return self._get(E, _query(list_options, context_id=context_id))

    def get_contexts_by_artifact(self, artifact_id: int, extra_options=None) -> list:
        found = self._get(C, NodeQuery(artifact_id=artifact_id))
        return _found(found, [artifact_id], f"contexts of artifact {artifact_id}")

    def get_contexts_by_execution(self, execution_id: int, extra_options=None) -> list:
        found = self._get(C, NodeQuery(execution_id=execution_id))
        return _found(found, [execution_id], f"contexts of execution {execution_id}")

    def get_parent_contexts_by_context(self, context_id: int, extra_options=None) -> list:
        return self._get(C, NodeQuery(child_id=context_id))

    def get_children_contexts_by_context(self, context_id: int, extra_options=None) -> list:
        return self._get(C, NodeQuery(parent_id=context_id))

    # Edges -------------------------------------------------------------------------------

    def put_events(self, events: Sequence, extra_options=None) -> None:
        self._store.put_events([convert.event_to_model(e) for e in events])

    def get_events_by_execution_ids(self, execution_ids: Iterable[int], extra_options=None):
        events = self._store.get_events(execution_ids=list(execution_ids))
        return [convert.event_to_proto(e) for e in events]

    def get_events_by_artifact_ids(self, artifact_ids: Iterable[int], extra_options=None):
        events = self._store.get_events(artifact_ids=list(artifact_ids))
        return [convert.event_to_proto(e) for e in events]

    def put_attributions_and_associations(
        self, attributions: Sequence, associations: Sequence, extra_options=None
    ) -> None:
        self._store.put_attributions_and_associations(
            [Attribution(a.context_id, a.artifact_id) for a in attributions],
            [Association(a.context_id, a.execution_id) for a in associations],
        )

    def put_parent_contexts(self, parent_contexts: Sequence, extra_options=None) -> None:
        self._store.put_parent_contexts(
            [ParentContext(p.child_id, p.parent_id) for p in parent_contexts]
        )

    # Composite ---------------------------------------------------------------------------

    def put_execution(
        self,
        execution,
        artifact_and_events: Sequence,
        contexts: Sequence | None,
        reuse_context_if_already_exist: bool = False,
        reuse_artifact_if_already_exist_by_external_id: bool = False,
        force_reuse_context: bool = False,
        force_update_time: bool = False,
        extra_options=None,
    ) -> tuple[int, list[int], list[int]]:
        del force_update_time  # every update moves last_update_time, as in ml-metadata
        pairs = []
        for pair in artifact_and_events:
            if not pair:
                continue
            artifact = convert.node_to_model(pair[0], A)
            event = pair[1] if len(pair) == 2 else None
            pairs.append((artifact, convert.event_to_model(event) if event is not None else None))
        return self._store.put_execution(
            convert.node_to_model(execution, E),
            pairs,
            [convert.node_to_model(c, C) for c in contexts or ()],
            reuse_context_if_already_exist=reuse_context_if_already_exist,
            reuse_artifact_if_already_exist_by_external_id=(
                reuse_artifact_if_already_exist_by_external_id
            ),
            force_reuse_context=force_reuse_context,
        )

    def put_lineage_subgraph(
        self,
        executions: Sequence,
        artifacts: Sequence,
        contexts: Sequence,
        event_edges: Sequence,
        reuse_context_if_already_exist: bool = False,
        reuse_artifact_if_already_exist_by_external_id: bool = False,
        extra_options=None,
    ) -> tuple[list[int], list[int], list[int]]:
        return self._store.put_lineage_subgraph(
            [convert.node_to_model(e, E) for e in executions],
            [convert.node_to_model(a, A) for a in artifacts],
            [convert.node_to_model(c, C) for c in contexts],
            [(e, a, convert.event_to_model(ev)) for e, a, ev in event_edges],
            reuse_context_if_already_exist=reuse_context_if_already_exist,
            reuse_artifact_if_already_exist_by_external_id=(
                reuse_artifact_if_already_exist_by_external_id
            ),
        )

    # Extensions (not in ml-metadata) -------------------------------------------------------

    def delete_artifacts(
        self, artifact_ids: Iterable[int], cascade: bool = False, dry_run: bool = False
    ) -> DeletionPlan:
        """Delete artifacts (datajourney extension; see ``datajourney.MetadataStore``)."""
        return self._store.delete_artifacts(_ids(artifact_ids, "artifact_ids"), cascade, dry_run)

    def delete_executions(
        self, execution_ids: Iterable[int], cascade: bool = False, dry_run: bool = False
    ) -> DeletionPlan:
        """Delete executions (datajourney extension)."""
        return self._store.delete_executions(_ids(execution_ids, "execution_ids"), cascade, dry_run)

    def delete_contexts(
        self, context_ids: Iterable[int], cascade: bool = False, dry_run: bool = False
    ) -> DeletionPlan:
        """Delete contexts (datajourney extension)."""
        return self._store.delete_contexts(_ids(context_ids, "context_ids"), cascade, dry_run)

    def get_lineage_subgraph(
        self, query_options, field_mask_paths: Sequence[str] | None = None, extra_options=None
    ):
        from .lineage_subgraph import get_lineage_subgraph

        return get_lineage_subgraph(self, query_options, field_mask_paths)


def downgrade_schema(config, downgrade_to_schema_version: int) -> None:
    """Downgrade the store's database to an older MLMD schema version (6-9 here; SQLite), in
    one transaction, as ml-metadata's ``downgrade_schema`` does: open it afterwards with an
    ml-metadata release of that version, or again with ``enable_upgrade_migration=True``."""
    if downgrade_to_schema_version < 0:
        raise errors.InvalidArgumentError("downgrade_to_schema_version not specified")
    if downgrade_to_schema_version > SCHEMA_VERSION:
        raise errors.InvalidArgumentError(
            f"MLMD cannot be downgraded to schema_version: {downgrade_to_schema_version}. "
            "The target version should be greater or equal to 0, and the current library "
            f"version: {SCHEMA_VERSION} needs to be greater than the target version."
        )
    url, _, _ = store_url(config)
    try:
        migration.downgrade(url, downgrade_to_schema_version)
    except errors.FailedPreconditionError as error:  # ml-metadata: a RuntimeError
        raise RuntimeError(str(error)) from error
