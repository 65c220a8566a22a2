"""Natural-language domain checks: a text feature's coverage and token constraints against the
``nl_statistics`` custom statistic (TFDV's semantic-domain statistics), with TFDV's reasons.

Constraints that cannot be checked because the statistics lack ``nl_statistics`` (or a
constrained token) are one ``STATS_NOT_AVAILABLE`` reason, as in TFDV.
"""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.schema.limits import Breach, natural_language_breaches
from datajourney.schema.statistics_view import FeatureView
from datajourney.validation.reasons import Reason, Type, number

_NOT_COMPUTED = Reason(
    Type.STATS_NOT_AVAILABLE,
    "Natural language stats are not computed.",
    "Constraints specified in natural language domain cannot be verified because natural "
    "language stats have not been computed.",
)


def _reason(breach: Breach) -> Reason:
    observed, limit, token = number(breach.observed), breach.limit, breach.token
    shown = str(limit) if isinstance(limit, int) else number(limit)
    schema = f"the threshold set in the Schema: {shown}."
    if breach.field == "min_coverage":
        return Reason(
            Type.FEATURE_COVERAGE_TOO_LOW,
            "Feature coverage is too low.",
            f"Fraction of tokens in the vocabulary: {observed} is lower than {schema}",
        )
    if breach.field == "min_avg_token_length":
        return Reason(
            Type.FEATURE_COVERAGE_TOO_SHORT_AVG_TOKEN_LENGTH,
            "Average token length is too short.",
            f"Average token length is: {observed} which is lower than {schema}",
        )
    if breach.field == "min_fraction_of_sequences":
        return Reason(
            Type.SEQUENCE_VALUE_TOO_SMALL_FRACTION,
            "Value occurs in too small a fraction of sequences.",
            f"Fraction of sequences with value: {token} is: {observed} which is lower than "
            f"{schema}",
        )
    if breach.field == "max_fraction_of_sequences":
        return Reason(
            Type.SEQUENCE_VALUE_TOO_LARGE_FRACTION,
            "Value occurs in too large a fraction of sequences.",
            f"Fraction of sequences with value: {token} is: {observed} which is higher than "
            f"{schema}",
        )
    if breach.field == "min_per_sequence":
        return Reason(
            Type.SEQUENCE_VALUE_TOO_FEW_OCCURRENCES,
            "Value has too few per-sequence occurrences.",
            f"Value: {token} occurs at least: {observed} times within a sequence, which is "
            f"lower than {schema}",
        )
    return Reason(
        Type.SEQUENCE_VALUE_TOO_MANY_OCCURRENCES,
        "Value has too many per-sequence occurrences.",
        f"Value: {token} occurs at most: {observed} times within a sequence, which is higher "
        f"than {schema}",
    )


def check_natural_language(
    domain: schema_pb2.NaturalLanguageDomain, view: FeatureView
) -> list[Reason]:
    """Every reason ``view``'s natural-language statistics break ``domain``'s constraints."""
    breaches, unchecked = natural_language_breaches(domain, view)
    found = [_reason(breach) for breach in breaches]
    return [*found, _NOT_COMPUTED] if unchecked else found
