"""Nodes (artifacts, executions, contexts): validated inserts and updates, and reads."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from sqlalchemy import Column, Connection, Table, insert, select

from ..errors import InvalidArgumentError, NotFoundError
from ..model import (
    ARTIFACT_STATE_BY_VALUE,
    EXECUTION_STATE_BY_VALUE,
    NODE_CLASSES,
    AnyNode,
    AnyType,
    NodeKind,
    PropertyType,
)
from . import types as types_sql
from .fast import fetch_tuples
from .raw import CHUNK, Raw, draw_ids_query, marks
from .schema import (
    artifact_property_table,
    artifact_table,
    context_property_table,
    context_table,
    execution_property_table,
    execution_table,
    type_table,
)
from .values import STRUCT_PREFIX, decode, encode


@dataclass(frozen=True)
class NodeTable:
    """Where one kind of node lives: its table, its property table and its own columns."""

    kind: NodeKind
    table: Table
    properties: Table
    owner: str  # the property table's column naming the node
    attributes: tuple[str, ...]  # columns besides id, type_id, name, external_id and times

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns a write sets, besides id and the times."""
        return ("type_id", "name", "external_id", *self.attributes)

    @property
    def owner_column(self) -> Column:
        return self.properties.c[self.owner]


NODE_TABLES = {
    NodeKind.ARTIFACT: NodeTable(
        NodeKind.ARTIFACT, artifact_table, artifact_property_table, "artifact_id", ("uri", "state")
    ),
    NodeKind.EXECUTION: NodeTable(
        NodeKind.EXECUTION,
        execution_table,
        execution_property_table,
        "execution_id",
        ("last_known_state",),
    ),
    NodeKind.CONTEXT: NodeTable(
        NodeKind.CONTEXT, context_table, context_property_table, "context_id", ()
    ),
}
_ENUMS = {"state": ARTIFACT_STATE_BY_VALUE, "last_known_state": EXECUTION_STATE_BY_VALUE}
_MASKABLE = {"name", "external_id", "properties", "custom_properties"}


INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
PROPERTY_COLUMNS = (
    "name",
    "is_custom_property",
    "int_value",
    "double_value",
    "string_value",
    "proto_value",
    "bool_value",
)


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Prefetched:
    """What writes of several kinds of nodes read before writing, in one round trip: the
    stored nodes they update, and (PostgreSQL) ids for the nodes they insert."""

    stored: dict[NodeKind, dict[int, AnyNode]]
    new_ids: dict[NodeKind, list[int]]


def prefetch(conn: Connection, nodes: dict[NodeKind, Sequence[AnyNode]]) -> Prefetched:
    """The reads of ``put_nodes`` for each kind's nodes, sent together."""
    raw = Raw(conn)
    queries: list[tuple[str, tuple]] = []
    readers: list[tuple[NodeKind, bool]] = []  # for each query: its kind, whether it draws ids
    for kind, items in nodes.items():
        spec = NODE_TABLES[kind]
        stored = _stored_queries(raw, spec, sorted({n.id for n in items if n.id is not None}))
        queries.extend(stored)
        readers.extend((kind, False) for _ in stored)
        new = sum(n.id is None for n in items)
        if new and conn.dialect.name == "postgresql":
            queries.append(draw_ids_query(spec.table.name, new))
            readers.append((kind, True))
    found = Prefetched({kind: {} for kind in nodes}, {})
    for (kind, draws), rows in zip(readers, raw.rows_together(queries)):
        if draws:
            found.new_ids[kind] = sorted(i for (i,) in rows)
        else:
            found.stored[kind].update(_stored_from_rows(conn, NODE_TABLES[kind], rows))
    return found


def put_nodes(
    conn: Connection,
    kind: NodeKind,
    nodes: Sequence[AnyNode],
    field_mask: Sequence[str] | None = None,
    prefetched: Prefetched | None = None,
) -> list[int]:
    """Insert nodes without id and update those with one; ids come back index-aligned.
    ``prefetched``: what ``prefetch`` read for these nodes.

    Every update moves ``last_update_time_since_epoch``, even when nothing changed (as ML
    Metadata does).
    """
    spec = NODE_TABLES[kind]
    cls = NODE_CLASSES[kind]
    for position, node in enumerate(nodes):
        if not isinstance(node, cls):
            raise InvalidArgumentError(
                f"item {position} is a {type(node).__name__}, expected {cls.__name__}"
            )
    if prefetched is None:
        prefetched = prefetch(conn, {kind: nodes})
    stored = dict(prefetched.stored[kind])
    type_ids = {n.type_id for n in nodes if n.type_id is not None}
    type_ids.update(n.type_id for n in stored.values())
    try:
        writes = _checked(nodes, stored, types_sql.known_types(conn, kind, type_ids), field_mask)
    except (InvalidArgumentError, NotFoundError):  # a remembered type may lack new properties
        writes = _checked(
            nodes, stored, types_sql.known_types(conn, kind, type_ids, True), field_mask
        )
    now = now_ms()
    ids: list[int] = []
    inserts = []
    for position, (node, cells) in enumerate(writes):
        old = stored.get(node.id)
        if old is None:
            inserts.append(position)
            ids.append(0)
            continue
        node.last_update_time_since_epoch = max(now, old.last_update_time_since_epoch or 0)
        _write_update(conn, spec, old, node, cells)
        stored[old.id] = node  # the same id again in this call is diffed against this write
        ids.append(old.id)
    if inserts:
        drawn = prefetched.new_ids.get(kind)
        new_ids = _insert(conn, spec, [writes[p] for p in inserts], now, drawn)
        for position, new_id in zip(inserts, new_ids):
            ids[position] = new_id
    return ids


def _checked(
    nodes: Sequence[AnyNode],
    stored: dict[int, AnyNode],
    node_types: dict[int, AnyType],
    field_mask: Sequence[str] | None,
) -> list[tuple[AnyNode, list[PropertyCell]]]:
    """Each node as it will be written (a new node, or the stored one with the request merged
    in) with its property rows; the first invalid one raises, before anything is written."""
    writes = []
    for position, node in enumerate(nodes):
        if node.id is None:
            node_type = _new_node_type(node, node_types, position)
            writes.append((node, _property_cells(node, node_type, position)))
            continue
        kind = node.kind
        old = stored.get(node.id)
        if old is None:
            raise InvalidArgumentError(
                f"item {position}: no {kind.name.lower()} with id {node.id} to update"
            )
        if node.type_id is not None and node.type_id != old.type_id:
            raise InvalidArgumentError(
                f"{kind.name.lower()} {node.id} has type_id {old.type_id}; "
                f"the request says {node.type_id}"
            )
        merged = _merge(old, node, field_mask, NODE_TABLES[kind])
        if kind is NodeKind.CONTEXT and not merged.name:
            raise InvalidArgumentError(f"context {node.id} at position {position}: empty name")
        writes.append((merged, _property_cells(merged, node_types[old.type_id], position)))
    return writes


def _new_node_type(node: AnyNode, node_types: dict[int, AnyType], position: int) -> AnyType:
    """The type of a node to insert, once its type and name are checked."""
    kind = node.kind
    if node.type_id is None:
        raise InvalidArgumentError(f"new {kind.name.lower()} at position {position} has no type_id")
    node_type = node_types.get(node.type_id)
    if node_type is None:
        raise NotFoundError(
            f"{kind.name.lower()} at position {position}: no {kind.name.lower()} type "
            f"with id {node.type_id}"
        )
    if kind is NodeKind.CONTEXT and not node.name:
        raise InvalidArgumentError(f"context at position {position} has no name")
    return node_type


# One property row to write: (value column, name, is custom, what the value column holds).
PropertyCell = tuple[str | None, str, bool, Any]


# Plain values whose row needs no encoding: their property type and value column (ints are
# range-checked by ``encode``; bools are ints, so the exact type is what is looked up).
_VERBATIM = {
    str: (PropertyType.STRING, "string_value"),
    float: (PropertyType.DOUBLE, "double_value"),
}


def _property_cells(node: AnyNode, node_type: AnyType, position: int) -> list[PropertyCell]:
    """A node's property rows, checked against what its type declares."""
    declared = node_type.properties
    cells = []
    for custom, values in ((False, node.properties), (True, node.custom_properties)):
        for name, value in values.items():
            verbatim = _VERBATIM.get(type(value))
            if (
                verbatim is not None
                and (custom or declared.get(name) == verbatim[0])
                and value == value  # (not NaN: ``encode`` refuses it)
            ):
                cells.append((verbatim[1], name, custom, value))  # (the common case, inline)
                continue
            if value is None:
                kind, cell = None, (None, name, custom, None)
            else:
                kind, column, stored = encode(value, name)
                cell = (column, name, custom, stored)
            _check_cell(node, node_type, position, kind, cell, declared, cells)
    return cells


def _check_cell(
    node: AnyNode,
    node_type: AnyType,
    position: int,
    kind: PropertyType | None,
    cell: PropertyCell,
    declared: dict,
    cells: list[PropertyCell],
) -> None:
    """Check one property row against the type's declaration; keep it if it has a value."""
    column, name, custom, _ = cell
    if not custom:
        expected = declared.get(name)
        if expected is None:
            raise InvalidArgumentError(
                f"{node.kind.name.lower()} at position {position}: property {name!r} is not "
                f"declared by type {node_type.name!r} (use custom_properties)"
            )
        if kind is not None and kind != expected:
            raise InvalidArgumentError(
                f"{node.kind.name.lower()} at position {position}: property {name!r} of type "
                f"{node_type.name!r} is {PropertyType(expected).name}, got {kind.name}"
            )
    if column is not None:
        cells.append(cell)


def _encoded(node: AnyNode) -> Iterator[tuple[PropertyType | None, PropertyCell]]:
    """Each property of a node with its type and its row; a None value (a row without a value,
    which ml-metadata can write) has neither type nor value column."""
    for custom, values in ((False, node.properties), (True, node.custom_properties)):
        for name, value in values.items():
            kind, column, stored = encode(value, name) if value is not None else (None, None, None)
            yield kind, (column, name, custom, stored)


def _merge(
    old: AnyNode, new: AnyNode, field_mask: Sequence[str] | None, spec: NodeTable
) -> AnyNode:
    """The node as it will be stored: the request as a whole, or only its masked fields.

    As in ML Metadata, the name of an artifact or an execution is fixed when it is created:
    an update keeps the stored name whatever the request says.
    """
    if field_mask is None:
        return dataclasses.replace(
            new,
            name=old.name if spec.kind is not NodeKind.CONTEXT else new.name,
            type_id=old.type_id,
            type=old.type,
            create_time_since_epoch=old.create_time_since_epoch,
            last_update_time_since_epoch=old.last_update_time_since_epoch,
            properties=dict(new.properties),
            custom_properties=dict(new.custom_properties),
        )
    merged = dataclasses.replace(
        old, properties=dict(old.properties), custom_properties=dict(old.custom_properties)
    )
    for path in field_mask:
        head, _, rest = path.partition(".")
        if head in ("properties", "custom_properties"):
            source, target = getattr(new, head), getattr(merged, head)
            if not rest:
                target.clear()
                target.update(source)
            elif rest in source:
                target[rest] = source[rest]
            else:
                target.pop(rest, None)
        elif head == "name" and spec.kind is not NodeKind.CONTEXT:
            continue
        elif head in _MASKABLE or head in spec.attributes:
            if rest:
                raise InvalidArgumentError(f"field mask path {path!r} has no sub-fields")
            setattr(merged, head, getattr(new, head))
        elif head in (
            "id",
            "type_id",
            "type",
            "create_time_since_epoch",
            "last_update_time_since_epoch",
        ):
            continue
        else:
            raise InvalidArgumentError(f"field mask path {path!r} is not a field")
    return merged


def _node_values(spec: NodeTable, node: AnyNode) -> tuple:
    """The values of ``spec.columns`` (without the times) for a node."""
    own = [getattr(node, column) for column in spec.attributes]
    own = [int(v) if isinstance(v, IntEnum) else v for v in own]
    return (node.type_id, node.name, node.external_id or None, *own)


def _insert_properties(
    conn: Connection, spec: NodeTable, owners: Iterable[tuple[int, list[PropertyCell]]]
) -> None:
    """Write the property rows of nodes, grouped by value column: binding only the column a
    row sets costs half as much as binding all five (four of them NULL)."""
    by_column: dict[str, list[tuple]] = {}
    for owner, cells in owners:
        for column, name, custom, stored in cells:
            by_column.setdefault(column, []).append((owner, name, custom, stored))
    dialect = conn.dialect.name
    if dialect != "sqlite" and "int_value" in by_column:
        _check_int32(spec, by_column["int_value"], dialect)
    if dialect == "mysql" and "double_value" in by_column:
        _check_finite(spec, by_column["double_value"])
    raw = Raw(conn)
    for column, rows in by_column.items():
        raw.insert(spec.properties.name, (spec.owner, "name", "is_custom_property", column), rows)


def _check_int32(spec: NodeTable, rows: list[tuple], dialect: str) -> None:
    """ML Metadata's MySQL and PostgreSQL layouts keep ``int_value`` in a 32-bit column: a
    wider value is refused by name rather than cut or left to a raw database error."""
    for _, name, _, int_value in rows:
        if int_value is not None and not INT32_MIN <= int_value <= INT32_MAX:
            raise InvalidArgumentError(
                f"{spec.kind.name.lower()} property {name!r} = {int_value} does not fit "
                f"the 32-bit int_value column of ML Metadata's {dialect} layout "
                f"({INT32_MIN}..{INT32_MAX}); store it as a double or a string"
            )


def _check_finite(spec: NodeTable, rows: list[tuple]) -> None:
    """MySQL's DOUBLE holds no infinity: refused by name rather than as a driver error."""
    for _, name, _, double_value in rows:
        if double_value is not None and math.isinf(double_value):
            raise InvalidArgumentError(
                f"{spec.kind.name.lower()} property {name!r} = {double_value} cannot be kept "
                "in MySQL's double_value column (it holds no infinity); store a string"
            )


def _insert(
    conn: Connection,
    spec: NodeTable,
    writes: list[tuple[AnyNode, list[PropertyCell]]],
    now: int,
    drawn: list[int] | None,
) -> list[int]:
    """Insert new nodes and their properties, with the ``drawn`` ids when there are any."""
    columns = (*spec.columns, "create_time_since_epoch", "last_update_time_since_epoch")
    rows = [(*_node_values(spec, node), now, now) for node, _ in writes]
    if drawn:
        ids = drawn
        _insert_with_ids(Raw(conn), spec.table.name, columns, rows, ids)
    else:
        ids = insert_returning_ids(conn, spec.table, columns, rows)
    _insert_properties(conn, spec, zip(ids, (cells for _, cells in writes)))
    return ids


def insert_returning_ids(
    conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple]
) -> list[int]:
    """Insert rows and return their new ids in order.

    SQLite: inside the write transaction AUTOINCREMENT hands out consecutive ids, so the last
    id names them all. One row, where the server has it: INSERT ... RETURNING id. PostgreSQL,
    several rows: the ids are drawn from the table's sequence first, then the rows inserted
    with them (by COPY when there are many). MySQL 8 (no RETURNING): one insert per row.
    """
    if not rows:
        return []
    raw = Raw(conn)
    if conn.dialect.name == "sqlite":
        last = raw.insert(table.name, columns, rows)
        return list(range(last - len(rows) + 1, last + 1))
    if len(rows) == 1 and conn.dialect.insert_returning:
        return [
            row[0]
            for row in raw.rows(
                f"INSERT INTO {table.name} ({', '.join(columns)}) "
                f"VALUES ({marks(len(columns))}) RETURNING id",
                rows[0],
            )
        ]
    if conn.dialect.name == "postgresql":
        ids = raw.draw_ids(table.name, len(rows))
        _insert_with_ids(raw, table.name, columns, rows, ids)
        return ids
    values = [dict(zip(columns, row)) for row in rows]
    if conn.dialect.insert_returning:
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(conn.execute(stmt, values).scalars())
    # MySQL 8 has no RETURNING, and with innodb_autoinc_lock_mode=2 (its default) the ids of
    # one multi-row insert need not be consecutive: one insert per row, each with its own id.
    stmt = insert(table)
    return [conn.execute(stmt, row).inserted_primary_key[0] for row in values]


def _insert_with_ids(
    raw: Raw, table: str, columns: Sequence[str], rows: list[tuple], ids: list[int]
) -> None:
    raw.insert(table, ("id", *columns), [(i, *row) for i, row in zip(ids, rows, strict=True)])


def _write_update(
    conn: Connection, spec: NodeTable, old: AnyNode, node: AnyNode, cells: list[PropertyCell]
) -> None:
    """Rewrite what changed: the columns that differ (and always the update time) and the
    property rows that differ; an unchanged row keeps its index entries untouched."""
    raw = Raw(conn)
    changed = [
        (column, new)
        for column, new, before in zip(
            spec.columns, _node_values(spec, node), _node_values(spec, old)
        )
        if new != before
    ]
    changed.append(("last_update_time_since_epoch", node.last_update_time_since_epoch))
    raw.run(
        f"UPDATE {spec.table.name} SET {', '.join(f'{c} = ?' for c, _ in changed)} WHERE id = ?",
        (*(value for _, value in changed), node.id),
    )
    before = {cell for _, cell in _encoded(old)}
    for _, name, custom, _ in before.difference(cells):
        raw.run(
            f"DELETE FROM {spec.properties.name} "
            f"WHERE {spec.owner} = ? AND name = ? AND is_custom_property = ?",
            (node.id, name, custom),
        )
    _insert_properties(conn, spec, [(node.id, [c for c in cells if c not in before])])


def _select_nodes(spec: NodeTable, more: str = "") -> str:
    """SELECT of a node's columns, its type's name and ``more`` columns, to complete with
    joins, WHERE, ORDER BY."""
    own = "".join(f", n.{c}" for c in spec.attributes)
    return (
        "SELECT n.id, n.type_id, n.name, n.external_id, n.create_time_since_epoch, "
        f"n.last_update_time_since_epoch, t.name{own}{more} "
        f"FROM {spec.table.name} n JOIN Type t ON t.id = n.type_id"
    )


def load_nodes_by_id(conn: Connection, kind: NodeKind, ids: Iterable[int]) -> list[AnyNode]:
    """Nodes with these ids, ordered by id; missing ids are left out."""
    wanted = sorted(set(ids))
    spec = NODE_TABLES[kind]
    raw = Raw(conn)
    rows: list[tuple] = []
    for in_ids, params in raw.id_chunks(wanted):
        rows.extend(raw.rows(f"{_select_nodes(spec)} WHERE n.id IN ({in_ids})", params))
    rows.sort()
    return _build_nodes(conn, spec, rows)


def _stored_queries(raw: Raw, spec: NodeTable, ids: list[int]) -> list[tuple[str, tuple]]:
    """Queries reading the nodes among ``ids`` with their properties, one row per property
    (a write's read before its update: one statement per chunk of ids)."""
    more = "".join(f", p.{c}" for c in PROPERTY_COLUMNS)
    return [
        (
            f"{_select_nodes(spec, more)} LEFT JOIN {spec.properties.name} p "
            f"ON p.{spec.owner} = n.id WHERE n.id IN ({in_ids})",
            params,
        )
        for in_ids, params in raw.id_chunks(ids)
    ]


def _stored_from_rows(conn: Connection, spec: NodeTable, rows: list[tuple]) -> dict[int, AnyNode]:
    """The nodes, by id, in the rows of ``_stored_queries``."""
    width = 7 + len(spec.attributes)  # the columns of _select_nodes
    node_rows: dict[int, tuple] = {}
    property_rows = []
    for row in rows:
        node_rows[row[0]] = row[:width]
        if row[width] is not None:
            property_rows.append((row[0], *row[width:]))
    return {n.id: n for n in _build_nodes(conn, spec, list(node_rows.values()), property_rows)}


def load_nodes(
    conn: Connection,
    kind: NodeKind,
    select_ids=None,
    order_by: Sequence = (),
    limit: int | None = None,
) -> list[AnyNode]:
    """Nodes matching a clause over the node table, in the given order, with properties."""
    spec = NODE_TABLES[kind]
    t = spec.table
    query = select(
        t.c.id,
        t.c.type_id,
        t.c.name,
        t.c.external_id,
        t.c.create_time_since_epoch,
        t.c.last_update_time_since_epoch,
        type_table.c.name,
        *(t.c[c] for c in spec.attributes),
    ).join(type_table, type_table.c.id == t.c.type_id)
    if select_ids is not None:
        query = query.where(select_ids)
    query = query.order_by(*order_by) if order_by else query.order_by(t.c.id)
    if limit is not None:
        query = query.limit(limit)
    rows = fetch_tuples(conn, query)
    property_rows = None
    if limit is None and len(rows) > CHUNK:  # a scan: join once rather than long id lists
        p = spec.properties
        ids = select(t.c.id) if select_ids is None else select(t.c.id).where(select_ids)
        property_rows = fetch_tuples(
            conn,
            select(spec.owner_column, *(p.c[c] for c in PROPERTY_COLUMNS)).where(
                spec.owner_column.in_(ids)
            ),
        )
    return _build_nodes(conn, spec, rows, property_rows)


def load_nodes_where(
    conn: Connection,
    kind: NodeKind,
    where: str,
    params: tuple,
    order_by: str = "n.id ASC",
    limit: int | None = None,
) -> list[AnyNode]:
    """``load_nodes`` for a plain-SQL clause over the node table aliased ``n`` (the form of
    ``NodeQuery.raw_clause``), run on the driver's cursor."""
    spec = NODE_TABLES[kind]
    raw = Raw(conn)
    sql = f"{_select_nodes(spec)} WHERE {where} ORDER BY {order_by}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = raw.rows(sql, params)
    property_rows = None
    if limit is None and len(rows) > CHUNK:  # a scan: join once rather than long id lists
        columns = ", ".join((spec.owner, *PROPERTY_COLUMNS))
        property_rows = raw.rows(
            f"SELECT {columns} FROM {spec.properties.name} WHERE {spec.owner} IN "
            f"(SELECT n.id FROM {spec.table.name} n WHERE {where})",
            params,
        )
    return _build_nodes(conn, spec, rows, property_rows)


def _build_nodes(
    conn: Connection, spec: NodeTable, rows: list[tuple], property_rows: list[tuple] | None = None
) -> list[AnyNode]:
    """Nodes from rows of ``_select_nodes`` columns, in row order, with their properties (read
    by id unless ``property_rows`` of these nodes are given)."""
    if not rows:
        return []
    cls = NODE_CLASSES[spec.kind]
    state = next((c for c in spec.attributes if c in _ENUMS), None)  # the enum-valued column
    members = _ENUMS.get(state, {})
    nodes = {}
    for row in rows:  # the columns after the type's name are the class's fields after type
        node = cls(row[1], row[0], row[2], row[3], {}, {}, row[4], row[5], row[6], *row[7:])
        if state is not None and (value := getattr(node, state)) is not None:
            setattr(node, state, members[value])
        nodes[row[0]] = node
    if property_rows is None:
        property_rows = _property_rows_by_id(Raw(conn), spec, list(nodes))
    _attach_properties(nodes, property_rows)
    return list(nodes.values())


def _property_rows_by_id(raw: Raw, spec: NodeTable, ids: list[int]) -> list[tuple]:
    columns = ", ".join((spec.owner, *PROPERTY_COLUMNS))
    found: list[tuple] = []
    for in_ids, params in raw.id_chunks(ids):
        found.extend(
            raw.rows(
                f"SELECT {columns} FROM {spec.properties.name} WHERE {spec.owner} IN ({in_ids})",
                params,
            )
        )
    return found


def _attach_properties(nodes: dict[int, AnyNode], rows: list[tuple]) -> None:
    for owner, name, custom, int_v, double_v, string_v, proto_v, bool_v in rows:
        node = nodes.get(owner)
        if node is not None:
            target = node.custom_properties if custom else node.properties
            if int_v is not None:
                target[name] = int_v
            elif string_v is not None and not string_v.startswith(STRUCT_PREFIX):
                target[name] = string_v
            elif double_v is not None:
                target[name] = float(double_v)
            else:
                target[name] = decode(int_v, double_v, string_v, proto_v, bool_v)


def check_exist(conn: Connection, kind: NodeKind, ids: Iterable[int], what: str) -> None:
    """InvalidArgumentError naming the first of ``ids`` that is not a stored node."""
    wanted = sorted(set(ids))
    table = NODE_TABLES[kind].table.name
    raw = Raw(conn)
    present: set[int] = set()
    for in_ids, params in raw.id_chunks(wanted):
        rows = raw.rows(f"SELECT id FROM {table} WHERE id IN ({in_ids})", params)
        present.update(row[0] for row in rows)
    missing = [i for i in wanted if i not in present]
    if missing:
        raise InvalidArgumentError(f"{what}: no {kind.name.lower()} with id {missing[0]}")


def find_by_name(conn: Connection, kind: NodeKind, type_id: int, name: str) -> AnyNode | None:
    """The node of this type with this name, if any."""
    return _find_one(conn, kind, "type_id = ? AND name = ?", (type_id, name))


def find_by_external_id(conn: Connection, kind: NodeKind, external_id: str) -> AnyNode | None:
    """The node with this external id, if any."""
    return _find_one(conn, kind, "external_id = ?", (external_id,))


def _find_one(conn: Connection, kind: NodeKind, where: str, params: tuple) -> AnyNode | None:
    table = NODE_TABLES[kind].table.name
    rows = Raw(conn).rows(f"SELECT id FROM {table} WHERE {where} ORDER BY id LIMIT 1", params)
    found = load_nodes_by_id(conn, kind, [rows[0][0]]) if rows else []
    return found[0] if found else None
