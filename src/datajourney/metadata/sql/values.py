"""How property values are stored in the ``*Property`` tables, exactly as ml-metadata stores them.

One row per property; exactly one value column is set. Structs are kept in ``string_value`` as
``mlmd-struct::`` + base64 of the serialized ``google.protobuf.Struct``; packed protos are kept in
``proto_value`` as base64 of the serialized ``google.protobuf.Any``.
"""

from __future__ import annotations

import base64
from typing import Any

from google.protobuf import any_pb2, json_format, struct_pb2

from ..errors import InvalidArgumentError
from ..model import PropertyType, ProtoValue, Value

STRUCT_PREFIX = "mlmd-struct::"
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

# The property type of plain values, by exact Python type (the fast path of ``encode``).
_PLAIN = {
    bool: PropertyType.BOOLEAN,
    int: PropertyType.INT,
    float: PropertyType.DOUBLE,
    str: PropertyType.STRING,
}
# The value column of each property type's rows.
VALUE_COLUMN = {
    PropertyType.BOOLEAN: "bool_value",
    PropertyType.INT: "int_value",
    PropertyType.DOUBLE: "double_value",
    PropertyType.STRING: "string_value",
    PropertyType.STRUCT: "string_value",
    PropertyType.PROTO: "proto_value",
}


def property_type_of(value: Value) -> PropertyType:
    """The PropertyType a Python value is stored as (bool before int: bool is an int)."""
    if isinstance(value, bool):
        return PropertyType.BOOLEAN
    if isinstance(value, int):
        return PropertyType.INT
    if isinstance(value, float):
        return PropertyType.DOUBLE
    if isinstance(value, str):
        return PropertyType.STRING
    if isinstance(value, dict):
        return PropertyType.STRUCT
    if isinstance(value, ProtoValue):
        return PropertyType.PROTO
    raise InvalidArgumentError(
        f"unsupported property value {value!r} of type {type(value).__name__}; "
        "use int, float, str, bool, dict (struct) or ProtoValue"
    )


def encode(value: Value, name: str = "?") -> tuple[PropertyType, str, Any]:
    """A value's property type, the value column its row sets and what that column holds."""
    kind = _PLAIN.get(type(value)) or property_type_of(value)
    column = VALUE_COLUMN[kind]
    if kind is PropertyType.INT:
        if not INT64_MIN <= value <= INT64_MAX:
            raise InvalidArgumentError(f"property {name!r}: {value} does not fit in int64")
        return kind, column, value
    if kind is PropertyType.DOUBLE and value != value:
        raise InvalidArgumentError(
            f"property {name!r} is NaN, which ML Metadata's databases cannot keep (SQLite "
            "stores it as NULL, MySQL refuses it): leave the property out or store a string"
        )
    if kind is PropertyType.STRUCT:
        return kind, column, encode_struct(value, name)
    if kind is PropertyType.PROTO:
        packed = any_pb2.Any(type_url=value.type_url, value=value.value)
        return kind, column, base64.b64encode(packed.SerializeToString()).decode("ascii")
    return kind, column, value


def encode_struct(value: dict, name: str = "?") -> str:
    """``mlmd-struct::`` + base64 of the serialized Struct holding ``value``."""
    struct = struct_pb2.Struct()
    try:
        struct.update(value)
    except (ValueError, TypeError, AttributeError) as error:
        raise InvalidArgumentError(
            f"property {name!r}: struct value is not JSON-like: {error}"
        ) from None
    encoded = base64.b64encode(struct.SerializeToString(deterministic=True)).decode("ascii")
    return STRUCT_PREFIX + encoded


def decode(
    int_value: Any, double_value: Any, string_value: Any, proto_value: Any, bool_value: Any
) -> Value | None:
    """The Python value of a property row (the inverse of ``encode``)."""
    if int_value is not None:
        return int(int_value)
    if double_value is not None:
        return float(double_value)
    if string_value is not None:
        if string_value.startswith(STRUCT_PREFIX):
            struct = struct_pb2.Struct()
            struct.ParseFromString(base64.b64decode(string_value[len(STRUCT_PREFIX) :]))
            return json_format.MessageToDict(struct)
        return string_value
    if proto_value is not None:
        raw = proto_value.encode() if isinstance(proto_value, str) else bytes(proto_value)
        packed = any_pb2.Any()
        packed.ParseFromString(base64.b64decode(raw))
        return ProtoValue(packed.type_url, packed.value)
    if bool_value is not None:
        return bool(bool_value)
    return None  # a row with no value set (an empty Value)
