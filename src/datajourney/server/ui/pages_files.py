"""The pages of what an artifact's files hold: statistics, schema and anomalies.

The charts and tables are ``datajourney.views`` (the same HTML a notebook shows: shared-bucket
histograms overlaid, categorical bars, schema and anomalies tables); the pages add the choice of
what to compare, a missing-values summary and quantiles. The JSON twin holds the protos as
protobuf's JSON mapping (``datajourney.server.data_files``) plus those choices.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from markupsafe import Markup

from datajourney.metadata.errors import InvalidArgumentError, NotFoundError
from datajourney.metadata.model import NodeKind
from datajourney.metadata.sql.queries import NodeQuery
from datajourney.server import data_files
from datajourney.server.deps import StoreDep

from .render import page

router = APIRouter()

# Which split is compared with which when the page is opened without a choice.
_PAIRS = (("train", "serving"), ("train", "eval"), ("eval", "serving"))
QUANTILES = (0.0, 0.25, 0.5, 0.75, 1.0)


def _statistics_proto(found: dict[str, Any], split: str):
    from google.protobuf import json_format
    from tensorflow_metadata.proto.v0 import statistics_pb2

    if split not in found["splits"]:
        names = ", ".join(repr(s) for s in found["splits"]) or "none"
        raise NotFoundError(
            f"artifact {found['artifact']['id']} has no statistics for split {split!r} "
            f"(it has {names})"
        )
    return json_format.ParseDict(
        found["splits"][split], statistics_pb2.DatasetFeatureStatisticsList()
    )


def _previous_version(store, artifact: dict[str, Any]) -> int | None:
    """The newest older artifact of the same type (the last version to compare against)."""
    older = store.get(
        NodeKind.ARTIFACT,
        NodeQuery(
            type_name=artifact["type"],
            filter_query=f"id < {int(artifact['id'])}",
            order_by="id",
            ascending=False,
            limit=1,
        ),
    )
    return older[0].id if older else None


def _default_pair(splits: list[str]) -> tuple[str, str | None]:
    for lhs, rhs in _PAIRS:
        if lhs in splits and rhs in splits:
            return lhs, rhs
    if len(splits) >= 2:
        return splits[0], splits[1]
    return (splits[0] if splits else ""), None


def _quantiles(numeric: dict[str, Any]) -> list[float] | None:
    for histogram in numeric.get("histograms", []):
        if histogram.get("type") == "QUANTILES" and histogram.get("buckets"):
            buckets = histogram["buckets"]
            edges = [float(buckets[0].get("low_value", 0))]
            edges += [float(b.get("high_value", 0)) for b in buckets]
            return [edges[round(q * (len(edges) - 1))] for q in QUANTILES]
    return None


def _features(statistics: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Feature name -> type, examples, missing count and fraction, quantiles (numeric)."""
    datasets = statistics.get("datasets", [])
    if not datasets:
        return {}
    dataset = datasets[0]
    examples = float(dataset.get("num_examples", 0) or 0)
    out = {}
    for feature in dataset.get("features", []):
        steps = feature.get("path", {}).get("step") or [feature.get("name", "?")]
        name = ".".join(steps)
        numeric = feature.get("num_stats")
        holder = numeric or feature.get("string_stats") or feature.get("bytes_stats") or {}
        common = holder.get("common_stats", {})
        missing = float(common.get("num_missing", 0) or 0)
        present = float(common.get("num_non_missing", 0) or 0)
        total = missing + present or examples
        out[name] = {
            "type": feature.get("type", "INT"),
            "missing": int(missing),
            "missing_fraction": (missing / total) if total else 0.0,
            "quantiles": _quantiles(numeric) if numeric else None,
        }
    return out


@page(
    router,
    "/artifacts/{node_id}/statistics",
    "statistics.html",
    lambda d: f"Statistics of {d['artifact']['type']} #{d['artifact']['id']}",
)
def statistics(
    request: Request,
    store: StoreDep,
    node_id: int,
    split: str | None = Query(None, description="the split shown first (e.g. train)"),
    compare: str | None = Query(None, description="the split overlaid on it ('' for none)"),
    compare_artifact: int | None = Query(
        None, description="overlay this other statistics artifact (e.g. the last version)"
    ),
) -> dict[str, Any]:
    """Per-feature statistics of one split, another split or artifact overlaid."""
    found = data_files.artifact_statistics(store, node_id)
    splits = list(found["splits"])
    lhs_default, rhs_default = _default_pair(splits)
    lhs_split = split or lhs_default
    _statistics_proto(found, lhs_split)  # a clear error for a split it does not have
    other = found
    if compare_artifact is not None:
        if compare_artifact == node_id:
            raise InvalidArgumentError("compare_artifact is this artifact: choose another one")
        other = data_files.artifact_statistics(store, compare_artifact)
        rhs_split = compare if compare is not None else lhs_split
        if rhs_split not in other["splits"]:
            rhs_split = next(iter(other["splits"]), "")
    else:
        rhs_split = compare if compare is not None else rhs_default
        if rhs_split == lhs_split:
            rhs_split = None
    rhs_split = rhs_split or None
    if rhs_split is not None:
        _statistics_proto(other, rhs_split)
    lhs_features = _features(found["splits"][lhs_split])
    rhs_features = _features(other["splits"][rhs_split]) if rhs_split else {}
    features = [
        {
            "name": name,
            "type": (lhs_features.get(name) or rhs_features.get(name))["type"],
            "lhs": lhs_features.get(name),
            "rhs": rhs_features.get(name),
        }
        for name in dict.fromkeys([*lhs_features, *rhs_features])
    ]
    return {
        **found,
        "lhs": {"artifact_id": node_id, "split": lhs_split},
        "rhs": (
            {"artifact_id": other["artifact"]["id"], "split": rhs_split}
            if rhs_split is not None
            else None
        ),
        "compare_artifact": other["artifact"] if compare_artifact is not None else None,
        "compare_splits": (
            {rhs_split: other["splits"][rhs_split]}
            if compare_artifact is not None and rhs_split is not None
            else None
        ),
        "previous_version": _previous_version(store, found["artifact"]),
        "features": features,
        "quantile_levels": list(QUANTILES),
    }


def statistics_chart(d: dict[str, Any]) -> Markup:
    """The per-feature tables and charts of ``datajourney.views`` for the page's choice."""
    from datajourney.views import statistics_html

    lhs = _statistics_proto(d, d["lhs"]["split"])
    names = [_side_name(d, "lhs")]
    rhs = None
    if d["rhs"] is not None:
        source = d
        if d["compare_artifact"] is not None:
            source = {"artifact": d["compare_artifact"], "splits": d["compare_splits"]}
        rhs = _statistics_proto(source, d["rhs"]["split"])
        names.append(_side_name(d, "rhs"))
    html = (
        statistics_html(lhs, rhs, *names)
        if rhs is not None
        else statistics_html(lhs, None, names[0])
    )
    return Markup(html)


def _side_name(d: dict[str, Any], side: str) -> str:
    chosen = d[side]
    name = chosen["split"] or "statistics"
    if chosen["artifact_id"] != d["artifact"]["id"]:
        name = f"#{chosen['artifact_id']} {name}"
    return name


@page(
    router,
    "/artifacts/{node_id}/schema",
    "file_view.html",
    lambda d: f"Schema #{d['artifact']['id']}",
)
def schema(request: Request, store: StoreDep, node_id: int) -> dict[str, Any]:
    """The schema an artifact holds: features, types, presence, valency, domains."""
    return {**data_files.artifact_schema(store, node_id), "view": "schema"}


@page(
    router,
    "/artifacts/{node_id}/anomalies",
    "file_view.html",
    lambda d: f"Anomalies #{d['artifact']['id']}",
)
def anomalies(request: Request, store: StoreDep, node_id: int) -> dict[str, Any]:
    """The anomalies an artifact holds, per split: feature, short and long description."""
    found = data_files.artifact_anomalies(store, node_id)
    counts = {
        split: len(a.get("anomaly_info", {})) + (1 if a.get("dataset_anomaly_info") else 0)
        for split, a in found["splits"].items()
    }
    return {**found, "view": "anomalies", "counts": counts}


def file_view(d: dict[str, Any], split: str) -> Markup:
    """A split's schema or anomalies drawn by ``datajourney.views``."""
    from google.protobuf import json_format
    from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2

    from datajourney.views import anomalies_html, schema_html

    if d["view"] == "schema":
        message = json_format.ParseDict(d["splits"][split], schema_pb2.Schema())
        return Markup(schema_html(message))
    message = json_format.ParseDict(d["splits"][split], anomalies_pb2.Anomalies())
    return Markup(anomalies_html(message))
