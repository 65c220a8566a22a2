"""Natural-language statistics as DataFrames, in TFDV's layout."""

from __future__ import annotations

import pytest
from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.views.natural_language import get_natural_language_statistics_dataframes

pd = pytest.importorskip("pandas")


def _statistics(name: str = "") -> statistics_pb2.DatasetFeatureStatisticsList:
    stats = text_format.Parse(
        f'datasets {{ name: "{name}" features {{ path {{ step: "doc" step: "body" }} '
        'custom_stats { name: "nl_statistics" } } features { path { step: "id" } } }',
        statistics_pb2.DatasetFeatureStatisticsList(),
    )
    nl = text_format.Parse(
        "token_length_histogram { buckets { low_value: 1 high_value: 3 sample_count: 7 } } "
        'token_statistics { int_token: 5 frequency: 2 } token_statistics { string_token: "the" '
        "frequency: 9 positions { buckets { high_value: 0.5 sample_count: 4 } } }",
        statistics_pb2.NaturalLanguageStatistics(),
    )
    stats.datasets[0].features[0].custom_stats[0].any.Pack(nl)
    return stats


def test_frames_per_data_set_and_feature():
    frames = get_natural_language_statistics_dataframes(_statistics(), _statistics("x"), "x", "x")
    assert list(frames) == ["lhs_statistics", "rhs_statistics"]
    body = frames["lhs_statistics"]["doc.body"]
    assert body["token_length_histogram"].to_dict("list") == {
        "high_values": [3.0],
        "low_values": [1.0],
        "sample_counts": [7.0],
    }
    tokens = body["token_statistics"]
    assert list(tokens.columns) == [
        "token_name",
        "frequency",
        "fraction_of_sequences",
        "per_sequence_min_frequency",
        "per_sequence_max_frequency",
        "per_sequence_avg_frequency",
        "positions",
    ]
    assert tokens["token_name"].tolist() == [5, "the"]
    assert tokens["frequency"].tolist() == [2.0, 9.0]
    assert tokens["positions"].iloc[1]["sample_counts"].tolist() == [4.0]


def test_none_without_natural_language_statistics():
    assert (
        get_natural_language_statistics_dataframes(
            _statistics(), denylist_features=[["doc", "body"]]
        )
        is None
    )
    with pytest.raises(TypeError, match="should be a DatasetFeatureStatisticsList"):
        get_natural_language_statistics_dataframes({})
