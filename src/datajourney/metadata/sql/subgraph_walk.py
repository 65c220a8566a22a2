"""A breadth-first walk over events in one recursive SQL statement, one whole level per step.

Each row of the recursion is a level: its hop, the nodes first reached at that hop (the
frontier), and the nodes visited before it, of the frontier's kind (``same``) and of the other
kind (``other``), as id arrays: JSON text on SQLite and MySQL / MariaDB, BIGINT[] on PostgreSQL.
The next frontier, computed by a correlated subquery, is every node one followed event away from
the frontier, less ``other`` (by EXCEPT, or an anti-join) and the ending nodes. So a node is
expanded once, at the hop that first reaches it, however many paths lead there (a recursion over
(node, hops) rows expands it once per path length). The same statement returns each level's
frontier and the events that leave it.

Frontiers alternate between artifacts and executions, so a level's kind is its hop's parity.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from ..model import NodeKind
from .nodes import NODE_TABLES
from .raw import Raw

A, E = NodeKind.ARTIFACT, NodeKind.EXECUTION
# The column of Event that holds the id of a node of each kind.
_COLUMN = {A: "artifact_id", E: "execution_id"}
_NAMED_BIND = re.compile(r"%\((\w+)\)s")

# Ending nodes: ids, or a WHERE clause over the node table (a compiled filter query).
Ending = Sequence[int] | ColumnElement | None


@dataclass(frozen=True)
class _Arrays:
    """How one backend writes arrays of ids (``{0}``, ``{1}``: the arguments)."""

    empty: str  # an empty array, typed wide enough for the recursion's columns
    param: str  # an array given as a statement parameter
    rows: str  # the elements of array {0} as a table named {1} with one column, value
    # The events whose column {1} holds an id of array {0}, as a table named e.
    events: str
    collect: str  # aggregate: the values of {0} as an array, each once
    concat: str  # arrays {0} and {1} as one ({1} not empty)
    nonempty: str  # array {0} has elements
    encode: Callable[[list[int]], Any]  # a parameter's value
    decode: Callable[[Any], list[int]]  # an array the statement returns
    # How the next frontier leaves out the visited nodes: EXCEPT in a derived table, or (where
    # a derived table cannot refer to the outer row: MariaDB) an anti-join.
    anti_join: bool = False


_SQLITE = _Arrays(
    empty="'[]'",
    param="?",
    rows="json_each({0}) AS {1}",
    events="json_each({0}) AS f JOIN Event e ON e.{1} = f.value",
    collect="json_group_array({0})",
    # Both are compact JSON arrays of ints: splice the text.
    concat="CASE {0} WHEN '[]' THEN {1} ELSE rtrim({0}, ']') || ',' || ltrim({1}, '[') END",
    nonempty="{0} <> '[]'",
    encode=json.dumps,
    decode=json.loads,
)
_POSTGRESQL = _Arrays(
    empty="CAST(ARRAY[] AS BIGINT[])",
    param="CAST(? AS BIGINT[])",
    rows="unnest({0}) AS {1}(value)",
    # Not a join with unnest: the planner, guessing at the array's length, would hash a small
    # Event table, where ANY looks each id up in the index.
    events="LATERAL (SELECT * FROM Event WHERE {1} = ANY({0})) AS e",
    collect="COALESCE(array_agg(CAST({0} AS BIGINT)), CAST(ARRAY[] AS BIGINT[]))",
    concat="{0} || {1}",
    nonempty="cardinality({0}) > 0",
    encode=list,
    decode=list,
)
_MYSQL = _Arrays(
    # A recursive CTE's columns take the seed's types: a long text type, not VARCHAR(2).
    empty="CAST('[]' AS CHAR(16777216))",
    param="?",
    rows="JSON_TABLE({0}, '$[*]' COLUMNS (value BIGINT PATH '$')) AS {1}",
    events="JSON_TABLE({0}, '$[*]' COLUMNS (value BIGINT PATH '$')) AS f "
    "JOIN Event e ON e.{1} = f.value",
    collect="CONCAT('[', COALESCE(GROUP_CONCAT(DISTINCT {0}), ''), ']')",
    concat="JSON_MERGE_PRESERVE({0}, {1})",
    nonempty="{0} <> '[]'",
    encode=json.dumps,
    decode=json.loads,
    anti_join=True,
)
_ARRAYS = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL, "mysql": _MYSQL}
# GROUP_CONCAT cuts its text at group_concat_max_len bytes (1 KiB by default on MySQL); MariaDB
# joins two JSON_TABLEs (the anti-join) by hashing only from join_cache_level 6 on.
_MYSQL_SETTINGS = "SET SESSION group_concat_max_len = 4294967295"
_MARIADB_SETTINGS = "SET STATEMENT group_concat_max_len = 4294967295, join_cache_level = 8 FOR "


@dataclass
class Levels:
    """What a walk reached: the hop that first reached each node (ending nodes left out), and
    the events leaving each level as (hop crossing it, event id, artifact id, execution id,
    type, milliseconds), in no particular order. Artifacts are reached at the hops of parity
    ``artifact_parity``."""

    hops: dict[NodeKind, dict[int, int]]
    events: list[tuple[int, int, int, int, int, int | None]]
    artifact_parity: int


def walk(
    conn: Connection,
    start_kind: NodeKind,
    start_ids: Sequence[int],
    max_hops: int,
    followed: dict[NodeKind, Sequence[int] | None],
    ending: dict[NodeKind, Ending],
) -> Levels:
    """Walk ``max_hops`` hops from the starting nodes. ``followed``: the event types a hop
    leaving each kind crosses (None: all); ``ending``: nodes of each kind never expanded."""
    arrays = _ARRAYS[conn.dialect.name]
    params: list[Any] = []  # the values of the ? marks, added as the text is written

    def is_ending(kind: NodeKind, node: str) -> str:
        spec = ending[kind]
        if spec is None:
            return "0 = 1"
        if isinstance(spec, ColumnElement):
            table = NODE_TABLES[kind].table
            sql, values = _inline(
                conn, select(literal_column("1")).where(table.c.id == literal_column(node), spec)
            )
            params.extend(values)
            return f"EXISTS ({sql})"
        params.append(arrays.encode(sorted(set(spec))))
        return f"{node} IN (SELECT n.value FROM {arrays.rows.format(arrays.param, 'n')})"

    def types(kind: NodeKind) -> str:
        chosen = followed[kind]
        return f" AND e.type IN ({', '.join(map(str, map(int, chosen)))})" if chosen else ""

    def next_frontier(kind: NodeKind) -> str:
        other = E if kind is A else A
        node = f"e.{_COLUMN[other]}"
        leaving = arrays.events.format("w.frontier", _COLUMN[kind])
        visited = arrays.rows.format("w.other", "o")
        if arrays.anti_join:
            return (
                f"(SELECT {arrays.collect.format(node)} FROM {leaving} "
                f"LEFT JOIN {visited} ON o.value = {node} "
                f"WHERE o.value IS NULL{types(kind)} AND NOT {is_ending(other, node)})"
            )
        return (
            f"(SELECT {arrays.collect.format('c.value')} FROM (SELECT {node} AS value "
            f"FROM {leaving} WHERE 1 = 1{types(kind)} EXCEPT SELECT o.value FROM {visited}) AS c "
            f"WHERE NOT {is_ending(other, 'c.value')})"
        )

    # Levels of artifacts are those of this hop parity.
    parity = 0 if start_kind is A else 1
    hops = int(max_hops)
    params.append(arrays.encode(sorted(set(start_ids))))
    seed = (
        f"SELECT 0, (SELECT {arrays.collect.format('s.value')} "
        f"FROM {arrays.rows.format(arrays.param, 's')} "
        f"WHERE NOT {is_ending(start_kind, 's.value')}), {arrays.empty}, {arrays.empty}"
    )
    step = (
        f"SELECT w.hop + 1, CASE WHEN w.hop % 2 = {parity} THEN {next_frontier(A)} "
        f"ELSE {next_frontier(E)} END, w.other, {arrays.concat.format('w.same', 'w.frontier')} "
        f"FROM walk w WHERE w.hop < {hops} AND {arrays.nonempty.format('w.frontier')}"
    )
    leaving = " UNION ALL ".join(
        "SELECT w.hop + 1, NULL, e.id, e.artifact_id, e.execution_id, e.type, "
        f"e.milliseconds_since_epoch FROM walk w "
        f"CROSS JOIN {arrays.events.format('w.frontier', _COLUMN[kind])} "
        f"WHERE w.hop % 2 = {parity if kind is A else 1 - parity} AND w.hop < {hops}{types(kind)}"
        for kind in (A, E)
    )
    sql = (
        f"WITH RECURSIVE walk(hop, frontier, same, other) AS ({seed} UNION ALL {step}) "
        f"SELECT hop, frontier, NULL, NULL, NULL, NULL, NULL FROM walk UNION ALL {leaving}"
    )
    raw = Raw(conn)
    if conn.dialect.name == "mysql":
        if conn.dialect.is_mariadb:
            sql = _MARIADB_SETTINGS + sql
        else:
            raw.run(_MYSQL_SETTINGS)
    reached: dict[NodeKind, dict[int, int]] = {A: {}, E: {}}
    events = []
    for hop, frontier, *event in raw.rows(sql, params):
        if frontier is None:
            events.append((hop, *event))
        else:
            kind = A if hop % 2 == parity else E
            reached[kind].update(dict.fromkeys(arrays.decode(frontier), hop))
    return Levels(reached, events, parity)


def _inline(conn: Connection, query) -> tuple[str, list[Any]]:
    """A SQLAlchemy query as SQL text with ``?`` placeholders (as Raw takes), and its values."""
    compiled = query.compile(conn, compile_kwargs={"render_postcompile": True})
    if compiled.positiontup is not None:  # qmark
        return compiled.string, [compiled.params[name] for name in compiled.positiontup]
    names: list[str] = []

    def mark(match: re.Match) -> str:
        names.append(match.group(1))
        return "?"

    sql = _NAMED_BIND.sub(mark, compiled.string).replace("%%", "%")
    return sql, [compiled.params[name] for name in names]
