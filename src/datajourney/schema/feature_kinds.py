"""Which features of a schema are leaves, categorical, multivalent or raw bytes, by TFDV's
rules (``schema_util``). Paths are tuples of steps; a STRUCT feature is not a leaf, its
children are."""

from __future__ import annotations

from collections.abc import Iterable

from tensorflow_metadata.proto.v0 import schema_pb2

Path = tuple[str, ...]

__all__ = [
    "bytes_features",
    "bytes_features_categorical_value",
    "categorical_features",
    "categorical_numeric_feature_types",
    "is_categorical_feature",
    "leaf_features",
    "look_up_feature",
    "multivalent_features",
]


def look_up_feature(
    feature_name: str, container: Iterable[schema_pb2.Feature]
) -> schema_pb2.Feature | None:
    """The first feature named ``feature_name`` in ``container``, or None."""
    return next((f for f in container if f.name == feature_name), None)


def leaf_features(schema: schema_pb2.Schema) -> list[tuple[Path, schema_pb2.Feature]]:
    """Every non-STRUCT feature with its path, depth first in schema order."""
    found: list[tuple[Path, schema_pb2.Feature]] = []

    def visit(prefix: Path, features: Iterable[schema_pb2.Feature]) -> None:
        for feature in features:
            path = (*prefix, feature.name)
            if feature.type == schema_pb2.STRUCT:
                visit(path, feature.struct_domain.feature)
            else:
                found.append((path, feature))

    visit((), schema.feature)
    return found


def is_categorical_feature(feature: schema_pb2.Feature) -> bool:
    """BYTES features always; INT ones with a categorical ``int_domain``, a ``bool_domain`` or
    a ``natural_language_domain``; FLOAT ones with a categorical ``float_domain``."""
    if feature.type == schema_pb2.BYTES:
        return True
    if feature.type == schema_pb2.INT:
        return (feature.HasField("int_domain") and feature.int_domain.is_categorical) or (
            feature.WhichOneof("domain_info") in ("bool_domain", "natural_language_domain")
        )
    if feature.type == schema_pb2.FLOAT:
        return feature.HasField("float_domain") and feature.float_domain.is_categorical
    return False


def categorical_features(schema: schema_pb2.Schema) -> set[Path]:
    """The paths of the categorical leaf features."""
    return {path for path, feature in leaf_features(schema) if is_categorical_feature(feature)}


def categorical_numeric_feature_types(schema: schema_pb2.Schema) -> dict[Path, int]:
    """Categorical INT and FLOAT leaf features -> their ``FeatureType``.

    A path that appears twice with different types is a ValueError.
    """
    types: dict[Path, int] = {}
    for path, feature in leaf_features(schema):
        if path in types and types[path] != feature.type:
            raise ValueError(
                f"Schema contains inconsistently typed duplicates for {'.'.join(path)}"
            )
        if feature.type in (schema_pb2.INT, schema_pb2.FLOAT) and is_categorical_feature(feature):
            types[path] = feature.type
    return types


def bytes_features(schema: schema_pb2.Schema) -> list[Path]:
    """Leaf features whose values are raw bytes, not text: those with an ``image_domain``."""
    return [p for p, f in leaf_features(schema) if f.WhichOneof("domain_info") == "image_domain"]


def bytes_features_categorical_value(schema: schema_pb2.Schema) -> dict[Path, int]:
    """String features -> their ``StringDomain.Categorical`` value: from the feature's own
    ``string_domain``, from the schema-level string domain it names, or
    ``CATEGORICAL_UNSPECIFIED`` for a BYTES feature without a domain."""
    found: dict[Path, int] = {}
    named: dict[str, list[Path]] = {}
    for path, feature in leaf_features(schema):
        which = feature.WhichOneof("domain_info")
        if which == "string_domain":
            found[path] = feature.string_domain.is_categorical
        elif which == "domain":
            named.setdefault(feature.domain, []).append(path)
        elif which is None and feature.type == schema_pb2.BYTES:
            found[path] = schema_pb2.StringDomain.CATEGORICAL_UNSPECIFIED
    for domain in schema.string_domain:
        for path in named.get(domain.name, ()):
            found[path] = domain.is_categorical
    return found


def _univalent(feature: schema_pb2.Feature) -> bool:
    dims = feature.shape.dim
    return (len(dims) == 1 and dims[0].size == 1) or (
        feature.HasField("value_count") and feature.value_count.max == 1
    )


def multivalent_features(schema: schema_pb2.Schema) -> set[Path]:
    """Leaf features that may hold more than one value: all but those shaped ``[1]`` or with
    a ``value_count`` of at most one."""
    return {path for path, feature in leaf_features(schema) if not _univalent(feature)}
