"""The access policy and the audit log as JSON-able dicts (the ``/api/access`` resources,
``/api/audit`` and the audit page), each asking the policy first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from datajourney import access
from datajourney.access import Action
from datajourney.access.evaluate import roles_of
from datajourney.metadata.errors import InvalidArgumentError
from datajourney.metadata.store import MetadataStore

from .governance import AUDIT, POLICY, require

AUDIT_LIMIT = 100
MAX_AUDIT_LIMIT = 1000


def whoami(store: MetadataStore) -> dict[str, Any]:
    """Who the request acts as, whether a policy is in force, and the caller's roles in it."""
    who = access.current_principal()
    current = access.policy(store)
    return {
        "principal": who,
        "policy_in_force": current is not None,
        "roles": sorted(roles_of(current, who)) if current is not None else [],
    }


def policy_document(store: MetadataStore) -> dict[str, Any]:
    """``{"policy": ...}``: the policy in force as JSON, or null when access control is off."""
    require(store, Action.DESCRIBE, POLICY)
    current = access.policy(store)
    return {"policy": current.to_json() if current is not None else None}


def set_policy_document(store: MetadataStore, document: dict | None) -> dict[str, Any]:
    """Put ``document`` in force (None: access control off); an admin only."""
    version = access.set_policy(store, document)
    current = access.policy(store)
    return {"version": version, "policy": current.to_json() if current is not None else None}


def _since(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidArgumentError(
            f"since {value!r}: give an ISO time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def audit_entries(
    store: MetadataStore,
    *,
    principal: str | None = None,
    action: str | None = None,
    outcome: str | None = None,
    resource: str | None = None,
    since: str | None = None,
    limit: int = AUDIT_LIMIT,
) -> dict[str, Any]:
    """The audit log, newest first, filtered by principal, action, outcome (allowed / denied),
    resource name and time (``since``, ISO); ``limit`` entries at most."""
    require(store, Action.DESCRIBE, AUDIT)
    if not 1 <= limit <= MAX_AUDIT_LIMIT:
        raise InvalidArgumentError(f"limit {limit}: give 1 to {MAX_AUDIT_LIMIT}")
    if action:
        known = {a.value for a in Action}
        if action not in known:
            raise InvalidArgumentError(f"action {action!r}: choose one of {sorted(known)}")
    found = access.audit_log(
        store,
        principal=principal or None,
        action=action or None,
        outcome=outcome or None,
        resource=resource or None,
        since=_since(since),
        limit=limit,
    )
    return {
        "items": [entry.to_json() for entry in found],
        "filters": {
            "principal": principal or None,
            "action": action or None,
            "outcome": outcome or None,
            "resource": resource or None,
            "since": since or None,
        },
        "limit": limit,
        "actions": [a.value for a in Action],
    }
