"""Natural-language statistics (the ``nl_statistics`` custom statistic) as pandas DataFrames,
laid out as TFDV's ``display_util.get_natural_language_statistics_dataframes`` lays them out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.schema.statistics_view import dataset_of
from datajourney.views import _checked, _projected

if TYPE_CHECKING:
    import pandas as pd

Statistics = statistics_pb2.DatasetFeatureStatisticsList
NaturalLanguage = statistics_pb2.NaturalLanguageStatistics
_CUSTOM_STATISTIC = "nl_statistics"
_TOKEN_COLUMNS = (
    "frequency",
    "fraction_of_sequences",
    "per_sequence_min_frequency",
    "per_sequence_max_frequency",
    "per_sequence_avg_frequency",
)


def _histogram_frame(histogram: statistics_pb2.Histogram) -> pd.DataFrame:
    import pandas as pd

    buckets = histogram.buckets
    return pd.DataFrame.from_dict(
        {
            "high_values": [b.high_value for b in buckets],
            "low_values": [b.low_value for b in buckets],
            "sample_counts": [b.sample_count for b in buckets],
        }
    )


def _token_name(token: NaturalLanguage.TokenStatistics) -> str | int:
    return token.string_token if token.WhichOneof("token") == "string_token" else token.int_token


def _tokens_frame(tokens: Sequence[NaturalLanguage.TokenStatistics]) -> pd.DataFrame:
    """One row per token: its name (text or integer id), counts and positions histogram."""
    import pandas as pd

    columns: dict[str, list] = {"token_name": [_token_name(t) for t in tokens]}
    for column in _TOKEN_COLUMNS:
        columns[column] = [getattr(t, column) for t in tokens]
    columns["positions"] = [_histogram_frame(t.positions) for t in tokens]
    return pd.DataFrame.from_dict(columns)


def _natural_language(
    dataset: statistics_pb2.DatasetFeatureStatistics,
) -> dict[str, NaturalLanguage]:
    found: dict[str, NaturalLanguage] = {}
    for feature in dataset.features:
        for custom in feature.custom_stats:
            if custom.name == _CUSTOM_STATISTIC:
                stats = NaturalLanguage()
                custom.any.Unpack(stats)
                found[feature.name or ".".join(feature.path.step)] = stats
    return found


def get_natural_language_statistics_dataframes(
    lhs_statistics: Statistics,
    rhs_statistics: Statistics | None = None,
    lhs_name: str = "lhs_statistics",
    rhs_name: str = "rhs_statistics",
    allowlist_features: Sequence[object] | None = None,
    denylist_features: Sequence[object] | None = None,
) -> dict[str, dict[str, dict[str, pd.DataFrame]]] | None:
    """``{data set name: {feature: {"token_length_histogram": frame, "token_statistics":
    frame}}}`` for each feature with natural-language statistics in the default slice of
    ``lhs_statistics`` (and of ``rhs_statistics``); None when no feature has them.

    The same names on both sides become "lhs_statistics" and "rhs_statistics". Features are
    chosen by ``allowlist_features``, else ``denylist_features`` (names or FeaturePaths)."""
    _checked(lhs_statistics, rhs_statistics, None, None)
    if allowlist_features is not None:
        denylist_features = None
    sides = [(lhs_name, lhs_statistics)]
    if rhs_statistics is not None:
        if lhs_name == rhs_name:
            lhs_name, rhs_name = "lhs_statistics", "rhs_statistics"
        sides = [(lhs_name, lhs_statistics), (rhs_name, rhs_statistics)]
    result: dict[str, dict[str, dict[str, pd.DataFrame]]] = {}
    for name, statistics in sides:
        chosen = Statistics(datasets=[dataset_of(statistics, name)])
        projected = _projected(chosen, allowlist_features, denylist_features)
        features = _natural_language(projected.datasets[0])  # type: ignore[union-attr]
        if features:
            result[name] = {
                feature: {
                    "token_length_histogram": _histogram_frame(stats.token_length_histogram),
                    "token_statistics": _tokens_frame(stats.token_statistics),
                }
                for feature, stats in features.items()
            }
    return result or None
