"""The driver: before an executor runs, resolve its inputs from the store, compute its cache key
and look for a past execution whose outputs can be reused."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

from datajourney import versioning
from datajourney.metadata.model import (
    OUTPUT_EVENT_TYPES,
    Artifact,
    ArtifactState,
    ArtifactType,
    Execution,
)
from datajourney.versioning import SNAPSHOT_PROPERTY, VersioningError

from .component import Component
from .errors import InputError
from .ports import EXTERNAL_TYPE
from .scope import RunScope

Resolved = dict[str, list[Artifact]]


def resolve_inputs(scope: RunScope, component: Component) -> Resolved:
    """The input artifacts of ``component``, read back from the store (LIVE ones only), and its
    outside paths snapshotted and recorded as ``ExternalArtifact`` inputs."""
    resolved: Resolved = {}
    store = scope.store
    for key, channel in component.inputs.items():
        ids = [a.id for a in channel.artifacts]
        artifacts = store.get_artifacts(ids=ids) if ids else []
        if not artifacts or any(a.state != ArtifactState.LIVE for a in artifacts):
            raise InputError(
                f"{component.id}: input {key!r} has no published {channel.type_name} "
                + (f"(run {channel.producer.id} first)" if channel.producer else "(not LIVE)")
            )
        resolved[key] = artifacts
    for key, path in component.paths.items():
        resolved[key] = [external_artifact(scope, component.id, key, path)]
    return resolved


def external_artifact(scope: RunScope, component_id: str, key: str, path: str) -> Artifact:
    """The ``ExternalArtifact`` for a file or folder as it is now (snapshotted; reused when the
    same content at the same path was recorded before)."""
    uri = str(Path(path).resolve())
    try:
        digest = versioning.snapshot(uri)
    except VersioningError as error:
        raise InputError(f"{component_id}: {key} {path!r}: {error}") from None
    store = scope.store
    with store.transaction():
        for artifact in store.get_artifacts(type_name=EXTERNAL_TYPE, uris=[uri]):
            if artifact.custom_properties.get(SNAPSHOT_PROPERTY) == digest:
                return artifact
        artifact = Artifact(
            type_id=scope.type_id(ArtifactType, EXTERNAL_TYPE),
            uri=uri,
            state=ArtifactState.LIVE,
            custom_properties={SNAPSHOT_PROPERTY: digest},
        )
        [artifact.id] = store.put([artifact])
        return artifact


def cache_key(component: Component, inputs: Resolved, code: str) -> str:
    """SHA-256 over the component class, its code hash, parameters and input contents."""
    record = {
        "component": component.type_name,
        "code": code,
        "parameters": component.parameters,
        "inputs": {
            key: [a.custom_properties.get(SNAPSHOT_PROPERTY, f"id:{a.id}") for a in artifacts]
            for key, artifacts in sorted(inputs.items())
        },
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def find_cached(scope: RunScope, key: str) -> tuple[Execution, Resolved] | None:
    """The latest successful execution with this cache key whose outputs are all still LIVE and
    unchanged on disk, with those outputs by key; None when there is none."""
    store = scope.store
    candidates = store.get_executions(
        filter_query=f"custom_properties.cache_key.string_value = '{key}' "
        "AND last_known_state = COMPLETE",
        order_by="id",
        ascending=False,
    )
    for execution in candidates:
        outputs = _outputs_of(scope, execution)
        if outputs is not None:
            return execution, outputs
    return None


def _outputs_of(scope: RunScope, execution: Execution) -> Resolved | None:
    store = scope.store
    events = [
        e for e in store.get_events(execution_ids=[execution.id]) if e.type in OUTPUT_EVENT_TYPES
    ]
    artifacts = {a.id: a for a in store.get_artifacts(ids=[e.artifact_id for e in events])}
    outputs: Resolved = defaultdict(list)
    for event in events:
        artifact = artifacts[event.artifact_id]
        if artifact.state != ArtifactState.LIVE or not _unchanged(artifact):
            return None
        outputs[str(event.path[0]) if event.path else "output"].append(artifact)
    return dict(outputs)


def _unchanged(artifact: Artifact) -> bool:
    recorded = artifact.custom_properties.get(SNAPSHOT_PROPERTY)
    if not recorded or not artifact.uri:
        return False
    try:
        return versioning.snapshot(artifact.uri) == recorded
    except VersioningError:
        return False
