"""Mergeable accumulators of a whole data set: add record batches, merge parts, get protos.

:class:`StatisticsAccumulator` is what :func:`~datajourney.stats.generate_statistics` runs on
the batches of a source; partitions of a data set can each fill one (on other processes or
machines: accumulators pickle) and :meth:`StatisticsAccumulator.merge` them, for the same
statistics as one pass over all the data.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.io.problems import ProblemExample, ProblemLog
from datajourney.stats.arrays import from_numpy, to_numpy
from datajourney.stats.build import feature_proto
from datajourney.stats.feature import FeatureAccumulator
from datajourney.stats.generators import UserStatistics
from datajourney.stats.options import StatsOptions
from datajourney.stats.problems import MISSING_WEIGHT, attach_problems
from datajourney.stats.semantic import DEFAULT_BATCH_ROWS
from datajourney.stats.shards import merge_statistics_shards
from datajourney.stats.slicing import DEFAULT_SLICE_KEY


def _categorical_features(schema: schema_pb2.Schema | None) -> set[str]:
    if schema is None:
        return set()
    return {
        f.name
        for f in schema.feature
        if f.type == schema_pb2.INT and f.HasField("int_domain") and f.int_domain.is_categorical
    }


class DatasetAccumulator:
    """The statistics of one data set (or one slice) so far.

    With semantic-domain statistics, ``in_memory`` data (a DataFrame, an Arrow table) is one
    batch for the semantic detectors, as TFDV takes it; other data is cut in batches of
    ``desired_batch_size`` examples (TFDV's largest, 1000, when unset).
    """

    def __init__(self, options: StatsOptions, in_memory: bool = False):
        self.options = options
        self._semantic_rows = 0
        if options.enable_semantic_domain_stats:
            self._semantic_rows = (
                np.iinfo(np.int64).max
                if in_memory
                else options.desired_batch_size or DEFAULT_BATCH_ROWS
            )
        self._semantic_rng: np.random.Generator | None = None
        self._semantic_batch = (-1, True)  # (last batch number, whether it is kept)
        self.num_examples = 0
        self.weighted_num_examples = 0.0
        self.features: dict[str, FeatureAccumulator] = {}
        self.problems = ProblemLog()
        self._categorical = _categorical_features(options.schema)
        allowlist = options.feature_allowlist
        # TFDV keeps the allowed features in the allowlist's order
        self._allowed = None if allowlist is None else list(dict.fromkeys(allowlist))
        self.user = UserStatistics.of(options)  # the user's statistics generators

    def _weights(self, batch: pa.RecordBatch) -> np.ndarray | None:
        name = self.options.weight_feature
        if name is None:
            return None
        if name not in batch.schema.names:
            self.problems.add(MISSING_WEIGHT, name, batch.num_rows, detail="weight feature absent")
            return np.zeros(batch.num_rows)
        column = batch.column(name)
        if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
            column = pc.list_element(column, 0)  # TFDV takes a weight list of one value
        weights = to_numpy(pc.cast(column, pa.float64()))
        missing = np.isnan(weights)
        if missing.any():
            rows = np.flatnonzero(missing)[:5]
            examples = [ProblemExample("", f"row {self.num_examples + int(r)}") for r in rows]
            self.problems.add(MISSING_WEIGHT, name, int(missing.sum()), examples, "weight is 0")
            weights = np.where(missing, 0.0, weights)
        return weights

    def _semantic_batches(self, num_rows: int) -> np.ndarray | None:
        """The semantic detectors' batch number of each example (-1 where the batch is not
        sampled); None without semantic-domain statistics."""
        if not self._semantic_rows:
            return None
        numbers = (self.num_examples + np.arange(num_rows, dtype=np.int64)) // self._semantic_rows
        rate = self.options.semantic_domain_stats_sample_rate
        if rate is None or rate >= 1 or not num_rows:
            return numbers
        if self._semantic_rng is None:
            self._semantic_rng = np.random.default_rng(self.options.sample_seed)
        unique, which = np.unique(numbers, return_inverse=True)
        kept = np.empty(len(unique), bool)
        for index, number in enumerate(unique.tolist()):
            if number != self._semantic_batch[0]:  # a new batch: sampled once
                self._semantic_batch = (number, bool(self._semantic_rng.random() <= rate))
            kept[index] = self._semantic_batch[1]
        return np.where(kept[which], numbers, -1)

    def add(self, batch: pa.RecordBatch) -> None:
        """Add the examples of ``batch``."""
        if self.user is not None:
            self.user.add(batch)
        if not self.options.add_default_generators and not self._semantic_rows:
            return
        weights = self._weights(batch)
        batches = self._semantic_batches(batch.num_rows)
        names = batch.schema.names
        if self._allowed is not None:
            present = set(names)
            names = [name for name in self._allowed if name in present]
        for name in names:
            column = batch.column(name)
            feature = self.features.get(name)
            if feature is None:
                feature = self.features[name] = FeatureAccumulator(
                    name in self._categorical, semantic=bool(self._semantic_rows)
                )
            feature.update(column, weights, self.problems, name, batches)
        self.num_examples += batch.num_rows
        if weights is not None:
            self.weighted_num_examples += float(weights.sum())

    def merge(self, other: DatasetAccumulator) -> None:
        """Add the statistics of ``other`` (another part of the same data set)."""
        self.num_examples += other.num_examples
        self.weighted_num_examples += other.weighted_num_examples
        for name, feature in other.features.items():
            mine = self.features.get(name)
            if mine is None:
                self.features[name] = feature
            else:
                mine.merge(feature, self.problems, name)
        self.problems.merge(other.problems)
        if self.user is not None and other.user is not None:
            self.user.merge(other.user)

    def to_proto(self, name: str) -> statistics_pb2.DatasetFeatureStatistics:
        """The statistics so far as a ``DatasetFeatureStatistics`` named ``name``: the
        built-in ones (none with ``add_default_generators=False``) and the user generators',
        merged as TFDV merges generator outputs."""
        if self.options.add_default_generators:
            result = self._default_statistics(name)
        else:
            result = self._semantic_statistics(name)
        if self.user is None:
            return result
        outputs = self.user.outputs()
        for output in outputs:
            output.name = name
        return merge_statistics_shards([result, *outputs]).datasets[0]

    def _semantic_statistics(self, name: str) -> statistics_pb2.DatasetFeatureStatistics:
        """Without the built-in generators, what TFDV's semantic-domain generators alone give:
        each feature's path, with the domain evidence they found (none when not enabled)."""
        result = statistics_pb2.DatasetFeatureStatistics(name=name)
        for path, feature in self.features.items():
            built = feature_proto(path, feature, self.num_examples, None, self.options)
            entry = result.features.add()
            entry.path.CopyFrom(built.path)
            if feature.semantic is not None:
                entry.custom_stats.extend(feature.semantic.custom_stats())
        return result

    def _default_statistics(self, name: str) -> statistics_pb2.DatasetFeatureStatistics:
        weighted = self.weighted_num_examples if self.options.weight_feature else None
        result = statistics_pb2.DatasetFeatureStatistics(name=name, num_examples=self.num_examples)
        if weighted is not None:
            result.weighted_num_examples = weighted
        for path, feature in self.features.items():
            result.features.append(
                feature_proto(path, feature, self.num_examples, weighted, self.options)
            )
        attach_problems(result, self.problems)
        return result


class StatisticsAccumulator:
    """Statistics of record batches, for the whole data set and each slice (``in_memory``:
    see :class:`DatasetAccumulator`)."""

    def __init__(self, options: StatsOptions | None = None, in_memory: bool = False):
        self.options = options or StatsOptions()
        self.in_memory = in_memory
        self.slices: dict[str, DatasetAccumulator] = {
            DEFAULT_SLICE_KEY: DatasetAccumulator(self.options, in_memory)
        }
        # made when sampling first (numpy.random takes a while to import)
        self._rng: np.random.Generator | None = None
        self._sql_slicers: list | None = None  # from the options' config and SQL when first needed

    @property
    def problems(self) -> ProblemLog:
        """Data problems of the whole data set (reported with the "All Examples" statistics)."""
        return self.slices[DEFAULT_SLICE_KEY].problems

    def add(self, batch: pa.RecordBatch) -> None:
        """Add the examples of ``batch`` (sampled, then sliced, as the options say)."""
        if self.options.sample_rate is not None and self.options.sample_rate < 1:
            if self._rng is None:
                self._rng = np.random.default_rng(self.options.sample_seed)
            keep = self._rng.random(batch.num_rows) < self.options.sample_rate
            batch = batch.filter(from_numpy(keep))
        self.slices[DEFAULT_SLICE_KEY].add(batch)
        slicers = self._slicers()
        if slicers and self.options.feature_allowlist is not None:
            # as TFDV, slices see the allowed features only (and the weight)
            keep = {*self.options.feature_allowlist, self.options.weight_feature}
            batch = batch.select([i for i, n in enumerate(batch.schema.names) if n in keep])
        for slice_function in slicers:
            for key, part in slice_function(batch):
                accumulator = self.slices.get(key)
                if accumulator is None:
                    accumulator = DatasetAccumulator(self.options, self.in_memory)
                    self.slices[key] = accumulator
                accumulator.add(part)

    def _slicers(self) -> list:
        """The slice functions: the options' own, those its slicing config names, and those
        running their slicing SQL."""
        if self._sql_slicers is None:
            from datajourney.stats.slicing_config import (
                convert_slicing_config_to_slice_functions_and_sqls,
            )
            from datajourney.stats.sql_slicing import sql_slicer

            functions, queries = convert_slicing_config_to_slice_functions_and_sqls(
                self.options.slicing_config
            )
            queries += self.options.experimental_slice_sqls or ()
            self._sql_slicers = functions + [sql_slicer(query) for query in queries]
        return list(self.options.slice_functions or ()) + self._sql_slicers

    def merge(self, other: StatisticsAccumulator) -> StatisticsAccumulator:
        """Add the statistics of ``other``; returns self."""
        for key, accumulator in other.slices.items():
            mine = self.slices.get(key)
            if mine is None:
                self.slices[key] = accumulator
            else:
                mine.merge(accumulator)
        return self

    def result(self) -> statistics_pb2.DatasetFeatureStatisticsList:
        """The statistics: "All Examples" first, then one data set per slice key; without
        slicing, one data set with an empty name (as TFDV names it)."""
        result = statistics_pb2.DatasetFeatureStatisticsList()
        sliced = self.options.slicing_enabled
        for key, accumulator in self.slices.items():
            result.datasets.append(accumulator.to_proto(key if sliced else ""))
        return result

    def __getstate__(self) -> dict:
        # a fresh generator from the seed, as before; slicers made again from the options
        return {**self.__dict__, "_rng": None, "_sql_slicers": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
