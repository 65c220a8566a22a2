"""Access control and the audit log: principals, roles, permissions on named resources, and
the one ``check`` every storage layer calls (see docs/governance.md)."""

from .audit import ALLOWED, DENIED, AuditEntry, audit_log
from .guard import (
    AccessDeniedError,
    acting_as,
    allowed,
    check,
    check_any,
    current_principal,
    enabled,
    forget_policy,
    policy,
    policy_in_force,
    set_policy,
)
from .model import Action, Permission, Policy, Resource, ResourceKind, policy_from_json

__all__ = [
    "ALLOWED",
    "DENIED",
    "AccessDeniedError",
    "Action",
    "AuditEntry",
    "Permission",
    "Policy",
    "Resource",
    "ResourceKind",
    "acting_as",
    "allowed",
    "audit_log",
    "check",
    "check_any",
    "current_principal",
    "enabled",
    "forget_policy",
    "policy",
    "policy_from_json",
    "policy_in_force",
    "set_policy",
]
