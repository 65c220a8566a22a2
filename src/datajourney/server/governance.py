"""Access control in the server: who a request acts as, and what each route asks the policy.

Every request runs as one principal (``datajourney.access.acting_as``): the name given to its
bearer token on a server with tokens; on a server without (bound to 127.0.0.1) the
``X-Datajourney-Principal`` header when the client sends one (the HTTP store sends
``$DATAJOURNEY_PRINCIPAL``), else the server's own principal. Each route then asks
``datajourney.access.check`` before it reads or writes, so the server enforces the same policy
as the library and the CLI, and a denial is HTTP 403 naming principal, action and resource.

What each route asks (see docs/server-api.md, "Access control"):

- the metadata store's records (types, artifacts, executions, contexts, events, lineage, run
  diffs, the overview, snapshots, the wire protocol's reads): ``describe`` on ``METADATA``
  (``context`` ``*``: only a permission naming every context matches);
- their writes ``write``, deletion and garbage collection ``delete``, on ``METADATA``;
- the statistics, schema and anomalies files an artifact points to: ``read_offline`` on
  ``METADATA``;
- feature projects and views: ``describe`` on the ``feature_view`` (a listing keeps what the
  principal may describe); lake entries: ``describe`` on their ``lake_zone``; warehouse
  tables: ``describe`` on the ``warehouse_table`` or its ``warehouse_subject``;
- the policy: reading it ``describe``, changing it ``admin``, on ``policy`` ``policy``; the
  audit log: ``describe`` on ``policy`` ``audit``.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from datajourney import access
from datajourney.access import Action, Resource, ResourceKind
from datajourney.metadata import errors as codes
from datajourney.metadata.http.backend import PRINCIPAL_HEADER
from datajourney.metadata.store import MetadataStore

from . import errors
from .auth import principal_for
from .deps import Principal

METADATA = Resource(ResourceKind.CONTEXT, "*")
POLICY = Resource(ResourceKind.POLICY, "policy")
AUDIT = Resource(ResourceKind.POLICY, "audit")
# Paths anyone may read on a server with tokens (the API description, nothing of the store).
PUBLIC_PATHS = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/api/health"})


def require(
    store: MetadataStore,
    action: Action,
    resources: Resource | Sequence[Resource],
    detail: str = "",
) -> None:
    """Ask the policy whether the request's principal may do ``action`` on the resource (on
    any one of ``resources``); AccessDeniedError (HTTP 403) if not."""
    if isinstance(resources, Resource):
        access.check(store, action, resources, detail=detail)
    else:
        access.check_any(store, action, list(resources), detail=detail)


def may(store: MetadataStore, action: Action, resources: Resource | Sequence[Resource]) -> bool:
    """Whether the request's principal may do ``action`` (nothing audited): for listings."""
    return access.allowed(store, action, resources)


def describe_metadata(store: MetadataStore) -> None:
    """``describe`` on the metadata store's records."""
    require(store, Action.DESCRIBE, METADATA)


class PrincipalMiddleware:
    """Finds each request's principal (refusing a request without a valid token on a server
    with tokens: 401) and runs the rest of the request acting as it."""

    def __init__(self, app: ASGIApp, token_hashes: dict[str, str] | None) -> None:
        self.app = app
        self.token_hashes = token_hashes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if self.token_hashes is None:
            name = headers.get(PRINCIPAL_HEADER)  # None: the server's own principal
        else:
            name = principal_for(headers.get("authorization"), self.token_hashes)
            if name is None and scope["path"] not in PUBLIC_PATHS:
                message = (
                    "the bearer token is not valid for this server"
                    if "authorization" in headers
                    else "this server needs a token: send 'Authorization: Bearer <token>'"
                )
                response = errors.error_response(codes.UNAUTHENTICATED, message)
                await response(scope, receive, send)
                return
        state = scope.setdefault("state", {})
        state["principal"] = Principal(name) if self.token_hashes is not None and name else None
        if name is None:  # access.current_principal() says who, when a check needs it
            await self.app(scope, receive, send)
            return
        with access.acting_as(name):
            await self.app(scope, receive, send)
