"""``feast.permissions.permission``: ``Permission``, translated into an access grant."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from datajourney.access import Permission as AccessPermission
from datajourney.access import ResourceKind
from datajourney.features.definitions import (
    Entity,
    FeatureService,
    FeatureView,
    OnDemandFeatureView,
)
from datajourney.features.sources import FileSource, PushSource, RequestSource, WarehouseSource

from .action import ACCESS_ACTIONS, ALL_ACTIONS, AuthzedAction
from .policy import AllowAll, Policy, policy_from_spec

_KINDS: list[tuple[Any, ResourceKind]] = [
    (FeatureView, ResourceKind.FEATURE_VIEW),
    (OnDemandFeatureView, ResourceKind.FEATURE_VIEW),
    (Entity, ResourceKind.ENTITY),
    (FeatureService, ResourceKind.FEATURE_SERVICE),
    (FileSource, ResourceKind.DATA_SOURCE),
    (PushSource, ResourceKind.DATA_SOURCE),
    (RequestSource, ResourceKind.DATA_SOURCE),
    (WarehouseSource, ResourceKind.DATA_SOURCE),
]
FEATURE_KINDS = frozenset(kind for _, kind in _KINDS)


_NAMED = {cls.__name__: cls for cls, _ in _KINDS}


def _managed(given: Any) -> Any:
    """The managed type ``given`` is, is a subclass of, or is named as; else None."""
    if given is Permission:
        return Permission
    for cls, _ in _KINDS:
        if given is cls or (isinstance(given, type) and issubclass(given, cls)):
            return cls
    return _NAMED.get(getattr(given, "__name__", ""))


def _kind(given: Any) -> ResourceKind | None:
    managed = _managed(given)
    return ResourceKind.POLICY if managed is Permission else dict(_KINDS).get(managed)


def _listed(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple | set) else [value]


class Permission:
    """Allows ``actions`` on the resources of ``types`` whose name fully matches one of
    ``name_patterns`` (regular expressions; none: every name) and that carry all
    ``required_tags``, to whoever ``policy`` names."""

    def __init__(
        self,
        name: str,
        types: Any = None,
        name_patterns: str | Sequence[str] | None = None,
        actions: AuthzedAction | Sequence[AuthzedAction] = ALL_ACTIONS,
        policy: Policy = AllowAll,
        tags: dict[str, str] | None = None,
        required_tags: dict[str, str] | None = None,
        name_pattern: str | None = None,
    ):
        types = _listed(types)
        kinds = set()
        for given in types:
            kind = _kind(given)
            if kind is None:
                raise ValueError(f"{given} is not one of the managed types")
            kinds.add(kind)
        actions = _listed(actions)
        if not actions:
            raise ValueError("The list 'actions' must be non-empty.")
        if not isinstance(policy, Policy):
            raise ValueError(f"policy: expected a Feast policy, got {policy!r}")
        self.name = name
        self.types = types
        self.name_patterns = [p.strip() for p in _listed(name_patterns) + _listed(name_pattern)]
        self.actions = actions
        self.policy = policy
        self.tags = dict(tags or {})
        self.required_tags = {k.strip(): str(v).strip() for k, v in (required_tags or {}).items()}
        self._kinds = frozenset(kinds) or FEATURE_KINDS

    def __repr__(self) -> str:
        return f"Permission(name={self.name!r}, policy={self.policy!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Permission) and self.access_grant() == other.access_grant()

    def __hash__(self) -> int:
        return hash(self.name)

    def access_grant(self) -> tuple[str, AccessPermission, list[str], list[str]]:
        """(label, permission, roles, holders) for ``datajourney.access.grants``."""
        permission = AccessPermission(
            actions=frozenset(ACCESS_ACTIONS[AuthzedAction(a)] for a in self.actions),
            resources=self._kinds,
            names=() if self.name_patterns else ("*",),
            tags=self.required_tags,
            patterns=tuple(self.name_patterns),
            label=self.name,
        )
        roles, holders = self.policy.access_roles(self.name)
        permission = dataclasses.replace(permission, origin=self.spec())
        return self.name, permission, roles, holders

    def spec(self) -> dict:
        """The permission as JSON-able data (``from_spec`` reads it back)."""
        return {
            "name": self.name,
            "types": [_managed(t).__name__ for t in self.types],
            "name_patterns": list(self.name_patterns),
            "actions": [AuthzedAction(a).value for a in self.actions],
            "policy": self.policy.spec(),
            "tags": dict(self.tags),
            "required_tags": dict(self.required_tags),
        }

    @classmethod
    def from_spec(cls, spec: dict) -> Permission:
        """The permission ``spec`` described."""
        types = {**_NAMED, "Permission": Permission}
        return cls(
            name=spec["name"],
            types=[types[name] for name in spec["types"]],
            name_patterns=spec["name_patterns"],
            actions=[AuthzedAction(a) for a in spec["actions"]],
            policy=policy_from_spec(spec["policy"]),
            tags=spec["tags"],
            required_tags=spec["required_tags"],
        )


__all__ = ["Permission"]
