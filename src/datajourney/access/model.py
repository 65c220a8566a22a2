"""What a policy is made of: actions, resources, permissions, roles, and who holds them.

A policy is plain data (JSON in, JSON out), so it can be stored, diffed and reviewed like code:

    {"roles": {"analyst": [{"actions": ["describe", "read_offline"],
                            "resources": ["feature_view"], "names": ["driver_*"]}]},
     "groups": {"data-science": ["alice", "bob"]},
     "bindings": {"data-science": ["analyst"], "carol": ["admin"]}}
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Iterable, Mapping

from ..metadata.errors import InvalidArgumentError


class Action(enum.Enum):
    """What a principal does to a resource."""

    DESCRIBE = "describe"
    READ_OFFLINE = "read_offline"
    READ_ONLINE = "read_online"
    WRITE = "write"
    DELETE = "delete"
    ADMIN = "admin"


class ResourceKind(enum.Enum):
    """The kinds of things a permission can name."""

    FEATURE_VIEW = "feature_view"
    FEATURE_SERVICE = "feature_service"
    ENTITY = "entity"
    DATA_SOURCE = "data_source"
    WAREHOUSE_SUBJECT = "warehouse_subject"
    WAREHOUSE_TABLE = "warehouse_table"
    LAKE_ZONE = "lake_zone"
    CONTEXT = "context"
    POLICY = "policy"


@dataclasses.dataclass(frozen=True)
class Resource:
    """One thing access is asked for: its kind, its name, and its tags."""

    kind: ResourceKind
    name: str
    tags: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.kind.value} {self.name!r}"


@dataclasses.dataclass(frozen=True)
class Permission:
    """Allows ``actions`` on resources of ``resources`` kinds whose name matches one of
    ``names`` (shell-style patterns: ``driver_*``) or one of ``patterns`` (regular expressions
    matching the whole name, as Feast's ``name_patterns``), and that carry every tag of
    ``tags``. ``label`` names where it came from (a Feast ``Permission``'s name) and ``origin``
    keeps, as JSON-able data, what it was made from (that ``Permission`` as applied, to be read
    back); neither changes what it allows."""

    actions: frozenset[Action]
    resources: frozenset[ResourceKind] = frozenset(ResourceKind)
    names: tuple[str, ...] = ("*",)
    tags: Mapping[str, str] = dataclasses.field(default_factory=dict)
    patterns: tuple[str, ...] = ()
    label: str = ""
    origin: Mapping = dataclasses.field(default_factory=dict)

    def to_json(self) -> dict:
        data = {
            "actions": sorted(a.value for a in self.actions),
            "resources": sorted(k.value for k in self.resources),
            "names": list(self.names),
            "tags": dict(self.tags),
        }
        if self.patterns:
            data["patterns"] = list(self.patterns)
        if self.label:
            data["label"] = self.label
        if self.origin:
            data["origin"] = dict(self.origin)
        return data


@dataclasses.dataclass(frozen=True)
class Policy:
    """Roles (named lists of permissions), groups of principals, and which principals or
    groups hold which roles. ``admin`` is always a role allowing every action."""

    roles: Mapping[str, tuple[Permission, ...]]
    groups: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    bindings: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    def to_json(self) -> dict:
        """The policy as JSON-able data (``policy_from_json`` reads it back)."""
        return {
            "roles": {r: [p.to_json() for p in ps] for r, ps in sorted(self.roles.items())},
            "groups": {g: sorted(m) for g, m in sorted(self.groups.items())},
            "bindings": {who: list(rs) for who, rs in sorted(self.bindings.items())},
        }


ADMIN_ROLE = "admin"
#: Binding a role to this principal gives it to everyone.
EVERYONE = "*"
ALL_KINDS = [kind.value for kind in ResourceKind]
ADMIN_PERMISSION = Permission(actions=frozenset(Action))


def _enum_values(enum_type: type[enum.Enum], values: object, where: str) -> frozenset:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidArgumentError(f"{where}: expected a list of names, got {values!r}")
    known = {member.value: member for member in enum_type}
    unknown = [v for v in values if v not in known]
    if unknown:
        raise InvalidArgumentError(
            f"{where}: unknown {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}"
        )
    return frozenset(known[v] for v in values)


def _permission_from_json(data: object, where: str) -> Permission:
    if not isinstance(data, Mapping):
        raise InvalidArgumentError(f"{where}: a permission is an object, got {data!r}")
    extra = set(data) - {"actions", "resources", "names", "tags", "patterns", "label", "origin"}
    if extra:
        raise InvalidArgumentError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
    if "actions" not in data:
        raise InvalidArgumentError(f"{where}: a permission needs 'actions'")
    patterns = data.get("patterns", [])
    names = data.get("names", [] if patterns else ["*"])
    tags = data.get("tags", {})
    label = data.get("label", "")
    origin = data.get("origin", {})
    for field, value in (("names", names), ("patterns", patterns)):
        if isinstance(value, str) or not all(isinstance(n, str) for n in value):
            raise InvalidArgumentError(
                f"{where}.{field}: expected a list of patterns, got {value!r}"
            )
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise InvalidArgumentError(
                f"{where}.patterns: {pattern!r} is not a regular expression ({error})"
            ) from None
    if not isinstance(label, str):
        raise InvalidArgumentError(f"{where}.label: expected text, got {label!r}")
    if not isinstance(tags, Mapping):
        raise InvalidArgumentError(f"{where}.tags: expected an object, got {tags!r}")
    if not isinstance(origin, Mapping):
        raise InvalidArgumentError(f"{where}.origin: expected an object, got {origin!r}")
    return Permission(
        actions=_enum_values(Action, data["actions"], f"{where}.actions"),
        resources=_enum_values(
            ResourceKind, data.get("resources", ALL_KINDS), f"{where}.resources"
        ),
        names=tuple(names),
        tags={str(k): str(v) for k, v in tags.items()},
        patterns=tuple(patterns),
        label=label,
        origin=dict(origin),
    )


def _mapping(data: Mapping, field: str) -> Mapping:
    value = data.get(field, {})
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(f"policy.{field}: expected an object, got {value!r}")
    return value


def policy_from_json(data: object) -> Policy:
    """Read a policy from JSON-able data; InvalidArgumentError names the first wrong part."""
    if not isinstance(data, Mapping):
        raise InvalidArgumentError(f"policy: expected an object, got {type(data).__name__}")
    extra = set(data) - {"roles", "groups", "bindings"}
    if extra:
        raise InvalidArgumentError(f"policy: unknown field(s) {', '.join(sorted(extra))}")
    roles = {}
    for role, perms in _mapping(data, "roles").items():
        if role == ADMIN_ROLE:
            raise InvalidArgumentError("policy.roles: 'admin' is built in and cannot be redefined")
        if not isinstance(perms, list):
            raise InvalidArgumentError(f"policy.roles.{role}: expected a list of permissions")
        roles[role] = tuple(
            _permission_from_json(p, f"policy.roles.{role}[{i}]") for i, p in enumerate(perms)
        )
    groups = {}
    for group, members in _mapping(data, "groups").items():
        if isinstance(members, str) or not all(isinstance(m, str) for m in members):
            raise InvalidArgumentError(f"policy.groups.{group}: expected a list of principals")
        groups[group] = frozenset(members)
    bindings = {}
    for who, held in _mapping(data, "bindings").items():
        if isinstance(held, str) or not all(isinstance(r, str) for r in held):
            raise InvalidArgumentError(f"policy.bindings.{who}: expected a list of role names")
        undefined = [r for r in held if r != ADMIN_ROLE and r not in roles]
        if undefined:
            raise InvalidArgumentError(
                f"policy.bindings.{who}: undefined role(s) {', '.join(map(repr, undefined))}"
            )
        bindings[who] = tuple(held)
    return Policy(roles=roles, groups=groups, bindings=bindings)
