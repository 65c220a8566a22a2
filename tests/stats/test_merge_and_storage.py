"""Merged accumulators equal one pass; statistics files round-trip in TFDV's formats."""

from __future__ import annotations

import pickle

import numpy as np
import pyarrow as pa
import pytest

from datajourney.io import iter_records
from datajourney.stats import (
    StatisticsAccumulator,
    StatsOptions,
    generate_statistics,
    load_statistics,
    load_stats_binary,
    load_stats_text,
    write_stats_text,
)


def _table(rows: int) -> pa.Table:
    rng = np.random.default_rng(3)
    return pa.table(
        {
            "small": rng.integers(0, 50, rows),  # exact distribution
            "wide": rng.normal(0, 1, rows),  # moves to the KLL sketch
            "cat": pa.array(rng.choice(["a", "b", "c"], rows)),
            "lst": pa.array([[int(v)] * int(v % 3) for v in rng.integers(0, 9, rows)]),
        }
    )


def test_merge_of_parts_equals_statistics_of_the_whole():
    table = _table(30_000)
    options = StatsOptions(weight_feature=None)
    whole = generate_statistics(table, options)
    parts = [StatisticsAccumulator(options) for _ in range(3)]
    for index, batch in enumerate(table.to_batches(max_chunksize=7_000)):
        parts[index % 3].add(batch)
    # accumulators travel between processes as pickles
    merged = pickle.loads(pickle.dumps(parts[0]))
    for part in parts[1:]:
        merged.merge(pickle.loads(pickle.dumps(part)))
    result = merged.result()
    assert result.datasets[0].num_examples == whole.datasets[0].num_examples
    ours = {f.path.step[0]: f for f in result.datasets[0].features}
    for feature in whole.datasets[0].features:
        name = feature.path.step[0]
        mine = ours[name]
        if feature.HasField("num_stats"):  # moments agree up to floating-point rounding
            for field in ("mean", "std_dev"):
                expected = getattr(feature.num_stats, field)
                assert getattr(mine.num_stats, field) == pytest.approx(expected, rel=1e-12)
                mine.num_stats.ClearField(field)
                feature.num_stats.ClearField(field)
        if name == "wide":  # past the exact limit: sketch quantiles depend on the merge order
            assert mine.num_stats.median == pytest.approx(feature.num_stats.median, abs=0.05)
            assert mine.num_stats.common_stats == feature.num_stats.common_stats
        else:
            assert mine == feature


def test_text_and_tfdv_binary_round_trip(tmp_path):
    stats = generate_statistics(pa.table({"x": [1, 2, 3]}), output_path=tmp_path / "stats.tfrecord")
    assert len(list(iter_records(tmp_path / "stats.tfrecord"))) == 1  # as TFDV writes it
    assert load_statistics(tmp_path / "stats.tfrecord") == stats
    write_stats_text(stats, tmp_path / "stats.pbtxt")
    assert load_stats_text(tmp_path / "stats.pbtxt") == stats
    assert load_statistics(tmp_path / "stats.pbtxt") == stats
    (tmp_path / "stats.pb").write_bytes(stats.SerializeToString())
    assert load_stats_binary(tmp_path / "stats.pb") == stats
    assert load_statistics(tmp_path / "stats.pb") == stats


def test_loading_a_missing_file_is_tfdvs_error(tmp_path):
    with pytest.raises(OSError, match=r"Invalid input path .*none\.pb"):
        load_statistics(tmp_path / "none.pb")
    with pytest.raises(FileNotFoundError, match=r"none\.pbtxt"):
        load_stats_text(tmp_path / "none.pbtxt")


def test_statistics_text_that_is_not_statistics_is_a_parse_error(tmp_path):
    from google.protobuf.text_format import ParseError

    (tmp_path / "bad.pbtxt").write_text("no_such_field: 1\n")
    with pytest.raises(ParseError, match=r"bad\.pbtxt.*no_such_field"):
        load_stats_text(tmp_path / "bad.pbtxt")
