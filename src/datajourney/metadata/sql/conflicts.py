"""Database errors that mean "a concurrent transaction got in the way": the transaction was
rolled back as a whole, and running the same call again is safe and likely to succeed."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from ..errors import AbortedError
from .engine import SQLITE_BUSY_TIMEOUT_MS

T = TypeVar("T")
#: How long a call that concurrent transactions keep aborting is run again: as long as a SQLite
#: writer waits for the lock. Under load, several writers at SERIALIZABLE isolation can abort
#: one call 20 times in a row, and it still gets through later.
PATIENCE_S = SQLITE_BUSY_TIMEOUT_MS / 1000
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


def rerun(work: Callable[[], T], attempts: int | None = None) -> T:
    """``work()``, run again after a short random wait each time a concurrent transaction
    aborts it (AbortedError): ``attempts`` times in all, or when None, for ``PATIENCE_S``."""
    deadline = time.monotonic() + PATIENCE_S
    attempt = 0
    while True:
        try:
            return work()
        except AbortedError:
            attempt += 1
            if attempt == attempts or (attempts is None and time.monotonic() > deadline):
                raise
        time.sleep(backoff(attempt - 1))
