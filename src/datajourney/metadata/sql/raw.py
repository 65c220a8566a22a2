"""Plain SQL on the transaction's driver connection, for the store's hot paths.

A store call that touches a handful of rows spends most of its time building and compiling
SQLAlchemy statements (~100 us each); the same statement as a SQL string on the driver's cursor
costs ~5 us. The hot paths (node, type and event reads and writes by id) therefore use SQL
strings written with ``?`` placeholders, rewritten to ``%s`` for drivers that use that style.
Table and column names are ML Metadata's, unquoted: the same text runs on every backend.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

CHUNK = 10_000  # values per IN (...) list, well under every backend's parameter limit
LITERAL_IDS_FROM = 64  # PostgreSQL: longer id lists are written as literals (Raw.id_chunks)
PARAMETER_LIMIT = 999  # parameters per statement in SQLite before 3.32; others allow more
COPY_FROM = 64  # PostgreSQL: more rows than this are sent by COPY rather than INSERT


def chunks(values: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    """``values`` in slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


@lru_cache(maxsize=1024)
def _format_style(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


def marks(count: int) -> str:
    """``?, ?, ...`` for an IN list or a VALUES row of ``count`` values."""
    return ", ".join("?" * count)


# Keys in a driver connection's ``info``: its cursor, and on PostgreSQL, while writes are
# batched, the statements held back.
_CURSOR = "datajourney.cursor"
_PENDING = "datajourney.pending_writes"


def draw_ids_query(table: str, count: int) -> tuple[str, tuple]:
    """PostgreSQL: the query drawing ``count`` ids from the sequence of ``table``'s id."""
    return (
        "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)",
        (table.lower(), count),
    )


class Raw:
    """The driver cursor of one SQLAlchemy connection (inside its transaction).

    The cursor is made once per driver connection and kept in its ``info``: making one costs
    more than running a small statement. Driver errors come out as SQLAlchemy's
    (IntegrityError, OperationalError, ...), like those of statements run through SQLAlchemy.
    """

    __slots__ = ("_cursor", "_dialect", "_error", "_info", "_qmark")

    def __init__(self, conn: Connection) -> None:
        self._info = conn.info
        cursor = self._info.get(_CURSOR)
        if cursor is None:
            cursor = self._info[_CURSOR] = conn.connection.dbapi_connection.cursor()
        self._cursor = cursor
        self._qmark = conn.dialect.paramstyle == "qmark"
        self._dialect = conn.dialect.name
        self._error = conn.dialect.loaded_dbapi.Error

    @contextmanager
    def _driver_errors(self, sql: str, params) -> Iterator[None]:
        try:
            yield
        except self._error as error:
            raise DBAPIError.instance(sql, params, error, self._error) from error

    def _execute(self, sql: str, params, many: bool = False) -> None:
        if not self._qmark:
            sql = _format_style(sql)
        try:  # (not _driver_errors: this is the hot path, and a with-block costs 5 us)
            if many:
                self._cursor.executemany(sql, params)
            else:
                self._cursor.execute(sql, params)
        except self._error as error:
            raise DBAPIError.instance(sql, params, error, self._error) from error

    def _write(self, sql: str, params, many: bool = False) -> None:
        """Run a statement that returns nothing, or hold it back while writes are batched."""
        pending = self._info.get(_PENDING)
        if pending is None:
            self._execute(sql, params, many)
        else:
            pending.extend((sql, p) for p in (params if many else [params]))

    def _flush(self, commit: bool = False) -> None:
        """Send the writes held back so far in one round trip (pipeline mode: each is still
        its own statement, prepared once the driver has seen it a few times); with
        ``commit``, the COMMIT goes with them (SQLAlchemy's commit then finds no transaction
        left to end). After an error the transaction is left for the caller to roll back."""
        pending = self._info.get(_PENDING)
        if not pending and not commit:  # every read passes here: return at once
            return
        connection = self._cursor.connection
        if commit and connection.info.transaction_status.name == "IDLE":
            commit = False  # nothing was sent: there is no transaction to end
            if not pending:
                return
        writes = list(pending)
        pending.clear()
        first = writes[0] if writes else ("COMMIT", None)
        with self._driver_errors(*first), connection.pipeline():
            for sql, params in writes:
                self._cursor.execute(_format_style(sql), params)
            if commit:
                connection.commit()

    @contextmanager
    def batched_writes(self) -> Iterator[None]:
        """PostgreSQL: the writes inside are held back and sent together when a read needs
        them, or at the end with the COMMIT of the transaction; on an error they are dropped
        (the caller rolls back). Only ``Raw`` statements may run inside: SQLAlchemy's would
        overtake the held-back writes."""
        if self._dialect != "postgresql" or _PENDING in self._info:
            yield
            return
        self._info[_PENDING] = []
        try:
            yield
            self._flush(commit=True)
        finally:  # (a connection that was lost and renewed has a new, empty info)
            self._info.pop(_PENDING, None)

    def rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Every row of a query, as plain tuples."""
        self._flush()
        params = tuple(params)
        self._execute(sql, params)
        return list(self._cursor.fetchall())

    def rows_together(self, queries: Sequence[tuple[str, Sequence]]) -> list[list[tuple]]:
        """The rows of each of several independent queries. PostgreSQL receives them all in
        one round trip (pipeline mode, a cursor each), along with the BEGIN of a transaction
        not yet started; other backends run them in turn."""
        if self._dialect != "postgresql" or not queries:
            return [self.rows(sql, params) for sql, params in queries]
        self._flush()
        connection = self._cursor.connection
        with self._driver_errors(queries[0][0], queries[0][1]), connection.pipeline():
            cursors = []
            for sql, params in queries:
                cursor = connection.cursor()
                cursor.execute(_format_style(sql), tuple(params))
                cursors.append(cursor)
            return [list(cursor.fetchall()) for cursor in cursors]

    def run(self, sql: str, params: Sequence = ()) -> None:
        """Run one statement that returns nothing (held back while writes are batched)."""
        self._write(sql, tuple(params))

    def insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Sequence[Sequence],
        skip_duplicates: bool = False,
    ) -> int | None:
        """Insert rows, many to a statement: each statement opens a cursor on the table and
        on every index, which costs more than the row itself when rows go one at a time.
        ``skip_duplicates``: a row that a unique key already holds is left out.
        Returns the id of the last row on SQLite (None on other backends, or for no rows)."""
        if not rows:
            return None
        if self._dialect == "postgresql" and len(rows) > COPY_FROM and not skip_duplicates:
            self._flush()
            self._copy_in(table, columns, rows)
            return None
        per = max(1, PARAMETER_LIMIT // len(columns))
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        row = f"({marks(len(columns))})"
        tail = ""
        if skip_duplicates:
            tail = (
                f" ON DUPLICATE KEY UPDATE {columns[0]} = {columns[0]}"
                if self._dialect == "mysql"
                else " ON CONFLICT DO NOTHING"
            )
        last = (len(rows) - 1) // per * per  # where the final statement's rows start
        if last:
            batches = [list(chain.from_iterable(rows[i : i + per])) for i in range(0, last, per)]
            self._write(head + ", ".join([row] * per) + tail, batches, many=True)
        rest = rows[last:]
        self._write(head + ", ".join([row] * len(rest)) + tail, list(chain.from_iterable(rest)))
        return self._cursor.lastrowid if self._qmark else None

    def draw_ids(self, table: str, count: int) -> list[int]:
        """PostgreSQL: ``count`` new ids from the sequence of ``table``'s id column."""
        return sorted(i for (i,) in self.rows(*draw_ids_query(table, count)))

    def _copy_in(self, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
        """PostgreSQL's COPY: rows stream in with no statement text to parse per value."""
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self._driver_errors(sql, None), self._cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def id_chunks(self, ids: Sequence[int]) -> Iterator[tuple[str, tuple[int, ...]]]:
        """The inside of an ``IN (...)`` over each chunk of ``ids``, and its parameters. On
        PostgreSQL a long list is written out as literal ints (which cannot inject anything):
        it reads 4,000 literal ids in a quarter of the time it takes to bind 4,000 parameters.
        Elsewhere, and for short lists, whose statements then repeat, ids stay parameters."""
        for part in chunks(ids):
            if self._dialect == "postgresql" and len(part) > LITERAL_IDS_FROM:
                yield ", ".join(map(str, map(int, part))), ()
            else:
                yield marks(len(part)), tuple(part)
