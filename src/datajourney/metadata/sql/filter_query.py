"""ML Metadata's ``filter_query`` language, compiled to SQLAlchemy Core.

``filtered_ids(kind, query)`` returns ``SELECT DISTINCT id`` of the nodes of ``kind`` that match
``query``, with the results ml-metadata 1.17 gives on the same database. The language is the
expression subset of ZetaSQL that ml-metadata documents for ``ListOptions.filter_query``:

* attributes: ``id type_id type name external_id create_time_since_epoch
  last_update_time_since_epoch``, plus ``uri state`` (artifacts) and ``last_known_state``
  (executions); names are case-insensitive. ``state = LIVE``, ``!=``, ``IN (...)``, ``NOT IN``
  take enum names; ``!=`` and ``NOT IN`` also keep nodes whose state is NULL, as in MLMD.
* ``properties.NAME.int_value|double_value|string_value|bool_value`` and ``custom_properties...``;
  NAME may be backquoted. Like MLMD (its SQL analyzer lower-cases column names), NAME is
  looked up lower-cased, so a property whose name has capitals never matches.
* neighbourhoods ``contexts_A.*`` and ``events_A.*`` (artifacts, executions),
  ``parent_contexts_A.*``, ``child_contexts_A.*``, ``artifacts_A.*``, ``executions_A.*``
  (contexts). Each alias, each property and ``type`` is one INNER JOIN, as in MLMD: the same
  alias is the same neighbour, a node with no such neighbour or property never matches (also
  under ``NOT``, ``OR`` and ``IS NULL``).
* ``= != <> < <= > >= + - * /``, ``[NOT] LIKE``, ``[NOT] IN (...)``, ``[NOT] BETWEEN``,
  ``IS [NOT] NULL|TRUE|FALSE|UNKNOWN``, ``NOT AND OR``, literals (integers, floats, strings in
  single/double/triple quotes with ZetaSQL escapes, raw strings, ``TRUE FALSE NULL``),
  comments; ZetaSQL's type checks and precedence.

Function calls, CASE, CAST and subqueries, which ZetaSQL would parse, are rejected.
Every problem raises ``InvalidArgumentError`` with ZetaSQL's wording and ``[at line:column]``.
Values are bound parameters; the query's text never becomes SQL.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    Select,
    Text,
    and_,
    cast,
    false,
    literal,
    not_,
    null,
    or_,
    select,
    true,
)

from datajourney.metadata.errors import InvalidArgumentError
from datajourney.metadata.model import ArtifactState, EventType, ExecutionState, NodeKind
from datajourney.metadata.sql import schema as s

INT, DOUBLE, STRING, BOOL, NULL = "INT64", "DOUBLE", "STRING", "BOOL", "NULL"
_NUMERIC = (INT, DOUBLE)
_MAX_DEPTH = 64  # expression nesting; deeper queries are refused, not crashed on
_MAX_TABLES = 60  # SQLite joins at most 64 tables
_MAX_LITERALS = 5000  # bound parameters

# Enum names MLMD's resolver accepts (it leaves out ABANDONED, REFERENCE, PENDING_OUTPUT...).
_ARTIFACT_STATES = {m.name: int(m) for m in ArtifactState if m <= ArtifactState.DELETED}
_EXECUTION_STATES = {m.name: int(m) for m in ExecutionState}
_EVENT_TYPES = {
    m.name: int(m) for m in EventType if m not in (EventType.UNKNOWN, EventType.PENDING_OUTPUT)
}

_NODE = {
    NodeKind.ARTIFACT: (s.artifact_table, s.artifact_property_table, "artifact_id"),
    NodeKind.EXECUTION: (s.execution_table, s.execution_property_table, "execution_id"),
    NodeKind.CONTEXT: (s.context_table, s.context_property_table, "context_id"),
}
_COMMON = {"id": INT, "type_id": INT, "type": STRING, "name": STRING, "external_id": STRING,
           "create_time_since_epoch": INT, "last_update_time_since_epoch": INT}
_ATTRIBUTES = {
    NodeKind.ARTIFACT: {**_COMMON, "uri": STRING, "state": INT},
    NodeKind.EXECUTION: {**_COMMON, "last_known_state": INT},
    NodeKind.CONTEXT: dict(_COMMON),
}
_ENUM_ATTRIBUTE = {NodeKind.ARTIFACT: ("state", _ARTIFACT_STATES),
                   NodeKind.EXECUTION: ("last_known_state", _EXECUTION_STATES)}
_TIMES = {"create_time_since_epoch": INT, "last_update_time_since_epoch": INT}
_CONTEXT_FIELDS = {"id": INT, "name": STRING, "type": STRING, **_TIMES}
_VALUE_FIELDS = {"int_value": INT, "double_value": DOUBLE, "string_value": STRING,
                 "bool_value": BOOL}


@dataclass(frozen=True)
class _Neighbourhood:
    """A kind of joined neighbour: the struct fields ZetaSQL sees and how MLMD joins it."""

    fields: dict[str, str]
    link: Any  # the edge table (or the event table itself)
    link_own: str  # its column pointing at the filtered node
    link_other: str = ""  # its column pointing at the neighbour node ("" for events)
    node: Any = None  # the neighbour's node table
    enum: tuple[str, dict[str, int]] | None = None
    negated_enum_ok: bool = True  # MLMD turns `state != X` into a syntax error for contexts
    broken: frozenset[str] = frozenset()  # fields MLMD's SQL does not select (it fails)


_NEIGHBOURHOODS: dict[NodeKind, dict[str, _Neighbourhood]] = {
    NodeKind.ARTIFACT: {
        "contexts_": _Neighbourhood(_CONTEXT_FIELDS, s.attribution_table, "artifact_id",
                                    "context_id", s.context_table),
        "events_": _Neighbourhood({"type": INT, "milliseconds_since_epoch": INT,
                                   "execution_id": INT}, s.event_table, "artifact_id",
                                  enum=("type", _EVENT_TYPES)),
    },
    NodeKind.EXECUTION: {
        "contexts_": _Neighbourhood(_CONTEXT_FIELDS, s.association_table, "execution_id",
                                    "context_id", s.context_table),
        "events_": _Neighbourhood({"type": INT, "milliseconds_since_epoch": INT,
                                   "artifact_id": INT}, s.event_table, "execution_id",
                                  enum=("type", _EVENT_TYPES)),
    },
    NodeKind.CONTEXT: {
        "parent_contexts_": _Neighbourhood(_CONTEXT_FIELDS, s.parent_context_table, "context_id",
                                           "parent_context_id", s.context_table,
                                           broken=frozenset(_TIMES)),
        "child_contexts_": _Neighbourhood(_CONTEXT_FIELDS, s.parent_context_table,
                                          "parent_context_id", "context_id", s.context_table,
                                          broken=frozenset(_TIMES)),
        "artifacts_": _Neighbourhood(
            {"id": INT, "name": STRING, "type": STRING, "state": INT, "uri": STRING,
             "external_id": STRING, **_TIMES}, s.attribution_table, "context_id", "artifact_id",
            s.artifact_table, ("state", _ARTIFACT_STATES), False, frozenset({"external_id"})),
        "executions_": _Neighbourhood(
            {"id": INT, "name": STRING, "type": STRING, "last_known_state": INT,
             "external_id": STRING, **_TIMES}, s.association_table, "context_id",
            "execution_id", s.execution_table, ("last_known_state", _EXECUTION_STATES), False,
            frozenset({"external_id"})),
    },
}

# ZetaSQL's reserved words: never names; the ones we understand are operators.
_RESERVED_WORDS = """ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST
    COLLATE CONTAINS CREATE CROSS CUBE CURRENT DEFAULT DEFINE DESC DISTINCT ELSE END ENUM ESCAPE
    EXCEPT EXCLUDE EXISTS EXTRACT FALSE FETCH FOLLOWING FOR FROM FULL GROUP GROUPING GROUPS HASH
    HAVING IF IGNORE IN INNER INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LIKE LIMIT LOOKUP MERGE
    NATURAL NEW NO NOT NULL NULLS OF ON OR ORDER OUTER OVER PARTITION PRECEDING PROTO QUALIFY
    RANGE RECURSIVE RESPECT RIGHT ROLLUP ROWS SELECT SET SOME STRUCT TABLESAMPLE THEN TO TREAT
    TRUE UNBOUNDED UNION UNNEST USING WHEN WHERE WINDOW WITH WITHIN"""
_RESERVED = frozenset(_RESERVED_WORDS.split())
_COMPARE = {"=": operator.eq, "!=": operator.ne, "<>": operator.ne, "<": operator.lt,
            "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_WORD = re.compile(r"[A-Za-z_]\w*", re.ASCII)
_SEGMENT = re.compile(r"\w+", re.ASCII)
_NUMBER = re.compile(
    r"0[xX][0-9A-Fa-f]+|(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+", re.ASCII)
_STRING_START = re.compile(r"(?:[rR][bB]?|[bB][rR]?)?('''|\"\"\"|'|\")")
_OPS = ("<>", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ",", ".")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            "\\": "\\", "?": "?", '"': '"', "'": "'", "`": "`"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass
class _Tok:
    kind: str  # num, str, ident, kw, op, eof
    value: Any
    pos: int
    end: int
    quoted: bool = False  # a `backquoted` identifier
    segment: bool = False  # an identifier right after a path's dot

    @property
    def text(self) -> str:
        if self.kind == "eof":
            return "end of input"
        kind = {"num": "literal", "str": "string literal", "kw": "keyword", "ident": "identifier"}
        return f'{kind.get(self.kind, "")} "{self.value}"'.strip()


@dataclass
class _Val:
    """A compiled expression: SQL, ZetaSQL type, where it starts, nesting depth."""

    sql: Any
    type: str
    pos: int
    depth: int = 1
    enum: tuple[str, dict[str, int], bool] | None = None  # (name, mapping, negation ok)


def _error(query: str, message: str, pos: int) -> InvalidArgumentError:
    line = query.count("\n", 0, pos) + 1
    column = pos - (query.rfind("\n", 0, pos) + 1) + 1
    return InvalidArgumentError(f"Invalid `filter_query`: {message} [at {line}:{column}]")


def _unescape(query: str, body: str, start: int, raw: bool) -> str:
    if raw:
        return body
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1: i + 2]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt in _HEX_ESCAPES or nxt[:1].isdigit():
            width = _HEX_ESCAPES.get(nxt, 3)
            digits = body[i + 1: i + 1 + width] if width == 3 else body[i + 2: i + 2 + width]
            pattern = r"[0-7]{3}" if width == 3 else rf"[0-9A-Fa-f]{{{width}}}"
            if not re.fullmatch(pattern, digits):
                raise _error(query, f"Syntax error: Illegal escape sequence: \\{nxt}", start + i)
            code = int(digits, 8 if width == 3 else 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise _error(query, f"Syntax error: Illegal escape sequence: \\{nxt}{digits}",
                             start + i)
            out.append(chr(code))
            i += 1 + len(digits) + (width != 3)
        else:
            raise _error(query, f"Syntax error: Illegal escape sequence: \\{nxt}", start + i)
    return "".join(out)


def _skip(query: str, i: int) -> int:
    """Skips white space and comments (``--``, ``#``, ``/* */``)."""
    while i < len(query):
        if query[i].isspace():
            i += 1
        elif query.startswith(("--", "#"), i):
            end = query.find("\n", i)
            i = len(query) if end < 0 else end + 1
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            if end < 0:
                raise _error(query, "Syntax error: Unclosed comment", i)
            i = end + 2
        else:
            break
    return i


def _tokenize(query: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i = 0
    while True:
        i = _skip(query, i)
        if i >= len(query):
            toks.append(_Tok("eof", None, i, i))
            return toks
        prev = toks[-1] if toks else None
        in_path = (prev is not None and prev.kind == "op" and prev.value == "." and prev.end == i
                   and len(toks) > 1 and toks[-2].kind == "ident" and toks[-2].end == prev.pos)
        ch = query[i]
        if ch == "`":
            end = query.find("`", i + 1)
            if end < 0:
                raise _error(query, "Syntax error: Unclosed identifier literal", i)
            name = query[i + 1: end]
            if not name:
                raise _error(query, "Syntax error: Invalid empty identifier", i)
            if any(c in name for c in '\\"\n'):
                raise _error(query, "Quoted identifiers with a backslash, a double quote or a "
                             "line break are not supported", i)
            toks.append(_Tok("ident", name, i, end + 1, quoted=True, segment=in_path))
            i = end + 1
            continue
        if in_path and (m := _SEGMENT.match(query, i)):
            toks.append(_Tok("ident", m.group(), i, m.end(), segment=True))
            i = m.end()
            continue
        if m := _STRING_START.match(query, i):
            toks.append(_string(query, i, m))
            i = toks[-1].end
        elif m := _WORD.match(query, i):
            word = m.group()
            kind = "kw" if word.upper() in _RESERVED else "ident"
            toks.append(_Tok(kind, word.upper() if kind == "kw" else word, i, m.end()))
            i = m.end()
        elif (m := _NUMBER.match(query, i)) and (ch != "." or prev is None or prev.end != i
                                                 or prev.kind != "ident"):
            raw = m.group()
            if m.end() < len(query) and (query[m.end()].isalnum() or query[m.end()] == "_"):
                raise _error(query, "Syntax error: Missing whitespace between literal and alias",
                             m.end())
            if raw[:2].lower() == "0x":
                value: Any = int(raw, 16)
            elif re.fullmatch(r"\d+", raw):
                value = int(raw)
            else:
                value = float(raw)
            toks.append(_Tok("num", value, i, m.end()))
            i = m.end()
        else:
            op = next((o for o in _OPS if query.startswith(o, i)), None)
            if op is None:
                raise _error(query, f'Syntax error: Illegal input character "{ch}"', i)
            toks.append(_Tok("op", op, i, i + len(op)))
            i += len(op)


def _string(query: str, i: int, m: re.Match) -> _Tok:
    prefix, quote = query[i: m.start(1)].lower(), m.group(1)
    start, raw = m.end(), "r" in prefix
    j = start
    while True:
        if j >= len(query) or (len(quote) == 1 and query[j] == "\n"):
            raise _error(query, "Syntax error: Unclosed string literal", i)
        if query[j] == "\\":
            j += 2
        elif query.startswith(quote, j):
            break
        else:
            j += 1
    if "b" in prefix:
        raise _error(query, "BYTES literals are not supported", i)
    value = _unescape(query, query[start:j], start, raw)
    return _Tok("str", value, i, j + len(quote))


def _comparable(a: str, b: str) -> bool:
    return a == b or (a in _NUMERIC and b in _NUMERIC)


@dataclass
class _Compiler:
    kind: NodeKind
    query: str
    toks: list[_Tok] = field(default_factory=list)
    i: int = 0
    nesting: int = 0
    literals: int = 0
    tables: int = 1
    base: Any = None
    joins: list[tuple[Any, Any]] = field(default_factory=list)
    refs: dict[Any, Any] = field(default_factory=dict)  # join key -> columns by field
    spelling: dict[Any, str] = field(default_factory=dict)

    # --- helpers -------------------------------------------------------------------------
    def fail(self, message: str, pos: int) -> InvalidArgumentError:
        return _error(self.query, message, pos)

    def peek(self, ahead: int = 0) -> _Tok:
        return self.toks[min(self.i + ahead, len(self.toks) - 1)]

    def take(self) -> _Tok:
        tok = self.peek()
        self.i = min(self.i + 1, len(self.toks) - 1)
        return tok

    def is_kw(self, word: str, ahead: int = 0) -> bool:
        tok = self.peek(ahead)
        return tok.kind == "kw" and tok.value == word

    def is_op(self, op: str) -> bool:
        tok = self.peek()
        return tok.kind == "op" and tok.value == op

    def expect_op(self, op: str) -> _Tok:
        if not self.is_op(op):
            raise self.fail(f'Syntax error: Expected "{op}" but got {self.peek().text}',
                            self.peek().pos)
        return self.take()

    def val(self, sql: Any, type_: str, pos: int, *parts: _Val) -> _Val:
        depth = 1 + max((p.depth for p in parts), default=0)
        if depth > _MAX_DEPTH:
            raise self.fail("The query is nested too deeply", pos)
        return _Val(sql, type_, pos, depth)

    def lit(self, value: Any, type_: str, pos: int) -> _Val:
        self.literals += 1
        if self.literals > _MAX_LITERALS:
            raise self.fail(f"The query has more than {_MAX_LITERALS} literals", pos)
        sa_type = {INT: BigInteger(), DOUBLE: Float(), STRING: Text(), BOOL: Boolean()}[type_]
        return _Val(literal(value, sa_type), type_, pos)

    def no_null(self, op: str, *vals: _Val) -> None:
        for v in vals:
            if v.type == NULL:
                raise self.fail(f"Operands of {op} cannot be literal NULL", v.pos)

    def mismatch(self, op: str, pos: int, *vals: _Val) -> InvalidArgumentError:
        types = ", ".join(v.type for v in vals)
        return self.fail(f"No matching signature for operator {op} for argument types: {types}",
                         pos)

    # --- entry ---------------------------------------------------------------------------
    def compile(self) -> Select:
        table, _, _ = _NODE[self.kind]
        self.base = table.alias()
        where = None
        if self.query != "":
            self.toks = _tokenize(self.query)
            result = self.expr()
            if self.peek().kind != "eof":
                tok = self.peek()
                raise self.fail(f"Syntax error: Expected end of input but got {tok.text}",
                                tok.pos)
            if result.type not in (BOOL,):
                raise InvalidArgumentError("Invalid `filter_query`: Given query string is not a "
                                           f"valid boolean expression: {self.query}")
            where = result.sql
        source = self.base
        for table_, onclause in self.joins:
            source = source.join(table_, onclause)
        stmt = select(self.base.c.id).select_from(source).distinct().correlate(None)
        return stmt if where is None else stmt.where(where)

    # --- grammar, loosest first ----------------------------------------------------------
    def expr(self) -> _Val:
        return self.logic("OR", or_, self.conjunction)

    def conjunction(self) -> _Val:
        return self.logic("AND", and_, self.negation)

    def logic(self, word: str, combine: Any, operand: Any) -> _Val:
        items = [operand()]
        while self.is_kw(word):
            self.take()
            items.append(operand())
        if len(items) == 1:
            return items[0]
        for v in items:
            if v.type not in (BOOL, NULL):
                raise self.mismatch(word, items[0].pos, *items)
        return self.val(combine(*(v.sql for v in items)), BOOL, items[0].pos, *items)

    def nested(self, parse: Any) -> _Val:
        self.nesting += 1
        if self.nesting > _MAX_DEPTH:
            raise self.fail("The query is nested too deeply", self.peek().pos)
        try:
            return parse()
        finally:
            self.nesting -= 1

    def negation(self) -> _Val:
        if not self.is_kw("NOT"):
            return self.comparison()
        pos = self.take().pos
        v = self.nested(self.negation)
        self.no_null("NOT", v)
        if v.type != BOOL:
            raise self.mismatch("NOT", pos, v)
        return self.val(not_(v.sql), BOOL, pos, v)

    def comparison(self) -> _Val:
        left = self.additive()
        tok = self.peek()
        if tok.kind == "op" and tok.value in _COMPARE:
            self.take()
            if left.enum and tok.value in ("=", "!=") and self.is_enum_word():
                return self.enum_in(left, [self.take()], tok.value == "!=", tok.pos)
            right = self.additive()
            self.no_null(tok.value, left, right)
            if not _comparable(left.type, right.type):
                raise self.mismatch(tok.value, left.pos, left, right)
            sql = _COMPARE[tok.value](left.sql, right.sql)
            return self.val(sql, BOOL, left.pos, left, right)
        negated = self.is_kw("NOT") and self.peek(1).kind == "kw" and self.peek(1).value in (
            "LIKE", "IN", "BETWEEN")
        if negated:
            self.take()
        if self.is_kw("LIKE"):
            pos = self.take().pos
            pattern = self.additive()
            self.no_null("LIKE", left, pattern)
            if left.type != STRING or pattern.type != STRING:
                raise self.mismatch("LIKE", left.pos, left, pattern)
            sql = left.sql.not_like(pattern.sql) if negated else left.sql.like(pattern.sql)
            return self.val(sql, BOOL, pos, left, pattern)
        if self.is_kw("IN"):
            return self.in_list(left, negated)
        if self.is_kw("BETWEEN"):
            self.take()
            low = self.additive()
            if not self.is_kw("AND"):
                raise self.fail(f"Syntax error: Expected keyword AND but got {self.peek().text}",
                                self.peek().pos)
            self.take()
            high = self.additive()
            typed = [v.type for v in (left, low, high) if v.type != NULL]
            if any(not _comparable(typed[0], t) for t in typed):
                raise self.mismatch("BETWEEN", left.pos, left, low, high)
            sql = left.sql.between(low.sql, high.sql)
            return self.val(not_(sql) if negated else sql, BOOL, left.pos, left, low, high)
        if self.is_kw("IS"):
            self.take()
            is_not = self.is_kw("NOT")
            if is_not:
                self.take()
            tok = self.take()
            what = tok.value.upper() if tok.kind in ("kw", "ident") and not tok.quoted else ""
            if what not in ("NULL", "TRUE", "FALSE", "UNKNOWN"):
                raise self.fail(f"Syntax error: Unexpected {tok.text}", tok.pos)
            if what != "NULL" and left.type not in (BOOL, NULL):
                raise self.mismatch(f"IS {what}", left.pos, left)
            if what in ("NULL", "UNKNOWN"):
                sql = left.sql.is_not(None) if is_not else left.sql.is_(None)
            else:
                constant = true() if what == "TRUE" else false()
                sql = left.sql.is_not(constant) if is_not else left.sql.is_(constant)
            return self.val(sql, BOOL, left.pos, left)
        return left

    def is_enum_word(self) -> bool:
        """MLMD rewrites ``state = WORD``: a word right after the operator is an enum name."""
        tok = self.peek()
        return (tok.kind in ("ident", "kw") and not tok.quoted) or (
            tok.kind == "num" and self.query[tok.pos].isdigit())

    def enum_in(self, left: _Val, words: list[_Tok], negated: bool, pos: int) -> _Val:
        name, mapping, negation_ok = left.enum  # type: ignore[misc]
        if negated and not negation_ok:
            raise self.fail(f"Syntax error: ml-metadata cannot negate `{name}` of a neighbour; "
                            "use NOT (... = ...) instead", pos)
        values = []
        for tok in words:
            text = self.query[tok.pos: tok.end]
            if text not in mapping:
                raise self.fail(f"Unsupported enum value specified in the query: {text}",
                                tok.pos)
            values.append(self.lit(mapping[text], INT, tok.pos).sql)
        sql = left.sql.in_(values) if len(values) > 1 else left.sql == values[0]
        if negated:  # MLMD: `state != X` is `(state != X OR state IS NULL)`
            sql = or_(not_(sql), left.sql.is_(None))
        return self.val(sql, BOOL, left.pos, left)

    def in_list(self, left: _Val, negated: bool) -> _Val:
        pos = self.take().pos
        if left.enum:
            if self.is_enum_word():
                raise self.fail("Expected a list of enum values enclosed in parentheses but got "
                                f"{self.query[self.peek().pos: self.peek().end]}", pos)
            if self.is_op("("):
                self.take()
                words = []
                while True:
                    if not self.is_enum_word():
                        raise self.fail(f"Syntax error: Unexpected {self.peek().text}",
                                        self.peek().pos)
                    words.append(self.take())
                    if self.is_op(")"):
                        self.take()
                        return self.enum_in(left, words, negated, pos)
                    self.expect_op(",")
        if self.is_kw("UNNEST") or not self.is_op("("):
            raise self.fail(f'Syntax error: Expected "(" but got {self.peek().text}',
                            self.peek().pos)
        self.take()
        if self.is_kw("SELECT"):
            raise self.fail("Subqueries are not supported", self.peek().pos)
        items = [self.nested(self.expr)]
        while self.is_op(","):
            self.take()
            items.append(self.nested(self.expr))
        self.expect_op(")")
        typed = [v.type for v in (left, *items) if v.type != NULL]
        if any(not _comparable(typed[0], t) for t in typed):
            types = ", ".join(dict.fromkeys(v.type for v in items))
            raise self.fail(f"No matching signature for operator IN for argument types "
                            f"{left.type} and {{{types}}}", pos)
        sql = left.sql.in_([v.sql for v in items])
        return self.val(not_(sql) if negated else sql, BOOL, left.pos, left, *items)

    def additive(self) -> _Val:
        return self.arithmetic(("+", "-"), self.multiplicative)

    def multiplicative(self) -> _Val:
        return self.arithmetic(("*", "/"), self.unary)

    def arithmetic(self, ops: tuple[str, ...], operand: Any) -> _Val:
        left = operand()
        while self.peek().kind == "op" and self.peek().value in ops:
            op = self.take().value
            right = operand()
            self.no_null(op, left, right)
            if left.type not in _NUMERIC or right.type not in _NUMERIC:
                raise self.mismatch(op, left.pos, left, right)
            if op == "/":
                sql, type_ = cast(left.sql, Float()) / cast(right.sql, Float()), DOUBLE
            else:
                sql = _ARITH[op](left.sql, right.sql)
                type_ = INT if left.type == right.type == INT else DOUBLE
            left = self.val(sql, type_, left.pos, left, right)
        return left

    def unary(self) -> _Val:
        if not (self.is_op("-") or self.is_op("+")):
            return self.primary()
        tok = self.take()
        nxt = self.peek()
        if tok.value == "-" and nxt.kind == "num":  # fold, so -9223372036854775808 fits
            self.take()
            return self.number(-nxt.value, tok.pos)
        v = self.nested(self.unary)
        self.no_null(tok.value, v)
        if v.type not in _NUMERIC:
            raise self.mismatch(tok.value, tok.pos, v)
        return v if tok.value == "+" else self.val(-v.sql, v.type, tok.pos, v)

    def number(self, value: Any, pos: int) -> _Val:
        if isinstance(value, float):
            return self.lit(value, DOUBLE, pos)
        if -(2**63) <= value < 2**63:
            return self.lit(value, INT, pos)
        if abs(value) < 2**64:  # ZetaSQL's UINT64 range
            return self.lit(float(value), DOUBLE, pos)
        raise self.fail(f"Invalid integer literal: {self.query[pos: self.peek(-1).end]}", pos)

    def primary(self) -> _Val:
        tok = self.take()
        if tok.kind == "num":
            return self.number(tok.value, tok.pos)
        if tok.kind == "str":
            return self.lit(tok.value, STRING, tok.pos)
        if tok.kind == "kw" and tok.value in ("TRUE", "FALSE"):
            return self.lit(tok.value == "TRUE", BOOL, tok.pos)
        if tok.kind == "kw" and tok.value == "NULL":
            return _Val(null(), NULL, tok.pos)
        if tok.kind == "op" and tok.value == "(":
            if self.is_kw("SELECT"):
                raise self.fail("Subqueries are not supported", self.peek().pos)
            inner = self.nested(self.expr)
            self.expect_op(")")
            return _Val(inner.sql, inner.type, inner.pos, inner.depth)  # drops enum-ness
        if tok.kind == "ident" and not tok.segment:
            if self.is_op("("):
                raise self.fail(f"Function calls are not supported: {tok.value}", tok.pos)
            path = [tok]
            while self.is_op(".") and self.peek(1).segment and self.peek().pos == path[-1].end:
                self.take()
                path.append(self.take())
            if self.is_op(".") and self.peek().pos == path[-1].end:
                raise self.fail(f"Syntax error: Unexpected {self.peek(1).text}",
                                self.peek(1).pos)
            return self.resolve(path)
        if tok.kind == "kw" and tok.value in ("CASE", "CAST", "EXISTS", "ARRAY", "STRUCT", "IF",
                                              "INTERVAL", "EXTRACT", "NEW", "SELECT"):
            raise self.fail(f"{tok.value} expressions are not supported", tok.pos)
        if tok.kind == "eof":
            raise self.fail("Syntax error: Unexpected end of expression", tok.pos)
        raise self.fail(f"Syntax error: Unexpected {tok.text}", tok.pos)

    # --- names ---------------------------------------------------------------------------
    def resolve(self, path: list[_Tok]) -> _Val:
        head = path[0]
        name = head.value.translate(_LOWER)
        if not head.quoted and head.value in ("properties", "custom_properties"):
            fld = path[2] if len(path) > 2 else None
            if fld is None or fld.quoted or not re.match("int|double|string|bool", fld.value):
                raise self.fail(f"Unrecognized name: {head.value}", head.pos)
            return self.field(self.property_columns(head, path[1]), path[2:],
                              "STRUCT<int_value INT64, double_value DOUBLE, string_value STRING, "
                              "bool_value BOOL>")
        for prefix, hood in _NEIGHBOURHOODS[self.kind].items():
            if not head.quoted and head.value.startswith(prefix) and len(head.value) > len(prefix):
                if len(path) < 2:
                    break
                columns = self.neighbour_columns(head, prefix, hood)
                fields = ", ".join(f"{k} {t}" for k, t in hood.fields.items())
                v = self.field(columns, path[1:], f"STRUCT<{fields}>")
                if path[1].value.translate(_LOWER) in hood.broken:
                    raise self.fail(f"{head.value}.{path[1].value} is not supported: ml-metadata "
                                    "fails on it at run time", path[1].pos)
                if hood.enum and path[1].value == hood.enum[0] and not path[1].quoted:
                    v.enum = (f"{head.value}.{hood.enum[0]}", hood.enum[1], hood.negated_enum_ok)
                return v
        attributes = _ATTRIBUTES[self.kind]
        if name not in attributes:
            raise self.fail(f"Unrecognized name: {head.value}", head.pos)
        column = self.type_column() if name == "type" else self.base.c[name]
        v = _Val(column, attributes[name], head.pos)
        enum = _ENUM_ATTRIBUTE.get(self.kind)
        if enum and head.value == enum[0] and not head.quoted and len(path) == 1:
            v.enum = (enum[0], enum[1], True)
        if len(path) > 1:
            raise self.fail(f"Cannot access field {path[1].value} on a value with type "
                            f"{v.type}", path[1].pos)
        return v

    def field(self, columns: dict[str, Any], path: list[_Tok], struct: str) -> _Val:
        name = path[0].value.translate(_LOWER)
        if name not in columns:
            raise self.fail(f"Field name {path[0].value} does not exist in {struct}", path[0].pos)
        column, type_ = columns[name]
        if len(path) > 1:
            raise self.fail(f"Cannot access field {path[1].value} on a value with type {type_}",
                            path[1].pos)
        return _Val(column, type_, path[0].pos)

    def add_join(self, key: Any, spelled: str, pos: int, cost: int) -> bool:
        """Registers a join once per key; False when it exists already."""
        if key in self.spelling:
            if self.spelling[key] != spelled:
                raise self.fail(f"`{spelled}` and `{self.spelling[key]}` name the same thing "
                                "spelled differently, which ml-metadata refuses", pos)
            return False
        self.spelling[key] = spelled
        self.tables += cost
        if self.tables > _MAX_TABLES:
            raise self.fail("The query mentions too many neighbours and properties", pos)
        return True

    def type_column(self) -> Any:
        if self.add_join("type", "type", 0, 1):
            t = s.type_table.alias()
            on = and_(t.c.id == self.base.c.type_id, t.c.type_kind == int(self.kind))
            self.joins.append((t, on))
            self.refs["type"] = t.c.name
        return self.refs["type"]

    def property_columns(self, head: _Tok, name_tok: _Tok) -> dict[str, Any]:
        custom = head.value == "custom_properties"
        name = name_tok.value.translate(_LOWER)
        spelled = self.query[name_tok.pos: name_tok.end]
        key = ("property", custom, name)
        if self.add_join(key, spelled, name_tok.pos, 1):
            _, table, owner = _NODE[self.kind]
            p = table.alias()
            on = and_(p.c[owner] == self.base.c.id, p.c.name == literal(name, Text()),
                      p.c.is_custom_property == int(custom))
            self.joins.append((p, on))
            self.refs[key] = {k: (p.c[k], t) for k, t in _VALUE_FIELDS.items()}
        return self.refs[key]

    def neighbour_columns(self, head: _Tok, prefix: str, hood: _Neighbourhood) -> dict[str, Any]:
        key = ("neighbour", head.value.translate(_LOWER))
        if self.add_join(key, head.value, head.pos, 1 if hood.node is None else 3):
            link = hood.link.alias()
            self.joins.append((link, link.c[hood.link_own] == self.base.c.id))
            if hood.node is None:  # events: the edge row is the neighbour
                columns = {k: link.c[k] for k in hood.fields}
            else:
                node, t = hood.node.alias(), s.type_table.alias()
                self.joins.append((node, node.c.id == link.c[hood.link_other]))
                self.joins.append((t, t.c.id == node.c.type_id))
                columns = {k: node.c[k] for k in hood.fields if k in node.c and k != "type"}
                columns["type"] = t.c.name
            self.refs[key] = {k: (columns.get(k), t) for k, t in hood.fields.items()}
        return self.refs[key]


def filtered_ids(kind: NodeKind, query: str) -> Select:
    """``SELECT DISTINCT id`` of the nodes of ``kind`` matching the filter query ``query``.

    An empty query matches every node. Raises ``InvalidArgumentError`` for a malformed or
    unsupported query, naming the problem and its ``[at line:column]`` position.
    """
    if not isinstance(query, str):
        raise InvalidArgumentError("Invalid `filter_query`: expected a string")
    try:
        kind = NodeKind(kind)
    except ValueError:
        raise InvalidArgumentError(f"Invalid node kind: {kind!r}") from None
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _error(query, "The query is not valid UTF-8", exc.start) from None
    return _Compiler(kind, query).compile()


__all__ = ["filtered_ids"]
