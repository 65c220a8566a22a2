"""The erasure layer's own tables, kept in the metadata store's database: its configuration,
the subject index (which data set holds which keyed hash), and the persisted erasures with the
status of each step. No raw subject key is ever written to them."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from ..metadata.errors import UnimplementedError
from ..metadata.store import MetadataStore

_META = sa.MetaData()

CONFIG = sa.Table(
    "dj_erasure_config",
    _META,
    sa.Column("name", sa.String(255), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

SCANNED = sa.Table(
    "dj_subject_scan",
    _META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dataset", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("fingerprint", sa.String(255), nullable=False),
    sa.Column("columns", sa.Text, nullable=False),
    sa.Column("rows", sa.BigInteger, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("scanned_at_ms", sa.BigInteger, nullable=False),
)

#: The keyed hashes each scanned file holds: the first 16 hex digits (64 bits) of the
#: HMAC-SHA256, enough to find a subject's files (a rare extra file is only read in vain).
HASH_CHARS = 16
INDEX = sa.Table(
    "dj_subject_index",
    _META,
    sa.Column("scan_id", sa.Integer, nullable=False, index=True),
    sa.Column("subject_hash", sa.String(HASH_CHARS), nullable=False, index=True),
)

ERASURE = sa.Table(
    "dj_erasure",
    _META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subject_hash", sa.String(64), nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("requested_by", sa.String(255), nullable=False),
    sa.Column("created_at_ms", sa.BigInteger, nullable=False),
    sa.Column("finished_at_ms", sa.BigInteger),
    sa.Column("receipt_id", sa.Integer),
    sa.Column("plan", sa.Text, nullable=False),
)

STEP = sa.Table(
    "dj_erasure_step",
    _META,
    sa.Column("erasure_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("done_at_ms", sa.BigInteger),
)

#: Which process carries an erasure out now (one at a time): its host, pid and start time.
LOCK = sa.Table(
    "dj_erasure_lock",
    _META,
    sa.Column("erasure_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("holder", sa.Text, nullable=False),
    sa.Column("since_ms", sa.BigInteger, nullable=False),
)


@contextmanager
def connection(store: MetadataStore, create: bool = True) -> Iterator[Connection]:
    """The store's database connection, in one transaction, with the tables created (unless
    ``create`` is false)."""
    with store.transaction() as conn:
        if not isinstance(conn, Connection):
            raise UnimplementedError(
                f"{store.url}: erasure runs next to the database, not through a remote store; "
                "open the database itself (sqlite:///..., postgresql://..., mysql://...)"
            )
        if create and not sa.inspect(conn).has_table(LOCK.name):
            _META.create_all(conn, checkfirst=True)
        yield conn


@contextmanager
def reading(store: MetadataStore) -> Iterator[Connection | None]:
    """The store's database connection for reading only, in one transaction; None when the
    erasure tables do not exist yet (nothing is created: the store may be read-only)."""
    with connection(store, create=False) as conn:
        yield conn if sa.inspect(conn).has_table(STEP.name) else None


def now_ms() -> int:
    return int(time.time() * 1000)


def get_config(conn: Connection) -> dict[str, Any]:
    """The stored configuration (name -> JSON value)."""
    return {row.name: json.loads(row.value) for row in conn.execute(sa.select(CONFIG))}


def set_config(conn: Connection, values: dict[str, Any]) -> None:
    """Store configuration values (replacing those with the same names)."""
    for name, value in values.items():
        conn.execute(CONFIG.delete().where(CONFIG.c.name == name))
        conn.execute(CONFIG.insert().values(name=name, value=json.dumps(value, sort_keys=True)))
