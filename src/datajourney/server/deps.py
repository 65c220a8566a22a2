"""What every route of the server reads from the request: the store, the caller, write access.

Both routers (the REST API under ``/api`` and the UI pages at the root) use these as FastAPI
dependencies, e.g. ``def page(store: StoreDep)``; they are ``async`` so that FastAPI resolves
them without a trip through its thread pool (each trip costs about as much CPU as a small
store read; a route takes one, for its store calls: see ``datajourney.server.api.reads``):

- ``get_store(request)``: the ``MetadataStore`` the app serves (``app.state.store``).
- ``get_principal(request)``: who is calling (``request.state.principal``): None when the
  server runs without tokens (bound to 127.0.0.1), else the ``Principal`` of the bearer token.
  Every request also runs acting as its principal (``datajourney.access.acting_as``), and the
  data functions ask the access policy through ``datajourney.server.governance``.
- ``require_writable(request)``: raises ``PermissionDeniedError`` (HTTP 403, JSON) when the
  server runs ``--read-only``; every writing route depends on it.

Shorthands for route signatures: ``store: StoreDep``, ``principal: PrincipalDep``.

Errors: raise the metadata store's errors (``datajourney.metadata.errors``) anywhere in a
route; ``errors.install`` turns them into JSON ``{"error": {"code", "status", "message"}}``
with the matching HTTP status (see ``datajourney.server.errors``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from datajourney.metadata.errors import PermissionDeniedError
from datajourney.metadata.store import MetadataStore


@dataclass(frozen=True)
class Principal:
    """Who made a request: the name given to its token (``datajourney serve token new``)."""

    name: str


async def get_store(request: Request) -> MetadataStore:
    """The metadata store this server serves."""
    return request.app.state.store


async def get_principal(request: Request) -> Principal | None:
    """The caller, or None on a server that needs no token."""
    return getattr(request.state, "principal", None)


async def require_writable(request: Request) -> None:
    """Refuse a write on a read-only server (PermissionDeniedError: HTTP 403)."""
    check_writable(request)


def check_writable(request: Request) -> None:
    """``require_writable`` as a plain call, for code outside dependency injection."""
    if request.app.state.read_only:
        raise PermissionDeniedError(
            f"{request.method} {request.url.path}: this server is read-only (--read-only)"
        )


StoreDep = Annotated[MetadataStore, Depends(get_store)]
PrincipalDep = Annotated[Principal | None, Depends(get_principal)]
