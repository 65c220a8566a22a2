"""Argument checks with TFDV's wording: a wrong type is a TypeError naming the argument."""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import statistics_pb2


def require_type(value: object, argument: str, expected: type, article: str = "a") -> None:
    """Raise TypeError when ``value`` (the argument named ``argument``) is not an ``expected``."""
    if not isinstance(value, expected):
        raise TypeError(
            f"{argument} is of type {type(value).__name__}, "
            f"should be {article} {expected.__name__} proto."
        )


def require_statistics(value: object, argument: str = "statistics") -> None:
    """Raise TypeError unless ``value`` is a ``DatasetFeatureStatisticsList``."""
    require_type(value, argument, statistics_pb2.DatasetFeatureStatisticsList)
