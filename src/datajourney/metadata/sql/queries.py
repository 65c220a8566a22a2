"""Which nodes a read selects: criteria compiled to a SQL clause, an order and a limit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, and_, select, true

from ..errors import InvalidArgumentError
from ..model import NodeKind
from .nodes import NODE_TABLES
from .raw import marks
from .schema import association_table, attribution_table, parent_context_table, type_table

RAW_LIST_LIMIT = 900  # values in a list criterion that plain SQL binds (under SQLite's 999)
OrderField = Literal["id", "create_time", "update_time"]
_ORDER_COLUMNS = {
    "id": "id",
    "create_time": "create_time_since_epoch",
    "update_time": "last_update_time_since_epoch",
}


@dataclass
class NodeQuery:
    """Criteria for reading nodes; every criterion given must hold."""

    ids: Sequence[int] | None = None
    type_name: str | None = None
    type_version: str | None = None
    name: str | None = None
    uris: Sequence[str] | None = None
    external_ids: Sequence[str] | None = None
    context_id: int | None = None  # artifacts attributed / executions associated to it
    artifact_id: int | None = None  # contexts the artifact is attributed to
    execution_id: int | None = None  # contexts the execution is associated with
    parent_id: int | None = None  # contexts that are children of this one
    child_id: int | None = None  # contexts that are parents of this one
    filter_query: str | None = None
    order_by: OrderField = "id"
    ascending: bool = True
    limit: int | None = None

    def clause(self, kind: NodeKind, conn: Connection | None = None):
        """The WHERE clause over the node table of ``kind`` (with ``conn``, a limited listing
        may probe how selective its filter query is to pick the faster form)."""
        t = NODE_TABLES[kind].table
        parts = []
        if self.ids is not None:
            parts.append(t.c.id.in_(list(self.ids)))
        if self.type_name is not None:
            version = (
                type_table.c.version == self.type_version
                if self.type_version
                else type_table.c.version.is_(None)
            )
            parts.append(
                t.c.type_id.in_(
                    select(type_table.c.id).where(
                        type_table.c.name == self.type_name,
                        type_table.c.type_kind == int(kind),
                        version,
                    )
                )
            )
        if self.name is not None:
            parts.append(t.c.name == self.name)
        if self.uris is not None:
            if kind is not NodeKind.ARTIFACT:
                raise InvalidArgumentError("only artifacts have a uri")
            parts.append(t.c.uri.in_(list(self.uris)))
        if self.external_ids is not None:
            parts.append(t.c.external_id.in_(list(self.external_ids)))
        if self.context_id is not None:
            link, member = _membership(kind)
            parts.append(
                t.c.id.in_(select(link.c[member]).where(link.c.context_id == self.context_id))
            )
        for value, link, member in (
            (self.artifact_id, attribution_table, "artifact_id"),
            (self.execution_id, association_table, "execution_id"),
        ):
            if value is not None:
                parts.append(t.c.id.in_(select(link.c.context_id).where(link.c[member] == value)))
        pc = parent_context_table
        if self.parent_id is not None:
            parts.append(
                t.c.id.in_(select(pc.c.context_id).where(pc.c.parent_context_id == self.parent_id))
            )
        if self.child_id is not None:
            parts.append(
                t.c.id.in_(select(pc.c.parent_context_id).where(pc.c.context_id == self.child_id))
            )
        if self.filter_query:
            from .filter_query import filter_clause  # the parser loads on first use

            limited = self.limit is not None
            parts.append(filter_clause(conn, kind, self.filter_query, t.c.id, limited))
        return and_(*parts) if parts else true()

    def raw_clause(self, kind: NodeKind) -> tuple[str, tuple] | None:
        """The WHERE clause as plain SQL over the node table aliased ``n``, with its
        parameters, for a query without a filter query (compiling SQLAlchemy's form costs far
        more than a small read); None when it has one, or a list too long for one statement.
        An empty id, uri or external id list is ``1 = 0``."""
        if self.filter_query:
            return None
        parts: list[str] = []
        params: list = []
        for column, values in (
            ("id", self.ids),
            ("uri", self.uris),
            ("external_id", self.external_ids),
        ):
            if values is None:
                continue
            if column == "uri" and kind is not NodeKind.ARTIFACT:
                raise InvalidArgumentError("only artifacts have a uri")
            values = list(values)
            if len(values) > RAW_LIST_LIMIT:
                return None
            parts.append(f"n.{column} IN ({marks(len(values))})" if values else "1 = 0")
            params.extend(values)
        if self.type_name is not None:
            version = "version = ?" if self.type_version else "version IS NULL"
            types = f"SELECT id FROM Type WHERE name = ? AND type_kind = ? AND {version}"
            parts.append(f"n.type_id IN ({types})")
            params += [self.type_name, int(kind)]
            if self.type_version:
                params.append(self.type_version)
        if self.name is not None:
            parts.append("n.name = ?")
            params.append(self.name)
        if self.context_id is not None:
            link, member = _membership(kind)
            parts.append(f"n.id IN (SELECT {member} FROM {link.name} WHERE context_id = ?)")
            params.append(self.context_id)
        for value, link, member, wanted in (
            (self.artifact_id, "Attribution", "artifact_id", "context_id"),
            (self.execution_id, "Association", "execution_id", "context_id"),
            (self.parent_id, "ParentContext", "parent_context_id", "context_id"),
            (self.child_id, "ParentContext", "context_id", "parent_context_id"),
        ):
            if value is not None:
                parts.append(f"n.id IN (SELECT {wanted} FROM {link} WHERE {member} = ?)")
                params.append(value)
        return " AND ".join(parts) or "1 = 1", tuple(params)

    def raw_ordering(self) -> str:
        """ORDER BY (without the words) of ``ordering``, over the node table aliased ``n``."""
        if self.order_by not in _ORDER_COLUMNS:
            raise InvalidArgumentError(f"cannot order by {self.order_by!r}")
        direction = "ASC" if self.ascending else "DESC"
        columns = [_ORDER_COLUMNS[self.order_by]] + (["id"] if self.order_by != "id" else [])
        return ", ".join(f"n.{c} {direction}" for c in columns)

    def ordering(self, kind: NodeKind) -> list:
        """ORDER BY the chosen field, ties broken by id in the same direction."""
        if self.order_by not in _ORDER_COLUMNS:
            raise InvalidArgumentError(f"cannot order by {self.order_by!r}")
        t = NODE_TABLES[kind].table
        columns = [t.c[_ORDER_COLUMNS[self.order_by]]]
        if self.order_by != "id":
            columns.append(t.c.id)
        return [c.asc() if self.ascending else c.desc() for c in columns]


def _membership(kind: NodeKind):
    if kind is NodeKind.ARTIFACT:
        return attribution_table, "artifact_id"
    if kind is NodeKind.EXECUTION:
        return association_table, "execution_id"
    raise InvalidArgumentError("contexts do not belong to contexts; use parent_id / child_id")
