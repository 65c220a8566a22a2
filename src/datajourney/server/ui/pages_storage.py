"""The storage pages: feature definitions, lake entries, warehouse tables and snapshots, each
with its history, from the store's catalog (``datajourney.server.data_storage``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from datajourney.server import data_storage
from datajourney.server.deps import StoreDep

from .render import page

router = APIRouter()


@page(router, "/features", "features.html", "Feature projects")
def feature_projects(request: Request, store: StoreDep) -> dict[str, Any]:
    """The feature store projects registered in the store."""
    return data_storage.feature_projects(store)


@page(
    router,
    "/features/{project}",
    "feature_project.html",
    lambda d: f"Features: {d['project']['name']}",
)
def feature_project(
    request: Request,
    store: StoreDep,
    project: str,
    all_versions: bool = Query(False, description="every version, not only the latest"),
) -> dict[str, Any]:
    """A project's feature views, entities, services and sources."""
    found = data_storage.feature_definitions(store, project, all_versions)
    found["all_versions"] = all_versions
    return found


@page(
    router,
    "/features/{project}/{name}",
    "feature_view.html",
    lambda d: f"{d['name']} ({d['project']})",
)
def feature_definition(
    request: Request, store: StoreDep, project: str, name: str
) -> dict[str, Any]:
    """One definition and every version of it."""
    return data_storage.feature_view(store, project, name)


@page(router, "/lake", "lake.html", "Lake")
def lake(
    request: Request,
    store: StoreDep,
    prefix: str = Query("", description="only paths starting with this"),
    zone: str | None = Query(None, description="only entries of this zone"),
    all_versions: bool = Query(False, description="every version of each path"),
) -> dict[str, Any]:
    """Lake entries: the newest version of each path (or all), with zone, format, size."""
    found = data_storage.lake_entries(store, prefix, zone or None, all_versions)
    return {**found, "prefix": prefix, "zone": zone or None, "all_versions": all_versions}


@page(router, "/lake/{entry_id}", "lake_entry.html", lambda d: f"Lake: {d['path']}")
def lake_entry(request: Request, store: StoreDep, entry_id: int) -> dict[str, Any]:
    """One lake entry with every version of its path."""
    return data_storage.lake_entry(store, entry_id)


@page(router, "/warehouse", "warehouse.html", "Warehouse")
def warehouse(request: Request, store: StoreDep) -> dict[str, Any]:
    """The warehouse tables and their newest versions."""
    return data_storage.warehouse_tables(store)


@page(router, "/warehouse/{name}", "warehouse_table.html", lambda d: f"Table {d['name']}")
def warehouse_table(request: Request, store: StoreDep, name: str) -> dict[str, Any]:
    """One table: the versions the store recorded and the Delta log's history."""
    return data_storage.warehouse_table(store, name)


@page(router, "/snapshots", "snapshots.html", "Snapshots")
def snapshots(request: Request, store: StoreDep) -> dict[str, Any]:
    """Artifacts recorded with a content snapshot, newest first."""
    return data_storage.list_snapshots(store)


@page(router, "/snapshots/{digest}", "snapshot.html", lambda d: f"Snapshot {d['snapshot'][:12]}")
def snapshot(request: Request, store: StoreDep, digest: str) -> dict[str, Any]:
    """Every artifact that recorded this content."""
    return data_storage.snapshot_detail(store, digest)
