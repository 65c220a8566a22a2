"""User-written statistics generators (TFDV's ``CombinerStatsGenerator``), run beside the
built-in statistics.

A generator in ``StatsOptions(generators=[...])`` gets, for the whole data set and for each
slice, ``create_accumulator()``, then ``add_input(accumulator, batch)`` for every record batch
(after sampling, with only the allowed features), ``merge_accumulators([...])`` where parts of
the data were computed apart (Dask partitions), and ``extract_output(compact(accumulator))``
at the end. Batches are laid out as TFDV hands them over: every column a ``large_list`` of
values (text and bytes as ``large_binary``, booleans as ``int8``), or of Null type when it
holds no value. The ``DatasetFeatureStatistics`` a generator returns is merged into the
statistics as TFDV merges generator outputs
(:func:`~datajourney.stats.shards.merge_statistics_shards`), e.g. its ``custom_stats`` are
added to the feature of the same path.

For distributed runs the generators, and their accumulators, must pickle (``compact`` is
called before an accumulator is pickled), as Beam requires of them.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2


class BeamRequiredError(ImportError, NotImplementedError):
    """A TFDV API that exists only as an Apache Beam ``PTransform``; the message names the
    Beam-free function to use instead."""


class StatsGenerator:
    """TFDV's base of statistics generators: a unique ``name`` and an optional ``schema``."""

    def __init__(self, name: str, schema: schema_pb2.Schema | None = None) -> None:
        self._name = name
        self._schema = schema

    @property
    def name(self) -> str:
        return self._name

    @property
    def schema(self) -> schema_pb2.Schema | None:
        return self._schema


class CombinerStatsGenerator(StatsGenerator):
    """A generator that folds record batches into an accumulator, merges accumulators and
    turns the final one into a ``DatasetFeatureStatistics`` (subclasses implement
    ``create_accumulator``, ``add_input``, ``merge_accumulators`` and ``extract_output``)."""

    def setup(self) -> None:
        """Costly preparation, called once per process before the first accumulator."""

    def create_accumulator(self) -> Any:
        raise NotImplementedError

    def add_input(self, accumulator: Any, input_record_batch: pa.RecordBatch) -> Any:
        raise NotImplementedError

    def merge_accumulators(self, accumulators: Iterable[Any]) -> Any:
        raise NotImplementedError

    def compact(self, accumulator: Any) -> Any:
        """A compact form of ``accumulator`` (called before it is pickled); by default itself."""
        return accumulator

    def extract_output(self, accumulator: Any) -> statistics_pb2.DatasetFeatureStatistics:
        raise NotImplementedError


class TransformStatsGenerator(StatsGenerator):
    """TFDV's generator made of a Beam ``PTransform``: not available without Beam."""

    def __init__(self, name: str, ptransform: Any = None, schema: Any = None) -> None:
        raise BeamRequiredError(
            f"TransformStatsGenerator {name!r} needs an Apache Beam PTransform, and "
            "datajourney runs no Beam pipelines: write the statistics as a "
            "CombinerStatsGenerator (create_accumulator / add_input / merge_accumulators / "
            "extract_output), which StatsOptions(generators=[...]) runs."
        )


def check_generators(generators: object) -> None:
    """TFDV's checks of ``StatsOptions.generators``: a list of statistics generators."""
    if generators is None:
        return
    if not isinstance(generators, list):
        raise TypeError(f"generators is of type {type(generators).__name__}, should be a list.")
    for generator in generators:
        if not isinstance(generator, (CombinerStatsGenerator, TransformStatsGenerator)):
            raise TypeError(
                "Statistics generator must extend one of CombinerStatsGenerator, "
                "TransformStatsGenerator, or CombinerFeatureStatsGenerator found object of "
                f"type {type(generator).__name__}."
            )


def _value_type(kind: pa.DataType) -> pa.DataType:
    """The type TFDV gives values of ``kind``: lists are large lists, text is bytes."""
    if pa.types.is_dictionary(kind):
        return _value_type(kind.value_type)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        return pa.large_list(_value_type(kind.value_type))
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind):
        return pa.large_binary()
    if pa.types.is_boolean(kind):
        return pa.int8()
    return kind


def _as_value_lists(column: pa.Array) -> pa.Array:
    kind = column.type
    if pa.types.is_null(kind):
        return column
    if pa.types.is_dictionary(kind):
        column = column.dictionary_decode()
    target = _value_type(column.type)
    if pa.types.is_large_list(target):
        return column.cast(target)
    valid = np.asarray(column.is_valid())
    offsets = pa.array(np.concatenate([[0], np.cumsum(valid)]).astype(np.int64))
    values = column.drop_null().cast(target)
    return pa.LargeListArray.from_arrays(offsets, values, mask=pa.array(~valid))


def tfdv_record_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """``batch`` laid out as TFDV's generators receive it: each column a ``large_list`` of
    values (one value per example where the column is flat; a missing value is a null list),
    text as ``large_binary``, booleans as ``int8``; Null columns stay Null."""
    return pa.RecordBatch.from_arrays(
        [_as_value_lists(column) for column in batch.columns], batch.schema.names
    )


_set_up: weakref.WeakSet = weakref.WeakSet()


def _ready(generator: CombinerStatsGenerator) -> CombinerStatsGenerator:
    """``generator`` after its ``setup`` (once per generator object, i.e. once per process)."""
    try:
        if generator in _set_up:
            return generator
        _set_up.add(generator)
    except TypeError:  # not weakly referable: set up every time
        pass
    generator.setup()
    return generator


class UserStatistics:
    """The user generators' accumulators of one data set (or slice)."""

    def __init__(self, generators: list[CombinerStatsGenerator], allowlist: object) -> None:
        self.generators = generators
        self._allowed = None if allowlist is None else set(allowlist)  # type: ignore[call-overload]
        self.accumulators = [_ready(g).create_accumulator() for g in generators]

    @classmethod
    def of(cls, options: Any) -> UserStatistics | None:
        """The user generators of ``options`` (StatsOptions), or None when it has none."""
        generators = options.generators or []
        for generator in generators:
            if not isinstance(generator, CombinerStatsGenerator):
                raise TypeError(
                    "Statistics generator must extend CombinerStatsGenerator, found object of "
                    f"type {type(generator).__name__}."
                )
        return cls(generators, options.feature_allowlist) if generators else None

    def add(self, batch: pa.RecordBatch) -> None:
        if self._allowed is not None:
            names = batch.schema.names
            batch = batch.select([i for i, n in enumerate(names) if n in self._allowed])
        batch = tfdv_record_batch(batch)
        self.accumulators = [
            _ready(g).add_input(a, batch) for g, a in zip(self.generators, self.accumulators)
        ]

    def merge(self, other: UserStatistics) -> None:
        self.accumulators = [
            _ready(g).merge_accumulators([mine, theirs])
            for g, mine, theirs in zip(self.generators, self.accumulators, other.accumulators)
        ]

    def outputs(self) -> list[statistics_pb2.DatasetFeatureStatistics]:
        """Each generator's statistics (unnamed: the caller names the data set)."""
        results = []
        for generator, accumulator in zip(self.generators, self.accumulators):
            ready = _ready(generator)
            output = ready.extract_output(ready.compact(accumulator))
            if not isinstance(output, statistics_pb2.DatasetFeatureStatistics):
                raise TypeError(
                    f"statistics generator {generator.name!r} returned "
                    f"{type(output).__name__}, should be a DatasetFeatureStatistics proto."
                )
            if output.name:
                raise ValueError(
                    f"statistics generator {generator.name!r} named its statistics "
                    f"{output.name!r}: leave the name empty, the data set (slice) names them"
                )
            results.append(output)
        return results

    def __getstate__(self) -> dict:
        compacted = [_ready(g).compact(a) for g, a in zip(self.generators, self.accumulators)]
        return {**self.__dict__, "accumulators": compacted}


def make_dataset_feature_stats_proto(
    stats_values: dict[Any, dict[str, float]],
) -> statistics_pb2.DatasetFeatureStatistics:
    """A data set holding, for each feature path (sorted), its numeric custom statistics
    (sorted by name): what a generator's ``extract_output`` returns, as TFDV builds it."""
    result = statistics_pb2.DatasetFeatureStatistics()
    for path in sorted(stats_values, key=lambda p: tuple(p.steps())):
        feature = result.features.add()
        feature.path.step.extend(path.steps())
        for name, value in sorted(stats_values[path].items()):
            feature.custom_stats.add(name=name, num=value)
    return result
