"""User statistics generators (TFDV's CombinerStatsGenerator) in datajourney's statistics:
the batches they see, merging across partitions and pickles, and what is refused."""

from __future__ import annotations

import pickle

import pandas as pd
import pyarrow as pa
import pytest
from tensorflow_metadata.proto.v0 import statistics_pb2

import datajourney.tfdv as tfdv
from datajourney.stats import StatisticsAccumulator, StatsOptions, generate_statistics
from datajourney.stats.generators import BeamRequiredError, tfdv_record_batch


class CityCounter(tfdv.CombinerStatsGenerator):
    """Counts rows and values of ``city``; records what it was called with."""

    calls: list[str] = []

    def setup(self) -> None:
        self.calls.append("setup")

    def create_accumulator(self) -> dict:
        return {"rows": 0, "values": 0, "compacted": False}

    def add_input(self, accumulator: dict, batch: pa.RecordBatch) -> dict:
        accumulator["rows"] += batch.num_rows
        if "city" in batch.schema.names:
            accumulator["values"] += len(batch.column(batch.schema.names.index("city")).flatten())
        return accumulator

    def merge_accumulators(self, accumulators) -> dict:
        first, *rest = list(accumulators)
        for other in rest:
            first["rows"] += other["rows"]
            first["values"] += other["values"]
            first["compacted"] |= other["compacted"]
        return first

    def compact(self, accumulator: dict) -> dict:
        return {**accumulator, "compacted": True}

    def extract_output(self, accumulator: dict) -> statistics_pb2.DatasetFeatureStatistics:
        result = statistics_pb2.DatasetFeatureStatistics()
        feature = result.features.add()
        feature.path.step.append("city")
        feature.custom_stats.add(name="rows", num=accumulator["rows"])
        feature.custom_stats.add(name="values", num=accumulator["values"])
        feature.custom_stats.add(name="compacted", str=str(accumulator["compacted"]))
        return result


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"city": ["Lyon", None, "Oslo", "Lima", None, "Kyiv"], "n": [1, 2, 3, 4, 5, 6]}
    )


def _custom(stats: statistics_pb2.DatasetFeatureStatisticsList, dataset: int = 0) -> dict:
    feature = tfdv.get_feature_stats(stats.datasets[dataset], tfdv.FeaturePath(["city"]))
    return {c.name: c.num or c.str for c in feature.custom_stats}


def test_custom_stats_join_the_feature_and_nothing_else_changes():
    frame = _frame()
    plain = generate_statistics(frame)
    stats = generate_statistics(frame, StatsOptions(generators=[CityCounter("cities")]))
    assert _custom(stats) == {"rows": 6, "values": 4, "compacted": "True"}
    city = tfdv.get_feature_stats(stats.datasets[0], "city")
    del city.custom_stats[:]
    assert stats == plain


def test_partitions_merge_through_pickles_as_one_pass():
    options = StatsOptions(generators=[CityCounter("cities")])
    frame = _frame()
    parts = []
    for piece in (frame.iloc[:2], frame.iloc[2:]):
        accumulator = StatisticsAccumulator(options)
        accumulator.add(pa.RecordBatch.from_pandas(piece, preserve_index=False))
        parts.append(pickle.loads(pickle.dumps(accumulator)))
    merged = parts[0].merge(parts[1])
    assert _custom(merged.result()) == {"rows": 6, "values": 4, "compacted": "True"}


def test_setup_runs_once_per_generator_object():
    CityCounter.calls.clear()
    generate_statistics(
        _frame(),
        StatsOptions(
            generators=[CityCounter("cities")],
            slice_functions=[tfdv.experimental_get_feature_value_slicer({"n": [1, 2]})],
        ),
    )
    assert CityCounter.calls == ["setup"]


def test_slices_get_their_own_accumulators():
    options = StatsOptions(
        generators=[CityCounter("cities")],
        slice_functions=[tfdv.experimental_get_feature_value_slicer({"n": [1, 3]})],
    )
    stats = generate_statistics(_frame(), options)
    by_name = {d.name: i for i, d in enumerate(stats.datasets)}
    assert _custom(stats, by_name["All Examples"])["rows"] == 6
    assert _custom(stats, by_name["n_1"])["rows"] == 1
    assert _custom(stats, by_name["n_3"])["values"] == 1


def test_batches_are_laid_out_as_tfdv_hands_them_over():
    batch = pa.RecordBatch.from_arrays(
        [
            pa.array(["a", None]),
            pa.array([[1.5], None], pa.list_(pa.float32())),
            pa.array([None, None]),
            pa.array([True, False]),
            pa.array([[["x"]], [["y", "z"]]], pa.list_(pa.list_(pa.binary()))),
        ],
        ["text", "floats", "empty", "flag", "nested"],
    )
    out = tfdv_record_batch(batch)
    assert [str(t) for t in out.schema.types] == [
        "large_list<item: large_binary>",
        "large_list<item: float>",
        "null",
        "large_list<item: int8>",
        "large_list<item: large_list<item: large_binary>>",
    ]
    assert out.column(0).to_pylist() == [[b"a"], None]
    assert out.column(1).to_pylist() == [[1.5], None]
    assert out.column(3).to_pylist() == [[1], [0]]


class Named(CityCounter):
    def extract_output(self, accumulator):
        return statistics_pb2.DatasetFeatureStatistics(name="mine")


class NotAProto(CityCounter):
    def extract_output(self, accumulator):
        return {"rows": accumulator["rows"]}


@pytest.mark.parametrize(
    ("generator", "error", "words"),
    [
        (Named("named"), ValueError, "'named' named its statistics 'mine'"),
        (
            NotAProto("dict"),
            TypeError,
            "'dict' returned dict, should be a DatasetFeatureStatistics",
        ),
    ],
)
def test_a_generator_output_that_cannot_merge_is_refused(generator, error, words):
    with pytest.raises(error, match=words):
        generate_statistics(_frame(), StatsOptions(generators=[generator]))


def test_transform_generators_need_beam_and_say_so():
    with pytest.raises(BeamRequiredError, match="CombinerStatsGenerator") as raised:
        tfdv.TransformStatsGenerator("lift", ptransform=None)
    assert isinstance(raised.value, ImportError) and isinstance(raised.value, NotImplementedError)
    assert "'lift'" in str(raised.value) and "Apache Beam" in str(raised.value)


def test_user_generators_on_a_dask_cluster(dask_client):
    pytest.importorskip("dask.dataframe")
    import dask.dataframe as dd

    frame = dd.from_pandas(_frame(), npartitions=3)
    stats = generate_statistics(frame, StatsOptions(generators=[CityCounter("cities")]))
    assert _custom(stats) == {"rows": 6, "values": 4, "compacted": "True"}
