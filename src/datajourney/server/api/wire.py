"""The wire protocol of the HTTP store backend: one POST per backend operation.

``POST /api/store/{operation}`` with ``{"args": [...]}`` (``datajourney.metadata.http.codec``)
runs ``store.backend.<operation>(*args)`` and answers ``{"result": ...}``; a call carrying the
header ``X-Datajourney-Transaction`` runs inside that open transaction. Errors are the store's,
as JSON (the client raises the same class). A read-only server refuses the writing operations.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Request
from fastapi.responses import Response

from datajourney.metadata.errors import InvalidArgumentError
from datajourney.metadata.http import codec
from datajourney.metadata.http.backend import READS, TRANSACTION_HEADER, WRITES

from ..deps import StoreDep, require_writable

router = APIRouter(prefix="/store", tags=["store wire protocol"])

Operation = Enum("Operation", {name: name for name in sorted(READS | WRITES)}, type=str)

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


@router.post("/transactions", summary="Open a transaction")
def begin(request: Request) -> dict:
    """Open a transaction; send calls with its id in ``X-Datajourney-Transaction``, then commit
    or roll back. Rolled back after 60 s without a call."""
    return {"transaction": request.app.state.transactions.begin()}


@router.post("/transactions/{tx}/commit", summary="Commit a transaction")
def commit(tx: str, request: Request) -> dict:
    """Commit the transaction's calls together (or raise the error that stopped it)."""
    request.app.state.transactions.end(tx, commit=True)
    return {"transaction": tx, "committed": True}


@router.post("/transactions/{tx}/rollback", summary="Roll back a transaction")
def rollback(tx: str, request: Request) -> dict:
    """Undo the transaction's calls."""
    request.app.state.transactions.end(tx, commit=False)
    return {"transaction": tx, "committed": False}


@router.post(
    "/{operation}",
    summary="Run one store backend operation",
    response_class=JsonResponse,
)
def call(
    operation: Operation,
    request: Request,
    body: Annotated[dict, Body(examples=[_ARGS_EXAMPLE])],
    store: StoreDep,
    transaction: Annotated[str | None, Header(alias=TRANSACTION_HEADER)] = None,
) -> JsonResponse:
    """``store.backend.<operation>(*args)``; the operations are those of
    ``datajourney.metadata.backend.StoreBackend``."""
    name = operation.value
    if name in WRITES:
        require_writable(request)
    args = _arguments(body)
    method = getattr(store.backend, name)

    def run() -> Any:
        try:
            return method(*args)
        except (TypeError, AttributeError, ValueError, KeyError) as error:
            # The HTTP backend sends well-typed arguments; these come of hand-made ones.
            raise InvalidArgumentError(
                f"{name}: arguments not as the operation takes: {error}"
            ) from None

    result = request.app.state.transactions.run(transaction, run) if transaction else run()
    return JsonResponse({"result": codec.encode(result)})
