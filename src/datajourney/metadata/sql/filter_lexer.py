"""The lexer of ML Metadata's filter queries: ZetaSQL tokens (literals with their escapes,
identifiers, keywords, operators) with their positions, for ``filter_query``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from datajourney.metadata.errors import InvalidArgumentError

# Keywords: ZetaSQL reserves more, but those are errors here either way (unknown names).
UNSUPPORTED = (
    "CASE",
    "CAST",
    "EXISTS",
    "ARRAY",
    "STRUCT",
    "IF",
    "INTERVAL",
    "EXTRACT",
    "NEW",
    "SELECT",
    "UNNEST",
)
_RESERVED = frozenset(
    ("AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "LIKE", "BETWEEN", *UNSUPPORTED)
)

_WORD = re.compile(r"[A-Za-z_]\w*", re.ASCII)
_SEGMENT = re.compile(r"\w+", re.ASCII)
_NUMBER = re.compile(
    r"0[xX][0-9A-Fa-f]+|(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+", re.ASCII
)
_STRING_START = re.compile(r"(?:[rR][bB]?|[bB][rR]?)?('''|\"\"\"|'|\")")
_OPS = ("<>", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ",", ".")
_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "?": "?",
    '"': '"',
    "'": "'",
    "`": "`",
}
_ESCAPE = re.compile(
    r"\\(x[0-9A-Fa-f]{0,2}|u[0-9A-Fa-f]{0,4}|U[0-9A-Fa-f]{0,8}|[0-7]{1,3}|.)", re.S
)
_CODE_ESCAPE = re.compile(r"x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{3}")
_SPACE = re.compile(r"(?:\s+|--[^\n]*|#[^\n]*|/\*.*?\*/)*", re.S)
LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass
class Token:
    kind: str  # num, str, ident, kw, op, eof
    value: Any
    pos: int
    end: int
    quoted: bool = False  # a `backquoted` name, or a path starting with one
    path: list[Token] = field(default_factory=list)  # a path's names

    @property
    def text(self) -> str:
        if self.kind == "eof":
            return "end of input"
        kind = {"num": "literal", "str": "string literal", "kw": "keyword", "ident": "identifier"}
        return f'{kind.get(self.kind, "")} "{self.value}"'.strip()


def query_error(query: str, message: str, pos: int) -> InvalidArgumentError:
    line = query.count("\n", 0, pos) + 1
    column = pos - query.rfind("\n", 0, pos)
    return InvalidArgumentError(f"Invalid `filter_query`: {message} [at {line}:{column}]")


def _unescape(query: str, body: str, start: int) -> str:
    def one(m: re.Match) -> str:
        code = m.group(1)
        if code in _ESCAPES:
            return _ESCAPES[code]
        if _CODE_ESCAPE.fullmatch(code):
            value = int(code, 8) if code[0].isdigit() else int(code[1:], 16)
            if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF:
                return chr(value)
        raise query_error(
            query, f"Syntax error: Illegal escape sequence: \\{code}", start + m.start()
        )

    return _ESCAPE.sub(one, body)


def _skip(query: str, i: int) -> int:
    """Skips white space and comments (``--``, ``#``, ``/* */``)."""
    i = _SPACE.match(query, i).end()  # type: ignore[union-attr]
    if query.startswith("/*", i):
        raise query_error(query, "Syntax error: Unclosed comment", i)
    return i


def _string(query: str, i: int, m: re.Match) -> Token:
    prefix, quote = query[i : m.start(1)].lower(), m.group(1)
    j = m.end()
    while not query.startswith(quote, j):
        if j >= len(query) or (len(quote) == 1 and query[j] == "\n"):
            raise query_error(query, "Syntax error: Unclosed string literal", i)
        j += 2 if query[j] == "\\" else 1
    if "b" in prefix:
        raise query_error(query, "BYTES literals are not supported", i)
    body = query[m.end() : j]
    value = body if "r" in prefix else _unescape(query, body, m.end())
    return Token("str", value, i, j + len(quote))


def _ident(query: str, i: int, word: re.Pattern) -> Token | None:
    """A name at ``i``: `backquoted`, or matching ``word``."""
    if not query.startswith("`", i):
        m = word.match(query, i)
        return Token("ident", m.group(), i, m.end()) if m else None
    end = query.find("`", i + 1)
    if end < 0:
        raise query_error(query, "Syntax error: Unclosed identifier literal", i)
    name = query[i + 1 : end]
    if not name:
        raise query_error(query, "Syntax error: Invalid empty identifier", i)
    if any(c in name for c in '\\"\n'):
        raise query_error(
            query,
            "Quoted names with a backslash, a double quote or a line break are not supported",
            i,
        )
    return Token("ident", name, i, end + 1, quoted=True)


def tokenize(query: str) -> list[Token]:
    toks: list[Token] = []
    i = 0
    while (i := _skip(query, i)) < len(query):
        word = _WORD.match(query, i)
        if m := _STRING_START.match(query, i):
            toks.append(_string(query, i, m))
        elif word and word.group().upper() in _RESERVED:
            toks.append(Token("kw", word.group().upper(), i, word.end()))
        elif head := _ident(query, i, _WORD):  # a path: name.name...; after a dot, digits too
            path = [head]
            while query.startswith(".", path[-1].end) and (
                nxt := _ident(query, path[-1].end + 1, _SEGMENT)
            ):
                path.append(nxt)
            end = path[-1].end
            toks.append(Token("ident", query[i:end], i, end, head.quoted, path))
        elif m := _NUMBER.match(query, i):
            raw, end = m.group(), m.end()
            if end < len(query) and (query[end].isalnum() or query[end] == "_"):
                raise query_error(
                    query, "Syntax error: Missing whitespace between literal and alias", end
                )
            value = (
                int(raw, 16)
                if raw[:2] in ("0x", "0X")
                else int(raw)
                if raw.isdigit()
                else float(raw)
            )
            toks.append(Token("num", value, i, end))
        else:
            op = next((o for o in _OPS if query.startswith(o, i)), None)
            if op is None:
                raise query_error(query, f'Syntax error: Illegal input character "{query[i]}"', i)
            toks.append(Token("op", op, i, i + len(op)))
        i = toks[-1].end
    toks.append(Token("eof", None, len(query), len(query)))
    return toks
