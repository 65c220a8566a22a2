"""Comparing two executions: parameters, recorded environment, inputs and outputs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from datajourney.metadata.errors import NotFoundError
from datajourney.metadata.model import INPUT_EVENT_TYPES, Execution, ExecutionState
from datajourney.metadata.store import MetadataStore
from datajourney.versioning import SNAPSHOT_PROPERTY

RECORD = (
    "executor_source_hash",
    "code_hash",
    "git_commit",
    "git_dirty",
    "python_version",
    "platform",
    "packages_digest",
)


@dataclass
class ExecutionDiff:
    """What differs between executions ``a`` and ``b``: each entry maps a name to (a, b)."""

    a: int
    b: int
    state: tuple[str, str]
    parameters: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    record: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    inputs: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    outputs: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        """Whether parameters, record, inputs and outputs are all the same."""
        return not (self.parameters or self.record or self.inputs or self.outputs)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "a": self.a,
            "b": self.b,
            "state": list(self.state),
            "same": self.same,
            **{
                name: {k: list(v) for k, v in getattr(self, name).items()}
                for name in ("parameters", "record", "inputs", "outputs")
            },
        }


def diff_executions(store: MetadataStore, a: int, b: int) -> ExecutionDiff:
    """Compare executions ``a`` and ``b`` of the store (NotFoundError when one is missing)."""
    found = {e.id: e for e in store.get_executions(ids=[a, b])}
    for wanted in (a, b):
        if wanted not in found:
            raise NotFoundError(f"no execution {wanted}")
    left, right = found[a], found[b]
    diff = ExecutionDiff(a, b, (_state(left), _state(right)))
    diff.parameters = _changed(_parameters(left), _parameters(right))
    diff.record = _changed(
        {k: left.custom_properties.get(k) for k in RECORD},
        {k: right.custom_properties.get(k) for k in RECORD},
    )
    ins_a, outs_a = _artifacts(store, a)
    ins_b, outs_b = _artifacts(store, b)
    diff.inputs = _changed(ins_a, ins_b)
    diff.outputs = _changed(outs_a, outs_b)
    return diff


def _state(execution: Execution) -> str:
    state = execution.last_known_state
    return ExecutionState(state).name if state is not None else "UNKNOWN"


def _parameters(execution: Execution) -> dict[str, Any]:
    return json.loads(str(execution.custom_properties.get("parameters", "{}")))


def _artifacts(store: MetadataStore, execution_id: int) -> tuple[dict, dict]:
    """Port key -> snapshot digests (artifact ids where there is none), inputs and outputs."""
    events = store.get_events(execution_ids=[execution_id])
    artifacts = {x.id: x for x in store.get_artifacts(ids=[e.artifact_id for e in events])}
    inputs: dict[str, list[str]] = {}
    outputs: dict[str, list[str]] = {}
    for event in events:
        artifact = artifacts[event.artifact_id]
        name = str(event.path[0]) if event.path else str(artifact.type)
        value = str(artifact.custom_properties.get(SNAPSHOT_PROPERTY) or f"artifact {artifact.id}")
        (inputs if event.type in INPUT_EVENT_TYPES else outputs).setdefault(name, []).append(value)
    return inputs, outputs


def _changed(a: dict[str, Any], b: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (a.get(k), b.get(k)) for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)}
