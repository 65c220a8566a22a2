"""Deciding one request against a policy: pure functions, no storage."""

from __future__ import annotations

import fnmatch
import re

from .model import ADMIN_PERMISSION, ADMIN_ROLE, EVERYONE, Action, Permission, Policy, Resource


def roles_of(policy: Policy, principal: str) -> set[str]:
    """The roles a principal holds, directly, through its groups, or bound to everyone
    (the principal ``*``)."""
    holders = {principal, EVERYONE}
    holders |= {g for g, members in policy.groups.items() if principal in members}
    return {role for who in holders for role in policy.bindings.get(who, ())}


def permission_matches(permission: Permission, action: Action, resource: Resource) -> bool:
    """Whether one permission allows ``action`` on ``resource``."""
    return (
        action in permission.actions
        and resource.kind in permission.resources
        and (
            any(fnmatch.fnmatchcase(resource.name, pattern) for pattern in permission.names)
            or any(re.fullmatch(pattern, resource.name) for pattern in permission.patterns)
        )
        and all(resource.tags.get(k) == v for k, v in permission.tags.items())
    )


def granting_role(policy: Policy, principal: str, action: Action, resource: Resource) -> str | None:
    """The first role (by name) of ``principal`` allowing ``action`` on ``resource``, or None."""
    for role in sorted(roles_of(policy, principal)):
        permissions = (ADMIN_PERMISSION,) if role == ADMIN_ROLE else policy.roles.get(role, ())
        if any(permission_matches(p, action, resource) for p in permissions):
            return role
    return None
