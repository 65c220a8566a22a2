"""Schema evolution: what changed between two schemas, feature by feature."""

from __future__ import annotations

from dataclasses import dataclass, field

from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.schema.features import iter_features

# Feature aspects compared, each rendered as a short text.
_ASPECTS = ("type", "presence", "valency", "domain", "environments", "lifecycle_stage",
            "skew_comparator", "drift_comparator")


@dataclass(frozen=True)
class FeatureChange:
    """One aspect of a feature that differs: ``before`` in the old schema, ``after`` in the new."""

    feature: str
    aspect: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"~ {self.feature}: {self.aspect} {self.before or '-'} -> {self.after or '-'}"


@dataclass(frozen=True)
class SchemaDiff:
    """Features added, removed and changed from schema ``a`` to schema ``b``."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[FeatureChange] = field(default_factory=list)
    default_environments: tuple[list[str], list[str]] | None = None

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.default_environments)

    def __str__(self) -> str:
        lines = [f"+ {name}" for name in self.added] + [f"- {name}" for name in self.removed]
        lines += [str(change) for change in self.changed]
        if self.default_environments:
            before, after = self.default_environments
            lines.append(f"~ default_environment {before} -> {after}")
        return "\n".join(lines) or "no changes"


def _compact(message) -> str:
    return text_format.MessageToString(message, as_one_line=True).strip()


def _domain(schema: schema_pb2.Schema, feature: schema_pb2.Feature) -> str:
    which = feature.WhichOneof("domain_info")
    if which == "domain":
        named = [d for d in (*schema.string_domain, *schema.int_domain, *schema.float_domain)
                 if d.name == feature.domain]
        inner = _compact(named[0]) if named else ""
        return f"{feature.domain} {{{inner}}}"
    return f"{which} {{{_compact(getattr(feature, which))}}}" if which else ""


def _aspect(schema: schema_pb2.Schema, feature: schema_pb2.Feature, aspect: str) -> str:
    if aspect == "type":
        return schema_pb2.FeatureType.Name(feature.type)
    if aspect == "lifecycle_stage":
        return schema_pb2.LifecycleStage.Name(feature.lifecycle_stage)
    if aspect == "valency":
        which = feature.WhichOneof("shape_type")
        return f"{which} {{{_compact(getattr(feature, which))}}}" if which else ""
    if aspect == "domain":
        return _domain(schema, feature)
    if aspect == "environments":
        return " ".join([*(f"+{e}" for e in feature.in_environment),
                         *(f"-{e}" for e in feature.not_in_environment)])
    return _compact(getattr(feature, aspect))


def schema_diff(a: schema_pb2.Schema, b: schema_pb2.Schema) -> SchemaDiff:
    """How schema ``b`` differs from schema ``a`` (``a`` the older one)."""
    old = {".".join(path): f for path, f in iter_features(a)}
    new = {".".join(path): f for path, f in iter_features(b)}
    changed = []
    for name in old.keys() & new.keys():
        for aspect in _ASPECTS:
            before, after = _aspect(a, old[name], aspect), _aspect(b, new[name], aspect)
            if before != after:
                changed.append(FeatureChange(name, aspect, before, after))
    environments = None
    if list(a.default_environment) != list(b.default_environment):
        environments = (list(a.default_environment), list(b.default_environment))
    return SchemaDiff(
        added=[n for n in new if n not in old],
        removed=[n for n in old if n not in new],
        changed=sorted(changed, key=lambda c: (c.feature, _ASPECTS.index(c.aspect))),
        default_environments=environments,
    )
