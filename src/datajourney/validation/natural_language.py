"""Natural-language domain checks: a text feature's coverage and token constraints against the
``nl_statistics`` custom statistic (TFDV's semantic-domain statistics), with TFDV's reasons.

Constraints that cannot be checked because the statistics lack ``nl_statistics`` (or a
constrained token) are one ``STATS_NOT_AVAILABLE`` reason, as in TFDV.
"""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.schema.statistics_view import FeatureView
from datajourney.validation.reasons import Reason, Type, number

NL_STATISTICS = "nl_statistics"

_NOT_COMPUTED = Reason(
    Type.STATS_NOT_AVAILABLE,
    "Natural language stats are not computed.",
    "Constraints specified in natural language domain cannot be verified because natural "
    "language stats have not been computed.",
)


def _nl_statistics(view: FeatureView) -> statistics_pb2.NaturalLanguageStatistics | None:
    for custom in view.stats.custom_stats:
        if custom.name == NL_STATISTICS:
            found = statistics_pb2.NaturalLanguageStatistics()
            return found if custom.any.Unpack(found) else None
    return None


def _coverage(
    domain: schema_pb2.NaturalLanguageDomain, stats: statistics_pb2.NaturalLanguageStatistics
) -> list[Reason]:
    coverage, found = domain.coverage, []
    if coverage.HasField("min_coverage") and stats.feature_coverage < coverage.min_coverage:
        found.append(
            Reason(
                Type.FEATURE_COVERAGE_TOO_LOW,
                "Feature coverage is too low.",
                f"Fraction of tokens in the vocabulary: {number(stats.feature_coverage)} is "
                f"lower than the threshold set in the Schema: {number(coverage.min_coverage)}.",
            )
        )
    if (
        coverage.HasField("min_avg_token_length")
        and stats.avg_token_length < coverage.min_avg_token_length
    ):
        found.append(
            Reason(
                Type.FEATURE_COVERAGE_TOO_SHORT_AVG_TOKEN_LENGTH,
                "Average token length is too short.",
                f"Average token length is: {number(stats.avg_token_length)} which is lower than "
                f"the threshold set in the Schema: {number(coverage.min_avg_token_length)}.",
            )
        )
    return found


def _token(constraint: schema_pb2.SequenceValueConstraints, token: str, stats) -> list[Reason]:
    """The reasons one token's statistics break its constraint."""
    found = []
    fraction = stats.fraction_of_sequences
    checks = (
        (
            constraint.HasField("min_fraction_of_sequences")
            and fraction < constraint.min_fraction_of_sequences,
            Type.SEQUENCE_VALUE_TOO_SMALL_FRACTION,
            "Value occurs in too small a fraction of sequences.",
            f"Fraction of sequences with value: {token} is: {number(fraction)} which is lower "
            f"than the threshold set in the Schema: "
            f"{number(constraint.min_fraction_of_sequences)}.",
        ),
        (
            constraint.HasField("max_fraction_of_sequences")
            and fraction > constraint.max_fraction_of_sequences,
            Type.SEQUENCE_VALUE_TOO_LARGE_FRACTION,
            "Value occurs in too large a fraction of sequences.",
            f"Fraction of sequences with value: {token} is: {number(fraction)} which is higher "
            f"than the threshold set in the Schema: "
            f"{number(constraint.max_fraction_of_sequences)}.",
        ),
        (
            constraint.HasField("min_per_sequence")
            and stats.per_sequence_min_frequency < constraint.min_per_sequence,
            Type.SEQUENCE_VALUE_TOO_FEW_OCCURRENCES,
            "Value has too few per-sequence occurrences.",
            f"Value: {token} occurs at least: {number(stats.per_sequence_min_frequency)} times "
            "within a sequence, which is lower than the threshold set in the Schema: "
            f"{constraint.min_per_sequence}.",
        ),
        (
            constraint.HasField("max_per_sequence")
            and stats.per_sequence_max_frequency > constraint.max_per_sequence,
            Type.SEQUENCE_VALUE_TOO_MANY_OCCURRENCES,
            "Value has too many per-sequence occurrences.",
            f"Value: {token} occurs at most: {number(stats.per_sequence_max_frequency)} times "
            "within a sequence, which is higher than the threshold set in the Schema: "
            f"{constraint.max_per_sequence}.",
        ),
    )
    for broken, kind, short, long in checks:
        if broken:
            found.append(Reason(kind, short, long))
    return found


def check_natural_language(
    domain: schema_pb2.NaturalLanguageDomain, view: FeatureView
) -> list[Reason]:
    """Every reason ``view``'s natural-language statistics break ``domain``'s constraints."""
    stats = _nl_statistics(view)
    constrained = (
        domain.coverage.HasField("min_coverage")
        or domain.coverage.HasField("min_avg_token_length")
        or len(domain.token_constraints) > 0
    )
    if stats is None:
        return [_NOT_COMPUTED] if constrained else []
    found = _coverage(domain, stats)
    tokens = {}
    for token_stats in stats.token_statistics:
        which = token_stats.WhichOneof("token")
        if which is not None:
            tokens[getattr(token_stats, which)] = token_stats
    for constraint in domain.token_constraints:
        which = constraint.WhichOneof("value")
        if which is None:
            continue
        token = getattr(constraint, which)
        if token not in tokens:
            return [*found, _NOT_COMPUTED]
        found += _token(constraint, str(token), tokens[token])
    return found
