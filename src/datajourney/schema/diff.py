"""Schema evolution: what changed between two schemas, feature by feature."""

from __future__ import annotations

from dataclasses import dataclass, field

from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.schema.features import iter_features

# Feature aspects compared, each rendered as a short text.
_ASPECTS = (
    "type",
    "presence",
    "valency",
    "domain",
    "environments",
    "lifecycle_stage",
    "skew_comparator",
    "drift_comparator",
)
MAX_LISTED = 10


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


def _strings(schema: schema_pb2.Schema, feature: schema_pb2.Feature) -> list[str] | None:
    which = feature.WhichOneof("domain_info")
    if which == "string_domain":
        return list(feature.string_domain.value)
    if which == "domain":
        named = [d for d in schema.string_domain if d.name == feature.domain]
        return list(named[0].value) if named else None
    return None


def _domain_change(
    name: str,
    a: schema_pb2.Schema,
    old: schema_pb2.Feature,
    b: schema_pb2.Schema,
    new: schema_pb2.Feature,
) -> FeatureChange | None:
    """String domains as values added / removed; other domains as their text."""
    before, after = _strings(a, old), _strings(b, new)
    if before is not None and after is not None:
        if before == after:
            return None
        added = [f"+{v}" for v in after if v not in set(before)]
        removed = [f"-{v}" for v in before if v not in set(after)]
        listed = " ".join([*added, *removed][:MAX_LISTED])
        return FeatureChange(
            name,
            "domain",
            f"{len(before)} values",
            f"{len(after)} values ({listed or 'reordered'})",
        )
    texts = []
    for feature in (old, new):
        which = feature.WhichOneof("domain_info")
        inner = (
            feature.domain
            if which == "domain"
            else (_compact(getattr(feature, which)) if which else "")
        )
        texts.append(f"{which} {{{inner}}}" if which else "")
    return FeatureChange(name, "domain", *texts) if texts[0] != texts[1] else None


def _aspect(feature: schema_pb2.Feature, aspect: str) -> str:
    if aspect == "type":
        return schema_pb2.FeatureType.Name(feature.type)
    if aspect == "lifecycle_stage":
        return schema_pb2.LifecycleStage.Name(feature.lifecycle_stage)
    if aspect == "valency":
        which = feature.WhichOneof("shape_type")
        return f"{which} {{{_compact(getattr(feature, which))}}}" if which else ""
    if aspect == "environments":
        return " ".join(
            [
                *(f"+{e}" for e in feature.in_environment),
                *(f"-{e}" for e in feature.not_in_environment),
            ]
        )
    return _compact(getattr(feature, aspect))


def schema_diff(a: schema_pb2.Schema, b: schema_pb2.Schema) -> SchemaDiff:
    """How schema ``b`` differs from schema ``a`` (``a`` the older one)."""
    old = {".".join(path): f for path, f in iter_features(a)}
    new = {".".join(path): f for path, f in iter_features(b)}
    changed = []
    for name in old.keys() & new.keys():
        for aspect in _ASPECTS:
            if aspect == "domain":
                change = _domain_change(name, a, old[name], b, new[name])
                changed += [change] if change else []
                continue
            before, after = _aspect(old[name], aspect), _aspect(new[name], aspect)
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
