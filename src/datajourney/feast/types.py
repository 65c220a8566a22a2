"""``feast.types``: the feature value types."""

from datajourney.features.types import (
    Array,
    Bool,
    Bytes,
    FeatureType,
    Float32,
    Float64,
    Int32,
    Int64,
    Invalid,
    Json,
    Map,
    String,
    Struct,
    UnixTimestamp,
    ValueType,
    from_value_type,
)

PrimitiveFeastType = FeatureType
ComplexFeastType = FeatureType

__all__ = [
    "Array",
    "Bool",
    "Bytes",
    "ComplexFeastType",
    "Float32",
    "Float64",
    "Int32",
    "Int64",
    "Invalid",
    "Json",
    "Map",
    "PrimitiveFeastType",
    "String",
    "Struct",
    "UnixTimestamp",
    "ValueType",
    "from_value_type",
]
