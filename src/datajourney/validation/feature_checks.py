"""One feature's statistics against its schema entry: type, shape / valency, presence, domain.

A type mismatch replaces the valency, presence and domain checks (they would read the wrong
statistics); otherwise reasons come in TFDV's order: valency, presence, domain. Then, in either
case, ``unique_constraints``; last, as TFDV, a feature without a domain whose statistics suggest
one (``domain_info``) is reported.
"""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.schema.domain_info import suggested_domain
from datajourney.schema.features import get_domain
from datajourney.schema.inference import schema_type
from datajourney.schema.limits import unique_breaches
from datajourney.schema.statistics_view import FeatureType, FeatureView
from datajourney.schema.update import shape_holds
from datajourney.validation import reasons
from datajourney.validation.natural_language import check_natural_language
from datajourney.validation.reasons import Reason


def check_feature(
    schema: schema_pb2.Schema, feature: schema_pb2.Feature, view: FeatureView
) -> list[Reason]:
    """Every reason ``view``'s statistics break ``feature``'s constraints."""
    found, expected = [], feature.type
    if view.num_present and expected == schema_pb2.TYPE_UNKNOWN:
        # As TFDV: without a type, only a string domain lets the checks go on (as BYTES).
        string_domain = feature.WhichOneof("domain_info") in ("domain", "string_domain")
        found.append(reasons.missing_type(string_domain))
        if not string_domain:
            return found
        expected = schema_pb2.BYTES
    if view.num_present and schema_type(view) != expected:
        found.append(
            reasons.unexpected_type(
                schema_pb2.FeatureType.Name(expected), FeatureType.Name(view.type)
            )
        )
    else:
        found += [*_valency(feature, view), *_presence(feature, view)]
        found += _domain(schema, feature, view)
    unique = unique_breaches(feature, view)
    found += (
        [reasons.unique_not_counted()] if unique is None else map(reasons.unique_breached, unique)
    )
    if feature.WhichOneof("domain_info") is None and suggested_domain(view.stats) is not None:
        found.append(reasons.semantic_domain_update(view.name))
    return found


def _valency(feature: schema_pb2.Feature, view: FeatureView) -> list[Reason]:
    if feature.HasField("shape"):
        return [] if shape_holds(feature, view) else [reasons.shape_dropped()]
    levels = view.common.presence_and_valency_stats
    if feature.HasField("value_counts"):
        if not view.num_present:
            return []
        return _nested_valency(feature.value_counts, levels, view)
    if not feature.HasField("value_count") or not view.num_present:
        return []
    if len(levels) > 1:
        return [reasons.nestedness_mismatch(has_value_counts=False)]
    counts, found = feature.value_count, []
    if view.min_num_values < counts.min:
        found.append(reasons.too_few_values())
    if counts.max and view.max_num_values > counts.max:
        found.append(reasons.too_many_values())
    return found


def _nested_valency(
    value_counts: schema_pb2.ValueCountList, levels, view: FeatureView
) -> list[Reason]:
    """Each nesting level's value counts against the schema's value_counts."""
    found_levels = list(levels) if len(levels) > 1 else [(view.min_num_values, view.max_num_values)]
    if len(value_counts.value_count) != len(found_levels):
        return [reasons.nestedness_mismatch(has_value_counts=True)]
    found = []
    for index, (counts, level) in enumerate(zip(value_counts.value_count, found_levels)):
        low, high = (
            level if isinstance(level, tuple) else (level.min_num_values, level.max_num_values)
        )
        if counts.HasField("min") and low < counts.min:
            found.append(reasons.too_few_values(index))
        if counts.HasField("max") and high > counts.max:
            found.append(reasons.too_many_values(index))
    return found


def _presence(feature: schema_pb2.Feature, view: FeatureView) -> list[Reason]:
    presence, found = feature.presence, []
    if presence.HasField("min_count") and view.num_present < presence.min_count:
        found.append(reasons.low_count(presence.min_count, view.num_present))
    # As TFDV: a feature missing from no example meets any min_fraction (the data set's count
    # may cover more examples than the feature's statistics, as with flattened slices).
    if (
        presence.HasField("min_fraction")
        and view.num_missing > 0
        and view.fraction_present < presence.min_fraction
    ):
        found.append(reasons.low_fraction(presence.min_fraction, view.fraction_present))
    return found


def _domain(
    schema: schema_pb2.Schema, feature: schema_pb2.Feature, view: FeatureView
) -> list[Reason]:
    which = feature.WhichOneof("domain_info")
    if which in ("domain", "string_domain"):
        return _strings(set(get_domain(schema, feature.name).value), view, feature)
    if which == "bool_domain":
        return _booleans(feature.bool_domain, view)
    if which in ("int_domain", "float_domain") and view.numeric is not None and view.num_present:
        return _range(getattr(feature, which), which == "int_domain", view)
    if which == "natural_language_domain":
        return check_natural_language(feature.natural_language_domain, view)
    return []


def _strings(allowed: set[str], view: FeatureView, feature: schema_pb2.Feature) -> list[Reason]:
    counts = view.string_counts
    unknown = {value: count for value, count in counts.items() if value not in allowed}
    if not unknown:
        return []
    common = view.common
    # TFDV's value total: tot_num_values, else present examples times their average count.
    total = common.tot_num_values or common.num_non_missing * common.avg_num_values
    shares = {value: count / total if total > 0 else None for value, count in unknown.items()}
    constraints = feature.distribution_constraints
    # Values outside the domain are tolerated up to 1 - min_domain_mass of all values.
    tolerated = constraints.HasField("min_domain_mass") and total > 0
    if tolerated and 1 - sum(shares.values()) >= constraints.min_domain_mass:
        return []
    return [reasons.unexpected_strings(shares)]


def _booleans(domain: schema_pb2.BoolDomain, view: FeatureView) -> list[Reason]:
    numeric = view.numeric
    if numeric is not None and view.num_present:
        if numeric.min < 0:
            return [reasons.non_boolean_int(int(numeric.min), too_big=False)]
        if numeric.max > 1:
            return [reasons.non_boolean_int(int(numeric.max), too_big=True)]
        return []
    allowed = {domain.true_value, domain.false_value}
    unknown = sorted(v for v in view.string_counts if v not in allowed)
    if unknown:
        return [reasons.non_boolean_string(unknown[0], domain.true_value, domain.false_value)]
    return []


def _range(domain, integer: bool, view: FeatureView) -> list[Reason]:
    numeric, found = view.numeric, []
    if domain.HasField("min") and numeric.min < domain.min:
        found.append(
            reasons.small_int(int(numeric.min))
            if integer
            else reasons.small_float(numeric.min, domain.min)
        )
    if domain.HasField("max") and numeric.max > domain.max:
        found.append(
            reasons.big_int(int(numeric.max))
            if integer
            else reasons.big_float(numeric.max, domain.max)
        )
    return found
