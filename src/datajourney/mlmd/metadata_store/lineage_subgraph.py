"""``MetadataStore.get_lineage_subgraph``: LineageSubgraphQueryOptions in, LineageGraph out.

The walk itself is :func:`datajourney.metadata.lineage.lineage_subgraph`; this module translates
the options and the field mask the way ml-metadata 1.17's Python client and C++ server do:

- No ``starting_artifacts`` / ``starting_executions``: InvalidArgumentError; an empty
  ``filter_query``: InvalidArgumentError; ``max_num_hops`` < 0: InvalidArgumentError; unset
  means 100, above 100 is lowered to 100; no node matching: NotFoundError.
- At most 101 starting nodes (the lowest ids) are used, though ml-metadata documents "limited to
  100": the rest are dropped without an error, as ml-metadata does.
- ``direction`` unset (DIRECTION_UNSPECIFIED) walks both ways, like BIDIRECTIONAL.
- ``field_mask_paths`` empty or None fills every part. Otherwise only the listed parts are
  filled; ``*_types`` lists the types of the graph's nodes, but only when the nodes' own path
  ('artifacts', 'executions', 'contexts') is also listed or every listed path is a ``*_types``
  one (ml-metadata asks its server for the nodes without the types and then fetches the types
  of the nodes it got back). Unknown paths and 'parent_contexts' fill nothing.
- Order: nodes by id; events in the order the walk crossed them; attributions and
  associations by row id; artifact types in the order their artifacts first appear; execution
  and context types in the order of a Python set of their ids (see ``_client_order``).
- Artifact types carry no ``base_type`` (ml-metadata fetches them with its artifacts, which
  leaves it out); execution and context types do.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...metadata.lineage import EndingNodes, lineage_subgraph
from .. import convert
from ..proto import metadata_store_pb2

_ALL_PATHS = tuple(f.name for f in metadata_store_pb2.LineageGraph.DESCRIPTOR.fields)
_NODE_PATHS = ("artifacts", "executions", "contexts")
_EDGE_PATHS = ("events", "attributions", "associations")


def _ending(options, name: str) -> EndingNodes | None:
    if not options.HasField(name):
        return None
    ending = getattr(options, name)
    if not ending.HasField("filter_query"):
        return None
    return EndingNodes(ending.filter_query, include=ending.include_ending_nodes)


def _parts(field_mask_paths: Sequence[str] | None) -> set[str]:
    """The parts of the graph ml-metadata fills for this field mask."""
    paths = set(field_mask_paths or ()) or set(_ALL_PATHS)
    # The client asks the server without the *_types paths; an empty mask means all paths.
    served = {p for p in paths if not p.endswith("_types")} or set(_ALL_PATHS)
    parts = {p for p in _NODE_PATHS + _EDGE_PATHS if p in paths and p in served}
    for node_path in _NODE_PATHS:
        type_path = node_path[:-1] + "_types"
        if type_path in paths and node_path in served:
            parts.add(type_path)
    return parts


def _client_order(found_types: list, nodes: list) -> list:
    """Execution / context types in the order ml-metadata's client lists them.

    It asks for the types of ``set(node.type_id for node in nodes)`` (nodes by id) one id at a
    time, so they come in that Python set's iteration order, which this reproduces.
    """
    by_id = {t.id: t for t in found_types}
    return [by_id[i] for i in set(node.type_id for node in nodes) if i in by_id]


def get_lineage_subgraph(
    store, query_options, field_mask_paths: Sequence[str] | None = None
) -> metadata_store_pb2.LineageGraph:
    """ml-metadata's ``get_lineage_subgraph`` on the drop-in ``store``."""
    options = query_options or metadata_store_pb2.LineageSubgraphQueryOptions()
    which = options.WhichOneof("starting_nodes")
    start = getattr(options, which).filter_query if which else None
    parts = _parts(field_mask_paths)
    # The nodes tell the order of their types (see _client_order), so fetch them with the types.
    fetched = set(parts)
    for node_path in ("executions", "contexts"):
        if node_path[:-1] + "_types" in parts:
            fetched.add(node_path)
    walk = {
        "starting_artifacts": start if which == "starting_artifacts" else None,
        "starting_executions": start if which == "starting_executions" else None,
        "max_num_hops": options.max_num_hops if options.HasField("max_num_hops") else None,
        "direction": options.direction,  # DIRECTION_UNSPECIFIED walks both ways
        "ending_artifacts": _ending(options, "ending_artifacts"),
        "ending_executions": _ending(options, "ending_executions"),
        "parts": fetched,
    }
    with store.native.transaction() as conn:
        if conn is None:  # a remote store (http://): its server walks the database
            graph = store.native.backend.lineage_subgraph(**walk)
        else:
            graph = lineage_subgraph(conn, **walk)
    result = metadata_store_pb2.LineageGraph()
    if "artifacts" in parts:
        result.artifacts.extend(convert.nodes_to_proto(graph.artifacts))
    if "executions" in parts:
        result.executions.extend(convert.nodes_to_proto(graph.executions))
    if "contexts" in parts:
        result.contexts.extend(convert.nodes_to_proto(graph.contexts))
    for artifact_type in graph.artifact_types:
        message = convert.type_to_proto(artifact_type)
        message.ClearField("base_type")
        result.artifact_types.append(message)
    result.execution_types.extend(
        convert.type_to_proto(t) for t in _client_order(graph.execution_types, graph.executions)
    )
    result.context_types.extend(
        convert.type_to_proto(t) for t in _client_order(graph.context_types, graph.contexts)
    )
    result.events.extend(convert.event_to_proto(e) for e in graph.events)
    result.attributions.extend(
        metadata_store_pb2.Attribution(artifact_id=a.artifact_id, context_id=a.context_id)
        for a in graph.attributions
    )
    result.associations.extend(
        metadata_store_pb2.Association(execution_id=a.execution_id, context_id=a.context_id)
        for a in graph.associations
    )
    return result
