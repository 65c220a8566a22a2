"""The wire protocol of the HTTP store backend: one POST per backend operation.

``POST /api/store/{operation}`` with ``{"args": [...]}`` (``datajourney.metadata.http.codec``)
runs ``store.backend.<operation>(*args)`` and answers ``{"result": ...}``; a call carrying the
header ``X-Datajourney-Transaction`` runs inside that open transaction. Errors are the store's,
as JSON (the client raises the same class). A read-only server refuses the writing operations.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from datajourney import access
from datajourney.access import AccessDeniedError, Action
from datajourney.access import audit as audit_log
from datajourney.metadata.errors import FailedPreconditionError, InvalidArgumentError
from datajourney.metadata.http import codec
from datajourney.metadata.http.backend import QUERIES, READS, TRANSACTION_HEADER, WRITES

from .. import store_queries
from ..deps import StoreDep, check_writable
from ..governance import METADATA

router = APIRouter(prefix="/store", tags=["store wire protocol"])

TRANSACTION_THREADS = 64  # remote transactions waited on at once
_TRANSACTION_LIMITER: anyio.CapacityLimiter | None = None

Operation = Enum("Operation", {name: name for name in sorted(READS | WRITES | QUERIES)}, type=str)

_ARGS_EXAMPLE = {"args": [{"$": "NodeKind", "v": 1}, {"$": "NodeQuery", "limit": 10}]}


class JsonResponse(Response):
    """JSON that keeps NaN and infinite doubles (property values may be), as Python's json."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, separators=(",", ":")).encode()


def _arguments(body: Any) -> list:
    if not isinstance(body, dict) or not isinstance(body.get("args", []), list):
        raise InvalidArgumentError('the body must be {"args": [...]}')
    return codec.decode(body.get("args", []))


async def _in_transaction_thread(function: Callable[..., Any], *args: Any) -> Any:
    """Wait for a transaction's worker without taking one of the store threads: a commit must
    get through while plain calls wait for the lock that its transaction holds."""
    global _TRANSACTION_LIMITER
    if _TRANSACTION_LIMITER is None:
        _TRANSACTION_LIMITER = anyio.CapacityLimiter(TRANSACTION_THREADS)
    return await anyio.to_thread.run_sync(function, *args, limiter=_TRANSACTION_LIMITER)


@router.post("/transactions", summary="Open a transaction")
async def begin(request: Request) -> dict:
    """Open a transaction; send calls with its id in ``X-Datajourney-Transaction``, then commit
    or roll back. Rolled back after 60 s without a call."""
    return {"transaction": await _in_transaction_thread(request.app.state.transactions.begin)}


@router.post("/transactions/{tx}/commit", summary="Commit a transaction")
async def commit(tx: str, request: Request) -> dict:
    """Commit the transaction's calls together (or raise the error that stopped it)."""
    await _in_transaction_thread(request.app.state.transactions.end, tx, True)
    return {"transaction": tx, "committed": True}


@router.post("/transactions/{tx}/rollback", summary="Roll back a transaction")
async def rollback(tx: str, request: Request) -> dict:
    """Undo the transaction's calls."""
    await _in_transaction_thread(request.app.state.transactions.end, tx, False)
    return {"transaction": tx, "committed": False}


def _query(store, name: str) -> Callable[..., Any]:
    """The server-side SQL query behind a QUERIES operation."""
    if name == "counts_by_type":
        return lambda kind: store_queries.counts_by_type(store, kind)

    def subgraph(options: dict) -> Any:
        if not isinstance(options, dict):
            raise InvalidArgumentError("lineage_subgraph takes one object of options")
        return store_queries.subgraph(store, **options)

    return subgraph


_BODY_SCHEMA = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"args": {"type": "array", "items": {}}},
                "required": ["args"],
            },
            "example": _ARGS_EXAMPLE,
        }
    },
    "required": True,
}


@router.post(
    "/{operation}",
    summary="Run one store backend operation",
    response_class=JsonResponse,
    openapi_extra={"requestBody": _BODY_SCHEMA},
)
async def call(
    operation: Operation,
    request: Request,
    store: StoreDep,
    transaction: Annotated[str | None, Header(alias=TRANSACTION_HEADER)] = None,
) -> JsonResponse:
    """``store.backend.<operation>(*args)``; the operations are those of
    ``datajourney.metadata.backend.StoreBackend``."""
    name = operation.value
    if name in WRITES:
        check_writable(request)
    try:
        body = json.loads(await request.body())
    except ValueError:  # not JSON, or not UTF-8
        raise InvalidArgumentError('the body must be JSON: {"args": [...]}') from None
    args = _arguments(body)
    method = _query(store, name) if name in QUERIES else getattr(store.backend, name)

    action = _ACTIONS.get(name, Action.DESCRIBE)
    context = contextvars.copy_context()  # who the request acts as, for the transaction's thread
    detail = f"store.{name}" if action is not Action.DESCRIBE else ""

    def run() -> bytes:
        try:
            result = method(*args)
        except (TypeError, AttributeError, ValueError, KeyError) as error:
            # The HTTP backend sends well-typed arguments; these come of hand-made ones.
            raise InvalidArgumentError(
                f"{name}: arguments not as the operation takes: {error}"
            ) from None
        return codec.encode(result)

    transactions = request.app.state.transactions

    def checked() -> bytes:
        access.check(store, action, METADATA, detail=detail)
        return run()

    def in_transaction() -> bytes:
        # Decided inside the transaction; an allowed write's audit entry commits with it, a
        # denial's is written once the transaction has ended (the client rolls it back).
        if not access.allowed(store, action, METADATA):
            who = access.current_principal()
            transactions.after_end(transaction, lambda: _record_denial(store, who, action))
            raise AccessDeniedError(who, action, METADATA)
        if action is not Action.DESCRIBE:
            who = access.current_principal()
            audit_log.record(store, who, action, METADATA, audit_log.ALLOWED, detail)
        return run()

    if transaction:
        encoded = await _in_transaction_thread(
            transactions.run, transaction, lambda: context.run(in_transaction)
        )
    else:
        encoded = await run_in_threadpool(checked)
    return JsonResponse({"result": encoded})


# What each operation asks of the access policy (on the metadata store's records).
_ACTIONS = {name: Action.WRITE for name in WRITES} | {
    "delete": Action.DELETE,
    "collect_garbage": Action.DELETE,
}


def _record_denial(store, who: str, action: Action) -> None:
    with contextlib.suppress(FailedPreconditionError):  # a read-only store keeps no log
        audit_log.record(store, who, action, METADATA, audit_log.DENIED, "in a transaction")
