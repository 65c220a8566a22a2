"""The feature store's one way to the access layer: each public call asks here first.

Resources are the definitions, by name and with their tags: feature views and on-demand views
(``feature_view``), feature services (``feature_service``), entities (``entity``) and data
sources (``data_source``). Applying definitions, materializing, pushing and writing online are
``write``; removing definitions or online values ``delete``; historical retrieval
``read_offline``; online reads ``read_online``; listing and getting definitions ``describe``.
Asking through a feature service needs the permission on the service only. A view over a
warehouse table may only be applied by someone who may read that table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..access import Action, Resource, ResourceKind
from ..access import guard as access
from .definitions import Entity, FeatureService, FeatureView, OnDemandFeatureView

if TYPE_CHECKING:
    from .store import FeatureStore

ACTIONS = {
    "features.apply": Action.WRITE,
    "features.write": Action.WRITE,
    "features.materialize": Action.WRITE,
    "features.delete": Action.DELETE,
    "features.read_offline": Action.READ_OFFLINE,
    "features.read_online": Action.READ_ONLINE,
    "features.describe": Action.DESCRIBE,
}


def resource_of(item: Any) -> Resource:
    """The resource of a definition (a feature view, service, entity or data source)."""
    if isinstance(item, FeatureView | OnDemandFeatureView):
        kind = ResourceKind.FEATURE_VIEW
    elif isinstance(item, FeatureService):
        kind = ResourceKind.FEATURE_SERVICE
    elif isinstance(item, Entity):
        kind = ResourceKind.ENTITY
    else:
        kind = ResourceKind.DATA_SOURCE
    return Resource(kind, item.name, dict(getattr(item, "tags", None) or {}))


def _resource(store: FeatureStore, target: Any) -> Resource:
    if not isinstance(target, str):
        return resource_of(target)
    d = store.definitions
    for table in (d.views, d.on_demand, d.services, d.entities, d.sources):
        if target in table:
            return resource_of(table[target])
    return Resource(ResourceKind.FEATURE_VIEW, target)


def check(store: FeatureStore, action: str, targets: Iterable[Any]) -> None:
    """``action`` (the store's own name for it) on each target (a definition or a name)."""
    if action == "warehouse.read":
        return  # a view's table is read on the view's permission (see check_sources at apply)
    metadata = store.metadata
    wanted = ACTIONS[action]
    if not access.enabled(metadata) and wanted not in (Action.WRITE, Action.DELETE):
        return
    resources = [_resource(store, t) for t in targets]
    detail = action if not resources else f"{action} in project {store.project}"
    for resource in resources:
        access.check(metadata, wanted, resource, detail=detail)


def check_sources(store: FeatureStore, views: Iterable[FeatureView]) -> None:
    """Applying a view over a warehouse table needs ``read_offline`` on the table (or its
    subject): otherwise a view would be a way round the warehouse's policy."""
    from ..warehouse.guard import resources
    from .sources import PushSource, WarehouseSource

    if not access.enabled(store.metadata):
        return
    for view in views:
        source = view.source.batch_source if isinstance(view.source, PushSource) else view.source
        if isinstance(source, WarehouseSource):
            access.check_any(
                store.metadata,
                Action.READ_OFFLINE,
                resources(source.table),
                detail=f"feature view {view.name!r} reads it",
            )


def visible(store: FeatureStore, items: list) -> list:
    """The definitions of ``items`` the principal may describe."""
    if store.authorize is not None or not access.enabled(store.metadata):
        return items
    return [i for i in items if access.allowed(store.metadata, Action.DESCRIBE, resource_of(i))]
