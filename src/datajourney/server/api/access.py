"""Access control over the API: who am I, the policy (read, set, turn off), the audit log."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query

from .. import data_access
from ..deps import StoreDep, require_writable

router = APIRouter(tags=["access"])


class Outcome(str, Enum):
    allowed = "allowed"
    denied = "denied"


class ActionName(str, Enum):
    describe = "describe"
    read_offline = "read_offline"
    read_online = "read_online"
    write = "write"
    delete = "delete"
    admin = "admin"


@router.get("/access/me")
def whoami(store: StoreDep) -> dict[str, Any]:
    """Who this request acts as, whether a policy is in force, and the caller's roles."""
    return data_access.whoami(store)


@router.get("/access/policy")
def get_policy(store: StoreDep) -> dict[str, Any]:
    """The policy in force (``{"policy": null}`` when access control is off); needs
    ``describe`` on ``policy`` ``policy``."""
    return data_access.policy_document(store)


@router.put("/access/policy", dependencies=[Depends(require_writable)])
def put_policy(
    store: StoreDep,
    policy: Annotated[
        dict[str, Any],
        Body(
            examples=[
                {
                    "roles": {"reader": [{"actions": ["describe"]}]},
                    "bindings": {"alice": ["admin"], "bob": ["reader"]},
                }
            ]
        ),
    ],
) -> dict[str, Any]:
    """Put a policy in force (roles, groups, bindings: see docs/governance.md); an admin only
    once a policy is set. Answers its version number and the policy."""
    return data_access.set_policy_document(store, policy)


@router.delete("/access/policy", dependencies=[Depends(require_writable)])
def delete_policy(store: StoreDep) -> dict[str, Any]:
    """Turn access control off (an admin only)."""
    return data_access.set_policy_document(store, None)


@router.get("/audit")
def audit(
    store: StoreDep,
    principal: str | None = None,
    action: ActionName | None = None,
    outcome: Outcome | None = None,
    resource: Annotated[str | None, Query(description="A resource name")] = None,
    since: Annotated[str | None, Query(description="ISO time, e.g. 2026-01-31")] = None,
    limit: Annotated[int, Query(ge=1, le=data_access.MAX_AUDIT_LIMIT)] = data_access.AUDIT_LIMIT,
) -> dict[str, Any]:
    """The audit log (every write and every denied access), newest first, filtered; needs
    ``describe`` on ``policy`` ``audit``."""
    return data_access.audit_entries(
        store,
        principal=principal,
        action=action.value if action else None,
        outcome=outcome.value if outcome else None,
        resource=resource,
        since=since,
        limit=limit,
    )
