"""Run one component in a pipeline run: driver (inputs, cache), executor, publisher."""

from __future__ import annotations

import json
import time
import traceback
from dataclasses import dataclass, field

from datajourney.metadata.liveness import process_record
from datajourney.metadata.model import (
    Artifact,
    ArtifactState,
    ArtifactType,
    Attribution,
    Event,
    EventType,
    Execution,
    ExecutionState,
    ExecutionType,
)

from .code import code_hash
from .component import Component
from .driver import Resolved, cache_key, find_cached, resolve_inputs
from .errors import ComponentFailedError
from .publisher import abandon, output_events, publish
from .scope import RunScope


@dataclass
class ComponentResult:
    """How one component's run ended: COMPLETE, CACHED, FAILED or SKIPPED."""

    component_id: str
    state: str
    execution_id: int | None = None
    outputs: Resolved = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0


def launch(scope: RunScope, component: Component, enable_cache: bool = True) -> ComponentResult:
    """Run ``component``: reuse a cached result when allowed, else execute and publish.

    Its output channels get the published artifacts. Raises ComponentFailedError (after
    recording the failure) when the executor raises, InputError when an input is missing.
    """
    started = time.perf_counter()
    with scope.writing:
        inputs = resolve_inputs(scope, component)
        code = code_hash(component.component_class.executor)
        key = cache_key(component, inputs, code)
        execution = Execution(
            type_id=scope.type_id(ExecutionType, component.type_name),
            last_known_state=ExecutionState.RUNNING,
            custom_properties=_record(scope, component, key, code),
        )
        cached = find_cached(scope, key) if enable_cache else None
        if cached is not None:
            original, outputs = cached
            execution.last_known_state = ExecutionState.CACHED
            execution.custom_properties["cached_from"] = original.id
            _start(scope, component, execution, inputs, outputs)
        else:
            _start(scope, component, execution, inputs)
            outputs = _pending_outputs(scope, component, execution)
    if cached is None:
        try:
            component.component_class.executor(
                **{k: g[0].uri if k in component.paths else g[0] for k, g in inputs.items()},
                **{key: group[0] for key, group in outputs.items()},
                **component.parameters,
            )
        except Exception as exc:
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            with scope.writing:
                abandon(scope, execution, outputs, error)
            raise ComponentFailedError(component.id, execution.id, error) from exc
        with scope.writing:
            publish(scope, execution, outputs)
    for key, channel in component.outputs.items():
        channel.artifacts = outputs.get(key, [])
    state = "COMPLETE" if cached is None else "CACHED"
    return ComponentResult(
        component.id, state, execution.id, outputs, seconds=time.perf_counter() - started
    )


def _record(scope: RunScope, component: Component, key: str, code: str) -> dict:
    return {
        "pipeline_name": scope.pipeline_name,
        "run_id": scope.run_id,
        "component_id": component.id,
        "cache_key": key,
        "executor_source_hash": component.component_class.source_hash,
        "code_hash": code,
        "parameters": json.dumps(component.parameters, sort_keys=True),
        **scope.environment.properties(),
        **process_record(),  # so that a run whose process was killed can be told
    }


def _start(
    scope: RunScope,
    component: Component,
    execution: Execution,
    inputs: Resolved,
    reused: Resolved | None = None,
) -> None:
    """Record the execution with its input events (and, for a cache hit, the reused outputs)."""
    contexts = [scope.pipeline_context, scope.run_context, scope.node_context(component.id)]
    pairs = [
        (artifact, Event(type=EventType.INPUT, path=[key, index]))
        for key, group in inputs.items()
        for index, artifact in enumerate(group)
    ]
    with scope.store.transaction():
        execution.id, _, context_ids = scope.store.put_execution(
            execution,
            pairs,
            contexts,
            reuse_context_if_already_exist=True,
            force_reuse_context=True,
        )
        if reused:
            scope.store.put_events(output_events(reused, execution.id, EventType.OUTPUT))
            scope.store.put_attributions_and_associations(
                [Attribution(c, a.id) for c in context_ids for g in reused.values() for a in g], []
            )


def _pending_outputs(scope: RunScope, component: Component, execution: Execution) -> Resolved:
    outputs: Resolved = {}
    for key, channel in component.outputs.items():
        uri = scope.output_uri(component.id, key, execution.id)
        uri.mkdir(parents=True, exist_ok=True)
        outputs[key] = [
            Artifact(
                type_id=scope.type_id(ArtifactType, channel.type_name),
                uri=str(uri),
                type=channel.type_name,
                state=ArtifactState.PENDING,
                custom_properties={"producer_component": component.id, "output_key": key},
            )
        ]
    artifacts = [group[0] for group in outputs.values()]
    contexts = [scope.pipeline_context, scope.run_context, scope.node_context(component.id)]
    with scope.store.transaction():
        ids = scope.store.put(artifacts)
        for artifact, artifact_id in zip(artifacts, ids):
            artifact.id = artifact_id
        scope.store.put_attributions_and_associations(
            [Attribution(c.id, a.id) for c in contexts for a in artifacts], []
        )
    return outputs
