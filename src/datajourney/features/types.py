"""Feature value types, with Feast's names: ``ValueType`` (its enum numbers) and the type objects
of ``feast.types`` (``Float32``, ``Int64``, ``String``, ``Array(Int64)``, ``Map``, ``Json``,
``Struct({...})`` ...), plus ``Field``.

``Map``, ``Json`` and ``Struct`` values are JSON-shaped: a Map is a dict with string keys, a Struct
a dict of its declared fields, a Json value any JSON document (given as text or as data)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class ValueType(enum.Enum):
    """Feast's ValueType, same names and numbers."""

    UNKNOWN = 0
    BYTES = 1
    STRING = 2
    INT32 = 3
    INT64 = 4
    DOUBLE = 5
    FLOAT = 6
    BOOL = 7
    UNIX_TIMESTAMP = 8
    BYTES_LIST = 11
    STRING_LIST = 12
    INT32_LIST = 13
    INT64_LIST = 14
    DOUBLE_LIST = 15
    FLOAT_LIST = 16
    BOOL_LIST = 17
    UNIX_TIMESTAMP_LIST = 18
    NULL = 19
    MAP = 20
    JSON = 32
    STRUCT = 34


@dataclass(frozen=True)
class FeatureType:
    """A feature's type: its Feast name, value type and Arrow / DuckDB column types."""

    name: str
    value_type: ValueType
    arrow: str  # pyarrow type factory name, e.g. "float32"
    duckdb: str  # "JSON" for Map, Json and Struct (carried as JSON text)
    fields: tuple[tuple[str, FeatureType], ...] = ()  # a Struct's fields, in order

    def __repr__(self) -> str:
        return self.name

    def to_value_type(self) -> ValueType:
        """The ValueType (Feast's method name)."""
        return self.value_type

    @property
    def is_json(self) -> bool:
        """Whether values are JSON-shaped (Map, Json, Struct)."""
        return self.value_type in (ValueType.MAP, ValueType.JSON, ValueType.STRUCT)


Invalid = FeatureType("Invalid", ValueType.UNKNOWN, "null", "NULL")
Bytes = FeatureType("Bytes", ValueType.BYTES, "binary", "BLOB")
String = FeatureType("String", ValueType.STRING, "string", "VARCHAR")
Bool = FeatureType("Bool", ValueType.BOOL, "bool_", "BOOLEAN")
Int32 = FeatureType("Int32", ValueType.INT32, "int32", "INTEGER")
Int64 = FeatureType("Int64", ValueType.INT64, "int64", "BIGINT")
Float32 = FeatureType("Float32", ValueType.FLOAT, "float32", "FLOAT")
Float64 = FeatureType("Float64", ValueType.DOUBLE, "float64", "DOUBLE")
UnixTimestamp = FeatureType("UnixTimestamp", ValueType.UNIX_TIMESTAMP, "timestamp", "TIMESTAMPTZ")
Map = FeatureType("Map", ValueType.MAP, "map", "JSON")
Json = FeatureType("Json", ValueType.JSON, "string", "JSON")

PRIMITIVES = {
    t.name: t
    for t in (Bytes, String, Bool, Int32, Int64, Float32, Float64, UnixTimestamp, Map, Json)
}
_LISTS = {
    "Bytes": ValueType.BYTES_LIST,
    "String": ValueType.STRING_LIST,
    "Bool": ValueType.BOOL_LIST,
    "Int32": ValueType.INT32_LIST,
    "Int64": ValueType.INT64_LIST,
    "Float32": ValueType.FLOAT_LIST,
    "Float64": ValueType.DOUBLE_LIST,
    "UnixTimestamp": ValueType.UNIX_TIMESTAMP_LIST,
}


def Array(base: FeatureType) -> FeatureType:
    """The list type of a primitive type, e.g. ``Array(Int64)``."""
    if base.name not in _LISTS:
        raise ValueError(f"Array({base!r}): only primitive types have list types")
    return FeatureType(
        f"Array({base.name})", _LISTS[base.name], f"list:{base.arrow}", f"{base.duckdb}[]"
    )


def Struct(fields: dict[str, FeatureType]) -> FeatureType:
    """A record of named, typed fields, e.g. ``Struct({"name": String, "age": Int64})``; its
    values are dicts of those fields (a field left out is None)."""
    if not fields:
        raise ValueError("Struct needs at least one field")
    for key, kind in fields.items():
        if not isinstance(key, str) or not isinstance(kind, FeatureType):
            raise ValueError(f"Struct field {key!r}: give a name and a feature type")
    inner = ", ".join(f"{key}: {kind.name}" for key, kind in fields.items())
    return FeatureType(
        f"Struct({{{inner}}})", ValueType.STRUCT, "struct", "JSON", tuple(fields.items())
    )


def _split_top(text: str) -> list[str]:
    """``text`` split at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def type_named(name: str) -> FeatureType:
    """The type with this Feast name (``"Float32"``, ``"Array(Int64)"``,
    ``"Struct({name: String})"``)."""
    if name.startswith("Array(") and name.endswith(")"):
        return Array(type_named(name[6:-1]))
    if name.startswith("Struct({") and name.endswith("})"):
        pairs = [part.split(":", 1) for part in _split_top(name[8:-2])]
        return Struct({key.strip(): type_named(kind.strip()) for key, kind in pairs})
    if name in PRIMITIVES:
        return PRIMITIVES[name]
    raise ValueError(f"unknown feature type {name!r}; known: {', '.join(PRIMITIVES)}")


_FROM_VALUE_TYPE = {t.value_type: t for t in PRIMITIVES.values()}


def from_value_type(value_type: ValueType) -> FeatureType:
    """The feature type of a ValueType (entities declare value types)."""
    for name, listed in _LISTS.items():
        if listed == value_type:
            return Array(PRIMITIVES[name])
    if value_type not in _FROM_VALUE_TYPE:
        raise ValueError(f"no feature type for {value_type}")
    return _FROM_VALUE_TYPE[value_type]


@dataclass(frozen=True)
class Field:
    """A named, typed column of a feature view or request source."""

    name: str
    dtype: FeatureType
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)

    def to_spec(self) -> dict:
        """The field as JSON-ready data."""
        return {
            "name": self.name,
            "dtype": self.dtype.name,
            "description": self.description,
            "tags": dict(self.tags),
        }

    @classmethod
    def from_spec(cls, spec: dict) -> Field:
        """A field back from :meth:`to_spec`."""
        return cls(spec["name"], type_named(spec["dtype"]), spec["description"], spec["tags"])
