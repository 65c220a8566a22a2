"""Database errors that mean "a concurrent transaction got in the way": the transaction was
rolled back as a whole, and running the same call again is safe and likely to succeed."""

from __future__ import annotations

import random
import sqlite3

from sqlalchemy.exc import DBAPIError

ATTEMPTS = 20  # a call that conflicts 20 times in a row under a 0.5 s jittered wait is stuck
_FIRST_WAIT_S = 0.005
_LONGEST_WAIT_S = 0.5

_PG_STATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected
# ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, ER_CHECKREAD (MariaDB: record changed since read)
_MYSQL_CODES = {1213, 1205, 1020}
_SQLITE_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def is_conflict(error: DBAPIError) -> bool:
    """True for a deadlock, a serialization failure, a busy SQLite file or a dropped
    connection (the pool reconnects on the next attempt)."""
    if error.connection_invalidated:
        return True
    orig = error.orig
    if getattr(orig, "sqlstate", None) in _PG_STATES:
        return True
    if isinstance(orig, sqlite3.Error):
        return (getattr(orig, "sqlite_errorcode", 0) & 0xFF) in _SQLITE_CODES
    args = getattr(orig, "args", ())
    return bool(args) and args[0] in _MYSQL_CODES


def backoff(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1``: exponential, jittered."""
    return random.uniform(0, min(_LONGEST_WAIT_S, _FIRST_WAIT_S * 2**attempt))
