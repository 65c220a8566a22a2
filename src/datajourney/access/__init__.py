"""Access control and the audit log: principals, roles, permissions on named resources, and
the one ``check`` every storage layer calls (see docs/governance.md)."""

from .audit import ALLOWED, DENIED, AuditEntry, audit_log
from .guard import (
    AccessDeniedError,
    acting_as,
    check,
    current_principal,
    policy,
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
    "audit_log",
    "check",
    "current_principal",
    "policy",
    "policy_from_json",
    "set_policy",
]
