"""Skew and drift: one feature's distribution against another data set's.

Two distances, as in TFDV: L-infinity (the largest difference of a value's share) on
categorical values, and an approximate Jensen-Shannon divergence (base 2) on numeric histograms
(each bucket's count spread evenly over the union of both histograms' boundaries; NaNs are a
bucket of their own) or on categorical shares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from datajourney.schema.statistics_view import FeatureView
from datajourney.validation import reasons
from datajourney.validation.reasons import Reason

Measurement = anomalies_pb2.DriftSkewInfo.Measurement


@dataclass(frozen=True)
class Comparison:
    """One comparator's outcome: the measurement recorded and the reason when over threshold."""

    measurement: Measurement
    reason: Reason | None


def _shares(view: FeatureView) -> dict[str, float]:
    counts = view.string_counts
    total = sum(counts.values())
    return {value: count / total for value, count in counts.items()} if total else {}


def l_infinity(a: FeatureView, b: FeatureView) -> tuple[float, str | None]:
    """The largest difference of one value's share, and that value (None without strings)."""
    left, right = _shares(a), _shares(b)
    best, top = 0.0, None
    for value in sorted(left.keys() | right.keys()):
        difference = abs(left.get(value, 0.0) - right.get(value, 0.0))
        if difference >= best:
            best, top = difference, value
    return best, top


def _standard_histogram(view: FeatureView) -> statistics_pb2.Histogram | None:
    numeric = view.numeric
    if numeric is None:
        return None
    return next(
        (h for h in numeric.histograms if h.type == statistics_pb2.Histogram.STANDARD), None
    )


def _rebucket(histogram: statistics_pb2.Histogram, edges: list[float]) -> list[float]:
    """Counts over ``edges``' intervals, each bucket spread evenly over its width."""
    counts = [0.0] * (len(edges) - 1)
    for bucket in histogram.buckets:
        low, high = bucket.low_value, bucket.high_value
        for i in range(len(edges) - 1):
            left, right = edges[i], edges[i + 1]
            if high == low:
                inside = left <= low <= right and (low < right or i == len(edges) - 2)
                counts[i] += bucket.sample_count if inside else 0.0
                if inside:
                    break
            elif right > low and left < high:
                overlap = min(right, high) - max(left, low)
                counts[i] += bucket.sample_count * overlap / (high - low)
    return [*counts, histogram.num_nan]


def _divergence(p: list[float], q: list[float]) -> float:
    total_p, total_q = sum(p), sum(q)
    if not total_p or not total_q:
        return 0.0
    value = 0.0
    for x, y in zip(p, q):
        x, y = x / total_p, y / total_q
        middle = (x + y) / 2
        if x:
            value += 0.5 * x * math.log2(x / middle)
        if y:
            value += 0.5 * y * math.log2(y / middle)
    return value


def jensen_shannon(a: FeatureView, b: FeatureView) -> float:
    """Approximate Jensen-Shannon divergence of two features' distributions."""
    left, right = _standard_histogram(a), _standard_histogram(b)
    if left is not None and right is not None:
        edges = sorted(
            {
                v
                for h in (left, right)
                for bucket in h.buckets
                for v in (bucket.low_value, bucket.high_value)
            }
        )
        if len(edges) < 2:
            edges = edges * 2
        return _divergence(_rebucket(left, edges), _rebucket(right, edges))
    shares_a, shares_b = _shares(a), _shares(b)
    values = sorted(shares_a.keys() | shares_b.keys())
    return _divergence(
        [shares_a.get(v, 0.0) for v in values], [shares_b.get(v, 0.0) for v in values]
    )


def compare(
    comparator: schema_pb2.FeatureComparator, current: FeatureView, other: FeatureView, sides: str
) -> list[Comparison]:
    """Apply each threshold ``comparator`` sets; ``sides`` names the data sets for messages."""
    found = []
    if comparator.HasField("infinity_norm"):
        value, top = l_infinity(current, other)
        found.append(_outcome("L_INFTY", value, comparator.infinity_norm.threshold, sides, top))
    if comparator.HasField("jensen_shannon_divergence"):
        value = jensen_shannon(current, other)
        threshold = comparator.jensen_shannon_divergence.threshold
        found.append(_outcome("JENSEN_SHANNON_DIVERGENCE", value, threshold, sides, None))
    return found


def _outcome(kind: str, value: float, threshold: float, sides: str, top: str | None) -> Comparison:
    measurement = Measurement(type=Measurement.Type.Value(kind), value=value, threshold=threshold)
    reason = None
    if value > threshold:
        reason = reasons.comparison_high(kind, sides, value, threshold, top)
    return Comparison(measurement, reason)


def has_threshold(comparator: schema_pb2.FeatureComparator) -> bool:
    """Whether the comparator sets any threshold."""
    return comparator.HasField("infinity_norm") or comparator.HasField("jensen_shannon_divergence")
