"""Labelled grants: permissions put into named roles by whoever applies them (a Feast
``Permission`` applied through a feature store becomes one), replacing the grants applied
before under the same label. The policy they change is the one ``set_policy`` keeps, so the
admin's groups and bindings stay as they are."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from ..metadata.store import MetadataStore
from .guard import current_principal, policy, set_policy
from .model import ADMIN_ROLE, Permission, Policy


@runtime_checkable
class Grant(Protocol):
    """Something that grants a permission to roles (a Feast ``Permission``, say)."""

    def access_grant(self) -> tuple[str, Permission, Sequence[str], Sequence[str]]:
        """(label, permission, roles given it, principals who hold those roles: ``*`` is
        everyone)."""
        ...


def apply_grants(
    store: MetadataStore,
    grants: Iterable[Grant],
    removed: Iterable[str] = (),
    principal: str | None = None,
) -> int | None:
    """Put each grant's permission into its roles (replacing what an earlier grant with the
    same label put there) and drop the grants labelled ``removed``; the new policy's version
    (None when nothing changed). Changing the policy is an admin's act; with no policy in force
    the first one is made, with ``principal`` (default: who is acting) as its admin."""
    who = principal or current_principal()
    wanted = [g.access_grant() for g in grants]
    gone = {label for label, *_ in wanted} | set(removed)
    if not wanted and not gone:
        return None
    current = policy(store)
    if current is None and not wanted:
        return None
    roles: dict[str, list[Permission]] = {
        role: [p for p in held if p.label not in gone]
        for role, held in (current.roles.items() if current else ())
    }
    bindings = {k: list(v) for k, v in current.bindings.items()} if current else {who: [ADMIN_ROLE]}
    for label, permission, role_names, holders in wanted:
        for role in role_names:
            if role != ADMIN_ROLE:
                roles.setdefault(role, []).append(dataclasses.replace(permission, label=label))
            for holder in holders:
                held = bindings.setdefault(holder, [])
                if role not in held:
                    held.append(role)
    new = Policy(
        roles={role: tuple(held) for role, held in roles.items()},
        groups=dict(current.groups) if current else {},
        bindings={k: tuple(v) for k, v in bindings.items()},
    )
    if current is not None and new.to_json() == current.to_json():
        return None
    return set_policy(store, new, who)


def granted(store: MetadataStore) -> dict[str, list[tuple[str, Permission]]]:
    """label -> [(role, permission)] of every labelled grant in the policy in force."""
    found: dict[str, list[tuple[str, Permission]]] = {}
    current = policy(store)
    for role, held in current.roles.items() if current else ():
        for permission in held:
            if permission.label:
                found.setdefault(permission.label, []).append((role, permission))
    return found
