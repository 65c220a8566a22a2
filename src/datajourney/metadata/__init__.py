"""The metadata store: ML Metadata's model and operations over its database layout."""

from .errors import StatusError
from .model import (
    Artifact,
    ArtifactBaseType,
    ArtifactState,
    ArtifactType,
    Association,
    Attribution,
    Context,
    ContextType,
    Event,
    EventType,
    Execution,
    ExecutionBaseType,
    ExecutionState,
    ExecutionType,
    NodeKind,
    ParentContext,
    PropertyType,
    ProtoValue,
)
from .sql.queries import NodeQuery
from .store import MetadataStore

__all__ = [
    "Artifact",
    "ArtifactBaseType",
    "ArtifactState",
    "ArtifactType",
    "Association",
    "Attribution",
    "Context",
    "ContextType",
    "Event",
    "EventType",
    "Execution",
    "ExecutionBaseType",
    "ExecutionState",
    "ExecutionType",
    "MetadataStore",
    "NodeKind",
    "NodeQuery",
    "ParentContext",
    "PropertyType",
    "ProtoValue",
    "StatusError",
]
