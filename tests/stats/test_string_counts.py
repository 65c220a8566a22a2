"""String statistics on high-cardinality columns: never above the truth, the same every run.

Past the exact limit the unique count is a sketch estimate and the top values are lower bounds;
both are marked in the feature's ``custom_stats`` as TFDV's sketch generator marks them.
"""

from __future__ import annotations

import pickle
from collections import Counter
from unittest import mock

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from datajourney.stats import StatisticsAccumulator, generate_statistics, values
from datajourney.stats.values import ESTIMATED_TOP_VALUES, ESTIMATED_UNIQUES
from datajourney.views import statistics_text

PAD = "x" * 190  # ~205-character values, as in the report


def _long_values(count: int, start: int = 0) -> list[str]:
    return [f"{PAD}{i:015d}" for i in range(start, start + count)]


def _feature(statistics, name: str = "s"):
    (feature,) = [f for f in statistics.datasets[0].features if f.path.step[0] == name]
    return feature


def _custom(feature) -> dict[str, object]:
    return {c.name: c for c in feature.custom_stats}


def _statistics_of_parts(batches: list[pa.RecordBatch], parts: int):
    accumulators = [StatisticsAccumulator() for _ in range(parts)]
    for index, batch in enumerate(batches):
        accumulators[index % parts].add(batch)
    merged = pickle.loads(pickle.dumps(accumulators[0]))
    for accumulator in accumulators[1:]:
        merged.merge(pickle.loads(pickle.dumps(accumulator)))
    return merged.result()


def test_distinct_long_strings_never_count_more_than_there_are():
    rows = values.EXACT_LIMIT + 50_000  # the reported 1,000,000 scaled down; past the exact limit
    table = pa.table({"s": _long_values(rows)})
    feature = _feature(generate_statistics(table))
    strings = feature.string_stats
    assert strings.common_stats.num_non_missing == rows
    assert strings.unique <= rows
    assert abs(strings.unique - rows) <= 0.03 * rows  # the sketch's stated error, 3 sigma
    assert all(top.frequency <= 1 for top in strings.top_values)  # each value occurs once
    assert all(b.sample_count <= 1 for b in strings.rank_histogram.buckets)
    marks = _custom(feature)
    assert marks[ESTIMATED_UNIQUES].num == strings.unique
    assert ESTIMATED_TOP_VALUES in marks
    shown = statistics_text(generate_statistics(table), ansi=False)
    assert f"~{strings.unique:,}" in shown  # the view says it is an estimate


def test_same_input_gives_the_same_statistics_however_it_is_split():
    rows = values.EXACT_LIMIT + 30_000
    table = pa.table({"s": _long_values(rows)})
    first, second = generate_statistics(table), generate_statistics(table)
    assert first == second
    batches = table.to_batches(max_chunksize=17_000)
    split = [_statistics_of_parts(batches, parts) for parts in (1, 3)]
    split.append(_statistics_of_parts(list(reversed(batches)), 2))
    uniques = {_feature(s).string_stats.unique for s in [first, *split]}
    assert len(uniques) == 1


def test_frequent_values_keep_frequencies_they_have_among_many_rare_ones():
    hot = {f"hot{i}": 3_000 - 500 * i for i in range(5)}
    column = _long_values(values.EXACT_LIMIT + 20_000)
    for value, count in hot.items():
        column += [value] * count
    feature = _feature(generate_statistics(pa.table({"s": column})))
    top = {t.value: t.frequency for t in feature.string_stats.top_values}
    assert list(top)[:5] == list(hot)
    for value, frequency in top.items():
        assert frequency <= hot.get(value, 1)
    assert all(top[value] >= 0.9 * count for value, count in hot.items())


def test_below_the_exact_limit_counts_are_exact_and_unmarked():
    column = [f"v{i % 700}" for i in range(7_001)]
    feature = _feature(generate_statistics(pa.table({"s": column})))
    truth = Counter(column)
    assert feature.string_stats.unique == len(truth)
    for top in feature.string_stats.top_values:
        assert top.frequency == truth[top.value]
    assert not feature.custom_stats


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text("abcdefgh", min_size=1, max_size=3), min_size=1, max_size=300),
    st.integers(1, 5),
    st.integers(1, 4),
)
def test_counts_never_exceed_the_truth_and_repeat_exactly(column, chunk, parts):
    truth = Counter(column)
    batches = pa.table({"s": column}).to_batches(max_chunksize=chunk * 20)
    # small sketches, so that a few hundred values already go past the exact limit
    with (
        mock.patch.object(values, "EXACT_LIMIT", 12),
        mock.patch.object(values, "FREQUENT_LG_MAX_K", 3),
    ):
        first = _statistics_of_parts(batches, parts)
        again = _statistics_of_parts(batches, parts)
    assert first == again
    feature = _feature(first)
    strings = feature.string_stats
    assert strings.unique <= strings.common_stats.num_non_missing
    if ESTIMATED_UNIQUES not in _custom(feature):
        assert strings.unique == len(truth)
    for top in strings.top_values:
        assert 0 < top.frequency <= truth[top.value]
