"""``feast.permissions.action``: ``AuthzedAction`` and its groups."""

from __future__ import annotations

import enum

from datajourney.access import Action


class AuthzedAction(enum.Enum):
    """An action a Feast permission allows (Feast's names and values)."""

    CREATE = "create"
    DESCRIBE = "describe"
    UPDATE = "update"
    DELETE = "delete"
    READ_ONLINE = "read_online"
    READ_OFFLINE = "read_offline"
    WRITE_ONLINE = "write_online"
    WRITE_OFFLINE = "write_offline"


ALL_ACTIONS = list(AuthzedAction)
READ = [AuthzedAction.READ_OFFLINE, AuthzedAction.READ_ONLINE]
WRITE = [AuthzedAction.WRITE_OFFLINE, AuthzedAction.WRITE_ONLINE]
CRUD = [AuthzedAction.CREATE, AuthzedAction.DESCRIBE, AuthzedAction.UPDATE, AuthzedAction.DELETE]

#: What each Feast action is in ``datajourney.access``: creating, updating and writing to either
#: store are all ``write`` there.
ACCESS_ACTIONS = {
    AuthzedAction.CREATE: Action.WRITE,
    AuthzedAction.DESCRIBE: Action.DESCRIBE,
    AuthzedAction.UPDATE: Action.WRITE,
    AuthzedAction.DELETE: Action.DELETE,
    AuthzedAction.READ_ONLINE: Action.READ_ONLINE,
    AuthzedAction.READ_OFFLINE: Action.READ_OFFLINE,
    AuthzedAction.WRITE_ONLINE: Action.WRITE,
    AuthzedAction.WRITE_OFFLINE: Action.WRITE,
}

__all__ = ["ALL_ACTIONS", "CRUD", "READ", "WRITE", "AuthzedAction"]
