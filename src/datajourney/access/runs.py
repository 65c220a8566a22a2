"""Recording a run into contexts (``store.run(..., context=...)``, the ``track`` decorator, a
pipeline run): with a policy in force it needs ``write`` on each context (resource kind
``context``, its name, tag ``type``: the context type's name). A context a storage layer keeps
for one of its resources stands for that resource (a warehouse table's or subject's, a lake
zone's): recording there needs ``write`` or ``delete`` on it, and is audited by the layer's own
call (a load, a delete), not twice. A feature project's and the erasures' contexts are recorded
into by the feature store's and erasure's calls, which ask their own checks first."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..metadata.store import MetadataStore
from .guard import allowed, check_any, enabled
from .model import Action, Resource, ResourceKind

#: Context types whose runs their layer's calls record (after their own checks).
_LAYER_ONLY = frozenset({"FeatureProject", "Erasure"})


def _layer_resources(type_name: str, name: str) -> list[Resource]:
    if type_name == "WarehouseTable":
        return [
            Resource(ResourceKind.WAREHOUSE_TABLE, name),
            Resource(ResourceKind.WAREHOUSE_SUBJECT, name.split(".")[0]),
        ]
    if type_name == "WarehouseSubject":
        return [Resource(ResourceKind.WAREHOUSE_SUBJECT, name)]
    if type_name == "LakeZone":
        return [Resource(ResourceKind.LAKE_ZONE, name)]
    return []


def check_run(
    store: MetadataStore, contexts: Callable[[], Sequence[tuple[str, str]]], detail: str
) -> None:
    """Allow recording a run (``detail`` names it) into the contexts ``contexts()`` gives
    ((type name, name) each) or raise AccessDeniedError before anything is written; without
    a policy nothing is asked and the contexts are not looked up."""
    if not enabled(store):
        return
    for type_name, name in contexts():
        if type_name in _LAYER_ONLY:
            continue
        layer = _layer_resources(type_name, name)
        if layer and any(allowed(store, a, layer) for a in (Action.WRITE, Action.DELETE)):
            continue
        resources = layer or [Resource(ResourceKind.CONTEXT, name, {"type": type_name})]
        check_any(store, Action.WRITE, resources, detail=detail)
