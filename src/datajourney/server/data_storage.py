"""Snapshots, feature definitions, lake entries and warehouse tables, as JSON-able dicts.

All of them are read from the metadata store's catalog (every storage layer records there), so
a server needs nothing but the store; a warehouse table's version history also reads the Delta
log at the location the store recorded.
"""

from __future__ import annotations

import json
from typing import Any

from datajourney.access import Action, Resource, ResourceKind
from datajourney.lake.catalog import entry_of
from datajourney.metadata.errors import FailedPreconditionError, NotFoundError
from datajourney.metadata.model import NodeKind
from datajourney.metadata.sql.queries import NodeQuery
from datajourney.metadata.store import MetadataStore

from .data import _brief, get_node, node_json
from .governance import describe_metadata, may, require

SNAPSHOT_PROPERTY = "snapshot"
LAKE_ENTRY = "LakeEntry"
LAKE_ZONE = "LakeZone"
FEATURE_PROJECT = "FeatureProject"
FEATURE_TYPES = (
    "FeatureEntity",
    "FeatureService",
    "FeatureSource",
    "FeatureView",
    "OnDemandFeatureView",
)
WAREHOUSE_TABLE = "WarehouseTable"
WAREHOUSE_VERSION = "WarehouseTableVersion"
MAX_ITEMS = 1000


def _types_present(store: MetadataStore, kind: NodeKind, names: tuple[str, ...]) -> list[str]:
    known = {t.name for t in store.get_types(kind)}
    return [n for n in names if n in known]


# Snapshots -------------------------------------------------------------------------------


def list_snapshots(store: MetadataStore, limit: int = MAX_ITEMS) -> dict[str, Any]:
    """Artifacts recorded with a content snapshot (newest first): digest, type, uri, state."""
    describe_metadata(store)
    found = store.get(
        NodeKind.ARTIFACT,
        NodeQuery(
            filter_query=f"custom_properties.{SNAPSHOT_PROPERTY}.string_value != ''",
            order_by="create_time",
            ascending=False,
            limit=limit,
        ),
    )
    items = [
        {
            **_brief(a),
            "snapshot": a.custom_properties.get(SNAPSHOT_PROPERTY),
            "created": a.create_time_since_epoch,
        }
        for a in found
        if isinstance(a.custom_properties.get(SNAPSHOT_PROPERTY), str)
    ]
    return {"items": items}


def snapshot_detail(store: MetadataStore, digest: str) -> dict[str, Any]:
    """The artifacts recording content ``digest`` (the same data wherever it was used)."""
    describe_metadata(store)
    if not digest or any(c not in "0123456789abcdef" for c in digest.lower()):
        raise NotFoundError(f"no snapshot {digest!r}: a digest is hexadecimal")
    quoted = digest.lower().replace("'", "")
    found = store.get(
        NodeKind.ARTIFACT,
        NodeQuery(filter_query=f"custom_properties.{SNAPSHOT_PROPERTY}.string_value = '{quoted}'"),
    )
    if not found:
        raise NotFoundError(f"no artifact records snapshot {digest}")
    return {"snapshot": digest.lower(), "artifacts": [node_json(a) for a in found]}


# Features --------------------------------------------------------------------------------


def _definition(artifact) -> dict[str, Any]:
    p = artifact.properties
    try:
        spec = json.loads(p.get("spec", "{}"))
    except (TypeError, ValueError):
        spec = {}
    return {
        "artifact_id": artifact.id,
        "kind": spec.get("kind", artifact.type),
        "type": artifact.type,
        "name": p.get("name", artifact.name),
        "version": p.get("version"),
        "status": p.get("status"),
        "digest": p.get("digest"),
        "spec": spec,
        "created": artifact.create_time_since_epoch,
    }


def _definition_resource(d: dict[str, Any]) -> Resource:
    """What governs a feature definition: its feature view, service or entity (a source goes
    with the feature views)."""
    kind = {"FeatureService": ResourceKind.FEATURE_SERVICE, "FeatureEntity": ResourceKind.ENTITY}
    return Resource(kind.get(d["type"], ResourceKind.FEATURE_VIEW), str(d["name"] or ""))


def feature_projects(store: MetadataStore) -> dict[str, Any]:
    """The feature store projects registered in this store."""
    if not _types_present(store, NodeKind.CONTEXT, (FEATURE_PROJECT,)):
        return {"items": []}
    found = store.get(NodeKind.CONTEXT, NodeQuery(type_name=FEATURE_PROJECT))
    return {"items": [_brief(c) for c in found]}


def feature_definitions(
    store: MetadataStore, project: str, all_versions: bool = False
) -> dict[str, Any]:
    """A project's definitions (feature views, entities, services, sources): the latest
    version of each (``all_versions``: every version), oldest first; those the principal may
    describe."""
    found = _definitions(store, project, all_versions)
    found["items"] = [
        d for d in found["items"] if may(store, Action.DESCRIBE, _definition_resource(d))
    ]
    return found


def _definitions(store: MetadataStore, project: str, all_versions: bool) -> dict[str, Any]:
    contexts = (
        store.get(NodeKind.CONTEXT, NodeQuery(type_name=FEATURE_PROJECT, name=project))
        if _types_present(store, NodeKind.CONTEXT, (FEATURE_PROJECT,))
        else []
    )
    if not contexts:
        raise NotFoundError(f"no feature project {project!r}")
    versions = []
    for type_name in _types_present(store, NodeKind.ARTIFACT, FEATURE_TYPES):
        for artifact in store.get(
            NodeKind.ARTIFACT, NodeQuery(type_name=type_name, context_id=contexts[0].id)
        ):
            versions.append(_definition(artifact))
    versions.sort(key=lambda d: (d["created"] or 0, d["artifact_id"]))
    if not all_versions:
        latest: dict[tuple, dict] = {}
        for d in versions:
            key = (d["type"], d["name"])
            if key not in latest or (d["version"] or 0) > (latest[key]["version"] or 0):
                latest[key] = d
        versions = [d for d in versions if latest.get((d["type"], d["name"])) is d]
    return {"project": _brief(contexts[0]), "items": versions}


def feature_view(store: MetadataStore, project: str, name: str) -> dict[str, Any]:
    """Every version of one definition of a project, and the latest one's lineage context."""
    found = [d for d in _definitions(store, project, True)["items"] if d["name"] == name]
    if found:
        require(store, Action.DESCRIBE, _definition_resource(found[-1]))
    if not found:
        raise NotFoundError(f"no definition {name!r} in feature project {project!r}")
    return {"project": project, "name": name, "latest": found[-1], "versions": found}


# Lake ------------------------------------------------------------------------------------


def _lake_entry(artifact) -> dict[str, Any]:
    entry = entry_of(artifact, None)
    return {
        "id": artifact.id,
        "path": entry.path,
        "digest": entry.digest,
        "size": entry.size,
        "format": entry.format,
        "ingested_at": round(entry.ingested_at.timestamp() * 1000),  # ms
        "source": entry.source,
        "tags": list(entry.tags),
        "uri": artifact.uri,
        "state": artifact.state.name if artifact.state is not None else None,
    }


def _whole(value: Any) -> Any:
    """A count or time the storage layers keep as a DOUBLE (ML Metadata's MySQL and PostgreSQL
    layouts keep INTs in 32 bits), shown as the whole number it is."""
    return round(value) if isinstance(value, float) else value


def _zone(name: str) -> Resource:
    return Resource(ResourceKind.LAKE_ZONE, name)


def lake_entries(
    store: MetadataStore,
    prefix: str = "",
    zone: str | None = None,
    all_versions: bool = False,
    limit: int = MAX_ITEMS,
) -> dict[str, Any]:
    """Lake entries under a path ``prefix`` (in ``zone``): the newest version of each path
    unless ``all_versions``, sorted by path."""
    if not _types_present(store, NodeKind.ARTIFACT, (LAKE_ENTRY,)):
        return {"items": [], "zones": []}
    zones = (
        store.get(NodeKind.CONTEXT, NodeQuery(type_name=LAKE_ZONE))
        if _types_present(store, NodeKind.CONTEXT, (LAKE_ZONE,))
        else []
    )
    if zone is not None:
        match = [z for z in zones if z.name == zone]
        if not match:
            raise NotFoundError(f"no lake zone {zone!r}")
        require(store, Action.DESCRIBE, _zone(zone))
        artifacts = store.get(
            NodeKind.ARTIFACT, NodeQuery(type_name=LAKE_ENTRY, context_id=match[0].id)
        )
    elif may(store, Action.DESCRIBE, _zone("*")):
        artifacts = store.get(NodeKind.ARTIFACT, NodeQuery(type_name=LAKE_ENTRY))
    else:  # the entries of the zones the principal may describe
        zones = [z for z in zones if may(store, Action.DESCRIBE, _zone(z.name))]
        seen: dict[int, Any] = {}
        for z in zones:
            for a in store.get(NodeKind.ARTIFACT, NodeQuery(type_name=LAKE_ENTRY, context_id=z.id)):
                seen[a.id] = a
        artifacts = list(seen.values())
    entries = [
        _lake_entry(a) for a in artifacts if str(a.properties.get("path", "")).startswith(prefix)
    ]
    if not all_versions:
        newest: dict[str, dict] = {}
        for e in entries:
            old = newest.get(e["path"])
            if old is None or (e["ingested_at"] or 0, e["id"]) > (
                old["ingested_at"] or 0,
                old["id"],
            ):
                newest[e["path"]] = e
        entries = list(newest.values())
    entries.sort(key=lambda e: (e["path"] or "", e["ingested_at"] or 0, e["id"]))
    return {
        "items": entries[:limit],
        "zones": [z.name for z in zones],
        "truncated": len(entries) > limit,
    }


def lake_entry(store: MetadataStore, entry_id: int) -> dict[str, Any]:
    """One lake entry, its zones and every version of its path."""
    artifact = get_node(store, NodeKind.ARTIFACT, entry_id)
    if artifact.type != LAKE_ENTRY:
        raise NotFoundError(f"artifact {entry_id} is a {artifact.type}, not a lake entry")
    entry = _lake_entry(artifact)
    zones = store.get(NodeKind.CONTEXT, NodeQuery(artifact_id=entry_id))
    names = [z.name for z in zones if z.type == LAKE_ZONE] or ["*"]
    require(store, Action.DESCRIBE, [_zone(n) for n in names], f"lake entry {entry_id}")
    versions = lake_entries(store, prefix=entry["path"], all_versions=True)["items"]
    return {
        **entry,
        "zones": [z.name for z in zones if z.type == LAKE_ZONE],
        "versions": [v for v in versions if v["path"] == entry["path"]],
    }


# Warehouse -------------------------------------------------------------------------------


def _table(name: str) -> list[Resource]:
    """A table is governed by itself and by its subject (a permission on either allows)."""
    return [
        Resource(ResourceKind.WAREHOUSE_TABLE, name),
        Resource(ResourceKind.WAREHOUSE_SUBJECT, name.split(".", 1)[0]),
    ]


def warehouse_tables(store: MetadataStore) -> dict[str, Any]:
    """The warehouse tables recorded in the store, with their newest recorded version."""
    if not _types_present(store, NodeKind.CONTEXT, (WAREHOUSE_TABLE,)):
        return {"items": []}
    items = []
    for table in store.get(NodeKind.CONTEXT, NodeQuery(type_name=WAREHOUSE_TABLE)):
        if not may(store, Action.DESCRIBE, _table(table.name or "")):
            continue
        versions = _table_versions(store, table.id)
        latest = versions[-1] if versions else None
        items.append(
            {
                "name": table.name,
                "context_id": table.id,
                "subject": (table.name or "").split(".")[0],
                "location": latest["uri"] if latest else None,
                "version": latest["version"] if latest else None,
                "versions_recorded": len(versions),
            }
        )
    return {"items": sorted(items, key=lambda t: t["name"] or "")}


def _table_versions(store: MetadataStore, context_id: int) -> list[dict[str, Any]]:
    if not _types_present(store, NodeKind.ARTIFACT, (WAREHOUSE_VERSION,)):
        return []
    found = store.get(
        NodeKind.ARTIFACT, NodeQuery(type_name=WAREHOUSE_VERSION, context_id=context_id)
    )
    rows = [
        {
            "artifact_id": a.id,
            "version": a.properties.get("version"),
            "rows": _whole(a.properties.get("rows")),
            "uri": a.uri,
            "created": a.create_time_since_epoch,
        }
        for a in found
    ]
    return sorted(
        rows,
        key=lambda r: (r["version"] if isinstance(r["version"], int) else -1, r["artifact_id"]),
    )


def warehouse_table(store: MetadataStore, name: str) -> dict[str, Any]:
    """One table: the versions the store recorded (each with the load that wrote it) and the
    Delta log's history (when its location can be read from here)."""
    require(store, Action.DESCRIBE, _table(name))
    tables = [t for t in warehouse_tables(store)["items"] if t["name"] == name]
    if not tables:
        raise NotFoundError(f"no warehouse table {name!r}")
    table = tables[0]
    recorded = _table_versions(store, table["context_id"])
    history: list[dict[str, Any]] | None = None
    history_error = None
    if table["location"]:
        try:
            from datajourney.warehouse import delta

            history = [v.to_dict() for v in delta.history(delta.open_table(table["location"]))]
        except ImportError:
            history_error = "reading Delta history needs the warehouse extra (deltalake)"
        except Exception as error:  # a Delta log this process cannot read: say why
            history_error = f"{type(error).__name__}: {error}"
    if history_error and not recorded:
        raise FailedPreconditionError(f"warehouse table {name!r}: {history_error}")
    return {
        **table,
        "recorded_versions": recorded,
        "history": history,
        "history_error": history_error,
    }
