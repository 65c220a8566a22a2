"""One JSON encoding for every value that crosses the HTTP store backend's wire.

The metadata model is dataclasses, enums, bytes, tuples and dicts with int or tuple keys, which
plain JSON cannot tell apart. Each such value becomes an object tagged ``"$"``:

- a dataclass: ``{"$": "Artifact", "id": 3, "uri": "...", ...}`` (its fields, encoded);
- an enum member: ``{"$": "ArtifactState", "v": 2}``;
- bytes: ``{"$": "bytes", "b64": "..."}``; a tuple: ``{"$": "tuple", "items": [...]}``;
- a dict whose keys are not all strings, or that has a ``"$"`` key itself:
  ``{"$": "map", "items": [[key, value], ...]}``.

Everything else (str, int, float, bool, None, lists, other dicts) is JSON as it is, so
``decode(json.loads(json.dumps(encode(x)))) == x`` for every value the backend passes. Only the
classes registered here can be decoded: a wire message cannot build arbitrary objects.
"""

from __future__ import annotations

import base64
import dataclasses
from enum import IntEnum
from typing import Any

from .. import model
from ..deletion import DeletionPlan
from ..errors import InvalidArgumentError
from ..lineage import Direction, EndingNodes, LineageSubgraph
from ..lineage_graph import LineageGraph
from ..sql.queries import NodeQuery

TAG = "$"

DATACLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        model.ArtifactType,
        model.ExecutionType,
        model.ContextType,
        model.Artifact,
        model.Execution,
        model.Context,
        model.Event,
        model.Attribution,
        model.Association,
        model.ParentContext,
        model.ProtoValue,
        NodeQuery,
        LineageGraph,
        DeletionPlan,
        EndingNodes,
        LineageSubgraph,
    )
}
ENUMS: dict[str, type[IntEnum]] = {
    cls.__name__: cls
    for cls in (
        model.PropertyType,
        model.ArtifactState,
        model.ExecutionState,
        model.EventType,
        model.ArtifactBaseType,
        model.ExecutionBaseType,
        model.ContextBaseType,
        model.NodeKind,
        Direction,
    )
}
_FIELDS = {name: [f.name for f in dataclasses.fields(cls)] for name, cls in DATACLASSES.items()}


_SCALARS = frozenset({str, int, float, bool, type(None)})  # exact types: IntEnum is not int


def encode(value: Any) -> Any:
    """``value`` as JSON-able data (see the module docstring)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list:
        return [v if type(v) in _SCALARS else encode(v) for v in value]
    if kind is dict:
        if TAG not in value and all(type(k) is str for k in value):
            return {k: v if type(v) in _SCALARS else encode(v) for k, v in value.items()}
        return {TAG: "map", "items": [[encode(k), encode(v)] for k, v in value.items()]}
    name = kind.__name__
    fields = _FIELDS.get(name)
    if fields is not None and DATACLASSES[name] is kind:
        out = {TAG: name}
        for field in fields:
            v = getattr(value, field)
            out[field] = v if type(v) in _SCALARS else encode(v)
        return out
    if isinstance(value, IntEnum):
        if name not in ENUMS:
            raise InvalidArgumentError(f"cannot encode enum {name}")
        return {TAG: name, "v": int(value)}
    if isinstance(value, str | int | float):  # subclasses of the JSON scalars
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {TAG: "tuple", "items": [encode(v) for v in value]}
    if isinstance(value, dict):
        return encode(dict(value))
    if isinstance(value, bytes | bytearray):
        return {TAG: "bytes", "b64": base64.b64encode(value).decode()}
    if isinstance(value, set | frozenset):
        return [encode(v) for v in sorted(value)]
    raise InvalidArgumentError(f"cannot encode a {name} for the wire")


def decode(data: Any) -> Any:
    """The value ``encode`` made ``data`` from; InvalidArgumentError on a malformed message."""
    kind = type(data)
    if kind in _SCALARS:
        return data
    if kind is list:
        return [v if type(v) in _SCALARS else decode(v) for v in data]
    if kind is not dict:
        return data
    tag = data.get(TAG)
    if tag is None:
        return {k: v if type(v) in _SCALARS else decode(v) for k, v in data.items()}
    try:
        if tag == "tuple":
            return tuple(decode(v) for v in data["items"])
        if tag == "map":
            return {_hashable(decode(k)): decode(v) for k, v in data["items"]}
        if tag == "bytes":
            return base64.b64decode(data["b64"], validate=True)
        if tag in ENUMS:
            return ENUMS[tag](data["v"])
        if tag in DATACLASSES:
            fields = _FIELDS[tag]
            unknown = set(data) - set(fields) - {TAG}
            if unknown:
                raise InvalidArgumentError(f"{tag} has no field {sorted(unknown)[0]!r}")
            return DATACLASSES[tag](**{k: decode(v) for k, v in data.items() if k != TAG})
    except InvalidArgumentError:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidArgumentError(f"malformed {tag!r} value on the wire: {error}") from None
    raise InvalidArgumentError(f"unknown type {tag!r} on the wire")


def _hashable(key: Any) -> Any:
    if isinstance(key, list):
        return tuple(_hashable(k) for k in key)
    if isinstance(key, dict):
        raise InvalidArgumentError("a map key cannot be an object")
    return key
