"""The lake's one way to the access layer: each public call asks here first.

A lake's resources are its zones (``lake_zone`` resources, by zone name): ingesting into a zone
or promoting into it is ``write``, listing it ``describe``, reading an entry ``read_offline``
on any zone the entry is in, retention ``delete`` (without a zone: on zone ``*``, which only a
permission naming every zone matches). With a custom ``authorize`` the lake asks that instead,
with the lake's own action names (``lake.ingest``, ``lake.read``, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from datajourney import access
from datajourney.access import Action, Resource, ResourceKind

from .catalog import ZONE_TYPE, Entry

if TYPE_CHECKING:
    from .lake import Lake

ACTIONS = {
    "lake.ingest": Action.WRITE,
    "lake.promote": Action.WRITE,
    "lake.list": Action.DESCRIBE,
    "lake.read": Action.READ_OFFLINE,
    "lake.retain": Action.DELETE,
}


def zone(name: str) -> Resource:
    """The resource of a lake zone."""
    return Resource(ResourceKind.LAKE_ZONE, name)


def check(lake: Lake, action: str, resource: str) -> None:
    """Ask the lake's ``authorize``, else the access policy, about ``action`` on
    ``resource`` (``zone:NAME``). Listing every zone is not refused here: ``visible`` then
    keeps the entries of the zones the principal may describe."""
    if lake.authorize is not None:
        lake.authorize(action, resource)
        return
    name = resource.removeprefix("zone:")
    if action == "lake.list" and name == "*":
        return
    access.check(lake.store, ACTIONS[action], zone(name), detail=action)


def check_read(lake: Lake, entries: Sequence[Entry], zone_name: str | None = None) -> None:
    """May the principal read these entries: ``read_offline`` on ``zone_name`` when given,
    else on any zone each entry is in."""
    if lake.authorize is not None:
        for entry in entries:
            lake.authorize("lake.read", entry.path)
        return
    if not access.enabled(lake.store):
        return
    if zone_name is not None:
        access.check(lake.store, Action.READ_OFFLINE, zone(zone_name), detail="lake.read")
        return
    for entry in entries:
        zones = lake.store.get_contexts(type_name=ZONE_TYPE, artifact_id=entry.id)
        access.check_any(
            lake.store,
            Action.READ_OFFLINE,
            [zone(z.name) for z in zones] or [zone("*")],
            detail=f"lake.read {entry.path}",
        )


def visible(lake: Lake, entries: list[Entry], zone_name: str | None) -> list[Entry]:
    """``entries`` (listed across every zone when ``zone_name`` is None) less those in no zone
    the principal may describe."""
    if zone_name is not None or lake.authorize is not None or not access.enabled(lake.store):
        return entries
    zones = lake.store.get_contexts(type_name=ZONE_TYPE)
    shown = [z for z in zones if access.allowed(lake.store, Action.DESCRIBE, zone(z.name))]
    if len(shown) == len(zones):
        return entries
    ids = {a.id for z in shown for a in lake.store.get_artifacts(context_id=z.id)}
    return [e for e in entries if e.id in ids]
