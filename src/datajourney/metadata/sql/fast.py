"""Driver-level fast paths for bulk work: executemany inserts and plain-tuple fetches.

SQLAlchemy builds the statements; these helpers skip its per-row objects where a store call
moves hundreds of thousands of rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Select, Table


def raw_insert(conn: Connection, table: Table, columns: Sequence[str]) -> str:
    """A driver-level INSERT for executemany with positional rows."""
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(quote(c) for c in columns)
    return f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join([mark] * len(columns))})"


def fetch_tuples(conn: Connection, query: Select) -> list[tuple]:
    """All rows of a SELECT as the driver's plain tuples (no per-row result objects).

    Values come back as the driver gives them, without SQLAlchemy's type processing.
    """
    result = conn.execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()
