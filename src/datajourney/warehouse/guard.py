"""The warehouse's one way to the access layer: each public call asks here first.

A table's resources are ``warehouse_table`` ``subject.table`` and ``warehouse_subject``
``subject``: a permission on either allows the call. Creating, loading, updating, evolving and
compacting are ``write``; deleting rows and retention (vacuum) ``delete``; reading a table, any
past version of it, or SQL over it ``read_offline``; its history and the list of tables
``describe``. With a custom ``authorize`` the warehouse asks that instead, with its own action
names (``warehouse.load``, ``warehouse.read``, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from datajourney import access
from datajourney.access import Action, Resource, ResourceKind

if TYPE_CHECKING:
    from .warehouse import Warehouse

ACTIONS = {
    "warehouse.create": Action.WRITE,
    "warehouse.load": Action.WRITE,
    "warehouse.update": Action.WRITE,
    "warehouse.evolve": Action.WRITE,
    "warehouse.compact": Action.WRITE,
    "warehouse.delete": Action.DELETE,
    "warehouse.retain": Action.DELETE,
    "warehouse.read": Action.READ_OFFLINE,
    "warehouse.describe": Action.DESCRIBE,
}


def resources(name: str) -> list[Resource]:
    """The resources a table ``subject.table`` is governed by: itself, then its subject."""
    subject = name.split(".", 1)[0]
    return [
        Resource(ResourceKind.WAREHOUSE_TABLE, name),
        Resource(ResourceKind.WAREHOUSE_SUBJECT, subject),
    ]


def check(warehouse: Warehouse, action: str, name: str) -> None:
    """Ask the warehouse's ``authorize``, else the access policy, about ``action`` on table
    ``name``."""
    if warehouse.authorize is not None:
        warehouse.authorize(action, name)
        return
    access.check_any(warehouse.store, ACTIONS[action], resources(name), detail=action)


def visible(warehouse: Warehouse, names: list[str]) -> list[str]:
    """The tables of ``names`` the principal may describe."""
    if warehouse.authorize is not None or not access.enabled(warehouse.store):
        return names
    return [n for n in names if access.allowed(warehouse.store, Action.DESCRIBE, resources(n))]
