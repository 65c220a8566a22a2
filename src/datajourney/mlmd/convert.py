"""Translation between ml-metadata's protobuf messages and datajourney's dataclasses."""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf import json_format, text_format

from ..metadata import model
from ..metadata.errors import InvalidArgumentError
from ..metadata.model import NodeKind, ProtoValue
from .proto import metadata_store_pb2 as pb

_NODE_PROTOS = {
    NodeKind.ARTIFACT: pb.Artifact,
    NodeKind.EXECUTION: pb.Execution,
    NodeKind.CONTEXT: pb.Context,
}
_TYPE_PROTOS = {
    NodeKind.ARTIFACT: pb.ArtifactType,
    NodeKind.EXECUTION: pb.ExecutionType,
    NodeKind.CONTEXT: pb.ContextType,
}
_ENUMS = {"state": model.ArtifactState, "last_known_state": model.ExecutionState}
_BASE_ENUMS = {
    NodeKind.ARTIFACT: model.ArtifactBaseType,
    NodeKind.EXECUTION: model.ExecutionBaseType,
    NodeKind.CONTEXT: model.ContextBaseType,
}


def value_to_model(value: pb.Value) -> model.Value | None:
    """A python value from a ``Value`` message (None when no field is set)."""
    which = value.WhichOneof("value")
    if which == "string_value":
        return value.string_value
    if which == "int_value":
        return value.int_value
    if which == "double_value":
        return value.double_value
    if which == "struct_value":
        return json_format.MessageToDict(value.struct_value)
    if which == "proto_value":
        return ProtoValue(value.proto_value.type_url, value.proto_value.value)
    return None if which is None else getattr(value, which)


def value_to_proto(python_value: model.Value | None, target: pb.Value) -> None:
    """Fill a ``Value`` message from a python value."""
    if python_value is None:
        return
    if isinstance(python_value, bool):
        target.bool_value = python_value
    elif isinstance(python_value, int):
        target.int_value = python_value
    elif isinstance(python_value, float):
        target.double_value = python_value
    elif isinstance(python_value, str):
        target.string_value = python_value
    elif isinstance(python_value, dict):
        target.struct_value.SetInParent()  # an empty struct is still a struct
        target.struct_value.update(python_value)
    else:
        target.proto_value.type_url = python_value.type_url
        target.proto_value.value = python_value.value


def node_to_model(message, kind: NodeKind) -> model.AnyNode:
    """A dataclass node from an Artifact / Execution / Context message."""
    node = model.NODE_CLASSES[kind]()
    if kind is NodeKind.ARTIFACT:
        node.uri = message.uri  # ml-metadata writes "" for an artifact without uri
    for field, value in message.ListFields():
        name = field.name
        if name == "properties" or name == "custom_properties":
            # (keys then lookups: a map's items() is the slow generic Mapping one)
            values = {k: value_to_model(value[k]) for k in value}
            if None in values.values():
                _unset_value(message, values)
            setattr(node, name, values)
        elif name in _ENUMS:
            setattr(node, name, _ENUMS[name](value))
        elif name != "system_metadata":
            setattr(node, name, value)
    return node


def _unset_value(message, values: dict) -> None:
    """ml-metadata's InvalidArgument for a property whose Value has no field set
    (``artifact.properties["foo"]`` touched, nothing assigned)."""
    name = next(k for k, v in values.items() if v is None)
    text = text_format.MessageToString(message, as_one_line=True, as_utf8=True)
    raise InvalidArgumentError(
        f"Cannot validate properties of {text}Found unmatched property type: {name}"
    )


def node_to_proto(node: model.AnyNode):
    """An Artifact / Execution / Context message from a dataclass node."""
    message = _NODE_PROTOS[node.kind]()
    message.id = node.id
    message.type_id = node.type_id
    if node.type is not None:
        message.type = node.type
    if node.name is not None:
        message.name = node.name
    if node.external_id is not None:
        message.external_id = node.external_id
    message.create_time_since_epoch = node.create_time_since_epoch
    message.last_update_time_since_epoch = node.last_update_time_since_epoch
    if node.kind is NodeKind.ARTIFACT:
        if node.uri is not None:
            message.uri = node.uri
        if node.state is not None:
            message.state = node.state
    elif node.kind is NodeKind.EXECUTION and node.last_known_state is not None:
        message.last_known_state = node.last_known_state
    for source, target in (
        (node.properties, message.properties),
        (node.custom_properties, message.custom_properties),
    ):
        for key, value in source.items():
            if isinstance(value, str):
                target[key].string_value = value
            elif isinstance(value, float):
                target[key].double_value = value
            elif type(value) is int:
                target[key].int_value = value
            else:
                value_to_proto(value, target[key])
    return message


def nodes_to_proto(nodes: Iterable[model.AnyNode]) -> list:
    return [node_to_proto(n) for n in nodes]


def type_to_model(message, kind: NodeKind) -> model.AnyType:
    """A dataclass type from an ArtifactType / ExecutionType / ContextType message."""
    t = model.TYPE_CLASSES[kind](name=message.name)
    for field in ("id", "version", "description", "external_id"):
        if message.HasField(field):
            setattr(t, field, getattr(message, field))
    t.properties = {k: model.PropertyType(v) for k, v in message.properties.items()}
    if message.HasField("base_type"):
        t.base_type = _BASE_ENUMS[kind](message.base_type)
    if kind is NodeKind.EXECUTION:
        for field in ("input_type", "output_type"):
            if message.HasField(field):
                setattr(t, field, json_format.MessageToDict(getattr(message, field)))
    return t


def type_to_proto(t: model.AnyType):
    """An ArtifactType / ExecutionType / ContextType message from a dataclass type."""
    message = _TYPE_PROTOS[t.kind](id=t.id, name=t.name)
    for field in ("version", "description", "external_id"):
        value = getattr(t, field)
        if value is not None:
            setattr(message, field, value)
    for key, value in t.properties.items():
        message.properties[key] = int(value)
    if t.base_type:
        message.base_type = int(t.base_type)
    if isinstance(t, model.ExecutionType):
        for field in ("input_type", "output_type"):
            value = getattr(t, field)
            if value is not None:
                json_format.ParseDict(value, getattr(message, field))
    return message


def event_to_model(message: pb.Event) -> model.Event:
    """A dataclass event from an Event message."""
    return model.Event(
        artifact_id=message.artifact_id if message.HasField("artifact_id") else None,
        execution_id=message.execution_id if message.HasField("execution_id") else None,
        type=model.EventType(message.type),
        path=[
            step.index if step.WhichOneof("value") == "index" else step.key
            for step in message.path.steps
        ],
        milliseconds_since_epoch=(
            message.milliseconds_since_epoch
            if message.HasField("milliseconds_since_epoch")
            else None
        ),
    )


def event_to_proto(event: model.Event) -> pb.Event:
    """An Event message from a dataclass event."""
    message = pb.Event(
        artifact_id=event.artifact_id,
        execution_id=event.execution_id,
        type=int(event.type),
        milliseconds_since_epoch=event.milliseconds_since_epoch,
    )
    for step in event.path:
        if isinstance(step, int):
            message.path.steps.add().index = step
        else:
            message.path.steps.add().key = step
    return message
