"""Our statistics against TFDV 1.16.1's, recorded in tests/golden/tfdv (see its README).

Tolerances: example counts, types, presence and valency, unique counts, top values and rank
histograms exact; mean, std_dev, min, max and median within 1e-6 relative; histogram bucket
boundaries exact to 1e-6; QUANTILES bucket counts exact to 1e-6 (buckets ending on one value
share its count, as TFDV's); STANDARD bucket counts (spread from fine quantile buckets, as
TFDV's) within 0.1% of the total.
"""

from __future__ import annotations

import pytest

from datajourney.stats import generate_statistics
from tests.golden import tfdv_fixtures as fx

CASES = sorted(fx.manifest()["statistics"])


def _by_name(dataset):
    return {".".join(f.path.step) or f.name: f for f in dataset.features}


def _typed(feature):
    return feature.num_stats if feature.HasField("num_stats") else feature.string_stats


def _assert_histogram(ours, theirs):
    assert ours.type == theirs.type
    assert ours.num_nan == theirs.num_nan
    assert len(ours.buckets) == len(theirs.buckets)
    for mine, reference in zip(ours.buckets, theirs.buckets):
        assert mine.low_value == pytest.approx(reference.low_value, rel=1e-6, abs=1e-9)
        assert mine.high_value == pytest.approx(reference.high_value, rel=1e-6, abs=1e-9)
    total = sum(b.sample_count for b in theirs.buckets)
    assert sum(b.sample_count for b in ours.buckets) == pytest.approx(total)
    share = 1e-6 if theirs.type == theirs.QUANTILES else total * 1e-3
    for mine, reference in zip(ours.buckets, theirs.buckets):
        assert abs(mine.sample_count - reference.sample_count) <= share


@pytest.mark.parametrize("case", CASES)
def test_statistics_match_tfdv(case):
    theirs = fx.statistics(case).datasets[0]
    ours = generate_statistics(fx.data_path(case)).datasets[0]
    assert ours.num_examples == theirs.num_examples
    reference, mine = _by_name(theirs), _by_name(ours)
    assert sorted(mine) == sorted(reference)
    for name, expected in reference.items():
        got = mine[name]
        assert got.type == expected.type, name
        a, b = _typed(got), _typed(expected)
        for field in (
            "num_non_missing",
            "num_missing",
            "min_num_values",
            "max_num_values",
            "tot_num_values",
            "avg_num_values",
        ):
            assert getattr(a.common_stats, field) == getattr(b.common_stats, field), (name, field)
        _assert_histogram(a.common_stats.num_values_histogram, b.common_stats.num_values_histogram)
        if expected.HasField("num_stats"):
            for field in ("mean", "std_dev", "min", "max", "median"):
                expected_value = getattr(b, field)
                assert getattr(a, field) == pytest.approx(expected_value, rel=1e-6), (name, field)
            assert a.num_zeros == b.num_zeros
            for mine_histogram, their_histogram in zip(a.histograms, b.histograms, strict=True):
                _assert_histogram(mine_histogram, their_histogram)
        else:
            assert a.unique == b.unique, name
            assert a.avg_length == pytest.approx(b.avg_length, rel=1e-6)
            assert list(a.top_values) == list(b.top_values), name
            assert list(a.rank_histogram.buckets) == list(b.rank_histogram.buckets), name
