"""Inline SVG charts of one feature's distribution in one or more data sets, drawn to compare.

Numeric features: a histogram whose buckets are shared by every data set (equal-width buckets
over the range of them all), each data set's bars overlaid on the same axis, with value ticks
below and a percentage axis on the left. Each data set's STANDARD histogram is re-binned into
the shared buckets, counting a source bucket's values as spread evenly over it. Categorical
features: horizontal bars per value, labelled with the value, one bar per data set.
Bars are each data set's share of its own values, so data sets of different sizes compare.
"""

from __future__ import annotations

from html import escape

import numpy as np
from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.schema.statistics_view import FeatureView

COLORS = ("#4c78a8", "#f58518", "#54a24b", "#b279a2")
MAX_BARS = 20
BUCKETS = 12
_FONT = 'font-family="system-ui,sans-serif" font-size="10" fill="#333"'
_AXIS = 'stroke="#555" stroke-width="1"'


def _number(value: float) -> str:
    """A short tick label: 4 significant digits, thousands as k / M."""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:.3g}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.3g}k"
    return f"{value:.4g}"


def _standard_buckets(view: FeatureView) -> list[tuple[float, float, float]]:
    numeric = view.numeric
    if numeric is None:
        return []
    for histogram in numeric.histograms:
        if histogram.type == statistics_pb2.Histogram.STANDARD:
            return [(b.low_value, b.high_value, b.sample_count) for b in histogram.buckets]
    return []


def shared_edges(views: list[FeatureView | None], buckets: int = BUCKETS) -> np.ndarray:
    """Bucket boundaries shared by all ``views``: equal widths from the lowest to the highest
    value of any of them (empty when none has a histogram)."""
    bounds = [(low, high) for v in views if v for low, high, _ in _standard_buckets(v)]
    if not bounds:
        return np.empty(0)
    low, high = min(b[0] for b in bounds), max(b[1] for b in bounds)
    if low == high:
        return np.array([low, high])
    return np.linspace(low, high, buckets + 1)


def rebinned(view: FeatureView, edges: np.ndarray) -> np.ndarray:
    """The share of ``view``'s values in each bucket between ``edges``."""
    shares = np.zeros(len(edges) - 1)
    for low, high, count in _standard_buckets(view):
        if high > low:
            overlap = np.minimum(edges[1:], high) - np.maximum(edges[:-1], low)
            shares += np.clip(overlap, 0, None) / (high - low) * count
        else:  # a bucket of one value
            index = np.searchsorted(edges, low, side="right") - 1
            shares[min(max(index, 0), len(shares) - 1)] += count
    total = shares.sum()
    return shares / total if total else shares


def _svg(width: float, height: float, body: list[str], kind: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" class="dj-chart {kind}">'
        + "".join(body)
        + "</svg>"
    )


def _percent_axis(at: float, start: float, end: float, peak: float, vertical: bool) -> list[str]:
    """A percentage axis from 0 to ``peak`` (a share) with three ticks: vertical at x = ``at``
    from y = ``end`` (0%) up to ``start``, or horizontal at y = ``at`` from x = ``start``."""
    parts = [f'<g class="axis {"y" if vertical else "x"}">']
    if vertical:
        parts.append(f'<line x1="{at}" y1="{start}" x2="{at}" y2="{end}" {_AXIS}/>')
    else:
        parts.append(f'<line x1="{start}" y1="{at}" x2="{end}" y2="{at}" {_AXIS}/>')
    for fraction in (0.0, 0.5, 1.0):
        label = f"{100 * peak * fraction:.3g}%"
        if vertical:
            y = end - (end - start) * fraction
            parts.append(f'<line x1="{at - 3}" y1="{y:.1f}" x2="{at}" y2="{y:.1f}" {_AXIS}/>')
            parts.append(
                f'<text class="tick" x="{at - 5}" y="{y + 3:.1f}" text-anchor="end" {_FONT}>'
                f"{label}</text>"
            )
        else:
            x = start + (end - start) * fraction
            parts.append(f'<line x1="{x:.1f}" y1="{at}" x2="{x:.1f}" y2="{at + 3}" {_AXIS}/>')
            parts.append(
                f'<text class="tick" x="{x:.1f}" y="{at + 13}" text-anchor="middle" {_FONT}>'
                f"{label}</text>"
            )
    parts.append("</g>")
    return parts


def numeric_chart(views: list[FeatureView | None], names: list[str]) -> str:
    """An overlaid histogram of the data sets' values on shared buckets, with axes."""
    edges = shared_edges(views)
    if len(edges) < 2:
        return ""
    series = [(i, rebinned(v, edges)) for i, v in enumerate(views) if v is not None]
    peak = max(float(s.max()) for _, s in series) or 1.0
    width, height, left, right, top, bottom = 330, 150, 44, 12, 8, 118
    slot = (width - left - right) / (len(edges) - 1)
    body = []
    for index, shares in series:
        color = COLORS[index % len(COLORS)]
        # the first data set filled, the others outlined over it
        paint = 'fill-opacity="0.55"' if index == 0 else 'fill-opacity="0.12" stroke-width="1.6"'
        paint += f' stroke="{"none" if index == 0 else color}"'
        body.append(f'<g class="series" data-name="{escape(names[index])}">')
        for bucket, share in enumerate(shares):
            bar = (bottom - top) * share / peak
            low, high = edges[bucket], edges[bucket + 1]
            body.append(
                f'<rect class="bar" x="{left + bucket * slot:.1f}" y="{bottom - bar:.1f}" '
                f'width="{slot:.1f}" height="{bar:.1f}" fill="{color}" {paint} '
                f'data-low="{low:.6g}" data-high="{high:.6g}">'
                f"<title>{escape(names[index])}: {_number(low)} to {_number(high)}: "
                f"{100 * share:.1f}%</title></rect>"
            )
        body.append("</g>")
    body += _percent_axis(left, top, bottom, peak, vertical=True)
    body.append(f'<g class="axis x"><line x1="{left}" y1="{bottom}" x2="{width - right}" ')
    body.append(f'y2="{bottom}" {_AXIS}/>')
    step = max(1, round((len(edges) - 1) / 4))
    for position in range(0, len(edges), step):
        x = left + position * slot
        body.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 3}" {_AXIS}/>')
        body.append(
            f'<text class="tick" x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" {_FONT}>'
            f"{_number(edges[position])}</text>"
        )
    body.append(
        f'<text x="{(left + width - right) / 2:.0f}" y="{height - 3}" text-anchor="middle" '
        f"{_FONT}>value (shared buckets), bars: % of each data set's values</text></g>"
    )
    return _svg(width, height, body, "numeric")


def _value_shares(view: FeatureView) -> dict[str, float]:
    counts = view.string_counts
    total = view.common.tot_num_values or sum(counts.values()) or 1.0
    return {value: count / total for value, count in counts.items()}


def categorical_chart(views: list[FeatureView | None], names: list[str]) -> str:
    """Horizontal bars per value (the largest share in any data set first), labelled, one bar
    per data set."""
    shares = [(i, _value_shares(v)) for i, v in enumerate(views) if v is not None]
    ranked = sorted(
        {value for _, s in shares for value in s},
        key=lambda value: (-max(s.get(value, 0.0) for _, s in shares), value),
    )
    values, hidden = ranked[:MAX_BARS], len(ranked) - MAX_BARS
    if not values:
        return ""
    peak = max(s.get(v, 0.0) for _, s in shares for v in values) or 1.0
    row, label_width, width, right = 16, 120, 330, 16
    top, bottom = 4, 4 + row * len(values)
    bar_height = (row - 4) / len(shares)
    span = width - label_width - right
    body = []
    for position, value in enumerate(values):
        y = top + position * row
        shown = value if len(value) <= 20 else value[:19] + "\u2026"
        body.append(
            f'<text class="label" x="{label_width - 4}" y="{y + row / 2 + 3:.1f}" '
            f'text-anchor="end" {_FONT}>{escape(shown)}<title>{escape(value)}</title></text>'
        )
        for slot, (index, share) in enumerate(shares):
            fraction = share.get(value, 0.0)
            color = COLORS[index % len(COLORS)]
            body.append(
                f'<rect class="bar" data-name="{escape(names[index])}" '
                f'data-value="{escape(value)}" x="{label_width}" '
                f'y="{y + 2 + slot * bar_height:.1f}" width="{span * fraction / peak:.1f}" '
                f'height="{bar_height:.1f}" fill="{color}"><title>{escape(names[index])}: '
                f"{escape(value)}: {100 * fraction:.1f}%</title></rect>"
            )
    body += _percent_axis(bottom, label_width, label_width + span, peak, vertical=False)
    height = bottom + 18
    if hidden > 0:
        body.append(
            f'<text x="{label_width}" y="{height + 9}" {_FONT}>'
            f"and {hidden} more value{'s' if hidden > 1 else ''}</text>"
        )
        height += 14
    body.insert(
        0, f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{bottom}" {_AXIS}/>'
    )
    return _svg(width, height, body, "categorical")


def chart(views: list[FeatureView | None], names: list[str]) -> str:
    """The chart that compares a feature across data sets (``None`` where a data set lacks it)."""
    present = [v for v in views if v is not None]
    if present and present[0].numeric is not None:
        return numeric_chart(views, names)
    return categorical_chart(views, names)
