"""Schema environments: which features a data set is expected to have (e.g. TRAINING, SERVING).

A feature is in environment ``env`` when ``env`` is in its ``in_environment`` or in the schema's
``default_environment``, and not in its ``not_in_environment``. With no environment given, every
feature is expected.
"""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import schema_pb2


def in_environment(
    schema: schema_pb2.Schema, feature: schema_pb2.Feature, environment: str | None
) -> bool:
    """Whether ``feature`` of ``schema`` is expected in data of ``environment``."""
    if environment is None:
        return True
    if environment in feature.not_in_environment:
        return False
    return environment in feature.in_environment or environment in schema.default_environment


def environments(schema: schema_pb2.Schema) -> list[str]:
    """Every environment the schema mentions, defaults first."""
    seen = dict.fromkeys(schema.default_environment)
    for feature in schema.feature:
        seen.update(dict.fromkeys(feature.in_environment))
        seen.update(dict.fromkeys(feature.not_in_environment))
    return list(seen)


def check_environment(schema: schema_pb2.Schema, environment: str | None) -> None:
    """Raise ValueError naming the known environments when ``environment`` is not one of them."""
    if environment is None:
        return
    known = environments(schema)
    if environment not in known:
        raise ValueError(
            f"Environment {environment} not found in the schema "
            f"(it has {', '.join(map(repr, known)) or 'none'})."
        )
