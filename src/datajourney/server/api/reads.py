"""The readable REST resources: types, nodes, events, lineage, diffs, the files artifacts hold,
snapshots, features, lake and warehouse. Each route returns a ``datajourney.server.data*``
function's dict as it is, the function run in the thread pool.

The routes are ``async`` and hand the function to the thread pool themselves: a plain ``def``
route costs two trips there (FastAPI checks a plain route's answer in the pool too), and each
trip costs about as much CPU as a small store read."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool

from .. import data, data_files, data_storage
from ..deps import StoreDep

router = APIRouter()

Id = Annotated[int, Path(ge=1, le=2**63 - 1, description="The node's id")]


class KindName(str, Enum):
    artifact = "artifact"
    execution = "execution"
    context = "context"


class LineageKind(str, Enum):
    artifact = "artifact"
    execution = "execution"


class Direction(str, Enum):
    upstream = "upstream"
    downstream = "downstream"
    both = "both"


class OrderBy(str, Enum):
    id = "id"
    create_time = "create_time"
    update_time = "update_time"


@router.get("/summary", tags=["overview"])
async def summary(store: StoreDep) -> dict[str, Any]:
    """Recent runs and their states, what failed, node counts by type (the home page)."""
    return await run_in_threadpool(data.summary, store)


@router.get("/types", tags=["types"])
async def list_types(store: StoreDep, kind: KindName | None = None) -> dict[str, Any]:
    """The registered types, of one kind or all."""
    return await run_in_threadpool(
        data.list_types, store, data.parse_kind(kind.value) if kind else None
    )


@router.get("/types/{kind}/{name}", tags=["types"])
async def get_type(
    store: StoreDep, kind: KindName, name: str, version: str | None = None
) -> dict[str, Any]:
    """One type by kind, name (and version)."""
    return await run_in_threadpool(data.get_type, store, data.parse_kind(kind.value), name, version)


def _lister(kind_name: str):
    kind = data.KINDS[kind_name]

    async def list_nodes(
        store: StoreDep,
        type: Annotated[str | None, Query(description="Only nodes of this type")] = None,
        context_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
        filter: Annotated[
            str | None, Query(description="Filter query, e.g. properties.accuracy > 0.9")
        ] = None,
        order_by: OrderBy = OrderBy.id,
        descending: bool = False,
        limit: Annotated[int, Query(ge=1, le=data.MAX_LIMIT)] = data.DEFAULT_LIMIT,
        page_token: str | None = None,
    ) -> dict[str, Any]:
        return await run_in_threadpool(
            data.list_nodes,
            store,
            kind,
            type_name=type,
            context_id=context_id,
            filter=filter,
            order_by=order_by.value,
            ascending=not descending,
            limit=limit,
            page_token=page_token,
        )

    async def detail(store: StoreDep, node_id: Id) -> dict[str, Any]:
        return await run_in_threadpool(data.node_detail, store, kind, node_id)

    noun = kind_name.removesuffix("s")
    list_nodes.__doc__ = (
        f"One page of {kind_name} (filter, sort, page with next_page_token), oldest first."
    )
    detail.__doc__ = f"One {noun} with its properties, events and contexts."
    router.add_api_route(
        f"/{kind_name}", list_nodes, methods=["GET"], tags=[kind_name], name=f"list_{kind_name}"
    )
    router.add_api_route(
        f"/{kind_name}/{{node_id}}", detail, methods=["GET"], tags=[kind_name], name=f"get_{noun}"
    )


for _name in data.KINDS:
    _lister(_name)


@router.get("/events", tags=["events"])
async def list_events(
    store: StoreDep,
    artifact_id: Annotated[list[Annotated[int, Query(ge=1, le=2**63 - 1)]], Query()] = (),
    execution_id: Annotated[list[Annotated[int, Query(ge=1, le=2**63 - 1)]], Query()] = (),
) -> dict[str, Any]:
    """The events touching these artifacts and / or executions (repeat the parameter)."""
    return await run_in_threadpool(data.list_events, store, artifact_id, execution_id)


@router.get("/lineage/{kind}/{node_id}", tags=["lineage"])
async def lineage(
    store: StoreDep,
    kind: LineageKind,
    node_id: Id,
    direction: Direction = Direction.both,
    depth: Annotated[int | None, Query(ge=0, le=10_000, description="Events at most")] = None,
) -> dict[str, Any]:
    """What a node came from (upstream), what came of it (downstream) or both, as nodes and
    edges along the data flow."""
    return await run_in_threadpool(data.lineage, store, kind.value, node_id, direction.value, depth)


@router.get("/diff", tags=["executions"])
async def diff(
    store: StoreDep,
    a: Annotated[int, Query(ge=1, le=2**63 - 1)],
    b: Annotated[int, Query(ge=1, le=2**63 - 1)],
) -> dict[str, Any]:
    """How execution ``b`` differs from execution ``a``: parameters, inputs, outputs."""
    return await run_in_threadpool(data.run_diff, store, a, b)


@router.get("/artifacts/{node_id}/statistics", tags=["artifacts"])
async def statistics(store: StoreDep, node_id: Id) -> dict[str, Any]:
    """Per split, the artifact's statistics (DatasetFeatureStatisticsList as JSON)."""
    return await run_in_threadpool(data_files.artifact_statistics, store, node_id)


@router.get("/artifacts/{node_id}/schema", tags=["artifacts"])
async def schema(store: StoreDep, node_id: Id) -> dict[str, Any]:
    """The artifact's schema (TFMD Schema as JSON)."""
    return await run_in_threadpool(data_files.artifact_schema, store, node_id)


@router.get("/artifacts/{node_id}/anomalies", tags=["artifacts"])
async def anomalies(store: StoreDep, node_id: Id) -> dict[str, Any]:
    """Per split, the artifact's anomalies (TFMD Anomalies as JSON)."""
    return await run_in_threadpool(data_files.artifact_anomalies, store, node_id)


@router.get("/snapshots", tags=["versioning"])
async def snapshots(
    store: StoreDep, limit: Annotated[int, Query(ge=1, le=data_storage.MAX_ITEMS)] = 100
) -> dict[str, Any]:
    """Artifacts recorded with a content snapshot, newest first."""
    return await run_in_threadpool(data_storage.list_snapshots, store, limit)


@router.get("/snapshots/{digest}", tags=["versioning"])
async def snapshot(store: StoreDep, digest: str) -> dict[str, Any]:
    """The artifacts that recorded this content digest."""
    return await run_in_threadpool(data_storage.snapshot_detail, store, digest)


@router.get("/features", tags=["features"])
async def feature_projects(store: StoreDep) -> dict[str, Any]:
    """The feature store projects."""
    return await run_in_threadpool(data_storage.feature_projects, store)


@router.get("/features/{project}", tags=["features"])
async def feature_definitions(store: StoreDep, project: str, all_versions: bool = False) -> dict:
    """A project's feature views, entities, services and sources (latest versions)."""
    return await run_in_threadpool(data_storage.feature_definitions, store, project, all_versions)


@router.get("/features/{project}/{name}", tags=["features"])
async def feature_view(store: StoreDep, project: str, name: str) -> dict[str, Any]:
    """Every version of one feature definition."""
    return await run_in_threadpool(data_storage.feature_view, store, project, name)


@router.get("/lake", tags=["lake"])
async def lake_entries(
    store: StoreDep,
    prefix: str = "",
    zone: str | None = None,
    all_versions: bool = False,
) -> dict[str, Any]:
    """Lake entries under a path prefix (newest version of each path)."""
    return await run_in_threadpool(data_storage.lake_entries, store, prefix, zone, all_versions)


@router.get("/lake/{node_id}", tags=["lake"])
async def lake_entry(store: StoreDep, node_id: Id) -> dict[str, Any]:
    """One lake entry with its zones and the versions of its path."""
    return await run_in_threadpool(data_storage.lake_entry, store, node_id)


@router.get("/warehouse", tags=["warehouse"])
async def warehouse_tables(store: StoreDep) -> dict[str, Any]:
    """The warehouse tables and their newest versions."""
    return await run_in_threadpool(data_storage.warehouse_tables, store)


@router.get("/warehouse/{name}", tags=["warehouse"])
async def warehouse_table(store: StoreDep, name: str) -> dict[str, Any]:
    """One warehouse table with its versions (store records and Delta history)."""
    return await run_in_threadpool(data_storage.warehouse_table, store, name)
