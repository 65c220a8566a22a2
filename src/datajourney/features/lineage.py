"""The feature store in the lineage: materializations and retrievals are executions, the
feature view versions, source data, entity rows and training sets their artifacts.

- ``FeatureMaterialization``: inputs the view version and its source data (``FeatureData``,
  its content digest in property ``digest``, or a snapshot digest when asked); output the
  ``OnlineState``.
- ``FeatureRetrieval``: inputs the view versions, their source data and the ``EntityRows``
  (digest of the rows); output the ``TrainingSet`` file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import blake3

from ..metadata.model import Artifact, EventType
from ..metadata.store import MetadataStore
from .registry import PROJECT_TYPE, Registry

if TYPE_CHECKING:
    import pyarrow as pa

MATERIALIZATION = "FeatureMaterialization"
RETRIEVAL = "FeatureRetrieval"


def content_digest(path: str) -> str:
    """blake3 of a file's bytes, or of a folder's files in name order ('' for a URL)."""
    target = Path(path)
    if "://" in path or not target.exists():
        return ""
    hasher = blake3.blake3()
    files = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
    for file in files:
        hasher.update(str(file.relative_to(target) if target.is_dir() else file.name).encode())
        with open(file, "rb") as handle:
            for block in iter(lambda h=handle: h.read(1 << 20), b""):
                hasher.update(block)
    return hasher.hexdigest()


def table_digest(table: pa.Table) -> str:
    """blake3 of an Arrow table's IPC bytes (the entity rows' identity)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return blake3.blake3(sink.getvalue().to_pybytes()).hexdigest()


def _view_artifacts(store: MetadataStore, registry: Registry, names: list[str]) -> list[Artifact]:
    current = registry.current()
    ids = [
        v.artifact_id
        for (type_name, name), v in current.items()
        if name in names and type_name in ("FeatureView", "OnDemandFeatureView")
    ]
    return store.get_artifacts(ids=ids) if ids else []


def _source_input(run: Any, uri: str, snapshot: bool) -> None:
    if snapshot and "://" not in uri:
        run.input("FeatureData", uri=uri, snapshot=True)
        return
    run.input("FeatureData", uri=uri, digest=content_digest(uri))


def record_materialization(
    registry: Registry,
    view: str,
    source_uri: str,
    start_us: int,
    end_us: int,
    rows: int,
    online_uri: str,
    snapshot: bool = False,
) -> int:
    """Record one view's materialization; returns the execution id."""
    store = registry.store
    params = {"view": view, "start_us": start_us, "end_us": end_us, "rows": rows}
    with store.run(MATERIALIZATION, context=(PROJECT_TYPE, registry.project), params=params) as run:
        for artifact in _view_artifacts(store, registry, [view]):
            run.input(artifact)
        _source_input(run, source_uri, snapshot)
        run.output("OnlineState", uri=online_uri, view=view, end_us=end_us)
    return run.id


def last_materialized_end(registry: Registry, view: str) -> int | None:
    """The end (epoch microseconds) of the view's latest materialization, if any."""
    try:
        found = registry.store.executions(MATERIALIZATION, context=(PROJECT_TYPE, registry.project))
    except Exception:  # no such type or context yet
        return None
    ends = [e.properties["end_us"] for e in found if e.properties.get("view") == view]
    return max(ends, default=None)


def record_training_set(
    registry: Registry,
    views: list[str],
    source_uris: list[str],
    entity_digest: str,
    path: str,
    name: str,
    rows: int,
    features: list[str],
) -> Artifact:
    """Record a retrieval saved as a training set; returns the TrainingSet artifact."""
    store = registry.store
    params = {"features": ",".join(features), "rows": rows}
    with store.run(RETRIEVAL, context=(PROJECT_TYPE, registry.project), params=params) as run:
        for artifact in _view_artifacts(store, registry, views):
            run.input(artifact)
        for uri in source_uris:
            _source_input(run, uri, snapshot=False)
        run.input("EntityRows", uri=f"blake3:{entity_digest}", digest=entity_digest)
        output = run.output(
            "TrainingSet", uri=str(path), name=name, rows=rows, digest=content_digest(str(path))
        )
    return output


def training_sets_using(registry: Registry, view: str) -> list[Artifact]:
    """Training sets retrieved from any version of a feature view (downstream lineage)."""
    store = registry.store
    found: dict[int, Artifact] = {}
    for version in registry.history(view):
        graph = store.lineage(version.artifact_id, "downstream")
        for node in graph.artifacts.values():
            if node.type == "TrainingSet":
                found[node.id] = node
    return sorted(found.values(), key=lambda a: a.id)


def views_fed_by(registry: Registry, uri: str) -> list[str]:
    """The feature views whose materializations or retrievals read the data at ``uri``."""
    store = registry.store
    data = store.get_artifacts(type_name="FeatureData", uris=[uri])
    events = store.get_events(artifact_ids=[a.id for a in data]) if data else []
    executions = {e.execution_id for e in events if e.type == EventType.INPUT}
    if not executions:
        return []
    inputs = [
        e for e in store.get_events(execution_ids=sorted(executions)) if e.type == EventType.INPUT
    ]
    artifacts = store.get_artifacts(ids=sorted({e.artifact_id for e in inputs}))
    names = {a.properties.get("name") for a in artifacts if "spec" in a.properties}
    return sorted(n for n in names if n)
