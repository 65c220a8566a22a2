"""Finding features in a schema and reading or replacing their domains."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.schema.arguments import require_type

FeaturePathLike = str | Sequence[str]

# Domain message -> the Feature field that holds it inline.
_DOMAIN_FIELDS = {
    schema_pb2.IntDomain: "int_domain",
    schema_pb2.FloatDomain: "float_domain",
    schema_pb2.StringDomain: "string_domain",
    schema_pb2.BoolDomain: "bool_domain",
    schema_pb2.StructDomain: "struct_domain",
    schema_pb2.NaturalLanguageDomain: "natural_language_domain",
    schema_pb2.ImageDomain: "image_domain",
    schema_pb2.MIDDomain: "mid_domain",
    schema_pb2.URLDomain: "url_domain",
    schema_pb2.TimeDomain: "time_domain",
    schema_pb2.TimeOfDayDomain: "time_of_day_domain",
}


def path_steps(feature_path: FeaturePathLike) -> tuple[str, ...]:
    """``"a"`` -> ``("a",)``; a sequence of steps (or a TFDV ``FeaturePath``) -> its steps."""
    if isinstance(feature_path, str):
        return (feature_path,)
    steps = getattr(feature_path, "steps", None)
    return tuple(steps() if callable(steps) else feature_path)


def iter_features(
    schema: schema_pb2.Schema, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], schema_pb2.Feature]]:
    """Every feature with its path, struct children after their parent."""
    for feature in schema.feature:
        yield from _walk(feature, prefix)


def _walk(
    feature: schema_pb2.Feature, prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], schema_pb2.Feature]]:
    path = (*prefix, feature.name)
    yield path, feature
    if feature.HasField("struct_domain"):
        for child in feature.struct_domain.feature:
            yield from _walk(child, path)


def find_feature(
    schema: schema_pb2.Schema, feature_path: FeaturePathLike
) -> schema_pb2.Feature | None:
    """The feature at ``feature_path``, or None."""
    features = schema.feature
    found = None
    for step in path_steps(feature_path):
        found = next((f for f in features if f.name == step), None)
        if found is None:
            return None
        features = found.struct_domain.feature
    return found


def get_feature(schema: schema_pb2.Schema, feature_path: FeaturePathLike) -> schema_pb2.Feature:
    """The feature at ``feature_path`` (a name or path steps); changes to it change ``schema``.

    Raises ValueError when the schema has no such feature, or a step before the last is not
    a STRUCT feature.
    """
    _check_schema(schema)
    *parents, name = path_steps(feature_path)
    features = schema.feature
    for step in parents:
        parent = next((f for f in features if f.name == step), None)
        if parent is None:
            raise ValueError(f"Feature {_show(feature_path)} not found in the schema.")
        if parent.type != schema_pb2.STRUCT:
            raise ValueError(
                f"Step {step} in feature {_show(feature_path)} does not refer to a valid "
                "STRUCT feature"
            )
        features = parent.struct_domain.feature
    feature = next((f for f in features if f.name == name), None)
    if feature is None:
        raise ValueError(f"Feature {_show(feature_path)} not found in the schema.")
    return feature


def get_domain(schema: schema_pb2.Schema, feature_path: FeaturePathLike):
    """The feature's domain: its inline domain, or the schema-level domain it names.

    Raises ValueError when the feature has no domain.
    """
    feature = get_feature(schema, feature_path)
    which = feature.WhichOneof("domain_info")
    if which == "domain":
        for domains in (schema.string_domain, schema.int_domain, schema.float_domain):
            for domain in domains:
                if domain.name == feature.domain:
                    return domain
        raise ValueError(
            f"Feature {_show(feature_path)} names domain {feature.domain!r}, "
            "which the schema does not define."
        )
    if which is None:
        raise ValueError(f"Feature {_show(feature_path)} has no domain associated with it.")
    return getattr(feature, which)


def set_domain(schema: schema_pb2.Schema, feature_path: FeaturePathLike, domain) -> None:
    """Replace the feature's domain (inline or named) with ``domain``, a ``*Domain`` proto.

    A string naming a schema-level domain makes the feature refer to that domain.
    """
    _check_schema(schema)
    field = "domain" if isinstance(domain, str) else _DOMAIN_FIELDS.get(type(domain))
    if field is None:
        raise TypeError(
            f"domain is of type {type(domain).__name__}, should be one of the supported types "
            f"in schema.Features.domain_info ({', '.join(t.__name__ for t in _DOMAIN_FIELDS)})"
        )
    feature = get_feature(schema, feature_path)
    if feature.type == schema_pb2.STRUCT:
        raise TypeError(f"Could not set the domain of a STRUCT feature {_show(feature_path)}.")
    if isinstance(domain, str):
        names = {d.name for d in (*schema.string_domain, *schema.int_domain, *schema.float_domain)}
        if domain not in names:
            raise ValueError(f'Invalid global string domain "{domain}".')
        feature.domain = domain
        return
    feature.ClearField("domain_info")
    getattr(feature, field).CopyFrom(domain)


def generate_dummy_schema_with_paths(paths: Iterable[FeaturePathLike]) -> schema_pb2.Schema:
    """A schema with a feature at each of ``paths`` (FeaturePaths, names or step sequences)
    and nothing else: parents become struct features, in the order first named."""
    tree: dict = {}
    for path in paths:
        node = tree
        for step in path_steps(path):
            node = node.setdefault(step, {})
    schema = schema_pb2.Schema()

    def add(features, name: str, children: dict) -> None:
        feature = features.add(name=name)
        for child, grandchildren in children.items():
            add(feature.struct_domain.feature, child, grandchildren)

    for name, children in tree.items():
        add(schema.feature, name, children)
    return schema


def _check_schema(schema: object) -> None:
    require_type(schema, "schema", schema_pb2.Schema)


def _show(feature_path: FeaturePathLike) -> str:
    return ".".join(path_steps(feature_path))
