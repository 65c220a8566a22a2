"""The metadata pages: home, lists with the filter language, details, lineage, run comparison.

Each data function returns what ``datajourney.server.data`` returns (plus what the page needs
to draw its controls); the JSON twin of a page is that dict.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from datajourney.metadata.errors import InvalidArgumentError
from datajourney.metadata.model import NodeKind
from datajourney.server import data
from datajourney.server.deps import StoreDep

from .render import page

router = APIRouter()

# How many events deep the lineage page starts (the graph expands from there on request).
DEFAULT_DEPTH = 3

# Custom properties worth a column in the lists (the pipeline's own bookkeeping is long).
_LIST_COLUMNS = ("split_names", "row_counts", "anomaly_counts", "component_id", "run_id")
# Artifact types whose files the statistics / schema / anomalies pages can show.
FILE_PAGES = {
    "ExampleStatistics": "statistics",
    "Schema": "schema",
    "ExampleAnomalies": "anomalies",
}


@page(router, "/", "home.html", "Overview")
def home(request: Request, store: StoreDep) -> dict[str, Any]:
    """Recent runs and their states, what failed, and how many nodes of each type."""
    return data.summary(store)


def _list(
    store,
    kind: NodeKind,
    type_name: str | None,
    filter: str | None,
    order_by: str,
    desc: bool,
    limit: int,
    page_token: str | None,
    context_id: int | None,
) -> dict[str, Any]:
    found = data.list_nodes(
        store,
        kind,
        type_name=type_name or None,
        context_id=context_id,
        filter=filter or None,
        order_by=order_by,
        ascending=not desc,
        limit=limit,
        page_token=page_token or None,
    )
    found["types"] = [t["name"] for t in data.list_types(store, kind)["items"]]
    found["columns"] = [
        c for c in _LIST_COLUMNS if any(c in n["custom_properties"] for n in found["items"])
    ]
    return found


def _list_page(kind: NodeKind, path: str, title: str) -> None:
    @page(router, path, "list.html", title)
    def listing(
        request: Request,
        store: StoreDep,
        type: str | None = Query(None, description="only nodes of this type"),
        filter: str | None = Query(None, description="a filter query (MLMD's language)"),
        order_by: str = Query("id", description="id, create_time or update_time"),
        desc: bool = Query(False, description="newest / highest first"),
        limit: int = Query(data.DEFAULT_LIMIT, description="rows per page"),
        page_token: str | None = Query(None, description="where the previous page ended"),
        context_id: int | None = Query(None, description="only members of this context"),
    ) -> dict[str, Any]:
        return _list(store, kind, type, filter, order_by, desc, limit, page_token, context_id)


_list_page(NodeKind.ARTIFACT, "/artifacts", "Artifacts")
_list_page(NodeKind.EXECUTION, "/executions", "Runs")
_list_page(NodeKind.CONTEXT, "/contexts", "Contexts")


def _detail_page(kind: NodeKind, path: str) -> None:
    @page(router, path, "detail.html", lambda d: f"{d['type']} #{d['id']}")
    def detail(request: Request, store: StoreDep, node_id: int) -> dict[str, Any]:
        found = data.node_detail(store, kind, node_id)
        found["file_page"] = FILE_PAGES.get(found["type"]) if kind == NodeKind.ARTIFACT else None
        return found


_detail_page(NodeKind.ARTIFACT, "/artifacts/{node_id}")
_detail_page(NodeKind.EXECUTION, "/executions/{node_id}")
_detail_page(NodeKind.CONTEXT, "/contexts/{node_id}")


@page(router, "/lineage/{kind}/{node_id}", "lineage.html", lambda d: f"Lineage of {d['focus']}")
def lineage(
    request: Request,
    store: StoreDep,
    kind: str,
    node_id: int,
    direction: str = Query("both", description="upstream, downstream or both"),
    depth: str = Query(
        str(DEFAULT_DEPTH), description="events followed at most: a number, or 'all'"
    ),
) -> dict[str, Any]:
    """The lineage graph around an artifact or execution (nodes, edges, contexts); the page
    starts ``DEFAULT_DEPTH`` events deep and expands from there."""
    if depth.strip().lower() in ("", "all"):
        events = None
    else:
        try:
            events = int(depth)
        except ValueError:
            raise InvalidArgumentError(f"depth {depth!r}: give a number or 'all'") from None
    return data.lineage(store, kind, node_id, direction, events)


@page(router, "/diff", "diff.html", "Compare runs")
def diff(
    request: Request,
    store: StoreDep,
    a: int | None = Query(None, description="the first execution's id"),
    b: int | None = Query(None, description="the second execution's id"),
) -> dict[str, Any]:
    """How run ``b`` differs from run ``a``; without both, the recent runs to choose from."""
    recent = data.list_nodes(store, NodeKind.EXECUTION, order_by="id", ascending=False, limit=200)
    choices = [{"id": n["id"], "type": n["type"], "state": n["state"]} for n in recent["items"]]
    if a is None or b is None:
        if a is not None or b is not None:
            raise InvalidArgumentError("give both a and b (execution ids) to compare two runs")
        return {"a": None, "b": None, "choices": choices}
    return {**data.run_diff(store, a, b), "choices": choices}
