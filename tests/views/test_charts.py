"""The HTML report's charts compare data sets on one axis: what a reader of the page sees."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pyarrow as pa

from datajourney.stats import generate_statistics
from datajourney.views import statistics_html

SVG = "{http://www.w3.org/2000/svg}"


def _charts(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", html, re.DOTALL)]


def _series_bars(chart: ET.Element) -> list[list[ET.Element]]:
    return [
        group.findall(f"{SVG}rect") for group in chart.iter(f"{SVG}g") if group.get("data-name")
    ]


def _tick_labels(chart: ET.Element, axis: str) -> list[str]:
    (group,) = [g for g in chart.iter(f"{SVG}g") if g.get("class") == f"axis {axis}"]
    return [text.text or "" for text in group.iter(f"{SVG}text")]


def _two_sets_one_value_apart():
    rng = np.random.default_rng(7)
    train = rng.integers(0, 101, 4_000)  # 0..100
    evaluation = rng.integers(1, 102, 1_000)  # 1..101: the same distribution, shifted ends
    return (
        generate_statistics(pa.table({"x": train})),
        generate_statistics(pa.table({"x": evaluation})),
    )


def test_two_data_sets_share_bucket_boundaries_and_overlap_on_one_axis():
    train, evaluation = _two_sets_one_value_apart()
    (chart,) = _charts(statistics_html(train, evaluation, "train", "eval"))
    first, second = _series_bars(chart)
    bounds = [[(r.get("data-low"), r.get("data-high")) for r in bars] for bars in (first, second)]
    assert bounds[0] == bounds[1]  # one set of buckets for both
    assert bounds[0][0][0] == "0" and bounds[0][-1][1] == "101"  # spanning both ranges
    assert [r.get("x") for r in first] == [r.get("x") for r in second]  # overlaid, not side by side
    heights = [[float(r.get("height")) for r in bars] for bars in (first, second)]
    both = sum(1 for a, b in zip(*heights) if a > 0 and b > 0)
    assert both >= len(heights[0]) - 1  # the same distribution draws over the same buckets


def test_numeric_chart_has_value_and_percentage_axes():
    train, evaluation = _two_sets_one_value_apart()
    (chart,) = _charts(statistics_html(train, evaluation, "train", "eval"))
    values = _tick_labels(chart, "x")
    assert values[0] == "0" and "101" in values
    shares = _tick_labels(chart, "y")
    assert shares[0] == "0%" and all(label.endswith("%") for label in shares)


def test_categorical_chart_labels_each_value_on_the_page():
    train = generate_statistics(pa.table({"c": ["red"] * 5 + ["green"] * 3 + ["blue"]}))
    serving = generate_statistics(pa.table({"c": ["red"] * 2 + ["violet"] * 6}))
    (chart,) = _charts(statistics_html(train, serving, "train", "serving"))
    labels = [t.text for t in chart.iter(f"{SVG}text") if t.get("class") == "label"]
    assert labels == ["violet", "red", "green", "blue"]  # largest share in any data set first
    assert _tick_labels(chart, "x")[0] == "0%"
    bars = {
        (r.get("data-name"), r.get("data-value")): float(r.get("width"))
        for r in chart.iter(f"{SVG}rect")
    }
    assert bars[("serving", "violet")] > bars[("train", "red")] > bars[("serving", "red")] > 0
    assert bars[("train", "violet")] == 0


def test_one_data_set_draws_one_series():
    (train, _) = _two_sets_one_value_apart()
    (chart,) = _charts(statistics_html(train))
    assert len(_series_bars(chart)) == 1
