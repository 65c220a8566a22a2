"""The Feast drop-in: Feast's public names over ``datajourney.features``, so a Feast feature
repo and the scripts that use it run with only their import lines changed
(``from feast import ...`` becomes ``from datajourney.feast import ...``).

Nothing heavy is imported until a name is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Entity": "datajourney.features.definitions",
    "FeatureView": "datajourney.features.definitions",
    "FeatureService": "datajourney.features.definitions",
    "OnDemandFeatureView": "datajourney.features.definitions",
    "LabelView": "datajourney.features.definitions",
    "ConflictPolicy": "datajourney.features.definitions",
    "Project": "datajourney.features.definitions",
    "on_demand_feature_view": "datajourney.features.definitions",
    "Field": "datajourney.features.types",
    "ValueType": "datajourney.features.types",
    "FileSource": "datajourney.features.sources",
    "PushSource": "datajourney.features.sources",
    "RequestSource": "datajourney.features.sources",
    "FeatureStore": "datajourney.feast.feature_store",
    "RepoConfig": "datajourney.features.repo",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'datajourney.feast' has no attribute {name!r}")
    return getattr(import_module(module), name)
