"""Limits a schema sets on observed statistics that TFDV both checks and relaxes:
``unique_constraints`` (against ``string_stats.unique``) and a ``natural_language_domain``'s
coverage and token constraints (against the ``nl_statistics`` custom statistic).

Each broken limit is a :class:`Breach`: validation words it as an anomaly reason,
``update_schema`` relaxes it to the observed value. As TFDV: an unset ``unique_constraints.max``
reads as 0; unique values are counted only where the statistics are string statistics; a
natural-language constraint whose statistics are missing (no ``nl_statistics``, or no entry for
a constrained token) makes the domain unverifiable, and updating drops the whole domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.message import Message
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.schema.statistics_view import FeatureView

NL_STATISTICS = "nl_statistics"

_COVERAGE = {"min_coverage": "feature_coverage", "min_avg_token_length": "avg_token_length"}
_TOKEN = {
    "min_fraction_of_sequences": "fraction_of_sequences",
    "max_fraction_of_sequences": "fraction_of_sequences",
    "min_per_sequence": "per_sequence_min_frequency",
    "max_per_sequence": "per_sequence_max_frequency",
}


@dataclass(frozen=True)
class Breach:
    """The limit ``holder.<field>`` broken by the ``observed`` value (of ``token``, for a
    natural-language token constraint)."""

    holder: Message
    field: str
    observed: float
    token: str = ""

    @property
    def limit(self) -> float:
        return getattr(self.holder, self.field)

    def relax(self) -> None:
        """Set the limit to the observed value (truncated, for an integer limit)."""
        integer = isinstance(self.limit, int)
        setattr(self.holder, self.field, int(self.observed) if integer else self.observed)


def _broken(field: str, limit: float, observed: float) -> bool:
    return observed < limit if field.startswith("min") else observed > limit


def unique_breaches(feature: schema_pb2.Feature, view: FeatureView) -> list[Breach] | None:
    """The ``unique_constraints`` bounds the number of unique values breaks; ``None`` when the
    feature has values but they were not counted (no string statistics)."""
    if not feature.HasField("unique_constraints") or not view.num_present:
        return []
    if view.strings is None:
        return None
    bounds, unique = feature.unique_constraints, view.strings.unique
    return [
        Breach(bounds, field, unique)
        for field in ("min", "max")
        if _broken(field, getattr(bounds, field), unique)
    ]


def nl_statistics(view: FeatureView) -> statistics_pb2.NaturalLanguageStatistics | None:
    """The feature's ``nl_statistics`` custom statistic, if it has one."""
    for custom in view.stats.custom_stats:
        if custom.name == NL_STATISTICS:
            found = statistics_pb2.NaturalLanguageStatistics()
            return found if custom.any.Unpack(found) else None
    return None


def _token_value(message: Message, oneof: str) -> str | int | None:
    which = message.WhichOneof(oneof)
    return None if which is None else getattr(message, which)


def natural_language_breaches(
    domain: schema_pb2.NaturalLanguageDomain, view: FeatureView
) -> tuple[list[Breach], bool]:
    """The domain's constraints the ``nl_statistics`` break, in TFDV's order (coverage, then
    each token's), and whether some constraint could not be checked for want of statistics."""
    coverage = domain.coverage
    constrained = any(coverage.HasField(f) for f in _COVERAGE) or len(domain.token_constraints)
    stats = nl_statistics(view)
    if stats is None:
        return [], bool(constrained)
    found = [
        Breach(coverage, field, getattr(stats, observed))
        for field, observed in _COVERAGE.items()
        if coverage.HasField(field)
        and _broken(field, getattr(coverage, field), getattr(stats, observed))
    ]
    tokens = {_token_value(t, "token"): t for t in stats.token_statistics}
    for constraint in domain.token_constraints:
        value = _token_value(constraint, "value")
        if value is None:
            continue
        if value not in tokens:
            return found, True
        token_stats = tokens[value]
        found += [
            Breach(constraint, field, getattr(token_stats, observed), str(value))
            for field, observed in _TOKEN.items()
            if constraint.HasField(field)
            and _broken(field, getattr(constraint, field), getattr(token_stats, observed))
        ]
    return found, False


def relax_limits(feature: schema_pb2.Feature, view: FeatureView) -> None:
    """Relax ``feature``'s unique and natural-language limits to what ``view`` observed (as
    TFDV's ``update_schema``; limits that cannot be checked are dropped)."""
    found = unique_breaches(feature, view)
    if found is None:
        feature.ClearField("unique_constraints")
        found = []
    if feature.HasField("natural_language_domain"):
        language, unchecked = natural_language_breaches(feature.natural_language_domain, view)
        if unchecked:
            feature.ClearField("natural_language_domain")
        else:
            found += language
    for breach in found:
        breach.relax()
