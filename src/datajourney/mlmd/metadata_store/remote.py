"""The drop-in's client of an ml-metadata gRPC server (``MetadataStoreClientConfig``).

``MetadataStore(MetadataStoreClientConfig(host=..., port=...))`` returns this class: the same
methods as the local store, each one request to the server's ``MetadataStoreService`` (ours,
``datajourney serve-mlmd``, or Google's ``metadata_store_server``). Errors come back as the
same ``errors`` classes; a call the server aborts (a concurrent transaction got in the way) is
sent again, at most ``_max_num_retries`` times in all, as ml-metadata's client does.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Sequence

import grpc

from ...metadata import errors
from ..proto import metadata_store_pb2 as pb
from ..proto import metadata_store_service_pb2 as svc
from ..proto.metadata_store_service_pb2_grpc import MetadataStoreServiceStub
from .metadata_store import (
    DEFAULT_RETRIES,
    MAX_NUM_RESULT,
    ListOptions,
    MetadataStore,
    OrderByField,
)

_LINEAGE_PATHS = tuple(f.name for f in pb.LineageGraph.DESCRIPTOR.fields)


def _channel(config: pb.MetadataStoreClientConfig) -> grpc.Channel:
    target = f"{config.host}:{config.port}"
    options = []
    arguments = config.channel_arguments
    if arguments.HasField("max_receive_message_length"):
        options.append(("grpc.max_receive_message_length", arguments.max_receive_message_length))
    if arguments.HasField("http2_max_ping_strikes"):
        options.append(("grpc.http2.max_ping_strikes", arguments.http2_max_ping_strikes))
    if not config.HasField("ssl_config"):
        return grpc.insecure_channel(target, options=options)
    ssl = config.ssl_config

    def pem(field: str) -> bytes | None:
        return getattr(ssl, field).encode("ascii") if ssl.HasField(field) else None

    credentials = grpc.ssl_channel_credentials(
        pem("custom_ca"), pem("client_key"), pem("server_cert")
    )
    return grpc.secure_channel(target, credentials, options=options)


# Request fields ml-metadata's client assigns or appends to (so None is a TypeError there);
# the others it hands to the request's constructor, where None leaves the field unset.
_ASSIGNED = frozenset(
    {"type_name", "type_ids", "artifact_ids", "execution_ids", "context_ids"}
    | {f"{kind}_{what}" for kind in ("artifact", "execution", "context") for what in ("id", "name")}
)


def _new(request_class, **fields):
    """A request message, with ml-metadata's client's TypeError for a None it assigns."""
    for name, value in fields.items():
        if value is None and name in _ASSIGNED:
            raise TypeError(f"{request_class.__name__}.{name}: None is not a valid value")
    return request_class(**fields)


class RemoteMetadataStore(MetadataStore):
    """ml-metadata's ``MetadataStore`` API over its gRPC service."""

    def __init__(self, config, enable_upgrade_migration: bool = False) -> None:
        if enable_upgrade_migration:
            raise ValueError(
                "Upgrade migration is not allowed when using gRPC connection client; "
                "upgrade on the server side"
            )
        self._config = config
        self._store = None
        self._max_num_retries = DEFAULT_RETRIES
        self._timeout = config.client_timeout_sec if config.HasField("client_timeout_sec") else None
        self._channel = _channel(config)
        self._stub = MetadataStoreServiceStub(self._channel)

    @property
    def native(self):
        raise errors.UnimplementedError(
            "a store reached over gRPC has no local datajourney store; open the server's "
            "database URL with datajourney.MetadataStore instead"
        )

    def close(self) -> None:
        """Close the channel to the server."""
        self._channel.close()

    # The wire --------------------------------------------------------------------------

    def _call(self, method: str, request):
        rpc = getattr(self._stub, method)
        retries_left = self._max_num_retries
        while True:
            try:
                return rpc(request, timeout=self._timeout)
            except grpc.RpcError as error:
                failure = errors.make_exception(error.details() or "", error.code().value[0])
            if not isinstance(failure, errors.AbortedError) or retries_left <= 1:
                raise failure
            retries_left -= 1
            time.sleep(random.uniform(0, 0.05))

    def _listed(self, method: str, field: str, request, list_options: ListOptions | None):
        """Every page of a listing (ml-metadata's client pages by MAX_NUM_RESULT)."""
        wanted = None
        if list_options is not None:
            if list_options.limit and list_options.limit < 1:
                raise errors.InvalidArgumentError(
                    "Invalid list_options.limit value passed. list_options.limit is expected "
                    "to be greater than 1"
                )
            options = request.options
            options.max_result_size = MAX_NUM_RESULT
            options.order_by_field.is_asc = list_options.is_asc
            if list_options.order_by:
                options.order_by_field.field = list_options.order_by.value
            if list_options.filter_query:
                options.filter_query = list_options.filter_query
            wanted = list_options.limit or None
        found: list = []
        while True:
            if wanted is not None:
                request.options.max_result_size = min(MAX_NUM_RESULT, wanted - len(found))
            response = self._call(method, request)
            found.extend(getattr(response, field))
            if wanted is not None and len(found) >= wanted:
                return found
            if not response.next_page_token:
                return found
            request.options.next_page_token = response.next_page_token

    # Types -----------------------------------------------------------------------------

    def _put_type(self, method: str, field: str, message, can_add, can_omit) -> int:
        request = _new(
            getattr(svc, method + "Request"), can_add_fields=can_add, can_omit_fields=can_omit
        )
        getattr(request, field).CopyFrom(message)
        return self._call(method, request).type_id

    def put_artifact_type(
        self, artifact_type, can_add_fields=False, can_omit_fields=False, extra_options=None
    ) -> int:
        return self._put_type(
            "PutArtifactType", "artifact_type", artifact_type, can_add_fields, can_omit_fields
        )

    def put_execution_type(
        self, execution_type, can_add_fields=False, can_omit_fields=False, extra_options=None
    ) -> int:
        return self._put_type(
            "PutExecutionType", "execution_type", execution_type, can_add_fields, can_omit_fields
        )

    def put_context_type(
        self, context_type, can_add_fields=False, can_omit_fields=False, extra_options=None
    ) -> int:
        return self._put_type(
            "PutContextType", "context_type", context_type, can_add_fields, can_omit_fields
        )

    def _get_type(self, method: str, field: str, type_name, type_version):
        request = _new(getattr(svc, method + "Request"), type_name=type_name)
        if type_version:
            request.type_version = type_version
        return getattr(self._call(method, request), field)

    def get_artifact_type(self, type_name, type_version=None, extra_options=None):
        return self._get_type("GetArtifactType", "artifact_type", type_name, type_version)

    def get_execution_type(self, type_name, type_version=None, extra_options=None):
        return self._get_type("GetExecutionType", "execution_type", type_name, type_version)

    def get_context_type(self, type_name, type_version=None, extra_options=None):
        return self._get_type("GetContextType", "context_type", type_name, type_version)

    def _many(self, method: str, field: str, **request_fields) -> list:
        request = _new(getattr(svc, method + "Request"), **request_fields)
        return list(getattr(self._call(method, request), field))

    def get_artifact_types(self, extra_options=None) -> list:
        return self._many("GetArtifactTypes", "artifact_types")

    def get_execution_types(self, extra_options=None) -> list:
        return self._many("GetExecutionTypes", "execution_types")

    def get_context_types(self, extra_options=None) -> list:
        return self._many("GetContextTypes", "context_types")

    def get_artifact_types_by_id(self, type_ids: Iterable[int], extra_options=None) -> list:
        return self._many("GetArtifactTypesByID", "artifact_types", type_ids=type_ids)

    def get_execution_types_by_id(self, type_ids: Iterable[int], extra_options=None) -> list:
        return self._many("GetExecutionTypesByID", "execution_types", type_ids=type_ids)

    def get_context_types_by_id(self, type_ids: Iterable[int], extra_options=None) -> list:
        return self._many("GetContextTypesByID", "context_types", type_ids=type_ids)

    def get_artifact_types_by_external_ids(self, external_ids, extra_options=None) -> list:
        return self._many(
            "GetArtifactTypesByExternalIds", "artifact_types", external_ids=external_ids
        )

    def get_execution_types_by_external_ids(self, external_ids, extra_options=None) -> list:
        return self._many(
            "GetExecutionTypesByExternalIds", "execution_types", external_ids=external_ids
        )

    def get_context_types_by_external_ids(self, external_ids, extra_options=None) -> list:
        return self._many(
            "GetContextTypesByExternalIds", "context_types", external_ids=external_ids
        )

    # Nodes -----------------------------------------------------------------------------

    def _put_nodes(self, method: str, field: str, ids: str, nodes, field_mask_paths) -> list[int]:
        request = _new(getattr(svc, method + "Request"))
        getattr(request, field).extend(nodes)
        if field_mask_paths:
            request.update_mask.paths.extend(field_mask_paths)
        return list(getattr(self._call(method, request), ids))

    def put_artifacts(self, artifacts, field_mask_paths=None, extra_options=None) -> list[int]:
        return self._put_nodes(
            "PutArtifacts", "artifacts", "artifact_ids", artifacts, field_mask_paths
        )

    def put_executions(self, executions, field_mask_paths=None, extra_options=None) -> list[int]:
        return self._put_nodes(
            "PutExecutions", "executions", "execution_ids", executions, field_mask_paths
        )

    def put_contexts(self, contexts, field_mask_paths=None, extra_options=None) -> list[int]:
        return self._put_nodes("PutContexts", "contexts", "context_ids", contexts, field_mask_paths)

    def get_artifacts(self, list_options=None, extra_options=None) -> list:
        return self._listed(
            "GetArtifacts", "artifacts", _new(svc.GetArtifactsRequest), list_options
        )

    def get_executions(self, list_options=None, extra_options=None) -> list:
        request = _new(svc.GetExecutionsRequest)
        return self._listed("GetExecutions", "executions", request, list_options)

    def get_contexts(self, list_options=None, extra_options=None) -> list:
        return self._listed("GetContexts", "contexts", _new(svc.GetContextsRequest), list_options)

    def get_artifacts_by_id(self, artifact_ids, extra_options=None) -> list:
        return self._many("GetArtifactsByID", "artifacts", artifact_ids=artifact_ids)

    def get_executions_by_id(self, execution_ids, extra_options=None) -> list:
        return self._many("GetExecutionsByID", "executions", execution_ids=execution_ids)

    def get_contexts_by_id(self, context_ids, extra_options=None) -> list:
        return self._many("GetContextsByID", "contexts", context_ids=context_ids)

    def get_artifacts_and_types_by_artifact_ids(self, artifact_ids, extra_options=None):
        request = _new(
            svc.GetArtifactsByIDRequest, artifact_ids=artifact_ids, populate_artifact_types=True
        )
        response = self._call("GetArtifactsByID", request)
        return list(response.artifacts), list(response.artifact_types)

    def _by_type(self, method: str, field: str, type_name, type_version) -> list:
        request = _new(getattr(svc, method + "Request"), type_name=type_name)
        if type_version:
            request.type_version = type_version
        return list(getattr(self._call(method, request), field))

    def get_artifacts_by_type(self, type_name, type_version=None, extra_options=None) -> list:
        return self._by_type("GetArtifactsByType", "artifacts", type_name, type_version)

    def get_executions_by_type(self, type_name, type_version=None, extra_options=None) -> list:
        return self._by_type("GetExecutionsByType", "executions", type_name, type_version)

    def get_contexts_by_type(self, type_name, type_version=None, extra_options=None) -> list:
        return self._by_type("GetContextsByType", "contexts", type_name, type_version)

    def _by_type_and_name(self, method: str, field: str, name_field: str, type_name, name, version):
        request = _new(getattr(svc, method + "Request"), type_name=type_name, **{name_field: name})
        if version:
            request.type_version = version
        response = self._call(method, request)
        return getattr(response, field) if response.HasField(field) else None

    def get_artifact_by_type_and_name(
        self, type_name, artifact_name, type_version=None, extra_options=None
    ):
        return self._by_type_and_name(
            "GetArtifactByTypeAndName",
            "artifact",
            "artifact_name",
            type_name,
            artifact_name,
            type_version,
        )

    def get_execution_by_type_and_name(
        self, type_name, execution_name, type_version=None, extra_options=None
    ):
        return self._by_type_and_name(
            "GetExecutionByTypeAndName",
            "execution",
            "execution_name",
            type_name,
            execution_name,
            type_version,
        )

    def get_context_by_type_and_name(
        self, type_name, context_name, type_version=None, extra_options=None
    ):
        return self._by_type_and_name(
            "GetContextByTypeAndName",
            "context",
            "context_name",
            type_name,
            context_name,
            type_version,
        )

    def get_artifacts_by_uri(self, uri: str, extra_options=None) -> list:
        return self._many("GetArtifactsByURI", "artifacts", uris=[uri])

    def get_artifacts_by_external_ids(self, external_ids, extra_options=None) -> list:
        return self._many("GetArtifactsByExternalIds", "artifacts", external_ids=external_ids)

    def get_executions_by_external_ids(self, external_ids, extra_options=None) -> list:
        return self._many("GetExecutionsByExternalIds", "executions", external_ids=external_ids)

    def get_contexts_by_external_ids(self, external_ids, extra_options=None) -> list:
        return self._many("GetContextsByExternalIds", "contexts", external_ids=external_ids)

    def get_artifacts_by_context(self, context_id, list_options=None, extra_options=None):
        request = _new(svc.GetArtifactsByContextRequest, context_id=context_id)
        return self._listed("GetArtifactsByContext", "artifacts", request, list_options)

    def get_executions_by_context(self, context_id, list_options=None, extra_options=None):
        if list_options is None:
            list_options = ListOptions(order_by=OrderByField.CREATE_TIME, is_asc=False)
        request = _new(svc.GetExecutionsByContextRequest, context_id=context_id)
        return self._listed("GetExecutionsByContext", "executions", request, list_options)

    def get_contexts_by_artifact(self, artifact_id, extra_options=None) -> list:
        return self._many("GetContextsByArtifact", "contexts", artifact_id=artifact_id)

    def get_contexts_by_execution(self, execution_id, extra_options=None) -> list:
        return self._many("GetContextsByExecution", "contexts", execution_id=execution_id)

    def get_parent_contexts_by_context(self, context_id, extra_options=None) -> list:
        return self._many("GetParentContextsByContext", "contexts", context_id=context_id)

    def get_children_contexts_by_context(self, context_id, extra_options=None) -> list:
        return self._many("GetChildrenContextsByContext", "contexts", context_id=context_id)

    # Edges -----------------------------------------------------------------------------

    def put_events(self, events: Sequence, extra_options=None) -> None:
        self._call("PutEvents", _new(svc.PutEventsRequest, events=events))

    def get_events_by_execution_ids(self, execution_ids, extra_options=None) -> list:
        return self._many("GetEventsByExecutionIDs", "events", execution_ids=execution_ids)

    def get_events_by_artifact_ids(self, artifact_ids, extra_options=None) -> list:
        return self._many("GetEventsByArtifactIDs", "events", artifact_ids=artifact_ids)

    def put_attributions_and_associations(
        self, attributions, associations, extra_options=None
    ) -> None:
        request = _new(
            svc.PutAttributionsAndAssociationsRequest,
            attributions=attributions,
            associations=associations,
        )
        self._call("PutAttributionsAndAssociations", request)

    def put_parent_contexts(self, parent_contexts, extra_options=None) -> None:
        request = _new(svc.PutParentContextsRequest, parent_contexts=parent_contexts)
        self._call("PutParentContexts", request)

    # Composite -------------------------------------------------------------------------

    def put_execution(
        self,
        execution,
        artifact_and_events,
        contexts,
        reuse_context_if_already_exist=False,
        reuse_artifact_if_already_exist_by_external_id=False,
        force_reuse_context=False,
        force_update_time=False,
        extra_options=None,
    ):
        request = _new(
            svc.PutExecutionRequest,
            execution=execution,
            contexts=contexts,
            options=svc.PutExecutionRequest.Options(
                reuse_context_if_already_exist=reuse_context_if_already_exist,
                reuse_artifact_if_already_exist_by_external_id=(
                    reuse_artifact_if_already_exist_by_external_id
                ),
                force_reuse_context=force_reuse_context,
                force_update_time=force_update_time,
            ),
        )
        for pair in artifact_and_events:
            if pair:
                request.artifact_event_pairs.add(
                    artifact=pair[0], event=pair[1] if len(pair) == 2 else None
                )
        response = self._call("PutExecution", request)
        return response.execution_id, list(response.artifact_ids), list(response.context_ids)

    def put_lineage_subgraph(
        self,
        executions,
        artifacts,
        contexts,
        event_edges,
        reuse_context_if_already_exist=False,
        reuse_artifact_if_already_exist_by_external_id=False,
        extra_options=None,
    ):
        request = _new(
            svc.PutLineageSubgraphRequest,
            executions=executions,
            artifacts=artifacts,
            contexts=contexts,
            options=svc.PutLineageSubgraphRequest.Options(
                reuse_context_if_already_exist=reuse_context_if_already_exist,
                reuse_artifact_if_already_exist_by_external_id=(
                    reuse_artifact_if_already_exist_by_external_id
                ),
            ),
        )
        for execution_index, artifact_index, event in event_edges:
            edge = request.event_edges.add(event=event)
            if execution_index is not None:
                edge.execution_index = execution_index
            if artifact_index is not None:
                edge.artifact_index = artifact_index
        response = self._call("PutLineageSubgraph", request)
        return (
            list(response.execution_ids),
            list(response.artifact_ids),
            list(response.context_ids),
        )

    def get_lineage_subgraph(self, query_options, field_mask_paths=None, extra_options=None):
        paths = list(field_mask_paths or _LINEAGE_PATHS)
        request = _new(svc.GetLineageSubgraphRequest, lineage_subgraph_query_options=query_options)
        # The server is asked for nodes and edges; the nodes' details and types come after.
        request.read_mask.paths.extend(p for p in paths if not p.endswith("_types"))
        skeleton = self._call("GetLineageSubgraph", request).lineage_subgraph
        graph = pb.LineageGraph()
        if "artifacts" in paths or "artifact_types" in paths:
            artifacts, types = self.get_artifacts_and_types_by_artifact_ids(
                [a.id for a in skeleton.artifacts]
            )
            if "artifacts" in paths:
                graph.artifacts.extend(artifacts)
            if "artifact_types" in paths:
                graph.artifact_types.extend(types)
        for kind in ("execution", "context"):
            nodes_path, types_path = kind + "s", kind + "_types"
            if nodes_path not in paths and types_path not in paths:
                continue
            getter = getattr(self, f"get_{kind}s_by_id")
            nodes = getter([n.id for n in getattr(skeleton, nodes_path)])
            if nodes_path in paths:
                getattr(graph, nodes_path).extend(nodes)
            if types_path in paths:
                types_getter = getattr(self, f"get_{kind}_types_by_id")
                getattr(graph, types_path).extend(types_getter({n.type_id for n in nodes}))
        for edges in ("events", "associations", "attributions"):
            if edges in paths:
                getattr(graph, edges).extend(getattr(skeleton, edges))
        return graph

    # Not part of ml-metadata's service --------------------------------------------------

    def _unavailable(self, *args, **kwargs):
        raise errors.UnimplementedError(
            "deletion is a datajourney extension that ml-metadata's gRPC service does not carry"
        )

    delete_artifacts = delete_executions = delete_contexts = _unavailable
