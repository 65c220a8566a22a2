"""``feast.feature_store``: the feature store, with Feast's permission-reading calls."""

from __future__ import annotations

from datajourney.access.grants import granted
from datajourney.features import store

from .errors import PermissionNotFoundException
from .permissions.permission import Permission


class FeatureStore(store.FeatureStore):
    """``datajourney.features.store.FeatureStore`` that also reads back the Feast
    ``Permission``s applied through it."""

    def list_permissions(self, tags: dict[str, str] | None = None) -> list[Permission]:
        """The applied permissions (those whose own tags include all of ``tags``)."""
        applied = [
            Permission.from_spec(held[0][1].origin)
            for held in granted(self.metadata).values()
            if held[0][1].origin
        ]
        return store._tagged(applied, tags)

    def get_permission(self, name: str) -> Permission:
        """The applied permission named ``name``."""
        for permission in self.list_permissions():
            if permission.name == name:
                return permission
        raise PermissionNotFoundException(name, self.project)


__all__ = ["FeatureStore"]
