"""Accumulators to ``DatasetFeatureStatistics`` protos, with TFDV's fields and histograms.

Histograms: a QUANTILES histogram has ``n`` buckets between the ``i/n`` quantiles, each holding
the values in it (buckets ending on one value share its count evenly, as TFDV's); a STANDARD
histogram has ``n`` equal-width buckets from the smallest to the largest finite value (one
bucket when they are equal), each holding its share of a QUANTILES histogram of ``100 n``
buckets (values spread evenly within those), as TFDV's. Standard deviations are population ones.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.stats.distribution import Distribution
from datajourney.stats.feature import FLOAT, INT, STRING, STRUCT, FeatureAccumulator
from datajourney.stats.options import StatsOptions
from datajourney.stats.values import ESTIMATED_TOP_VALUES, ESTIMATED_UNIQUES

Histogram = statistics_pb2.Histogram


def _bucket_counts(bounds: np.ndarray, cumulative: np.ndarray) -> np.ndarray:
    """Counts of the buckets between ``bounds`` from the counts at or below each bound, as TFDV
    shares them: buckets with one upper bound share its count evenly, and the smallest value's
    count goes to the leading buckets equal to the first one."""
    counts = np.diff(cumulative).astype(np.float64)
    low, high = bounds[:-1], bounds[1:]
    start = 0
    while start < len(counts):
        end = start + 1
        while end < len(counts) and high[end] == high[start]:
            end += 1
        counts[start:end] = counts[start:end].sum() / (end - start)
        start = end
    leading = 1
    while leading < len(counts) and low[leading] == low[0] and high[leading] == high[0]:
        leading += 1
    counts[:leading] += cumulative[0] / leading
    return counts


def quantiles_histogram(
    distribution: Distribution, buckets: int, weighted: bool = False
) -> statistics_pb2.Histogram:
    """``buckets`` buckets between consecutive quantiles, each with the count it holds (buckets
    of equal bounds share theirs, as TFDV's)."""
    bounds = distribution.quantiles(np.linspace(0.0, 1.0, buckets + 1), weighted)
    counts = _bucket_counts(bounds, distribution.at_or_below(bounds, weighted))
    result = Histogram(type=Histogram.QUANTILES)
    for (low, high), count in zip(pairwise(bounds.tolist()), counts.tolist()):
        result.buckets.add(low_value=low, high_value=high, sample_count=count)
    return result


#: As TFDV, a STANDARD histogram of n buckets spreads a QUANTILES histogram of 100 n buckets.
FINE_QUANTILES_PER_BUCKET = 100


def _overlap(low: float, high: float, start: float, end: float, first: bool) -> float:
    """The share of quantile bucket [low, high] inside [start, end] (values spread evenly; a
    point bucket on ``start`` belongs to the first bucket only)."""
    if low == high == start:
        return 1.0 if first else 0.0
    if high < start or low > end:
        return 0.0
    if start <= low and high <= end:
        return 1.0
    return (min(high, end) - max(low, start)) / (high - low)


def _spread_histogram(
    distribution: Distribution, low: float, high: float, buckets: int, weighted: bool
) -> statistics_pb2.Histogram | None:
    """TFDV's STANDARD histogram: fine quantile buckets spread over equal-width buckets; None
    where the quantiles do not span exactly ``low`` to ``high`` (infinities)."""
    fine = distribution.quantiles(
        np.linspace(0.0, 1.0, FINE_QUANTILES_PER_BUCKET * buckets + 1), weighted
    )
    if fine[0] != low or fine[-1] != high:
        return None
    counts = _bucket_counts(fine, distribution.at_or_below(fine, weighted))
    edges = np.linspace(low, high, buckets + 1)
    result = Histogram(type=Histogram.STANDARD)
    first = 0
    for index, (start, end) in enumerate(pairwise(edges.tolist())):
        total = 0.0
        for j in range(first, len(counts)):
            if fine[j] > end:
                break
            if fine[j + 1] < start or (index and fine[j] == fine[j + 1] == start):
                first = j
            total += _overlap(fine[j], fine[j + 1], start, end, index == 0) * counts[j]
        result.buckets.add(low_value=start, high_value=end, sample_count=total)
    return result


def standard_histogram(
    distribution: Distribution, low: float, high: float, buckets: int, weighted: bool = False
) -> statistics_pb2.Histogram:
    """``buckets`` equal-width buckets from ``low`` to ``high``, their counts spread from fine
    quantile buckets as TFDV's (counted directly when infinities are among the values)."""
    if low != high and math.isfinite(low) and math.isfinite(high):
        spread = _spread_histogram(distribution, low, high, buckets, weighted)
        if spread is not None:
            return spread
    result = Histogram(type=Histogram.STANDARD)
    if low == high:
        total = distribution.weight if weighted else distribution.count
        result.buckets.add(low_value=low, high_value=high, sample_count=total)
        return result
    edges = np.linspace(low, high, buckets + 1)
    counts = distribution.counts_between(edges, weighted)
    for start, end, count in zip(edges[:-1], edges[1:], counts):
        result.buckets.add(low_value=start, high_value=end, sample_count=float(count))
    return result


def _common_stats(
    feature: FeatureAccumulator,
    num_examples: int,
    weighted_num_examples: float | None,
    options: StatsOptions,
) -> statistics_pb2.CommonStatistics:
    common = statistics_pb2.CommonStatistics(
        num_non_missing=feature.num_non_missing,
        num_missing=num_examples - feature.num_non_missing,
        tot_num_values=feature.tot_num_values,
    )
    if feature.num_non_missing:
        common.min_num_values = int(feature.min_num_values)
        common.max_num_values = feature.max_num_values
        common.avg_num_values = feature.tot_num_values / feature.num_non_missing
        common.num_values_histogram.CopyFrom(
            quantiles_histogram(feature.num_values, options.num_values_histogram_buckets)
        )
    for index, (present, missing, low, high, total) in enumerate(feature.levels or ()):
        level = common.presence_and_valency_stats.add(
            num_non_missing=present,
            # the top level misses the feature where the examples do (batches without it too)
            num_missing=common.num_missing if index == 0 else missing,
            tot_num_values=total,
        )
        if present:
            level.min_num_values, level.max_num_values = int(low), high
    if weighted_num_examples is not None:
        weighted = common.weighted_common_stats
        weighted.num_non_missing = feature.weighted_num_non_missing
        weighted.num_missing = weighted_num_examples - feature.weighted_num_non_missing
        weighted.tot_num_values = feature.weighted_tot_num_values
        if feature.weighted_num_non_missing:
            weighted.avg_num_values = (
                feature.weighted_tot_num_values / feature.weighted_num_non_missing
            )
    return common


def _numeric_stats(
    feature: FeatureAccumulator, options: StatsOptions, weighted: bool
) -> statistics_pb2.NumericStatistics:
    result = statistics_pb2.NumericStatistics()
    if feature.count == 0:
        for kind in (Histogram.STANDARD, Histogram.QUANTILES):
            result.histograms.add(type=kind, num_nan=feature.num_nan)
        return result
    distribution = feature.distribution
    result.mean = feature.mean
    result.std_dev = math.sqrt(max(feature.m2 / feature.count, 0.0))
    result.num_zeros = feature.num_zeros
    result.min, result.max = feature.min, feature.max
    result.median = float(distribution.quantiles(np.array([0.5]))[0])
    low, high = feature.finite_min, feature.finite_max
    for histogram in (
        standard_histogram(distribution, low, high, options.num_histogram_buckets),
        quantiles_histogram(distribution, options.num_quantiles_histogram_buckets),
    ):
        histogram.num_nan = feature.num_nan
        result.histograms.append(histogram)
    if weighted:
        stats = result.weighted_numeric_stats
        total = distribution.weight
        if total:
            stats.mean = feature.weighted_sum / total
            variance = feature.weighted_sum_of_squares / total - stats.mean**2
            stats.std_dev = math.sqrt(max(variance, 0.0))
        stats.median = float(distribution.quantiles(np.array([0.5]), weighted=True)[0])
        stats.histograms.append(
            standard_histogram(distribution, low, high, options.num_histogram_buckets, True)
        )
        stats.histograms.append(
            quantiles_histogram(distribution, options.num_quantiles_histogram_buckets, True)
        )
    return result


def _fill_ranking(
    top: statistics_pb2.StringStatistics | statistics_pb2.WeightedStringStatistics,
    ranked: list[tuple[str, float]],
    options: StatsOptions,
) -> None:
    for value, count in ranked[: max(0, options.num_top_values)]:
        top.top_values.add(value=value, frequency=count)
    for rank, (value, count) in enumerate(ranked[: max(0, options.num_rank_histogram_buckets)]):
        top.rank_histogram.buckets.add(
            low_rank=rank, high_rank=rank, label=value, sample_count=count
        )


def _string_stats(
    feature: FeatureAccumulator, options: StatsOptions, weighted: bool
) -> statistics_pb2.StringStatistics:
    result = statistics_pb2.StringStatistics()
    result.unique = feature.values.unique()
    limit = max(0, options.num_top_values, options.num_rank_histogram_buckets)
    _fill_ranking(result, feature.values.most_frequent(limit), options)
    if feature.tot_num_values:
        result.avg_length = feature.total_length / feature.tot_num_values
    result.invalid_utf8_count = feature.invalid_utf8
    if weighted:
        ranked = feature.values.most_frequent(limit, weighted=True)
        _fill_ranking(result.weighted_string_stats, ranked, options)
    return result


def feature_proto(
    path: str,
    feature: FeatureAccumulator,
    num_examples: int,
    weighted_num_examples: float | None,
    options: StatsOptions,
) -> statistics_pb2.FeatureNameStatistics:
    """The statistics of one feature; a feature with no value at all is typed STRING. String
    figures that are sketch estimates are marked in ``custom_stats``, followed by the
    semantic domains found (when asked for)."""
    result = statistics_pb2.FeatureNameStatistics(
        type=STRING if feature.type is None else feature.type
    )
    result.path.step.append(path)
    common = _common_stats(feature, num_examples, weighted_num_examples, options)
    weighted = weighted_num_examples is not None
    if feature.type in (INT, FLOAT) and not feature.categorical:
        result.num_stats.CopyFrom(_numeric_stats(feature, options, weighted))
        result.num_stats.common_stats.CopyFrom(common)
    elif feature.type == STRUCT:
        result.struct_stats.common_stats.CopyFrom(common)
    else:
        result.string_stats.CopyFrom(_string_stats(feature, options, weighted))
        result.string_stats.common_stats.CopyFrom(common)
        if feature.values.estimated:  # marked as TFDV marks its sketch-based figures
            result.custom_stats.add(name=ESTIMATED_UNIQUES, num=result.string_stats.unique)
            ranks = result.custom_stats.add(name=ESTIMATED_TOP_VALUES).rank_histogram
            ranks.CopyFrom(result.string_stats.rank_histogram)
    if feature.semantic is not None:
        result.custom_stats.extend(feature.semantic.custom_stats())
    return result
