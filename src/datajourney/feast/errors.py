"""``feast.errors``: the Feast exceptions the drop-in raises (each a ``FeatureStoreError``)."""

from __future__ import annotations

from datajourney.features.errors import FeatureStoreError


class FeastObjectNotFoundException(FeatureStoreError):
    """No applied object has the name asked for."""


class PermissionNotFoundException(FeastObjectNotFoundException):
    """No permission has this name."""

    def __init__(self, name: str, project: str):
        super().__init__(f"Permission {name} does not exist in project {project}")


__all__ = ["FeastObjectNotFoundException", "PermissionNotFoundException"]
