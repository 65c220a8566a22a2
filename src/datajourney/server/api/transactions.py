"""Transactions that span several HTTP calls (``with store.transaction():`` on a remote store).

A remote client opens a transaction (``POST /api/store/transactions``), sends its calls with
the header ``X-Datajourney-Transaction: <id>``, and commits or rolls back. The server runs the
whole transaction on one worker thread holding ``store.transaction()`` (a store transaction
belongs to a thread), so the calls commit or fail together, as they do on a local store. A
transaction idle for ``IDLE_SECONDS`` is rolled back.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from datajourney.metadata.errors import AbortedError, InvalidArgumentError, NotFoundError
from datajourney.metadata.store import MetadataStore

log = logging.getLogger("datajourney.server")

IDLE_SECONDS = 60.0
HEADER = "X-Datajourney-Transaction"


class _Rollback(Exception):
    """Raised inside the worker's transaction to roll it back."""


class _Worker:
    """One open transaction: a thread running the calls it is sent inside one transaction."""

    def __init__(self, store: MetadataStore, on_end: Callable[[], None]) -> None:
        self._calls: queue.Queue[tuple[Callable[[], Any] | str, Future]] = queue.Queue()
        self._store = store
        self._on_end = on_end
        self.after_end: list[Callable[[], Any]] = []  # run once the transaction has ended
        self.ready: Future = Future()
        threading.Thread(target=self._run, name="datajourney-transaction", daemon=True).start()

    def _run(self) -> None:
        ended: Future | None = None
        try:
            with self._store.transaction():
                self.ready.set_result(None)
                while True:
                    try:
                        call, done = self._calls.get(timeout=IDLE_SECONDS)
                    except queue.Empty:
                        raise _Rollback() from None
                    if call == "commit":
                        ended = done
                        break
                    if call == "rollback":
                        ended = done
                        raise _Rollback()
                    try:
                        done.set_result(call())
                    except BaseException as error:
                        done.set_exception(error)
        except _Rollback:
            pass
        except BaseException as error:
            if not self.ready.done():
                self.ready.set_exception(error)
            elif ended is not None:
                ended.set_exception(error)
                ended = None
        finally:
            self._on_end()
            for callback in self.after_end:
                try:
                    callback()
                except Exception:  # what comes after must not hide how the transaction ended
                    log.exception("after the end of a remote transaction")
            while not self._calls.empty():  # calls that came after the end
                _, late = self._calls.get_nowait()
                late.set_exception(AbortedError("the transaction ended before this call ran"))
            if ended is not None and not ended.done():
                ended.set_result(None)

    def submit(self, call: Callable[[], Any] | str) -> Any:
        done: Future = Future()
        self._calls.put((call, done))
        return done.result()


class Transactions:
    """The open remote transactions of one server, by id."""

    def __init__(self, store: MetadataStore) -> None:
        self._store = store
        self._open: dict[str, _Worker] = {}
        self._lock = threading.Lock()

    def begin(self) -> str:
        """Open a transaction; its id."""
        tx = secrets.token_hex(16)
        worker = _Worker(self._store, lambda: self._forget(tx))
        with self._lock:
            self._open[tx] = worker
        worker.ready.result()
        return tx

    def _forget(self, tx: str) -> None:
        with self._lock:
            self._open.pop(tx, None)

    def _worker(self, tx: str) -> _Worker:
        with self._lock:
            worker = self._open.get(tx)
        if worker is None:
            raise NotFoundError(f"no open transaction {tx!r} (committed, rolled back or idle)")
        return worker

    def run(self, tx: str, call: Callable[[], Any]) -> Any:
        """Run ``call`` inside transaction ``tx``; its result or its error."""
        return self._worker(tx).submit(call)

    def after_end(self, tx: str, callback: Callable[[], Any]) -> None:
        """Run ``callback`` on the transaction's thread once it has ended (committed or rolled
        back), outside it: what must be kept whatever becomes of the transaction."""
        self._worker(tx).after_end.append(callback)

    def end(self, tx: str, commit: bool) -> None:
        """Commit (or roll back) transaction ``tx``; a failed commit raises its error."""
        self._worker(tx).submit("commit" if commit else "rollback")

    def close_all(self) -> None:
        """Roll back every open transaction (at shutdown)."""
        with self._lock:
            open_ids = list(self._open)
        for tx in open_ids:
            with contextlib.suppress(NotFoundError, AbortedError, InvalidArgumentError):
                self.end(tx, commit=False)
