"""``feast.feast_object``: the resource types a permission can name."""

from datajourney.features.definitions import (
    Entity,
    FeatureService,
    FeatureView,
    OnDemandFeatureView,
)
from datajourney.features.sources import FileSource, PushSource, RequestSource, WarehouseSource

from .permissions.permission import Permission

ALL_FEATURE_VIEW_TYPES = [FeatureView, OnDemandFeatureView]
ALL_RESOURCE_TYPES = [
    *ALL_FEATURE_VIEW_TYPES,
    Entity,
    FeatureService,
    FileSource,
    PushSource,
    RequestSource,
    WarehouseSource,
    Permission,
]

__all__ = ["ALL_FEATURE_VIEW_TYPES", "ALL_RESOURCE_TYPES"]
