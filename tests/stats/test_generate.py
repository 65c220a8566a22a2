"""Statistics against hand-computed values."""

from __future__ import annotations

import math

import pandas as pd
import pyarrow as pa
import pytest
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.stats import (
    StatsOptions,
    data_problems,
    generate_statistics,
    generate_statistics_from_csv,
    generate_statistics_from_dataframe,
    get_feature_value_slicer,
)

Stats = statistics_pb2.FeatureNameStatistics


def features(stats):
    return {".".join(f.path.step): f for f in stats.datasets[0].features}


@pytest.fixture
def csv_path(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("n,x,c\n1,0.5,a\n2,,b\n3,1.5,a\n4,2.0,\n0,-1.0,a\n")
    return path


def test_types_counts_and_numeric_stats(csv_path):
    stats = generate_statistics_from_csv(str(csv_path))
    assert stats.datasets[0].name == ""
    assert stats.datasets[0].num_examples == 5
    f = features(stats)
    assert (f["n"].type, f["x"].type, f["c"].type) == (Stats.INT, Stats.FLOAT, Stats.STRING)
    n = f["n"].num_stats
    assert (n.mean, n.min, n.max, n.median, n.num_zeros) == (2.0, 0.0, 4.0, 2.0, 1)
    assert n.std_dev == pytest.approx(math.sqrt(2.0))  # population standard deviation
    x = f["x"].num_stats
    assert (x.common_stats.num_non_missing, x.common_stats.num_missing) == (4, 1)
    assert x.mean == pytest.approx(0.75)
    common = n.common_stats
    assert (common.min_num_values, common.max_num_values, common.avg_num_values) == (1, 1, 1.0)
    assert common.tot_num_values == 5
    assert [(b.low_value, b.high_value) for b in common.num_values_histogram.buckets] == [
        (1.0, 1.0)
    ] * 10


def test_histograms(csv_path):
    n = features(generate_statistics(str(csv_path)))["n"].num_stats
    standard, quantiles = n.histograms
    assert standard.type == statistics_pb2.Histogram.STANDARD
    assert [b.low_value for b in standard.buckets] == pytest.approx(
        [0.0, 0.4, 0.8, 1.2, 1.6, 2.0, 2.4, 2.8, 3.2, 3.6]
    )
    # counts spread from fine quantile buckets as TFDV's: each value lands (almost wholly) in
    # the bucket that ends on it, the smallest in the first
    counts = [b.sample_count for b in standard.buckets]
    assert counts == pytest.approx([1, 0, 1, 0, 1, 0, 0, 1, 0, 1], abs=0.005)
    assert sum(counts) == pytest.approx(5)
    assert quantiles.type == statistics_pb2.Histogram.QUANTILES
    assert len(quantiles.buckets) == 10
    # each bucket holds its values; buckets ending on one value share its count (TFDV's rule)
    assert [round(b.sample_count, 6) for b in quantiles.buckets] == [
        *(1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5),
        *(0.333333, 0.333333, 0.333333),
    ]
    assert quantiles.buckets[0].low_value == 0.0 and quantiles.buckets[-1].high_value == 4.0


def test_string_stats(csv_path):
    c = features(generate_statistics(str(csv_path)))["c"].string_stats
    assert c.unique == 2
    assert [(v.value, v.frequency) for v in c.top_values] == [("a", 3.0), ("b", 1.0)]
    assert [(b.low_rank, b.label, b.sample_count) for b in c.rank_histogram.buckets] == [
        (0, "a", 3.0),
        (1, "b", 1.0),
    ]
    assert c.avg_length == 1.0
    assert c.common_stats.num_missing == 1


def test_bucket_counts_follow_options(csv_path):
    options = StatsOptions(
        num_histogram_buckets=4,
        num_quantiles_histogram_buckets=2,
        num_values_histogram_buckets=3,
        num_top_values=1,
    )
    f = features(generate_statistics(str(csv_path), options))
    assert [len(h.buckets) for h in f["n"].num_stats.histograms] == [4, 2]
    assert len(f["n"].num_stats.common_stats.num_values_histogram.buckets) == 3
    assert len(f["c"].string_stats.top_values) == 1


def test_list_features_and_nan():
    table = pa.table(
        {"v": [[1.0, float("nan")], [], None, [3.0]], "t": [["a", "b"], None, ["a"], []]}
    )
    f = features(generate_statistics(table))
    v = f["v"].num_stats
    assert (v.common_stats.num_non_missing, v.common_stats.num_missing) == (3, 1)
    assert (v.common_stats.min_num_values, v.common_stats.max_num_values) == (0, 2)
    assert v.common_stats.tot_num_values == 3
    assert v.histograms[0].num_nan == 1 and v.mean == 2.0
    assert f["t"].string_stats.unique == 2


def test_dataframe_and_allowlist():
    frame = pd.DataFrame({"a": [1, 2, None], "b": ["x", "y", "z"]})
    stats = generate_statistics_from_dataframe(frame, StatsOptions(feature_allowlist=["a"]))
    assert list(features(stats)) == ["a"]
    assert features(stats)["a"].type == Stats.FLOAT  # pandas holds ints with NaN as floats


def test_weighted_statistics():
    table = pa.table({"x": [1.0, 3.0, None], "w": [1.0, 3.0, 2.0], "c": ["a", "b", "b"]})
    stats = generate_statistics(table, StatsOptions(weight_feature="w"))
    assert stats.datasets[0].weighted_num_examples == 6.0
    f = features(stats)
    weighted = f["x"].num_stats.weighted_numeric_stats
    assert weighted.mean == pytest.approx(2.5)
    assert f["x"].num_stats.common_stats.weighted_common_stats.num_non_missing == 4.0
    top = f["c"].string_stats.weighted_string_stats.top_values
    assert [(v.value, v.frequency) for v in top] == [("b", 5.0), ("a", 1.0)]


def test_slices_named_like_tfdv():
    table = pa.table({"sex": ["F", "M", "F"], "age": [30, 40, 50]})
    options = StatsOptions(slice_functions=[get_feature_value_slicer({"sex": None})])
    stats = generate_statistics(table, options)
    assert {d.name: d.num_examples for d in stats.datasets} == {
        "All Examples": 3,
        "sex_F": 2,
        "sex_M": 1,
    }


def test_sample_rate_keeps_about_that_share():
    table = pa.table({"x": list(range(10_000))})
    stats = generate_statistics(table, StatsOptions(sample_rate=0.1))
    assert 800 < stats.datasets[0].num_examples < 1200


def test_categorical_int_gets_string_stats():
    schema = schema_pb2.Schema()
    feature = schema.feature.add(name="code", type=schema_pb2.INT)
    feature.int_domain.is_categorical = True
    f = features(generate_statistics(pa.table({"code": [7, 7, 12]}), StatsOptions(schema=schema)))
    assert f["code"].type == Stats.INT
    assert [(v.value, v.frequency) for v in f["code"].string_stats.top_values] == [
        ("7", 2.0),
        ("12", 1.0),
    ]


def test_unparsable_value_with_schema_types_is_a_problem(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("Elevation,s\n2000,a\n2054.5,b\n2100,c\n")
    schema = schema_pb2.Schema()
    schema.feature.add(name="Elevation", type=schema_pb2.INT)
    options = StatsOptions(schema=schema, infer_type_from_schema=True)
    stats = generate_statistics_from_csv(str(path), stats_options=options)
    elevation = features(stats)["Elevation"]
    assert elevation.type == Stats.INT
    assert elevation.num_stats.common_stats.num_non_missing == 2
    (problem,) = data_problems(stats.datasets[0])
    assert (problem.kind, problem.feature, problem.count) == ("unparsable_value", "Elevation", 1)
    assert (problem.examples[0].value, problem.examples[0].location) == ("2054.5", f"{path}:3")


def test_text_late_in_a_numeric_column_makes_it_string(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a\n" + "1\n" * 3000 + "n/a\n")
    from datajourney.io import read_csv

    source = read_csv(path)
    source.block_size = 1 << 12
    stats = generate_statistics(source)
    a = features(stats)["a"]
    assert a.type == Stats.STRING
    assert [(v.value, v.frequency) for v in a.string_stats.top_values] == [("1", 3000), ("n/a", 1)]
    assert data_problems(stats.datasets[0]) == []


def test_malformed_rows_are_recorded_and_counted_out(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a,b\n1,2\n3\n4,5\n")
    stats = generate_statistics(str(path))
    assert stats.datasets[0].num_examples == 2
    (problem,) = data_problems(stats.datasets[0])
    assert (problem.kind, problem.feature, problem.count) == ("wrong_field_count", None, 1)


def test_bad_options_are_one_clear_error():
    with pytest.raises(ValueError, match="num_histogram_buckets 0"):
        StatsOptions(num_histogram_buckets=0)
    with pytest.raises(ValueError, match="sample_rate"):
        StatsOptions(sample_rate=0)


def test_infer_type_from_schema_without_a_schema_infers_from_the_data(csv_path):
    # TFDV accepts the option without a schema; the types then come from the values.
    options = StatsOptions(infer_type_from_schema=True)
    f = features(generate_statistics_from_csv(str(csv_path), stats_options=options))
    assert (f["n"].type, f["x"].type, f["c"].type) == (Stats.INT, Stats.FLOAT, Stats.STRING)


def test_slice_sqls_slice_by_feature_values_and_conditions():
    table = pa.table(
        {
            "sex": ["F", "M", "F", None],
            "age": [30, 40, 50, 60],
            "tags": [["a", "b"], ["b"], [], ["a"]],
        }
    )
    queries = [
        "SELECT STRUCT(sex, age) FROM example.sex, example.age WHERE age > 35",
        "SELECT STRUCT(tags) FROM example.tags",
    ]
    stats = generate_statistics(table, StatsOptions(experimental_slice_sqls=queries))
    assert {d.name: d.num_examples for d in stats.datasets} == {
        "All Examples": 4,
        "sex_M_age_40": 1,
        "sex_F_age_50": 1,
        "tags_a": 2,
        "tags_b": 2,
    }


def test_a_slice_sql_that_is_not_a_slicing_query_is_refused():
    table = pa.table({"sex": ["F"]})
    with pytest.raises(ValueError, match=r"example\.<feature>"):
        generate_statistics(table, StatsOptions(experimental_slice_sqls=["SELECT 1 FROM t"]))
