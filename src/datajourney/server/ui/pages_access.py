"""The audit page: every write and every denied access, newest first, with filters
(``datajourney.server.data_access``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from datajourney.server import data_access
from datajourney.server.deps import StoreDep

from .render import page

router = APIRouter()


@page(router, "/audit", "audit.html", "Audit log")
def audit(
    request: Request,
    store: StoreDep,
    principal: str | None = Query(None, description="only this principal's entries"),
    action: str | None = Query(None, description="describe, write, delete, admin..."),
    outcome: str | None = Query(None, description="allowed or denied"),
    resource: str | None = Query(None, description="a resource name"),
    since: str | None = Query(None, description="ISO time"),
    limit: int = Query(data_access.AUDIT_LIMIT, description="entries at most"),
) -> dict[str, Any]:
    """The audit log, filtered."""
    return data_access.audit_entries(
        store,
        principal=principal,
        action=action,
        outcome=outcome,
        resource=resource,
        since=since,
        limit=limit,
    )
