"""The publisher: after an executor, record its outputs (LIVE, with their snapshot digests) and
the execution's final state; after a failure, abandon the outputs and remove their files."""

from __future__ import annotations

import shutil
from pathlib import Path

from datajourney import versioning
from datajourney.metadata.model import ArtifactState, Event, EventType, Execution, ExecutionState
from datajourney.versioning import SNAPSHOT_PROPERTY

from .driver import Resolved
from .scope import RunScope


def output_events(outputs: Resolved, execution_id: int, event_type: EventType) -> list[Event]:
    """One event per output artifact, its path the output key and index (as TFX records it)."""
    return [
        Event(artifact_id=a.id, execution_id=execution_id, type=event_type, path=[key, index])
        for key, artifacts in outputs.items()
        for index, a in enumerate(artifacts)
    ]


def publish(scope: RunScope, execution: Execution, outputs: Resolved) -> None:
    """Snapshot each output, make it LIVE, link it as OUTPUT and mark the execution COMPLETE."""
    artifacts = [a for group in outputs.values() for a in group]
    for artifact in artifacts:
        Path(artifact.uri).mkdir(parents=True, exist_ok=True)
        artifact.custom_properties[SNAPSHOT_PROPERTY] = versioning.snapshot(artifact.uri)
        artifact.state = ArtifactState.LIVE
    execution.last_known_state = ExecutionState.COMPLETE
    with scope.store.transaction():
        scope.store.put(artifacts)
        scope.store.put_events(output_events(outputs, execution.id, EventType.OUTPUT))
        scope.store.put([execution])


def abandon(scope: RunScope, execution: Execution, outputs: Resolved, error: str) -> None:
    """Mark the outputs ABANDONED (files removed) and the execution FAILED with ``error``."""
    artifacts = [a for group in outputs.values() for a in group]
    for artifact in artifacts:
        shutil.rmtree(artifact.uri, ignore_errors=True)
        artifact.state = ArtifactState.ABANDONED
    execution.last_known_state = ExecutionState.FAILED
    execution.custom_properties["error"] = error
    with scope.store.transaction():
        scope.store.put(artifacts)
        scope.store.put_events(output_events(outputs, execution.id, EventType.PENDING_OUTPUT))
        scope.store.put([execution])
