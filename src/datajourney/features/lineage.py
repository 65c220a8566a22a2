"""The feature store in the lineage: materializations and retrievals are executions, the
feature view versions, source data, entity rows and training sets their artifacts.

- ``FeatureMaterialization``: inputs the view version and its source data (``FeatureData``,
  its content digest in property ``digest``, or a snapshot digest when asked; for a warehouse
  source the ``WarehouseTableVersion`` read, the same artifact the warehouse's load wrote, so
  the lineage runs on to the load's own inputs); output the ``OnlineState``.
- ``FeatureRetrieval``: inputs the view versions, their source data and the ``EntityRows``
  (digest of the rows); output the ``TrainingSet`` file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import blake3

from ..metadata.model import Artifact, EventType
from ..metadata.store import MetadataStore
from .registry import KIND_TYPES, PROJECT_TYPE, Registry

if TYPE_CHECKING:
    import pyarrow as pa

MATERIALIZATION = "FeatureMaterialization"
RETRIEVAL = "FeatureRetrieval"
TABLE_VERSION = "WarehouseTableVersion"


@dataclass(frozen=True)
class SourceRef:
    """The data a view read: a file or folder (``uri``), or a warehouse table's location,
    name and version."""

    uri: str
    table: str | None = None
    version: int | None = None


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


def _table_version(store: MetadataStore, ref: SourceRef) -> Artifact | None:
    """The warehouse's own artifact of that table version, if the warehouse recorded it."""
    try:
        found = store.get_artifacts(type_name=TABLE_VERSION)
    except Exception:  # the type does not exist yet
        return None
    place = _place(ref.uri)
    found = [
        a
        for a in found
        if a.properties.get("version") == ref.version and _place(a.uri or "") == place
    ]
    return found[-1] if found else None


def _spellings(uri: str) -> list[str]:
    """A local path as given, absolute, relative to the working folder and as a file:// URL
    (artifacts record whichever their writer was given)."""
    if "://" in uri and not uri.startswith("file://"):
        return [uri]
    path = Path(uri[len("file://") :] if uri.startswith("file://") else uri).absolute()
    found = {uri, str(path), path.as_uri()}
    if path.is_relative_to(Path.cwd()):
        found.add(str(path.relative_to(Path.cwd())))
    return sorted(found)


def _place(uri: str) -> str:
    """A table location compared as an absolute path (the warehouse may record it relative
    to its working folder, or as a file:// URL)."""
    if uri.startswith("file://"):
        uri = uri[len("file://") :]
    return uri if "://" in uri else str(Path(uri).resolve())


def _source_input(run: Any, ref: SourceRef, snapshot: bool) -> None:
    if ref.table is not None:
        artifact = _table_version(run.store, ref)
        if artifact is not None:
            run.input(artifact)
        else:
            run.input(TABLE_VERSION, uri=ref.uri, table=ref.table, version=ref.version)
        return
    if snapshot and "://" not in ref.uri:
        run.input("FeatureData", uri=ref.uri, snapshot=True)
        return
    run.input("FeatureData", uri=ref.uri, digest=content_digest(ref.uri))


def record_materialization(
    registry: Registry,
    view: str,
    source: SourceRef,
    start_us: int,
    end_us: int,
    rows: int,
    online_uri: str,
    snapshot: bool = False,
) -> int:
    """Record one view's materialization; returns the execution id. Times (epoch
    microseconds) and counts are DOUBLEs, exact to 2^53: ML Metadata's PostgreSQL and MySQL
    layouts keep INTs in 32 bits."""
    store = registry.store
    params = {
        "view": view,
        "start_us": float(start_us),
        "end_us": float(end_us),
        "rows": float(rows),
    }
    with store.run(MATERIALIZATION, context=(PROJECT_TYPE, registry.project), params=params) as run:
        for artifact in _view_artifacts(store, registry, [view]):
            run.input(artifact)
        _source_input(run, source, snapshot)
        run.output("OnlineState", uri=online_uri, view=view, end_us=float(end_us))
    return run.id


def last_materialized_end(registry: Registry, view: str) -> int | None:
    """The end (epoch microseconds) of the view's latest materialization, if any."""
    try:
        found = registry.store.executions(MATERIALIZATION, context=(PROJECT_TYPE, registry.project))
    except Exception:  # no such type or context yet
        return None
    ends = [int(e.properties["end_us"]) for e in found if e.properties.get("view") == view]
    return max(ends, default=None)


def _utc(epoch: float, naive: bool) -> datetime.datetime:
    moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return moment.replace(tzinfo=None) if naive else moment


def stamp(registry: Registry, items: Iterable[Any]) -> None:
    """Set on each applied definition when it was first applied and last changed (naive
    UTC, Feast's ``created_timestamp`` / ``last_updated_timestamp``) and, on feature views,
    the (start, end) of each materialization, oldest first (tz-aware UTC, Feast's
    ``materialization_intervals``); a materialization also counts as a change."""
    first: dict[tuple[str, str], int] = {}
    last: dict[tuple[str, str], int] = {}
    for version in registry.versions():  # oldest first; a deletion starts a new life
        key = (KIND_TYPES[version.kind], version.name)
        if not version.active:
            first.pop(key, None)
        else:
            first.setdefault(key, version.created_ms)
        last[key] = version.created_ms
    intervals: dict[str, list] = {}
    try:
        runs = registry.store.executions(MATERIALIZATION, context=(PROJECT_TYPE, registry.project))
    except Exception:  # no such type or context yet
        runs = []
    for run in runs:
        view = run.properties.get("view")
        span = (run.properties["start_us"] / 1e6, run.properties["end_us"] / 1e6)
        intervals.setdefault(view, []).append(tuple(_utc(t, naive=False) for t in span))
        key = (KIND_TYPES["FeatureView"], view)
        last[key] = max(last.get(key, 0), run.create_time_since_epoch or 0)
    for item in items:
        key = (KIND_TYPES.get(type(item).__name__, ""), item.name)
        if key in first:
            item.created_timestamp = _utc(first[key] / 1000, naive=True)
            item.last_updated_timestamp = _utc(last[key] / 1000, naive=True)
        if hasattr(item, "materialization_intervals"):
            item.materialization_intervals[:] = intervals.get(item.name, [])


def record_training_set(
    registry: Registry,
    views: list[str],
    sources: list[SourceRef],
    entity_digest: str,
    path: str,
    name: str,
    rows: int,
    features: list[str],
) -> Artifact:
    """Record a retrieval saved as a training set; returns the TrainingSet artifact (its row
    count a DOUBLE, as in ``record_materialization``)."""
    store = registry.store
    params = {"features": ",".join(features), "rows": float(rows)}
    with store.run(RETRIEVAL, context=(PROJECT_TYPE, registry.project), params=params) as run:
        for artifact in _view_artifacts(store, registry, views):
            run.input(artifact)
        for source in dict.fromkeys(sources):
            _source_input(run, source, snapshot=False)
        run.input("EntityRows", uri=f"blake3:{entity_digest}", digest=entity_digest)
        output = run.output(
            "TrainingSet",
            uri=str(path),
            name=name,
            rows=float(rows),
            digest=content_digest(str(path)),
        )
    return output


def _retrievals_using(store: MetadataStore, registry: Registry, view: str, feature: str | None):
    """(retrieval execution, its downstream graph) pairs that read any version of ``view``
    (and asked for ``view:feature`` when a feature is named)."""
    wanted = f"{view}:{feature}" if feature else None
    for version in registry.history(view):
        graph = store.lineage(version.artifact_id, "downstream", max_hops=2)
        for execution in graph.executions.values():
            if execution.type != RETRIEVAL:
                continue
            refs = str(execution.properties.get("features", "")).split(",")
            if wanted and wanted not in refs:
                continue
            yield execution, graph


def training_sets_using(
    registry: Registry, view: str, feature: str | None = None
) -> list[Artifact]:
    """Training sets retrieved from any version of a feature view (with ``feature``: those
    that asked for that feature)."""
    store = registry.store
    found: dict[int, Artifact] = {}
    for execution, graph in _retrievals_using(store, registry, view, feature):
        for source, target in graph.edges:
            if source == ("execution", execution.id) and target[0] == "artifact":
                artifact = graph.artifacts[target[1]]
                if artifact.type == "TrainingSet":
                    found[artifact.id] = artifact
    return sorted(found.values(), key=lambda a: a.id)


def made_from(store: MetadataStore, training_sets: list[Artifact]) -> list[Artifact]:
    """Everything made downstream of these training sets (models, evaluations, pushes ...)."""
    found: dict[int, Artifact] = {}
    own = {a.id for a in training_sets}
    for training_set in training_sets:
        for artifact in store.lineage(training_set.id, "downstream").artifacts.values():
            if artifact.id not in own:
                found[artifact.id] = artifact
    return sorted(found.values(), key=lambda a: a.id)


def views_fed_by(registry: Registry, uri: str) -> list[str]:
    """The feature views (and on-demand views) whose materializations or retrievals read data
    that came from ``uri``: directly, or through the lake and the warehouse (every artifact
    with that uri, followed downstream). A warehouse load records only the rows it added, so a
    table version counts as coming from every earlier version of its table too (over-reporting
    after an overwrite rather than missing an appended file)."""
    store = registry.store
    todo = list(store.get_artifacts(uris=_spellings(uri)))
    seen: set[int] = set()
    executions: set[int] = set()
    while todo:
        artifact = todo.pop()
        if artifact.id in seen:
            continue
        seen.add(artifact.id)
        graph = store.lineage(artifact.id, "downstream")
        for execution in graph.executions.values():
            if execution.type in (MATERIALIZATION, RETRIEVAL):
                executions.add(execution.id)
        for found in graph.artifacts.values():
            if found.type == TABLE_VERSION and found.id not in seen:
                todo.append(found)
                todo += [
                    later
                    for later in store.get_artifacts(type_name=TABLE_VERSION, uris=[found.uri])
                    if later.properties.get("version", -1) > found.properties.get("version", 0)
                ]
    if not executions:
        return []
    inputs = [
        e for e in store.get_events(execution_ids=sorted(executions)) if e.type == EventType.INPUT
    ]
    artifacts = store.get_artifacts(ids=sorted({e.artifact_id for e in inputs}))
    names = {a.properties.get("name") for a in artifacts if "spec" in a.properties}
    return sorted(n for n in names if n)
