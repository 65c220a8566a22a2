"""Semantic-domain statistics merge across batches and partitions like the others (what TFDV
reports for each domain is checked against TFDV itself in tests/tfdv/test_golden_api.py)."""

from __future__ import annotations

import pickle

import pyarrow as pa

from datajourney.stats import StatsOptions
from datajourney.stats.accumulator import StatisticsAccumulator

WORDS = [
    "the",
    "river",
    "runs",
    "past",
    "old",
    "stone",
    "bridges",
    "while",
    "birds",
    "sing",
    "under",
    "summer",
    "skies",
]


def _table(rows: int) -> pa.Table:
    return pa.table(
        {
            "text": [
                " ".join(WORDS[(i + k) % len(WORDS)] for k in range(4)) if i % 10 else "x"
                for i in range(rows)
            ],
            # "01/02/03" fits three formats: the first one met wins
            "day": [f"0{1 + i % 9}/0{1 + i % 9}/0{1 + i % 9}" for i in range(rows)],
            "seconds": [1_600_000_000 + i for i in range(rows)],
            "image": [b"\x89PNG\r\n\x1a\n" + bytes(i % 5) for i in range(rows)],
        }
    )


def _custom(accumulator: StatisticsAccumulator) -> dict:
    """{feature: {custom statistic: its text or number}} (histograms as text)."""
    features = accumulator.result().datasets[0].features
    return {
        f.path.step[0]: {c.name: c.str or c.num or str(c.rank_histogram) for c in f.custom_stats}
        for f in features
    }


def _accumulate(table: pa.Table, options: StatsOptions, rows: int) -> StatisticsAccumulator:
    accumulator = StatisticsAccumulator(options)
    for batch in table.to_batches(max_chunksize=rows):
        accumulator.add(batch)
    return accumulator


def test_off_by_default():
    found = _custom(_accumulate(_table(300), StatsOptions(), 300))
    assert found == {name: {} for name in ("text", "day", "seconds", "image")}


def test_found_domains_do_not_depend_on_read_batches():
    options = StatsOptions(enable_semantic_domain_stats=True, desired_batch_size=50)
    whole = _custom(_accumulate(_table(300), options, 300))
    assert whole["text"]["domain_info"] == "natural_language_domain {}"
    assert whole["day"]["domain_info"] == "time_domain {string_format: '%y/%m/%d'}"
    assert whole["seconds"]["domain_info"] == "time_domain {integer_format: 1}"
    assert whole["image"]["domain_info"] == "image_domain {}"
    assert _custom(_accumulate(_table(300), options, 7)) == whole


def test_partitions_merge_to_one_pass():
    options = StatsOptions(enable_semantic_domain_stats=True, desired_batch_size=50)
    table = _table(300)
    parts = [_accumulate(table.slice(start, 100), options, 30) for start in (0, 100, 200)]
    merged = pickle.loads(pickle.dumps(parts[0]))  # accumulators travel pickled (Dask)
    for part in parts[1:]:
        merged.merge(pickle.loads(pickle.dumps(part)))
    assert _custom(merged) == _custom(_accumulate(table, options, 300))


def test_natural_language_looks_at_the_first_hundred_values_of_each_batch():
    table = pa.table({"text": ["birds sing under summer skies"] * 100 + ["x"] * 50})
    per_batch = StatsOptions(enable_semantic_domain_stats=True, desired_batch_size=150)
    found = _custom(_accumulate(table, per_batch, 150))["text"]
    assert found["natural_language_match_rate"] == 1.0
    small = StatsOptions(enable_semantic_domain_stats=True, desired_batch_size=75)
    assert _custom(_accumulate(table, small, 150))["text"] == {}  # 100 of 150 values match


def test_sample_rate_drops_whole_batches_reproducibly():
    table = _table(2000)
    options = StatsOptions(
        enable_semantic_domain_stats=True,
        desired_batch_size=100,
        semantic_domain_stats_sample_rate=0.5,
        sample_seed=3,
    )
    first = _accumulate(table, options, 333)
    seen = first.slices[next(iter(first.slices))].features["seconds"].semantic.time_considered
    assert seen % 100 == 0 and 0 < seen < 2000
    assert _custom(_accumulate(table, options, 333)) == _custom(first)
    features = first.result().datasets[0].features
    assert {f.path.step[0]: f.WhichOneof("stats") for f in features}["seconds"] == "num_stats"
    seconds = next(f for f in features if f.path.step[0] == "seconds")
    assert seconds.num_stats.common_stats.num_non_missing == 2000  # others see every example


def test_without_default_generators_only_the_domains_are_reported():
    # As TFDV 1.16.1: every feature's path, the semantic generators' findings, no counts.
    table = pa.table(
        {
            "text": ["the quick brown fox jumps over"] * 150,
            "n": list(range(150)),
            "when": ["2020-01-02"] * 150,
            "f": [0.5] * 150,
        }
    )
    options = StatsOptions(add_default_generators=False, enable_semantic_domain_stats=True)
    accumulator = StatisticsAccumulator(options, in_memory=True)
    accumulator.add(table.to_batches()[0])
    [dataset] = accumulator.result().datasets
    assert dataset.num_examples == 0
    assert [f.path.step[0] for f in dataset.features] == ["text", "n", "when", "f"]
    assert all(f.WhichOneof("stats") is None for f in dataset.features)
    assert _custom(accumulator) == {
        "text": {"domain_info": "natural_language_domain {}", "natural_language_match_rate": 1},
        "n": {},
        "when": {"domain_info": "time_domain {string_format: '%Y-%m-%d'}", "time_match_ratio": 1},
        "f": {},
    }
