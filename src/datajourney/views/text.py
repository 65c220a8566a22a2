"""Terminal rendering of the view tables: aligned plain-text columns, bold headers on a TTY.

No cell is ever cut. On a terminal, rows wider than it wrap inside their columns (the widest
column narrows first; long words fold); piped into a file or another program, each row stays on
one line, whole."""

from __future__ import annotations

import shutil
import sys
import textwrap

from datajourney.views.tables import Table

MIN_COLUMN = 12  # a column is not narrowed below this (or its header's width)


def terminal_width() -> int | None:
    """The terminal's width when standard output is one, else None (no wrapping)."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def render(tables: list[Table], ansi: bool | None = None, width: int | None = -1) -> str:
    """The tables as aligned text (ANSI bold titles and headers when ``ansi``, default: TTY).
    ``width``: wrap cells so that rows fit in it; None: never wrap; default: the terminal's
    width when standard output is a terminal, else None."""
    if ansi is None:
        ansi = sys.stdout.isatty()
    if width == -1:
        width = terminal_width()
    bold = (lambda s: f"\033[1m{s}\033[0m") if ansi else (lambda s: s)
    blocks = []
    for table in tables:
        lines = [bold(table.title)]
        if table.header:
            rows = [list(row) for row in table.rows]
            widths = [
                max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
                for i, h in enumerate(table.header)
            ]
            if width is not None:
                widths = _fitted(widths, [len(h) for h in table.header], width)
            header = "  ".join(h.ljust(w) for h, w in zip(table.header, widths)).rstrip()
            lines.append(bold(header))
            lines.append("  ".join("-" * w for w in widths))
            for row in rows:
                lines += _row_lines(row, widths)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _fitted(widths: list[int], headers: list[int], width: int) -> list[int]:
    """Column widths that fit ``width`` (with two spaces between columns), narrowing the
    widest column first, none below MIN_COLUMN or its header; may still exceed ``width``."""
    widths = list(widths)
    floors = [max(MIN_COLUMN, h) for h in headers]
    while sum(widths) + 2 * (len(widths) - 1) > width:
        widest = max(range(len(widths)), key=lambda i: widths[i] - floors[i])
        if widths[widest] <= floors[widest]:
            break
        excess = sum(widths) + 2 * (len(widths) - 1) - width
        widths[widest] = max(floors[widest], widths[widest] - excess)
    return widths


def _row_lines(row: list[str], widths: list[int]) -> list[str]:
    """One row as one or more lines, each cell wrapped to its column's width."""
    cells = [_wrapped(cell, w) for cell, w in zip(row, widths)]
    height = max((len(c) for c in cells), default=1)
    return [
        "  ".join((c[k] if k < len(c) else "").ljust(w) for c, w in zip(cells, widths)).rstrip()
        for k in range(height)
    ]


def _wrapped(cell: str, width: int) -> list[str]:
    if len(cell) <= width:
        return [cell]
    return textwrap.wrap(cell, width, break_on_hyphens=False) or [cell]
