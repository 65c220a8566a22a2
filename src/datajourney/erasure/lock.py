"""One process at a time carries an erasure out: a row of ``dj_erasure_lock`` in the store's
database names it (host, pid, start time) while it works. Another process asking for the same
erasure is refused, naming the holder; a holder gone from this host (killed) frees it."""

from __future__ import annotations

import datetime
import json

import sqlalchemy as sa
from sqlalchemy import Connection

from ..metadata.errors import AlreadyExistsError, FailedPreconditionError
from ..metadata.liveness import process_gone, process_record
from ..metadata.model import Execution, ExecutionState
from ..metadata.store import MetadataStore
from . import tables


class ErasureBusyError(FailedPreconditionError):
    """Another process is carrying the erasure out now."""


def _refusal(erasure_id: int, holder: dict, since_ms: int) -> ErasureBusyError:
    since = datetime.datetime.fromtimestamp(since_ms / 1000, datetime.UTC)
    return ErasureBusyError(
        f"erasure {erasure_id} is being carried out by process {holder.get('pid')} on "
        f"{holder.get('host')} since {since:%Y-%m-%d %H:%M:%S} UTC; resume it once that process "
        "has ended (if it was killed on another host, delete its row of dj_erasure_lock)"
    )


def claim(conn: Connection, erasure_id: int) -> None:
    """Hold ``erasure_id`` for this process (in the caller's transaction), or raise
    ErasureBusyError; a holder gone from this host is replaced."""
    lock = tables.LOCK
    row = conn.execute(sa.select(lock).where(lock.c.erasure_id == erasure_id)).first()
    if row is not None:
        holder = json.loads(row.holder)
        running = Execution(last_known_state=ExecutionState.RUNNING, custom_properties=holder)
        if not process_gone(running):
            raise _refusal(erasure_id, holder, row.since_ms)
        conn.execute(lock.delete().where(lock.c.erasure_id == erasure_id))
    conn.execute(
        lock.insert().values(
            erasure_id=erasure_id,
            holder=json.dumps(process_record(), sort_keys=True),
            since_ms=tables.now_ms(),
        )
    )


def claimed(store: MetadataStore, erasure_id: int) -> None:
    """``claim`` in a transaction of its own; a process claiming at the same moment is refused
    by the database (the row's key), with the same error."""
    try:
        with tables.connection(store) as conn:
            claim(conn, erasure_id)
    except AlreadyExistsError:
        with tables.connection(store) as conn:
            row = conn.execute(
                sa.select(tables.LOCK).where(tables.LOCK.c.erasure_id == erasure_id)
            ).first()
        if row is None:
            raise
        raise _refusal(erasure_id, json.loads(row.holder), row.since_ms) from None


def release(store: MetadataStore, erasure_id: int) -> None:
    """Let go of ``erasure_id`` (held by this process)."""
    with tables.connection(store) as conn:
        conn.execute(
            tables.LOCK.delete().where(
                tables.LOCK.c.erasure_id == erasure_id,
                tables.LOCK.c.holder == json.dumps(process_record(), sort_keys=True),
            )
        )
