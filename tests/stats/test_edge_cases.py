"""Regressions: all-missing text columns, and TFDV's feature order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.io.dataframe import DataFrameSource
from datajourney.io.example import examples_to_batch
from datajourney.io.proto.example_pb2 import Example
from datajourney.stats import (
    StatisticsAccumulator,
    StatsOptions,
    generate_statistics,
    generate_statistics_from_csv,
    generate_statistics_from_dataframe,
)
from tests.golden import tfdv_fixtures as fx

Stats = statistics_pb2.FeatureNameStatistics


def _features(stats):
    return {".".join(f.path.step): f for f in stats.datasets[0].features}


def _assert_all_missing(feature, num_examples):
    """What TFDV gives a feature without any value: STRING, counted missing, nothing else."""
    assert feature.type == Stats.STRING
    expected = statistics_pb2.StringStatistics()
    expected.common_stats.num_missing = num_examples
    assert feature.string_stats == expected


def test_all_missing_text_column_from_a_dataframe():
    stats = generate_statistics_from_dataframe(pd.DataFrame({"s": [None, None]}, dtype=object))
    assert stats.datasets[0].num_examples == 2
    _assert_all_missing(_features(stats)["s"], 2)


def test_all_empty_csv_column(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("n,s\n1,\n2,\n3,\n")
    f = _features(generate_statistics_from_csv(str(path)))
    assert f["n"].num_stats.common_stats.num_non_missing == 3
    _assert_all_missing(f["s"], 3)


def test_all_null_text_batch_merges_with_batches_that_have_values():
    empty = pa.table({"s": pa.array([None, None], pa.string())})
    full = pa.table({"s": pa.array(["a", None, "b", "a"], pa.string())})
    whole = generate_statistics(pa.concat_tables([empty, full]))
    one = StatisticsAccumulator()
    for table in (empty, full):
        one.add(table.to_batches()[0])
    parts = [StatisticsAccumulator(), StatisticsAccumulator()]
    parts[0].add(empty.to_batches()[0])
    parts[1].add(full.to_batches()[0])
    for result in (one.result(), parts[0].merge(parts[1]).result()):
        assert result == whole
        s = _features(result)["s"].string_stats
        assert (s.common_stats.num_non_missing, s.common_stats.num_missing) == (3, 3)
        assert s.unique == 2
        assert [(v.value, v.frequency) for v in s.top_values] == [("a", 2.0), ("b", 1.0)]
    # and the other way round: the all-null part merged into one with values
    parts = [StatisticsAccumulator(), StatisticsAccumulator()]
    parts[0].add(full.to_batches()[0])
    parts[1].add(empty.to_batches()[0])
    s = _features(parts[0].merge(parts[1]).result())["s"].string_stats
    assert (s.unique, s.common_stats.num_missing) == (2, 3)


def test_dataframe_batch_of_only_missing_text_then_values():
    frame = pd.DataFrame({"s": [None, None, "a", "b", "a", None]}, dtype=object)
    for rows in ([0, 1, 2, 3, 4, 5], [2, 3, 4, 5, 0, 1]):  # null batch first, then last
        stats = generate_statistics(DataFrameSource(frame.iloc[rows], batch_rows=2))
        s = _features(stats)["s"].string_stats
        assert (s.common_stats.num_non_missing, s.common_stats.num_missing) == (3, 3)
        assert [(v.value, v.frequency) for v in s.top_values] == [("a", 2.0), ("b", 1.0)]


@pytest.mark.parametrize("case", sorted(fx.manifest()["statistics"]))
def test_feature_order_matches_tfdv(case):
    theirs = [".".join(f.path.step) for f in fx.statistics(case).datasets[0].features]
    ours = [
        ".".join(f.path.step) for f in generate_statistics(fx.data_path(case)).datasets[0].features
    ]
    assert ours == theirs


def _example(**features) -> Example:
    example = Example()
    for name, values in features.items():
        example.features.feature[name].int64_list.value.extend(values)
    return example


def test_tf_example_features_in_order_of_first_appearance_then_name():
    records = [_example(z=[1], b=[2]), _example(y=[1], b=[1], a=[3]), _example(c=[1], z=[2])]
    assert examples_to_batch(records).schema.names == ["b", "z", "a", "y", "c"]


def test_nested_lists_count_leaves_and_each_level_as_tfdv():
    from google.protobuf import text_format

    nested = pa.table(
        {
            "ragged": pa.array(
                [[[1, 2], [3]], [[4], [5, 6], [7]], None, [[8, 9]]], pa.list_(pa.list_(pa.int64()))
            ),
            "grid": pa.array(
                [[[0.5, 1.5]], [[2.5, 3.5]], [[4.5, 5.5]], [[6.5, 7.5]]],
                pa.list_(pa.list_(pa.float32())),
            ),
            "words": pa.array([["a"], ["b", "c"], ["a"], ["a"]], pa.list_(pa.binary())),
        }
    )
    theirs = text_format.Parse(
        (fx.ROOT / "statistics" / "nested.pbtxt").read_text(),
        statistics_pb2.DatasetFeatureStatisticsList(),
    )
    ours = generate_statistics(nested)
    for mine, tfdv in zip(ours.datasets[0].features, theirs.datasets[0].features, strict=True):
        common = [getattr(f, f.WhichOneof("stats")).common_stats for f in (mine, tfdv)]
        for c in common:
            c.ClearField("num_values_histogram")
        assert common[0] == common[1], mine.path.step[0]


def test_histograms_of_a_sketched_column_with_a_heavy_repeated_value():
    # Past the exact limit the column is sketched; a value taking half the rows makes many
    # fine quantiles equal, which the sketch's CDF refuses as split points unless merged.
    values = np.concatenate([np.linspace(-1.0, 1.0, 10_000), np.zeros(10_000)])
    stats = generate_statistics(pa.table({"x": values}), StatsOptions(weight_feature=None))
    feature = stats.datasets[0].features[0]
    standard = next(
        h for h in feature.num_stats.histograms if h.type == statistics_pb2.Histogram.STANDARD
    )
    assert sum(b.sample_count for b in standard.buckets) == pytest.approx(20_000)
    middle = [b for b in standard.buckets if b.low_value <= 0.0 <= b.high_value]
    assert sum(b.sample_count for b in middle) > 10_000
