"""Store queries the server answers in SQL itself: node counts by type, lineage subgraphs.

``MetadataStore`` offers neither as a method: the home page's counts and ml-metadata's
``get_lineage_subgraph`` walk the database directly. Over a SQL store they run on its
connection; over a remote store (a server in front of another server) they are asked of the
``HttpBackend``, whose server runs them here in turn (``/api/store/counts_by_type`` and
``/api/store/lineage_subgraph``, see ``datajourney.server.api.wire``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from datajourney.metadata.errors import InvalidArgumentError
from datajourney.metadata.lineage import LineageSubgraph, lineage_subgraph
from datajourney.metadata.model import NodeKind
from datajourney.metadata.sql.nodes import NODE_TABLES
from datajourney.metadata.sql.schema import type_table
from datajourney.metadata.store import MetadataStore

# The keyword arguments ``lineage_subgraph`` takes from a remote client.
SUBGRAPH_OPTIONS = frozenset(
    {
        "starting_artifacts",
        "starting_executions",
        "max_num_hops",
        "direction",
        "ending_artifacts",
        "ending_executions",
        "parts",
        "max_starting_nodes",
    }
)


def counts_by_type(store: MetadataStore, kind: NodeKind) -> dict[str, int]:
    """How many nodes of ``kind`` each type has (type name -> count, by name): one
    ``COUNT ... GROUP BY`` on a SQL store, however many nodes it holds."""
    if not isinstance(kind, NodeKind):
        raise InvalidArgumentError(f"counts_by_type: {kind!r} is not a NodeKind")
    with store.transaction() as conn:
        if not isinstance(conn, Connection):
            return store.backend.counts_by_type(kind)
        nodes = NODE_TABLES[kind].table
        query = (
            select(type_table.c.name, func.count())
            .select_from(nodes.join(type_table, nodes.c.type_id == type_table.c.id))
            .group_by(type_table.c.name)
        )
        return {name: count for name, count in sorted(conn.execute(query).all())}


def subgraph(store: MetadataStore, **options: Any) -> LineageSubgraph:
    """``datajourney.metadata.lineage.lineage_subgraph`` on ``store`` (SQL or remote)."""
    unknown = set(options) - SUBGRAPH_OPTIONS
    if unknown:
        raise InvalidArgumentError(f"lineage_subgraph: unknown option(s) {sorted(unknown)}")
    with store.transaction() as conn:
        if not isinstance(conn, Connection):
            return store.backend.lineage_subgraph(**options)
        return lineage_subgraph(conn, **options)
