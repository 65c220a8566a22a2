"""ML Metadata's ``filter_query`` language compiled to SQLAlchemy Core, with MLMD's answers.

ml-metadata 1.17 rewrites the query with regexes, parses it as a ZetaSQL expression and turns it
into SQL; this module follows the result, quirks included:

* attributes (``id type_id type name external_id create_time_since_epoch
  last_update_time_since_epoch``; ``uri state`` of artifacts, ``last_known_state`` of
  executions); ``state = LIVE``, ``IN (...)`` take enum names, ``!=`` / ``NOT IN`` keep NULLs.
* ``[custom_]properties.NAME.int_value`` (``double_value string_value bool_value``), NAME
  looked up lower-cased as MLMD does, so names with capitals never match.
* neighbours ``contexts_A events_A`` (artifacts, executions), ``parent_contexts_A
  child_contexts_A artifacts_A executions_A`` (contexts). Each alias, property and ``type`` is
  one INNER JOIN: nodes without it never match, whatever NOT, OR or IS NULL say.
* ZetaSQL operators, literals, precedence and type checks; functions, CASE, CAST and
  subqueries are refused.

Errors are ``InvalidArgumentError`` with ZetaSQL's wording and an ``[at line:column]``.
Values are bound parameters and names are checked: the text never becomes SQL.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from datajourney.metadata.errors import InvalidArgumentError
from datajourney.metadata.model import ArtifactState, EventType, ExecutionState, NodeKind
from datajourney.metadata.sql import schema as s
from datajourney.metadata.sql.filter_lexer import (
    LOWER,
    UNSUPPORTED,
    Token,
    query_error,
    tokenize,
)

INT, DOUBLE, STRING, BOOL, NULL = "INT64", "DOUBLE", "STRING", "BOOL", "NULL"
_NUMERIC = (INT, DOUBLE)
_SA_TYPES = {INT: sa.BigInteger, DOUBLE: sa.Float, STRING: sa.Text, BOOL: sa.Boolean}
# Limits that keep SQLite's parser (its stack holds ~30 nested operators) and its expression
# trees (1000 deep: a chain of N ANDs is N deep) from failing: such queries are refused instead.
_MAX_NESTING, _MAX_DEPTH, _MAX_CHAIN = 64, 24, 900
_MAX_TABLES = 60  # SQLite joins at most 64 tables
_MAX_LITERALS = 5000

# The enum names MLMD's resolver knows (it leaves out ABANDONED, REFERENCE, PENDING_OUTPUT...).
_ARTIFACT_STATES = {m.name: int(m) for m in ArtifactState if m <= ArtifactState.DELETED}
_EXECUTION_STATES = {m.name: int(m) for m in ExecutionState}
_EVENT_TYPES = {m.name: int(m) for m in EventType if 0 < m < EventType.PENDING_OUTPUT}

_NODE = {
    NodeKind.ARTIFACT: (s.artifact_table, s.artifact_property_table, "artifact_id"),
    NodeKind.EXECUTION: (s.execution_table, s.execution_property_table, "execution_id"),
    NodeKind.CONTEXT: (s.context_table, s.context_property_table, "context_id"),
}
_TIMES = {"create_time_since_epoch": INT, "last_update_time_since_epoch": INT}
_CONTEXT = {"id": INT, "name": STRING, "type": STRING, **_TIMES}
_COMMON = {**_CONTEXT, "type_id": INT, "external_id": STRING}
_ATTRIBUTES = {
    NodeKind.ARTIFACT: {**_COMMON, "uri": STRING, "state": INT},
    NodeKind.EXECUTION: {**_COMMON, "last_known_state": INT},
    NodeKind.CONTEXT: _COMMON,
}
_STATE_ENUMS = {"state": _ARTIFACT_STATES, "last_known_state": _EXECUTION_STATES}
_VALUE_FIELDS = {
    "int_value": INT,
    "double_value": DOUBLE,
    "string_value": STRING,
    "bool_value": BOOL,
}
_VALUE_STRUCT = "STRUCT<int_value INT64, double_value DOUBLE, string_value STRING, bool_value BOOL>"


@dataclass(frozen=True)
class _Hood:
    """A kind of neighbour: the fields ZetaSQL sees and the edge MLMD joins it through."""

    fields: dict[str, str]
    edge: Any  # the edge table (for events, the neighbour itself)
    own: str  # the edge's column naming the filtered node
    other: str = ""  # the edge's column naming the neighbour, a row of `node`
    node: Any = None
    enum: str = ""  # the field taking enum names; MLMD fails on its != / NOT IN if `node` is set
    broken: tuple[str, ...] = ()  # fields MLMD declares but does not select: it fails on them


_EVENT = {"type": INT, "milliseconds_since_epoch": INT}
_MEMBER = {"id": INT, "name": STRING, "type": STRING, "external_id": STRING, **_TIMES}
_HOODS: dict[NodeKind, dict[str, _Hood]] = {
    NodeKind.ARTIFACT: {
        "contexts_": _Hood(
            _CONTEXT, s.attribution_table, "artifact_id", "context_id", s.context_table
        ),
        "events_": _Hood(
            {**_EVENT, "execution_id": INT}, s.event_table, "artifact_id", enum="type"
        ),
    },
    NodeKind.EXECUTION: {
        "contexts_": _Hood(
            _CONTEXT, s.association_table, "execution_id", "context_id", s.context_table
        ),
        "events_": _Hood(
            {**_EVENT, "artifact_id": INT}, s.event_table, "execution_id", enum="type"
        ),
    },
    NodeKind.CONTEXT: {
        "parent_contexts_": _Hood(
            _CONTEXT,
            s.parent_context_table,
            "context_id",
            "parent_context_id",
            s.context_table,
            broken=tuple(_TIMES),
        ),
        "child_contexts_": _Hood(
            _CONTEXT,
            s.parent_context_table,
            "parent_context_id",
            "context_id",
            s.context_table,
            broken=tuple(_TIMES),
        ),
        "artifacts_": _Hood(
            {**_MEMBER, "state": INT, "uri": STRING},
            s.attribution_table,
            "context_id",
            "artifact_id",
            s.artifact_table,
            "state",
            ("external_id",),
        ),
        "executions_": _Hood(
            {**_MEMBER, "last_known_state": INT},
            s.association_table,
            "context_id",
            "execution_id",
            s.execution_table,
            "last_known_state",
            ("external_id",),
        ),
    },
}

_COMPARE = {
    "=": operator.eq,
    "!=": operator.ne,
    "<>": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}


@dataclass
class _Val:
    """A compiled expression: its SQL, ZetaSQL type, start and depth."""

    sql: Any
    type: str
    pos: int
    depth: int = 1  # operators nested, counting AND / OR lists once
    chain: int = 1  # depth of the binary tree that SQLite builds
    enum: tuple[str, str, dict[str, int], bool] | None = None  # name, family, names, negatable


def _enum_list(body: str) -> bool:
    """Whether MLMD's regex reads ``(body)`` as enum names: words, each comma between two
    words and in pairs of words (a word may be cut in two for that), so ``(2)`` is not one."""
    if not re.fullmatch(r"[\w\s,]*", body, re.ASCII):
        return False
    parts = re.findall(r"\w+|[\s,]+", body.strip(), re.ASCII)
    cuts = {0}  # the possible parities of the number of cuts so far
    for n, part in enumerate(parts):
        if "," in part:
            if part.strip().strip(",") or 0 not in cuts or n in (0, len(parts) - 1):
                return False
            cuts = {1}
        elif part.isspace():
            cuts = {c ^ 1 for c in cuts}
        elif len(part) > 1:
            cuts = {0, 1}
    return not body or (bool(parts) and 1 in cuts)


def _comparable(types: list[str]) -> bool:
    """Whether values of these types (NULL aside) compare: all numbers, or all one type."""
    known = {t for t in types if t != NULL}
    return len(known) <= 1 or known <= set(_NUMERIC)


@dataclass
class _Compiler:
    kind: NodeKind
    query: str
    base: Any
    toks: list[Token] = field(default_factory=list)
    i: int = 0
    nesting: int = 0
    literals: int = 0
    tables: int = 1
    joins: list[tuple[Any, Any]] = field(default_factory=list)
    columns: dict[Any, Any] = field(default_factory=dict)  # join key -> {field: (column, type)}
    spelling: dict[Any, str] = field(default_factory=dict)  # join key -> how it was written
    enum_values: set[tuple[str, str]] = field(default_factory=set)

    # --- helpers -------------------------------------------------------------------------
    def fail(self, message: str, pos: int) -> InvalidArgumentError:
        return query_error(self.query, message, pos)

    def peek(self, ahead: int = 0) -> Token:
        return self.toks[min(self.i + ahead, len(self.toks) - 1)]

    def take(self) -> Token:
        tok = self.peek()
        self.i = min(self.i + 1, len(self.toks) - 1)
        return tok

    def skip(self, value: str) -> bool:
        """Takes the keyword or operator ``value`` if it comes next."""
        found = self.at(value)
        if found:
            self.take()
        return found

    def at(self, value: str, ahead: int = 0) -> bool:
        """Whether the token ``ahead`` is the keyword or operator ``value``."""
        tok = self.peek(ahead)
        return tok.kind in ("kw", "op") and tok.value == value

    def expect(self, value: str) -> Token:
        if not self.at(value):
            tok = self.peek()
            kind = "keyword " if value.isalpha() else ""
            raise self.fail(f'Syntax error: Expected {kind}"{value}" but got {tok.text}', tok.pos)
        return self.take()

    def val(self, sql: Any, type_: str, pos: int, *parts: _Val, links: int = 1) -> _Val:
        depth = 1 + max((p.depth for p in parts), default=0)
        chain = links + max((p.chain for p in parts), default=0)
        if depth > _MAX_DEPTH:
            raise self.fail("The query is nested too deeply", pos)
        if chain > _MAX_CHAIN:
            raise self.fail("The query chains too many conditions; use IN (...)", pos)
        return _Val(sql, type_, pos, depth, chain)

    def lit(self, value: Any, type_: str, pos: int) -> _Val:
        self.literals += 1
        if self.literals > _MAX_LITERALS:
            raise self.fail(f"The query has more than {_MAX_LITERALS} literals", pos)
        return _Val(sa.literal(value, _SA_TYPES[type_]()), type_, pos)

    def check(self, op: str, pos: int, ok: bool, *vals: _Val, null_ok: bool = False) -> None:
        """Raises ZetaSQL's error unless the operand types fit operator ``op``."""
        for v in vals:
            if v.type == NULL and not null_ok:
                raise self.fail(f"Operands of {op} cannot be literal NULL", v.pos)
        if not ok:
            types = ", ".join(v.type for v in vals)
            raise self.fail(
                f"No matching signature for operator {op} for argument types: {types}", pos
            )

    def nested(self, parse: Any) -> _Val:
        self.nesting += 1
        if self.nesting > _MAX_NESTING:
            raise self.fail("The query is nested too deeply", self.peek().pos)
        try:
            return parse()
        finally:
            self.nesting -= 1

    # --- entry ---------------------------------------------------------------------------
    def compile(self) -> sa.Select:
        stmt = sa.select(self.base.c.id).distinct().correlate(None)
        if self.query == "":  # an empty filter is no filter, as in MLMD
            return stmt.select_from(self.base)
        self.toks = tokenize(self.query)
        result = self.expr()
        if self.peek().kind != "eof":
            tok = self.peek()
            raise self.fail(f"Syntax error: Expected end of input but got {tok.text}", tok.pos)
        if result.type != BOOL:
            raise InvalidArgumentError(
                "Invalid `filter_query`: Given query string is not a "
                f"valid boolean expression: {self.query}"
            )
        source = self.base
        for table, onclause in self.joins:
            source = source.join(table, onclause)
        return stmt.select_from(source).where(result.sql)

    # --- grammar, loosest binding first --------------------------------------------------
    def expr(self) -> _Val:
        return self.logic("OR", sa.or_, self.conjunction)

    def conjunction(self) -> _Val:
        return self.logic("AND", sa.and_, self.negation)

    def logic(self, word: str, combine: Any, operand: Any) -> _Val:
        items = [operand()]
        while self.skip(word):
            items.append(operand())
        if len(items) == 1:
            return items[0]
        ok = all(v.type in (BOOL, NULL) for v in items)
        self.check(word, items[0].pos, ok, *items, null_ok=True)
        sql = combine(*(v.sql for v in items))
        return self.val(sql, BOOL, items[0].pos, *items, links=len(items) - 1)

    def negation(self) -> _Val:
        if not self.at("NOT"):
            return self.comparison()
        pos = self.take().pos
        v = self.nested(self.negation)
        self.check("NOT", pos, v.type == BOOL, v)
        return self.val(sa.not_(v.sql), BOOL, pos, v)

    def comparison(self) -> _Val:
        left = self.additive()
        tok = self.peek()
        if tok.kind == "op" and tok.value in _COMPARE:
            self.take()
            if (
                left.enum
                and tok.value in ("=", "!=")
                and (self.at_enum_word() or self.at_enum_list())
            ):
                word = self.take()
                if word.value == "(":  # MLMD looks `(...)` up as one name
                    end = self.query.find(")", word.pos) + 1
                    raise self.fail(
                        "Unsupported enum value specified in the query: "
                        f"{self.query[word.pos : end]}",
                        word.pos,
                    )
                return self.enum_in(left, [word], tok.value == "!=", word)
            right = self.additive()
            self.check(tok.value, left.pos, _comparable([left.type, right.type]), left, right)
            return self.val(_COMPARE[tok.value](left.sql, right.sql), BOOL, left.pos, left, right)
        negated = self.at("NOT") and any(self.at(w, 1) for w in ("LIKE", "IN", "BETWEEN"))
        if negated:
            self.take()
        if self.skip("LIKE"):
            pattern = self.additive()
            ok = left.type == pattern.type == STRING
            self.check("LIKE", left.pos, ok or NULL in (left.type, pattern.type), left, pattern)
            sql = left.sql.not_like(pattern.sql) if negated else left.sql.like(pattern.sql)
            return self.val(sql, BOOL, left.pos, left, pattern)
        if self.at("IN"):
            return self.in_list(left, negated)
        if self.skip("BETWEEN"):
            low = self.additive()
            self.expect("AND")
            high = self.additive()
            ok = _comparable([left.type, low.type, high.type])
            self.check("BETWEEN", left.pos, ok, left, low, high, null_ok=True)
            sql = left.sql.between(low.sql, high.sql)
            return self.val(sa.not_(sql) if negated else sql, BOOL, left.pos, left, low, high)
        return self.is_test(left) if self.skip("IS") else left

    def is_test(self, left: _Val) -> _Val:
        is_not, tok = self.skip("NOT"), self.take()
        what = self.query[tok.pos : tok.end].upper()
        if what not in ("NULL", "TRUE", "FALSE", "UNKNOWN"):
            raise self.fail(f"Syntax error: Unexpected {tok.text}", tok.pos)
        ok = what == "NULL" or left.type in (BOOL, NULL)
        self.check(f"IS {what}", left.pos, ok, left, null_ok=True)
        if what in ("NULL", "UNKNOWN"):
            sql = left.sql.is_not(None) if is_not else left.sql.is_(None)
        else:
            constant = sa.true() if what == "TRUE" else sa.false()
            sql = left.sql.is_not(constant) if is_not else left.sql.is_(constant)
        return self.val(sql, BOOL, left.pos, left)

    def at_enum_word(self) -> bool:
        """MLMD rewrites ``state = WORD`` before parsing: a word there must be an enum name."""
        tok = self.peek()
        return (tok.kind in ("ident", "kw") and not tok.quoted) or (
            tok.kind == "num" and self.query[tok.pos].isdigit()
        )

    def at_enum_list(self) -> bool:
        end = self.query.find(")", self.peek().pos)
        return self.at("(") and end > 0 and _enum_list(self.query[self.peek().end : end])

    def enum_word(self) -> Token:
        if not self.at_enum_word():
            raise self.fail(f"Syntax error: Unexpected {self.peek().text}", self.peek().pos)
        return self.take()

    def enum_in(self, left: _Val, words: list[Token], negated: bool, first: Token) -> _Val:
        name, family, names, negatable = left.enum  # type: ignore[misc]
        values = []
        for tok in words:
            text = self.query[tok.pos : tok.end]
            if text not in names:
                raise self.fail(f"Unsupported enum value specified in the query: {text}", tok.pos)
            values.append(self.lit(names[text], INT, tok.pos).sql)
        # MLMD rewrites each enum predicate with a regex that also hits any other predicate of
        # the same family written with the same values, then fails on that one.
        written = self.query[first.pos : self.peek(-1).end]
        if (family, written) in self.enum_values:
            raise self.fail(
                f"ml-metadata cannot rewrite enum values `{written}` used twice "
                f"with `{family}`; write them once (e.g. with IN)",
                first.pos,
            )
        self.enum_values.add((family, written))
        if first.value == "(":
            sql = left.sql.in_(values)
        else:  # the rewrite leaves what follows: `state = LIVE + 1` is `state = 2 + 1`
            right = self.additive(first=_Val(values[0], INT, first.pos))
            negatable = negatable and right.sql is values[0]
            sql = left.sql == right.sql
        if negated and not negatable:
            raise self.fail(
                f"ml-metadata fails on != and NOT IN after `{name}` here; write "
                f"NOT (... = ...) instead",
                first.pos,
            )
        if negated:  # as MLMD: `state != X` is `state != X OR state IS NULL`
            sql = sa.or_(sa.not_(sql), left.sql.is_(None))
        return self.val(sql, BOOL, left.pos, left)

    def in_list(self, left: _Val, negated: bool) -> _Val:
        pos = self.take().pos
        if left.enum and self.at_enum_word():
            raise self.fail(
                "Expected a list of enum values enclosed in parentheses but got "
                f"{self.query[self.peek().pos : self.peek().end]}",
                pos,
            )
        if self.at("UNNEST") or not self.at("("):
            raise self.fail(
                f'Syntax error: Expected "(" but got {self.peek().text}', self.peek().pos
            )
        enum_list = left.enum and self.at_enum_list()
        first = self.take()
        if enum_list:
            words = [self.enum_word()]
            while not self.at(")"):
                self.expect(",")
                words.append(self.enum_word())
            self.take()
            return self.enum_in(left, words, negated, first)
        if self.at("SELECT"):
            raise self.fail("Subqueries are not supported", self.peek().pos)
        items = [self.nested(self.expr)]
        while self.skip(","):
            items.append(self.nested(self.expr))
        self.expect(")")
        if not _comparable([left.type] + [v.type for v in items]):
            types = ", ".join(dict.fromkeys(v.type for v in items))
            raise self.fail(
                f"No matching signature for operator IN for argument types "
                f"{left.type} and {{{types}}}",
                pos,
            )
        sql = left.sql.in_([v.sql for v in items])
        return self.val(sa.not_(sql) if negated else sql, BOOL, left.pos, left, *items)

    def additive(self, ops: tuple[str, ...] = ("+", "-"), first: _Val | None = None) -> _Val:
        """``+ -`` over ``* /`` over unary signs; ``first``: the first operand, already read."""
        operand = self.unary if ops[0] == "*" else lambda: self.additive(("*", "/"))
        left = first or self.unary() if ops[0] == "*" else self.additive(("*", "/"), first)
        while self.peek().kind == "op" and self.peek().value in ops:
            op = self.take().value
            right = operand()
            ok = left.type in _NUMERIC and right.type in _NUMERIC
            self.check(op, left.pos, ok, left, right)
            if op == "/":  # in DOUBLE, as ZetaSQL; x / 0 is NULL, as SQLite makes it
                divisor = sa.func.nullif(right.sql, 0, type_=sa.Float())
                sql = left.sql * sa.literal(1.0, sa.Float()) / divisor
                type_ = DOUBLE
            else:
                sql = _ARITH[op](left.sql, right.sql)
                type_ = INT if left.type == right.type == INT else DOUBLE
            left = self.val(sql, type_, left.pos, left, right)
            left.enum = self.tail(right)
        return left

    def tail(self, v: _Val) -> Any:
        """MLMD's rewrite is textual: `id + state = LIVE` is `(id + state) = 2`, but after a
        `+`, `state != LIVE` (a BOOL) does not type-check."""
        return v.enum and (*v.enum[:3], False)

    def unary(self) -> _Val:
        if not (self.at("-") or self.at("+")):
            return self.primary()
        tok = self.take()
        if tok.value == "-" and self.peek().kind == "num":  # so -9223372036854775808 fits
            return self.number(-self.take().value, tok.pos)
        v = self.nested(self.unary)
        self.check(tok.value, tok.pos, v.type in _NUMERIC, v)
        result = v.sql if tok.value == "+" else -v.sql
        result = self.val(result, v.type, tok.pos, v)
        result.enum = self.tail(v)
        return result

    def number(self, value: Any, pos: int) -> _Val:
        if isinstance(value, float):
            return self.lit(value, DOUBLE, pos)
        if -(2**63) <= value < 2**63:
            return self.lit(value, INT, pos)
        if abs(value) < 2**64:  # ZetaSQL's UINT64 range; compared as a double here
            return self.lit(float(value), DOUBLE, pos)
        raise self.fail(f"Invalid integer literal: {self.query[pos : self.peek(-1).end]}", pos)

    def primary(self) -> _Val:
        tok = self.take()
        if tok.kind == "num":
            return self.number(tok.value, tok.pos)
        if tok.kind == "str":
            return self.lit(tok.value, STRING, tok.pos)
        if tok.kind == "kw" and tok.value in ("TRUE", "FALSE"):
            return self.lit(tok.value == "TRUE", BOOL, tok.pos)
        if tok.kind == "kw" and tok.value == "NULL":
            return _Val(sa.null(), NULL, tok.pos)
        if tok.kind == "op" and tok.value == "(":
            if self.at("SELECT"):
                raise self.fail("Subqueries are not supported", self.peek().pos)
            inner = self.nested(self.expr)
            self.expect(")")
            return _Val(inner.sql, inner.type, inner.pos, inner.depth, inner.chain)  # no enum
        if tok.kind == "ident":
            if self.at("("):
                raise self.fail(f"Function calls are not supported: {tok.value}", tok.pos)
            if self.at(".") and self.peek().pos == tok.end:
                raise self.fail(f"Syntax error: Unexpected {self.peek(1).text}", self.peek(1).pos)
            return self.resolve(tok.path)
        if tok.kind == "kw" and tok.value in UNSUPPORTED:
            raise self.fail(f"{tok.value} expressions are not supported", tok.pos)
        if tok.kind == "eof":
            raise self.fail("Syntax error: Unexpected end of expression", tok.pos)
        raise self.fail(f"Syntax error: Unexpected {tok.text}", tok.pos)

    # --- names ---------------------------------------------------------------------------
    def resolve(self, path: list[Token]) -> _Val:
        head = path[0]
        if not head.quoted and head.value in ("properties", "custom_properties"):
            # MLMD rewrites `properties.NAME.int...` (exactly so) before parsing
            value = path[2] if len(path) > 2 else None
            if value is None or value.quoted or not re.match("int|double|string|bool", value.value):
                raise self.fail(f"Unrecognized name: {head.value}", head.pos)
            return self.field(self.property(head, path[1]), path, 2, _VALUE_STRUCT)
        for prefix, hood in _HOODS[self.kind].items():
            if (
                not head.quoted
                and len(path) > 1
                and head.value.startswith(prefix)
                and len(head.value) > len(prefix)
            ):
                struct = ", ".join(f"{k} {t}" for k, t in hood.fields.items())
                v = self.field(self.neighbour(head, hood), path, 1, f"STRUCT<{struct}>")
                if path[1].value.translate(LOWER) in hood.broken:
                    raise self.fail(
                        f"{head.value}.{path[1].value} is not supported: ml-metadata fails on it",
                        path[1].pos,
                    )
                if path[1].value == hood.enum and not path[1].quoted:
                    family = "events" if hood.enum == "type" else hood.enum
                    names = _EVENT_TYPES if hood.enum == "type" else _STATE_ENUMS[hood.enum]
                    v.enum = (f"{head.value}.{hood.enum}", family, names, hood.node is None)
                return v
        name = head.value.translate(LOWER)
        if name not in _ATTRIBUTES[self.kind]:
            raise self.fail(f"Unrecognized name: {head.value}", head.pos)
        column = self.type_column() if name == "type" else self.base.c[name]
        v = self.field({name: (column, _ATTRIBUTES[self.kind][name])}, path, 0, "")
        if head.value in _STATE_ENUMS and not head.quoted:
            v.enum = (head.value, head.value, _STATE_ENUMS[head.value], True)
        return v

    def field(self, columns: dict[str, Any], path: list[Token], at: int, struct: str) -> _Val:
        name = path[at].value.translate(LOWER)
        if name not in columns:
            raise self.fail(f"Field name {path[at].value} does not exist in {struct}", path[at].pos)
        column, type_ = columns[name]
        if len(path) > at + 1:
            raise self.fail(
                f"Cannot access field {path[at + 1].value} on a value with type {type_}",
                path[at + 1].pos,
            )
        return _Val(column, type_, path[0].pos)

    def add_join(self, key: Any, spelled: str, pos: int, cost: int) -> bool:
        """Counts a join the first time ``key`` is seen; False when it is known already."""
        if key in self.spelling:
            if self.spelling[key] != spelled:
                raise self.fail(
                    f"`{spelled}` and `{self.spelling[key]}` are one name spelled "
                    "two ways, which ml-metadata refuses; spell it one way",
                    pos,
                )
            return False
        self.spelling[key] = spelled
        self.tables += cost
        if self.tables > _MAX_TABLES:
            raise self.fail("The query mentions too many neighbours and properties", pos)
        return True

    def type_column(self) -> Any:
        if self.add_join("type", "type", 0, 1):
            t = s.type_table.alias()
            self.joins.append(
                (t, sa.and_(t.c.id == self.base.c.type_id, t.c.type_kind == int(self.kind)))
            )
            self.columns["type"] = t.c.name
        return self.columns["type"]

    def property(self, head: Token, name: Token) -> dict[str, Any]:
        custom = head.value == "custom_properties"
        key = (custom, name.value.translate(LOWER))
        spelled = f"{head.value}.{self.query[name.pos : name.end]}"
        if self.add_join(key, spelled, name.pos, 1):
            _, table, owner = _NODE[self.kind]
            p = table.alias()
            self.joins.append(
                (
                    p,
                    sa.and_(
                        p.c[owner] == self.base.c.id,
                        p.c.name == sa.literal(key[1], sa.Text()),
                        p.c.is_custom_property == bool(custom),
                    ),
                )
            )
            self.columns[key] = {k: (p.c[k], t) for k, t in _VALUE_FIELDS.items()}
        return self.columns[key]

    def neighbour(self, head: Token, hood: _Hood) -> dict[str, Any]:
        key = head.value.translate(LOWER)
        if self.add_join(key, head.value, head.pos, 1 if hood.node is None else 3):
            edge = hood.edge.alias()
            self.joins.append((edge, edge.c[hood.own] == self.base.c.id))
            columns = {k: edge.c.get(k) for k in hood.fields}
            if hood.node is not None:
                node, t = hood.node.alias(), s.type_table.alias()
                self.joins.append((node, node.c.id == edge.c[hood.other]))
                self.joins.append((t, t.c.id == node.c.type_id))
                columns = {k: node.c.get(k) for k in hood.fields} | {"type": t.c.name}
            self.columns[key] = {k: (columns[k], t) for k, t in hood.fields.items()}
        return self.columns[key]


def filtered_ids(kind: NodeKind, query: str) -> sa.Select:
    """SELECT of the distinct ids of the nodes of ``kind`` that match the filter ``query``.

    Use it as ``table.c.id.in_(filtered_ids(kind, query))``; an empty query matches every node.
    Raises ``InvalidArgumentError`` naming the problem and its ``[at line:column]`` position
    when the query is malformed or not supported.
    """
    if not isinstance(query, str):
        raise InvalidArgumentError("Invalid `filter_query`: expected a string")
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise query_error(query, "The query is not valid UTF-8", exc.start) from None
    return _compiled(NodeKind(kind), query)


@functools.lru_cache(maxsize=512)
def _compiled(kind: NodeKind, query: str) -> sa.Select:
    """``filtered_ids``, built once per query text: SQLAlchemy statements are immutable, and
    building one costs more than running it (a listing repeated with the same filter reuses
    it; a malformed query raises each time, as nothing is cached for it)."""
    return _Compiler(kind, query, _NODE[kind][0].alias()).compile()


# A filter matching at least this many nodes is "unselective": a listing with a LIMIT then
# checks rows in order (EXISTS per row, stops early) instead of listing every match first.
UNSELECTIVE = 1000


def filter_clause(
    conn: sa.Connection | None, kind: NodeKind, query: str, id_column: Any, limited: bool
) -> sa.ColumnElement:
    """The condition "``id_column`` names a node matching ``query``".

    ``id IN (all matches)`` costs as much as the matches are many; a correlated ``EXISTS``
    costs a probe per row read. When the listing stops after a few rows (``limited``) and the
    filter matches many nodes (a capped count on ``conn`` says so), EXISTS wins by orders of
    magnitude; otherwise IN does.
    """
    filtered_ids(kind, query)  # (checks the query; what it builds is kept for the forms below)
    kind = NodeKind(kind)
    unselective = (
        limited
        and conn is not None
        and conn.execute(_probe(kind, query, UNSELECTIVE)).scalar_one() >= UNSELECTIVE
    )
    if unselective:
        return _exists_form(kind, query, id_column)
    return _in_form(kind, query, id_column)


@functools.lru_cache(maxsize=512)
def _probe(kind: NodeKind, query: str, cap: int) -> sa.Select:
    """How many nodes match, counted up to ``cap``."""
    return sa.select(sa.func.count()).select_from(_compiled(kind, query).limit(cap).subquery())


@functools.lru_cache(maxsize=512)
def _exists_form(kind: NodeKind, query: str, id_column: Any) -> sa.ColumnElement:
    ids = _compiled(kind, query)
    inner = ids.where(ids.selected_columns[0] == id_column).correlate(id_column.table)
    return sa.exists(inner)


@functools.lru_cache(maxsize=512)
def _in_form(kind: NodeKind, query: str, id_column: Any) -> sa.ColumnElement:
    return id_column.in_(_compiled(kind, query))
