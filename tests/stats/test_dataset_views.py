"""Statistics views as TFDV's stats_util has them: derived features, path-or-name rules, the
custom-statistics data set a generator returns, and derived sources kept by the shard merge."""

from __future__ import annotations

import pytest
from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.stats import merge_statistics_shards
from datajourney.stats.dataset_views import DatasetListView, FeaturePath
from datajourney.stats.generators import make_dataset_feature_stats_proto

_DERIVED = """
datasets {
  name: "All Examples"
  features { path { step: "age" } }
  features {
    path { step: "age_bucket" }
    validation_derived_source { deriver_name: "bucketer" source_path { step: "age" } }
  }
}
"""


def _list(text: str) -> statistics_pb2.DatasetFeatureStatisticsList:
    return text_format.Parse(text, statistics_pb2.DatasetFeatureStatisticsList())


def test_derived_features_are_listed_and_an_ambiguous_one_is_refused():
    stats = _list(_DERIVED)
    view = DatasetListView(stats).get_default_slice()
    assert view.list_features() == [FeaturePath(["age"]), FeaturePath(["age_bucket"])]
    found = view.get_derived_feature("bucketer", [FeaturePath(["age"])])
    assert found.proto().path.step == ["age_bucket"]
    stats.datasets[0].features.append(stats.datasets[0].features[1])
    with pytest.raises(ValueError, match="Ambiguous result, 2 features matched"):
        DatasetListView(stats).get_default_slice().get_derived_feature(
            "bucketer", [FeaturePath(["age"])]
        )
    with pytest.raises(ValueError, match="Duplicate feature age_bucket"):
        DatasetListView(stats).get_default_slice().list_features()


def test_a_data_set_naming_features_by_path_and_by_name_is_refused():
    stats = _list('datasets { features { path { step: "a" } } features { name: "b" } }')
    with pytest.raises(ValueError, match="either path or name within a Dataset"):
        DatasetListView(stats).get_default_slice().get_feature("b")


def test_custom_statistics_data_set_is_sorted_by_path_and_name():
    made = make_dataset_feature_stats_proto(
        {FeaturePath(["z"]): {"lift": 0.5, "corr": 0.1}, FeaturePath(["a", "b"]): {"mi": 2.0}}
    )
    assert made == text_format.Parse(
        'features { path { step: "a" step: "b" } custom_stats { name: "mi" num: 2.0 } } '
        'features { path { step: "z" } custom_stats { name: "corr" num: 0.1 } '
        'custom_stats { name: "lift" num: 0.5 } }',
        statistics_pb2.DatasetFeatureStatistics(),
    )


def test_shard_merge_keeps_derived_sources_and_refuses_conflicting_ones():
    assert merge_statistics_shards([_list(_DERIVED)]) == _list(_DERIVED)
    other = _list(
        'datasets { name: "All Examples" features { path { step: "age_bucket" } '
        'validation_derived_source { deriver_name: "other" } } }'
    )
    with pytest.raises(RuntimeError, match="Conflicting derived sources"):
        merge_statistics_shards([_list(_DERIVED), other])
