"""``feast.permissions.policy``: who a permission is for."""

from __future__ import annotations

from collections.abc import Sequence


class Policy:
    """Who a permission applies to: the roles it goes to and the principals given them."""

    def access_roles(self, label: str) -> tuple[list[str], list[str]]:
        """(roles, principals or groups to bind to them: none means the admin binds them)."""
        raise NotImplementedError

    def spec(self) -> dict:
        """The policy as JSON-able data (``policy_from_spec`` reads it back)."""
        raise NotImplementedError


class RoleBasedPolicy(Policy):
    """Allowed to whoever holds at least one of ``roles`` (bound in the access policy's
    ``bindings``, directly or through a group)."""

    def __init__(self, roles: Sequence[str]):
        self.roles = list(roles)

    def get_roles(self) -> list[str]:
        return self.roles

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RoleBasedPolicy) and sorted(self.roles) == sorted(other.roles)

    def __repr__(self) -> str:
        return f"RoleBasedPolicy(roles={self.roles!r})"

    def access_roles(self, label: str) -> tuple[list[str], list[str]]:
        return self.roles, []

    def spec(self) -> dict:
        return {"roles": list(self.roles)}


class GroupBasedPolicy(Policy):
    """Allowed to the members of at least one of ``groups`` (the access policy's groups)."""

    def __init__(self, groups: Sequence[str]):
        self.groups = list(groups)

    def get_groups(self) -> list[str]:
        return self.groups

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GroupBasedPolicy) and sorted(self.groups) == sorted(other.groups)

    def access_roles(self, label: str) -> tuple[list[str], list[str]]:
        return [f"feast:{label}"], self.groups

    def spec(self) -> dict:
        return {"groups": list(self.groups)}


class _AllowAll(Policy):
    """Allowed to everyone."""

    def __repr__(self) -> str:
        return "AllowAll"

    def access_roles(self, label: str) -> tuple[list[str], list[str]]:
        return [f"feast:{label}"], ["*"]

    def spec(self) -> dict:
        return {}


AllowAll = _AllowAll()


def policy_from_spec(spec: dict) -> Policy:
    """The policy ``Policy.spec`` described."""
    if "roles" in spec:
        return RoleBasedPolicy(spec["roles"])
    if "groups" in spec:
        return GroupBasedPolicy(spec["groups"])
    return AllowAll


__all__ = ["AllowAll", "GroupBasedPolicy", "Policy", "RoleBasedPolicy"]
