"""The access layer's own two tables, kept in the metadata store's database: the policy's
versions (the newest is in force) and the append-only audit log (triggers refuse UPDATE and
DELETE on it, so not even a bug in this package can rewrite history)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from ..metadata.errors import AbortedError, UnimplementedError
from ..metadata.store import MetadataStore

_META = sa.MetaData()

POLICY = sa.Table(
    "dj_access_policy",
    _META,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("set_by", sa.String(255), nullable=False),
    sa.Column("set_at_ms", sa.BigInteger, nullable=False),
)

AUDIT = sa.Table(
    "dj_audit_log",
    _META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at_ms", sa.BigInteger, nullable=False, index=True),
    sa.Column("principal", sa.String(255), nullable=False, index=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("resource_kind", sa.String(32), nullable=False),
    sa.Column("resource_name", sa.String(1024), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
)

_MESSAGE = "the audit log is append-only"
_APPEND_ONLY = {
    "sqlite": [
        f"CREATE TRIGGER IF NOT EXISTS dj_audit_no_{op.lower()} BEFORE {op} ON dj_audit_log "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        for op in ("UPDATE", "DELETE")
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION dj_audit_append_only() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{_MESSAGE}'; END; $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS dj_audit_append_only ON dj_audit_log",
        "CREATE TRIGGER dj_audit_append_only BEFORE UPDATE OR DELETE ON dj_audit_log "
        "FOR EACH ROW EXECUTE FUNCTION dj_audit_append_only()",
    ],
    "mysql": [
        f"CREATE TRIGGER IF NOT EXISTS dj_audit_no_{op.lower()} BEFORE {op} ON dj_audit_log "
        f"FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{_MESSAGE}'"
        for op in ("UPDATE", "DELETE")
    ],
}


@contextmanager
def connection(store: MetadataStore) -> Iterator[Connection]:
    """The store's database connection, in one transaction (joining an enclosing one)."""
    with store.transaction() as conn:
        if not isinstance(conn, Connection):
            raise UnimplementedError(
                f"{store.url}: a remote store's access control and audit log are the server's; "
                "ask the server (datajourney serve) instead"
            )
        yield conn


def _exists(conn: Connection) -> bool:
    return sa.inspect(conn).has_table(AUDIT.name)


def ensure_tables(conn: Connection) -> None:
    """Create the tables and the append-only triggers where missing. A writer that another
    one beat to creating them gets AbortedError: the transaction is to be run again (it then
    finds the tables)."""
    if _exists(conn):
        return
    try:
        _META.create_all(conn, checkfirst=True)
    except DBAPIError as error:
        if "already exists" not in str(error.orig):
            raise
        message = f"another writer created the access tables meanwhile: {error.orig}"
        raise AbortedError(message) from None
    for statement in _APPEND_ONLY.get(conn.dialect.name, []):
        conn.exec_driver_sql(statement)


def now_ms() -> int:
    return int(time.time() * 1000)


def current_policy(conn: Connection) -> tuple[int, dict] | None:
    """(version, document) of the policy in force, or None when none was ever set."""
    if not _exists(conn):
        return None
    row = conn.execute(
        sa.select(POLICY.c.version, POLICY.c.document).order_by(POLICY.c.version.desc()).limit(1)
    ).first()
    if row is None:
        return None
    document = json.loads(row.document)
    return (row.version, document) if document is not None else None


def append_policy(conn: Connection, document: dict | None, principal: str) -> int:
    """Store a new policy version (None: access control off again); its version number."""
    ensure_tables(conn)
    latest = conn.execute(sa.select(sa.func.max(POLICY.c.version))).scalar() or 0
    conn.execute(
        POLICY.insert().values(
            version=latest + 1,
            document=json.dumps(document, sort_keys=True),
            set_by=principal,
            set_at_ms=now_ms(),
        )
    )
    return latest + 1
