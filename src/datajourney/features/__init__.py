"""The feature store: Feast's model (entities, feature views, services, sources), a registry
in the metadata store, point-in-time correct retrieval on DuckDB, SQLite and Redis online
stores, materialization and a feature server. Heavy modules load on first use."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Entity": "definitions",
    "FeatureView": "definitions",
    "FeatureViewProjection": "definitions",
    "FeatureService": "definitions",
    "OnDemandFeatureView": "definitions",
    "on_demand_feature_view": "definitions",
    "FileSource": "sources",
    "WarehouseSource": "sources",
    "PushSource": "sources",
    "RequestSource": "sources",
    "Field": "types",
    "ValueType": "types",
    "FeatureStore": "store",
    "PushMode": "sources",
    "RepoConfig": "repo",
    "RetrievalJob": "jobs",
    "OnlineResponse": "jobs",
    "FeatureStoreError": "errors",
    "DefinitionError": "errors",
    "RetrievalError": "errors",
    "RegistryError": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'datajourney.features' has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
