"""ml-metadata's ``MetadataStoreService``: its RPCs as calls on the drop-in store.

Each method takes the request message of the RPC of the same name and returns its response
message; a failure is the store's ``StatusError`` (whose code is the gRPC status code). The
gRPC server (``grpc_server``) puts this on the wire; it holds no gRPC code itself, so it loads
without grpcio. Listings page the way ml-metadata's server does: ``options.max_result_size``
nodes per response (at most 100) and a ``next_page_token`` while more remain; the token holds
the last node's ordering value and id, so each page is one indexed query, whatever its depth.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from google.protobuf.message import DecodeError

from ..metadata.errors import InvalidArgumentError, UnimplementedError
from ..metadata.model import NodeKind
from ..metadata.sql.queries import NodeQuery
from .metadata_store.metadata_store import MAX_NUM_RESULT, MetadataStore
from .proto import metadata_store_pb2 as pb
from .proto import metadata_store_service_pb2 as svc

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
_Field = pb.ListOperationOptions.OrderByField.Field
_ORDER = {
    _Field.CREATE_TIME: ("create_time", "create_time_since_epoch"),
    _Field.LAST_UPDATE_TIME: ("update_time", "last_update_time_since_epoch"),
    _Field.ID: ("id", "id"),
}


def _type_options(request) -> tuple[bool, bool]:
    return request.can_add_fields, request.can_omit_fields


def _version(request) -> str | None:
    return request.type_version if request.HasField("type_version") else None


class MetadataStoreService:
    """The RPCs of ml-metadata 1.17's ``MetadataStoreService`` over a drop-in store."""

    def __init__(self, store: MetadataStore) -> None:
        self.store = store

    def method(self, name: str) -> Callable:
        """The implementation of RPC ``name`` (UnimplementedError when there is none)."""
        found = getattr(self, name, None)
        if found is None or not name[:1].isupper():
            raise UnimplementedError(f"MetadataStoreService has no method {name}")
        return found

    # Types ------------------------------------------------------------------------------

    def PutArtifactType(self, request):
        store = self.store
        type_id = store.put_artifact_type(request.artifact_type, *_type_options(request))
        return svc.PutArtifactTypeResponse(type_id=type_id)

    def PutExecutionType(self, request):
        store = self.store
        type_id = store.put_execution_type(request.execution_type, *_type_options(request))
        return svc.PutExecutionTypeResponse(type_id=type_id)

    def PutContextType(self, request):
        type_id = self.store.put_context_type(request.context_type, *_type_options(request))
        return svc.PutContextTypeResponse(type_id=type_id)

    def PutTypes(self, request):
        options = _type_options(request)
        store = self.store
        with store.native.transaction():
            return svc.PutTypesResponse(
                artifact_type_ids=[
                    store.put_artifact_type(t, *options) for t in request.artifact_types
                ],
                execution_type_ids=[
                    store.put_execution_type(t, *options) for t in request.execution_types
                ],
                context_type_ids=[
                    store.put_context_type(t, *options) for t in request.context_types
                ],
            )

    def GetArtifactType(self, request):
        found = self.store.get_artifact_type(request.type_name, _version(request))
        return svc.GetArtifactTypeResponse(artifact_type=found)

    def GetExecutionType(self, request):
        found = self.store.get_execution_type(request.type_name, _version(request))
        return svc.GetExecutionTypeResponse(execution_type=found)

    def GetContextType(self, request):
        found = self.store.get_context_type(request.type_name, _version(request))
        return svc.GetContextTypeResponse(context_type=found)

    def GetArtifactTypes(self, request):
        return svc.GetArtifactTypesResponse(artifact_types=self.store.get_artifact_types())

    def GetExecutionTypes(self, request):
        return svc.GetExecutionTypesResponse(execution_types=self.store.get_execution_types())

    def GetContextTypes(self, request):
        return svc.GetContextTypesResponse(context_types=self.store.get_context_types())

    def GetArtifactTypesByID(self, request):
        found = self.store.get_artifact_types_by_id(request.type_ids)
        return svc.GetArtifactTypesByIDResponse(artifact_types=found)

    def GetExecutionTypesByID(self, request):
        found = self.store.get_execution_types_by_id(request.type_ids)
        return svc.GetExecutionTypesByIDResponse(execution_types=found)

    def GetContextTypesByID(self, request):
        found = self.store.get_context_types_by_id(request.type_ids)
        return svc.GetContextTypesByIDResponse(context_types=found)

    def GetArtifactTypesByExternalIds(self, request):
        found = self.store.get_artifact_types_by_external_ids(request.external_ids)
        return svc.GetArtifactTypesByExternalIdsResponse(artifact_types=found)

    def GetExecutionTypesByExternalIds(self, request):
        found = self.store.get_execution_types_by_external_ids(request.external_ids)
        return svc.GetExecutionTypesByExternalIdsResponse(execution_types=found)

    def GetContextTypesByExternalIds(self, request):
        found = self.store.get_context_types_by_external_ids(request.external_ids)
        return svc.GetContextTypesByExternalIdsResponse(context_types=found)

    # Node writes ------------------------------------------------------------------------

    def PutArtifacts(self, request):
        paths = list(request.update_mask.paths)
        ids = self.store.put_artifacts(request.artifacts, paths)
        return svc.PutArtifactsResponse(artifact_ids=ids)

    def PutExecutions(self, request):
        paths = list(request.update_mask.paths)
        ids = self.store.put_executions(request.executions, paths)
        return svc.PutExecutionsResponse(execution_ids=ids)

    def PutContexts(self, request):
        paths = list(request.update_mask.paths)
        return svc.PutContextsResponse(context_ids=self.store.put_contexts(request.contexts, paths))

    def PutEvents(self, request):
        self.store.put_events(request.events)
        return svc.PutEventsResponse()

    def PutAttributionsAndAssociations(self, request):
        self.store.put_attributions_and_associations(request.attributions, request.associations)
        return svc.PutAttributionsAndAssociationsResponse()

    def PutParentContexts(self, request):
        self.store.put_parent_contexts(request.parent_contexts)
        return svc.PutParentContextsResponse()

    def PutExecution(self, request):
        options = request.options
        pairs = [
            (p.artifact, p.event) if p.HasField("event") else (p.artifact,)
            for p in request.artifact_event_pairs
        ]
        execution_id, artifact_ids, context_ids = self.store.put_execution(
            request.execution,
            pairs,
            request.contexts,
            reuse_context_if_already_exist=options.reuse_context_if_already_exist,
            reuse_artifact_if_already_exist_by_external_id=(
                options.reuse_artifact_if_already_exist_by_external_id
            ),
            force_reuse_context=options.force_reuse_context,
            force_update_time=options.force_update_time,
        )
        return svc.PutExecutionResponse(
            execution_id=execution_id, artifact_ids=artifact_ids, context_ids=context_ids
        )

    def PutLineageSubgraph(self, request):
        options = request.options
        edges = [
            (
                e.execution_index if e.HasField("execution_index") else None,
                e.artifact_index if e.HasField("artifact_index") else None,
                e.event,
            )
            for e in request.event_edges
        ]
        execution_ids, artifact_ids, context_ids = self.store.put_lineage_subgraph(
            request.executions,
            request.artifacts,
            request.contexts,
            edges,
            reuse_context_if_already_exist=options.reuse_context_if_already_exist,
            reuse_artifact_if_already_exist_by_external_id=(
                options.reuse_artifact_if_already_exist_by_external_id
            ),
        )
        return svc.PutLineageSubgraphResponse(
            execution_ids=execution_ids, artifact_ids=artifact_ids, context_ids=context_ids
        )

    # Node reads -------------------------------------------------------------------------

    def _page(self, kind: NodeKind, request, response, field: str, **criteria):
        """Fill ``response.<field>`` with one page of the listing and its next_page_token."""
        if not request.HasField("options"):
            getattr(response, field).extend(self.store._get(kind, NodeQuery(**criteria)))
            return response
        options = request.options
        size = options.max_result_size
        if size < 1:
            raise InvalidArgumentError(f"max_result_size must be positive, got {size}")
        size = min(size, MAX_NUM_RESULT)
        order, column = _ORDER[options.order_by_field.field]
        ascending = options.order_by_field.is_asc
        where = [f"({options.filter_query})"] if options.filter_query else []
        if options.next_page_token:
            token = _read_token(options.next_page_token)
            where.append(_after(token, column, ascending))
        query = NodeQuery(
            **criteria,
            filter_query=" AND ".join(where) or None,
            order_by=order,
            ascending=ascending,
            limit=size + 1,
        )
        found = self.store._get(kind, query)
        page = found[:size]
        getattr(response, field).extend(page)
        if len(found) > size:
            last = page[-1]
            offset = getattr(last, column) if column != "id" else last.id
            response.next_page_token = _write_token(last.id, offset)
        return response

    def GetArtifacts(self, request):
        return self._page(A, request, svc.GetArtifactsResponse(), "artifacts")

    def GetExecutions(self, request):
        return self._page(E, request, svc.GetExecutionsResponse(), "executions")

    def GetContexts(self, request):
        return self._page(C, request, svc.GetContextsResponse(), "contexts")

    def GetArtifactsByType(self, request):
        response = svc.GetArtifactsByTypeResponse()
        criteria = {"type_name": request.type_name, "type_version": _version(request) or None}
        return self._page(A, request, response, "artifacts", **criteria)

    def GetExecutionsByType(self, request):
        response = svc.GetExecutionsByTypeResponse()
        criteria = {"type_name": request.type_name, "type_version": _version(request) or None}
        return self._page(E, request, response, "executions", **criteria)

    def GetContextsByType(self, request):
        response = svc.GetContextsByTypeResponse()
        criteria = {"type_name": request.type_name, "type_version": _version(request) or None}
        return self._page(C, request, response, "contexts", **criteria)

    def GetArtifactsByContext(self, request):
        response = svc.GetArtifactsByContextResponse()
        return self._page(A, request, response, "artifacts", context_id=request.context_id)

    def GetExecutionsByContext(self, request):
        response = svc.GetExecutionsByContextResponse()
        return self._page(E, request, response, "executions", context_id=request.context_id)

    def GetArtifactsByID(self, request):
        store = self.store
        if request.populate_artifact_types:
            artifacts, types = store.get_artifacts_and_types_by_artifact_ids(request.artifact_ids)
            return svc.GetArtifactsByIDResponse(artifacts=artifacts, artifact_types=types)
        return svc.GetArtifactsByIDResponse(
            artifacts=store.get_artifacts_by_id(request.artifact_ids)
        )

    def GetExecutionsByID(self, request):
        found = self.store.get_executions_by_id(request.execution_ids)
        return svc.GetExecutionsByIDResponse(executions=found)

    def GetContextsByID(self, request):
        return svc.GetContextsByIDResponse(
            contexts=self.store.get_contexts_by_id(request.context_ids)
        )

    def GetArtifactByTypeAndName(self, request):
        found = self.store.get_artifact_by_type_and_name(
            request.type_name, request.artifact_name, _version(request)
        )
        return svc.GetArtifactByTypeAndNameResponse(artifact=found)

    def GetExecutionByTypeAndName(self, request):
        found = self.store.get_execution_by_type_and_name(
            request.type_name, request.execution_name, _version(request)
        )
        return svc.GetExecutionByTypeAndNameResponse(execution=found)

    def GetContextByTypeAndName(self, request):
        found = self.store.get_context_by_type_and_name(
            request.type_name, request.context_name, _version(request)
        )
        return svc.GetContextByTypeAndNameResponse(context=found)

    def GetArtifactsByURI(self, request):
        found = self.store._get(A, NodeQuery(uris=list(request.uris)))
        return svc.GetArtifactsByURIResponse(artifacts=found)

    def GetArtifactsByExternalIds(self, request):
        found = self.store.get_artifacts_by_external_ids(request.external_ids)
        return svc.GetArtifactsByExternalIdsResponse(artifacts=found)

    def GetExecutionsByExternalIds(self, request):
        found = self.store.get_executions_by_external_ids(request.external_ids)
        return svc.GetExecutionsByExternalIdsResponse(executions=found)

    def GetContextsByExternalIds(self, request):
        found = self.store.get_contexts_by_external_ids(request.external_ids)
        return svc.GetContextsByExternalIdsResponse(contexts=found)

    # Edges and membership ---------------------------------------------------------------

    def GetEventsByExecutionIDs(self, request):
        found = self.store.get_events_by_execution_ids(request.execution_ids)
        return svc.GetEventsByExecutionIDsResponse(events=found)

    def GetEventsByArtifactIDs(self, request):
        found = self.store.get_events_by_artifact_ids(request.artifact_ids)
        return svc.GetEventsByArtifactIDsResponse(events=found)

    def GetContextsByArtifact(self, request):
        found = self.store.get_contexts_by_artifact(request.artifact_id)
        return svc.GetContextsByArtifactResponse(contexts=found)

    def GetContextsByExecution(self, request):
        found = self.store.get_contexts_by_execution(request.execution_id)
        return svc.GetContextsByExecutionResponse(contexts=found)

    def GetParentContextsByContext(self, request):
        found = self.store.get_parent_contexts_by_context(request.context_id)
        return svc.GetParentContextsByContextResponse(contexts=found)

    def GetChildrenContextsByContext(self, request):
        found = self.store.get_children_contexts_by_context(request.context_id)
        return svc.GetChildrenContextsByContextResponse(contexts=found)

    def GetParentContextsByContexts(self, request):
        response = svc.GetParentContextsByContextsResponse()
        for context_id in dict.fromkeys(request.context_ids):
            found = self.store.get_parent_contexts_by_context(context_id)
            if found:
                response.contexts[context_id].parent_contexts.extend(found)
        return response

    def GetChildrenContextsByContexts(self, request):
        response = svc.GetChildrenContextsByContextsResponse()
        for context_id in dict.fromkeys(request.context_ids):
            found = self.store.get_children_contexts_by_context(context_id)
            if found:
                response.contexts[context_id].children_contexts.extend(found)
        return response

    # Lineage ----------------------------------------------------------------------------

    def GetLineageSubgraph(self, request):
        graph = self.store.get_lineage_subgraph(
            request.lineage_subgraph_query_options, list(request.read_mask.paths)
        )
        return svc.GetLineageSubgraphResponse(lineage_subgraph=graph)


def _write_token(last_id: int, field_offset: int) -> str:
    token = pb.ListOperationNextPageToken(id_offset=last_id, field_offset=field_offset)
    return base64.urlsafe_b64encode(token.SerializeToString()).decode("ascii")


def _read_token(text: str) -> pb.ListOperationNextPageToken:
    token = pb.ListOperationNextPageToken()
    try:
        token.ParseFromString(base64.urlsafe_b64decode(text.encode("ascii")))
    except (ValueError, DecodeError):
        raise InvalidArgumentError(f"next_page_token {text!r} is not a page token") from None
    return token


def _after(token: pb.ListOperationNextPageToken, column: str, ascending: bool) -> str:
    """A filter-query condition for the nodes after the token's position in the ordering."""
    beyond = ">" if ascending else "<"
    if column == "id":
        return f"id {beyond} {token.id_offset}"
    return (
        f"({column} {beyond} {token.field_offset} OR "
        f"({column} = {token.field_offset} AND id {beyond} {token.id_offset}))"
    )
