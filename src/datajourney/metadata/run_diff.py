"""Comparing two executions: what differs in their parameters, inputs and outputs.

Inputs are compared by identity of content: the ``snapshot`` digest property when the artifact
has one (data versioning records it), else type and uri. Outputs are paired by type, in order,
and compared by their properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .liveness import PROCESS_PROPERTIES
from .model import INPUT_EVENT_TYPES, OUTPUT_EVENT_TYPES, Artifact, Execution

SNAPSHOT_PROPERTY = "snapshot"


def _values(node: Artifact | Execution) -> dict[str, Any]:
    return {**node.custom_properties, **node.properties}


def _parameters(execution: Execution) -> dict[str, Any]:
    """What an execution was run with: its properties and custom properties, less where it
    ran (host, process id: no part of what it computed)."""
    values = _values(execution)
    return {k: v for k, v in values.items() if k not in PROCESS_PROPERTIES}


def _identity(artifact: Artifact) -> tuple:
    digest = _values(artifact).get(SNAPSHOT_PROPERTY)
    return (artifact.type, digest) if digest else (artifact.type, artifact.uri)


def _changes(a: dict[str, Any], b: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}


@dataclass
class ExecutionDiff:
    """How execution ``b`` differs from execution ``a``."""

    a: Execution
    b: Execution
    parameters: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    inputs_only_a: list[Artifact] = field(default_factory=list)
    inputs_only_b: list[Artifact] = field(default_factory=list)
    same_inputs: list[tuple[Artifact, Artifact]] = field(default_factory=list)
    outputs: list[tuple[Artifact | None, Artifact | None, dict[str, tuple[Any, Any]]]] = field(
        default_factory=list
    )

    @property
    def identical_inputs(self) -> bool:
        """Both executions read the same data (by content digest or uri)."""
        return not self.inputs_only_a and not self.inputs_only_b

    def __str__(self) -> str:
        lines = [f"execution {self.a.id} ({self.a.type}) vs {self.b.id} ({self.b.type})"]
        for name, (x, y) in self.parameters.items():
            lines.append(f"  parameter {name}: {x!r} -> {y!r}")
        for artifact in self.inputs_only_a:
            lines.append(f"  input only in {self.a.id}: {artifact.type} {artifact.uri}")
        for artifact in self.inputs_only_b:
            lines.append(f"  input only in {self.b.id}: {artifact.type} {artifact.uri}")
        for x, y, changed in self.outputs:
            label = (x or y).type
            for name, (u, v) in changed.items():
                lines.append(f"  output {label} {name}: {u!r} -> {v!r}")
        if len(lines) == 1:
            lines.append("  no differences in parameters, inputs or outputs")
        return "\n".join(lines)


def diff_executions(
    a: Execution,
    b: Execution,
    artifacts_a: list[tuple[int, Artifact]],
    artifacts_b: list[tuple[int, Artifact]],
) -> ExecutionDiff:
    """The difference of two executions given their (event type, artifact) pairs."""
    diff = ExecutionDiff(a, b, parameters=_changes(_parameters(a), _parameters(b)))
    inputs_a = {_identity(x): x for t, x in artifacts_a if t in INPUT_EVENT_TYPES}
    inputs_b = {_identity(x): x for t, x in artifacts_b if t in INPUT_EVENT_TYPES}
    diff.inputs_only_a = [x for k, x in inputs_a.items() if k not in inputs_b]
    diff.inputs_only_b = [x for k, x in inputs_b.items() if k not in inputs_a]
    diff.same_inputs = [(x, inputs_b[k]) for k, x in inputs_a.items() if k in inputs_b]
    by_type: dict[str | None, tuple[list[Artifact], list[Artifact]]] = {}
    for side, pairs in ((0, artifacts_a), (1, artifacts_b)):
        for event_type, artifact in pairs:
            if event_type in OUTPUT_EVENT_TYPES:
                by_type.setdefault(artifact.type, ([], []))[side].append(artifact)
    for outs_a, outs_b in by_type.values():
        for i in range(max(len(outs_a), len(outs_b))):
            x = outs_a[i] if i < len(outs_a) else None
            y = outs_b[i] if i < len(outs_b) else None
            changed = _changes(_values(x) if x else {}, _values(y) if y else {})
            diff.outputs.append((x, y, changed))
    return diff
