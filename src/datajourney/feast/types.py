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
    String,
    UnixTimestamp,
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
    "PrimitiveFeastType",
    "String",
    "UnixTimestamp",
]
