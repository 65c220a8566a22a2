"""Terminal rendering of the view tables: aligned plain-text columns, bold headers on a TTY."""

from __future__ import annotations

import sys

from datajourney.views.tables import Table

MAX_CELL = 60


def _cell(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def render(tables: list[Table], ansi: bool | None = None) -> str:
    """The tables as aligned text (ANSI bold titles and headers when ``ansi``, default: TTY)."""
    if ansi is None:
        ansi = sys.stdout.isatty()
    bold = (lambda s: f"\033[1m{s}\033[0m") if ansi else (lambda s: s)
    blocks = []
    for table in tables:
        lines = [bold(table.title)]
        if table.header:
            rows = [[_cell(c) for c in row] for row in table.rows]
            widths = [
                max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
                for i, h in enumerate(table.header)
            ]
            lines.append(bold("  ".join(h.ljust(w) for h, w in zip(table.header, widths))))
            lines.append("  ".join("-" * w for w in widths))
            lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
