"""``feast.value_type``."""

from datajourney.features.types import ValueType

__all__ = ["ValueType"]
