"""TFDV's ``utils.display_util``: views of schemas, anomalies and statistics, from
:mod:`datajourney.views` and :mod:`datajourney.validation.feature_skew`."""

from __future__ import annotations

from datajourney.validation.feature_skew import (
    get_confusion_count_dataframes,
    get_match_stats_dataframe,
    get_skew_result_dataframe,
)
from datajourney.views import (
    compare_slices,
    display_anomalies,
    display_schema,
    get_statistics_html,
    visualize_statistics,
)
from datajourney.views.dataframes import (
    get_anomalies_dataframe,
    get_drift_skew_dataframe,
    get_schema_dataframe,
)
from datajourney.views.natural_language import get_natural_language_statistics_dataframes

__all__ = [
    "compare_slices",
    "display_anomalies",
    "display_schema",
    "get_anomalies_dataframe",
    "get_confusion_count_dataframes",
    "get_drift_skew_dataframe",
    "get_match_stats_dataframe",
    "get_natural_language_statistics_dataframes",
    "get_schema_dataframe",
    "get_skew_result_dataframe",
    "get_statistics_html",
    "visualize_statistics",
]
