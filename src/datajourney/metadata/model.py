"""The metadata data model: types, nodes (artifacts, executions, contexts) and the edges between
them, as plain dataclasses. Names and enum numbers are ML Metadata's, so records map one to one
onto ml-metadata's protobuf messages and database rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class PropertyType(IntEnum):
    """Declared type of a property."""

    UNKNOWN = 0
    INT = 1
    DOUBLE = 2
    STRING = 3
    STRUCT = 4
    PROTO = 5
    BOOLEAN = 6


class ArtifactState(IntEnum):
    UNKNOWN = 0
    PENDING = 1
    LIVE = 2
    MARKED_FOR_DELETION = 3
    DELETED = 4
    ABANDONED = 5
    REFERENCE = 6


class ExecutionState(IntEnum):
    UNKNOWN = 0
    NEW = 1
    RUNNING = 2
    COMPLETE = 3
    FAILED = 4
    CACHED = 5
    CANCELED = 6


class EventType(IntEnum):
    UNKNOWN = 0
    DECLARED_OUTPUT = 1
    DECLARED_INPUT = 2
    INPUT = 3
    OUTPUT = 4
    INTERNAL_INPUT = 5
    INTERNAL_OUTPUT = 6
    PENDING_OUTPUT = 7


# Members by stored value, for reading rows: a dict lookup costs a tenth of calling the enum.
ARTIFACT_STATE_BY_VALUE = {int(m): m for m in ArtifactState}
EXECUTION_STATE_BY_VALUE = {int(m): m for m in ExecutionState}
EVENT_TYPE_BY_VALUE = {int(m): m for m in EventType}

INPUT_EVENT_TYPES = frozenset({EventType.DECLARED_INPUT, EventType.INPUT, EventType.INTERNAL_INPUT})
OUTPUT_EVENT_TYPES = frozenset(
    {
        EventType.DECLARED_OUTPUT,
        EventType.OUTPUT,
        EventType.INTERNAL_OUTPUT,
        EventType.PENDING_OUTPUT,
    }
)


class ArtifactBaseType(IntEnum):
    UNSET = 0
    DATASET = 1
    MODEL = 2
    METRICS = 3
    STATISTICS = 4


class ExecutionBaseType(IntEnum):
    UNSET = 0
    TRAIN = 1
    TRANSFORM = 2
    PROCESS = 3
    EVALUATE = 4
    DEPLOY = 5


class ContextBaseType(IntEnum):
    UNSET = 0


class NodeKind(IntEnum):
    """What a type describes; the numbers are the ``Type.type_kind`` column's."""

    EXECUTION = 0
    ARTIFACT = 1
    CONTEXT = 2


@dataclass(frozen=True)
class ProtoValue:
    """A packed protobuf message (``google.protobuf.Any``): its type URL and serialized bytes."""

    type_url: str
    value: bytes = b""


# A property value: int, float, str, bool, a JSON-like dict (a protobuf Struct) or a ProtoValue.
Value = int | float | str | bool | dict | ProtoValue


@dataclass
class _Type:
    name: str
    properties: dict[str, PropertyType] = field(default_factory=dict)
    id: int | None = None
    version: str | None = None
    description: str | None = None
    external_id: str | None = None


@dataclass
class ArtifactType(_Type):
    """A kind of artifact (DataSet, Schema, Model...) and its declared properties."""

    base_type: ArtifactBaseType | None = None
    kind = NodeKind.ARTIFACT


@dataclass
class ExecutionType(_Type):
    """A kind of execution (a component) and its declared properties."""

    base_type: ExecutionBaseType | None = None
    input_type: dict[str, Any] | None = None  # ArtifactStructType as its JSON form
    output_type: dict[str, Any] | None = None
    kind = NodeKind.EXECUTION


@dataclass
class ContextType(_Type):
    """A kind of context (Experiment, Pipeline, PipelineRun...) and its declared properties."""

    base_type: ContextBaseType | None = None
    kind = NodeKind.CONTEXT


AnyType = ArtifactType | ExecutionType | ContextType


@dataclass
class _Node:
    type_id: int | None = None
    id: int | None = None
    name: str | None = None
    external_id: str | None = None
    properties: dict[str, Value] = field(default_factory=dict)
    custom_properties: dict[str, Value] = field(default_factory=dict)
    create_time_since_epoch: int | None = None
    last_update_time_since_epoch: int | None = None
    type: str | None = None  # the type's name, filled on reads


@dataclass
class Artifact(_Node):
    """A file or value that a step consumed or produced."""

    uri: str | None = None
    state: ArtifactState | None = None
    kind = NodeKind.ARTIFACT


@dataclass
class Execution(_Node):
    """One run of a component or step."""

    last_known_state: ExecutionState | None = None
    kind = NodeKind.EXECUTION


@dataclass
class Context(_Node):
    """A group of artifacts and executions: an experiment, a pipeline, a run."""

    kind = NodeKind.CONTEXT


AnyNode = Artifact | Execution | Context

# One step of an event's path: an int index or a str key.
PathStep = int | str


@dataclass
class Event:
    """An artifact consumed (input) or produced (output) by an execution."""

    artifact_id: int | None = None
    execution_id: int | None = None
    type: EventType = EventType.UNKNOWN
    path: list[PathStep] = field(default_factory=list)
    milliseconds_since_epoch: int | None = None


@dataclass(frozen=True)
class Attribution:
    """An artifact belongs to a context."""

    context_id: int
    artifact_id: int


@dataclass(frozen=True)
class Association:
    """An execution belongs to a context."""

    context_id: int
    execution_id: int


@dataclass(frozen=True)
class ParentContext:
    """A context (child) nested in another (parent)."""

    child_id: int
    parent_id: int


TYPE_CLASSES: dict[NodeKind, type] = {
    NodeKind.ARTIFACT: ArtifactType,
    NodeKind.EXECUTION: ExecutionType,
    NodeKind.CONTEXT: ContextType,
}
NODE_CLASSES: dict[NodeKind, type] = {
    NodeKind.ARTIFACT: Artifact,
    NodeKind.EXECUTION: Execution,
    NodeKind.CONTEXT: Context,
}
