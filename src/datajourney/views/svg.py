"""Small inline SVG bar charts of one feature's distribution (one or two data sets overlaid)."""

from __future__ import annotations

from html import escape

from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.schema.statistics_view import FeatureView

WIDTH, HEIGHT = 220, 70
COLORS = ("#4c78a8", "#f58518")
MAX_BARS = 20


def distribution(view: FeatureView) -> list[tuple[str, float]]:
    """(label, fraction of values) pairs: histogram buckets or the most frequent strings."""
    if view.numeric is not None:
        histogram = next(
            (h for h in view.numeric.histograms if h.type == statistics_pb2.Histogram.STANDARD),
            None,
        )
        if histogram is None:
            return []
        counts = [
            (f"{b.low_value:.4g}..{b.high_value:.4g}", b.sample_count) for b in histogram.buckets
        ]
    else:
        counts = sorted(view.string_counts.items(), key=lambda kv: -kv[1])[:MAX_BARS]
    total = sum(c for _, c in counts) or 1.0
    return [(label, count / total) for label, count in counts]


def bar_chart(series: list[list[tuple[str, float]]]) -> str:
    """An SVG drawing each series' bars side by side per label; labels in hover titles."""
    labels = list(dict.fromkeys(label for s in series for label, _ in s))
    if not labels:
        return ""
    peak = max((value for s in series for _, value in s), default=1.0) or 1.0
    slot = WIDTH / len(labels)
    bar = max(slot / max(len(series), 1) - 1, 0.5)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img">'
    ]
    for index, values in enumerate(series):
        lookup = dict(values)
        for position, label in enumerate(labels):
            value = lookup.get(label, 0.0)
            height = HEIGHT * value / peak
            x = position * slot + index * (bar + 1)
            parts.append(
                f'<rect x="{x:.1f}" y="{HEIGHT - height:.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}" fill="{COLORS[index % len(COLORS)]}">'
                f"<title>{escape(label)}: {100 * value:.1f}%</title></rect>"
            )
    parts.append("</svg>")
    return "".join(parts)
