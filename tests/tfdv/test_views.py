"""Views: self-contained HTML (no scripts, nothing fetched) and terminal tables."""

from __future__ import annotations

import re

import datajourney.tfdv as tfdv
from datajourney.views import anomalies_html, schema_html, statistics_html
from tests.golden import tfdv_fixtures as golden


def _fetches(html: str) -> list[str]:
    return re.findall(r"<script|<link|src=|@import|url\(", html)


def test_statistics_html_draws_both_data_sets_inline():
    html = statistics_html(
        golden.statistics("train"), golden.statistics("serving"), "train", "serving"
    )
    assert not _fetches(html)
    assert html.count("<svg") >= 10
    assert "train (1,000 examples)" in html and "serving (500 examples)" in html
    assert "Wilderness_Area" in html and "Elevation" in html
    assert tfdv.get_statistics_html(golden.statistics("train")).count("<svg") >= 10


def test_schema_and_anomalies_html():
    html = schema_html(golden.schema("curated"))
    assert not _fetches(html)
    assert "Horizontal_Distance" in html and "&#x27;Comanche&#x27;" in html
    html = anomalies_html(golden.anomalies("eval_curated"))
    assert "Unexpectedly large value: 88." in html
    assert "No anomalies found." in anomalies_html(golden.anomalies("train_inferred"))


def test_display_prints_tables_in_a_terminal(capsys):
    tfdv.display_anomalies(golden.anomalies("serving_curated"))
    tfdv.display_schema(golden.schema("curated_env"))
    tfdv.visualize_statistics(golden.statistics("lists"))
    out = capsys.readouterr().out
    assert re.search(r"Cover_Type\s+Column dropped\s+Column is completely missing", out)
    assert re.search(r"Slope\s+INT\s+required\s+\[1\]\s+\[0; 60\]", out)
    assert re.search(r"tags\s+300", out)
    assert "\033[" not in out
