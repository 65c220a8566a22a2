"""The one check every storage layer calls before it reads or writes a governed resource.

With no policy set, everything is allowed (writes are still audited); once a policy is set,
what no permission of the principal's roles allows is denied, audited, and raised as
``AccessDeniedError`` before anything changes.
"""

from __future__ import annotations

import contextvars
import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager

from ..metadata.errors import FailedPreconditionError, PermissionDeniedError
from ..metadata.store import MetadataStore
from . import audit, tables
from .evaluate import granting_role
from .model import ADMIN_ROLE, Action, Policy, Resource, ResourceKind, policy_from_json

_ACTING_AS: contextvars.ContextVar[str | None] = contextvars.ContextVar("principal", default=None)
_AUDITED = frozenset({Action.WRITE, Action.DELETE, Action.ADMIN})
POLICY_RESOURCE = Resource(ResourceKind.POLICY, "policy")


class AccessDeniedError(PermissionDeniedError):
    """``principal`` may not do ``action`` to ``resource``."""

    def __init__(self, principal: str, action: Action, resource: Resource) -> None:
        super().__init__(
            f"access denied: {principal!r} may not {action.value} {resource} "
            "(no role of theirs allows it)"
        )
        self.principal = principal
        self.action = action
        self.resource = resource


def current_principal() -> str:
    """Who is acting: set by ``acting_as``, else $DATAJOURNEY_PRINCIPAL, else the login name."""
    return _ACTING_AS.get() or os.environ.get("DATAJOURNEY_PRINCIPAL") or getpass.getuser()


@contextmanager
def acting_as(principal: str) -> Iterator[None]:
    """Run the block as ``principal`` (a server does this per request)."""
    token = _ACTING_AS.set(principal)
    try:
        yield
    finally:
        _ACTING_AS.reset(token)


def policy(store: MetadataStore) -> Policy | None:
    """The policy in force, or None when access control is off."""
    with tables.connection(store) as conn:
        current = tables.current_policy(conn)
    return None if current is None else policy_from_json(current[1])


def check(
    store: MetadataStore,
    action: Action,
    resource: Resource,
    principal: str | None = None,
    detail: str = "",
) -> None:
    """Allow ``action`` on ``resource`` for ``principal`` (default: ``current_principal()``)
    or raise AccessDeniedError; denials and allowed writes, deletes and admin go to the audit
    log. Call it before the work's own transaction, so a denial's entry is kept."""
    who = principal or current_principal()
    in_force = policy(store)
    if in_force is not None and granting_role(in_force, who, action, resource) is None:
        audit.record(store, who, action, resource, audit.DENIED, detail)
        raise AccessDeniedError(who, action, resource)
    if action in _AUDITED:
        audit.record(store, who, action, resource, audit.ALLOWED, detail)


def set_policy(
    store: MetadataStore, new: Policy | dict | None, principal: str | None = None
) -> int:
    """Put ``new`` in force (None turns access control off); its version number. Once a
    policy is set, only an admin may change it; a policy binding nobody to ``admin`` is refused,
    since nobody could change it afterwards."""
    who = principal or current_principal()
    document = None
    if new is not None:
        parsed = new if isinstance(new, Policy) else policy_from_json(new)
        if not any(ADMIN_ROLE in roles for roles in parsed.bindings.values()):
            raise FailedPreconditionError(
                "policy: nobody holds the 'admin' role, so nobody could change it again; "
                "bind 'admin' to a principal or group"
            )
        document = parsed.to_json()
    check(store, Action.ADMIN, POLICY_RESOURCE, who, "policy off" if new is None else "set policy")
    with tables.connection(store) as conn:
        return tables.append_policy(conn, document, who)
