"""The mergeable statistics of one feature, updated one Arrow column at a time.

A column is either primitive (one value per example, null when missing: CSV, pandas, Parquet)
or a list column (a list of values per example, null when missing: tf.Example, JSON arrays);
nested lists are flattened to their leaf values. Moments merge exactly (Chan et al.'s parallel
variance), distributions through :class:`~datajourney.stats.distribution.Distribution`, value
counts through :class:`~datajourney.stats.values.ValueCounter`.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.io.problems import TYPE_MISMATCH, ProblemExample, ProblemLog
from datajourney.stats.arrays import from_numpy, to_numpy
from datajourney.stats.distribution import Distribution
from datajourney.stats.semantic import SemanticAccumulator
from datajourney.stats.values import ValueCounter, invalid_utf8_count, string_lengths

FeatureType = statistics_pb2.FeatureNameStatistics.Type
INT, FLOAT = FeatureType.Value("INT"), FeatureType.Value("FLOAT")
STRING, STRUCT = FeatureType.Value("STRING"), FeatureType.Value("STRUCT")
_NUMERIC = (INT, FLOAT)


def _is_list(data_type: pa.DataType) -> bool:
    return (
        pa.types.is_list(data_type)
        or pa.types.is_large_list(data_type)
        or pa.types.is_fixed_size_list(data_type)
    )


def value_type(data_type: pa.DataType) -> int | None:
    """The statistics type of Arrow values of ``data_type`` (None for the null type)."""
    if pa.types.is_null(data_type):
        return None
    if pa.types.is_integer(data_type) or pa.types.is_boolean(data_type):
        return INT
    if pa.types.is_floating(data_type) or pa.types.is_decimal(data_type):
        return FLOAT
    if pa.types.is_struct(data_type):
        return STRUCT
    if pa.types.is_dictionary(data_type):
        return value_type(data_type.value_type)
    return STRING  # text, bytes, and anything else (dates, times) as text


#: One nesting level's presence and valency: [non-missing, missing, min, max, total values].
Level = list


def _level(lists: pa.Array) -> Level:
    valid = to_numpy(lists.is_valid())
    lengths = to_numpy(pc.list_value_length(lists))[valid].astype(np.int64)
    if not len(lengths):
        return [0, len(valid), math.inf, 0, 0]
    low, high, total = int(lengths.min()), int(lengths.max()), int(lengths.sum())
    return [len(lengths), len(valid) - len(lengths), low, high, total]


def _split(
    column: pa.Array,
) -> tuple[np.ndarray | None, np.ndarray | None, pa.Array, np.ndarray | None, list[Level] | None]:
    """(present mask, values per present example, leaf values, parent row of each value,
    nesting levels).

    The mask is None when every example is present, the counts None when each present example
    has exactly one value (a primitive column), the parents None when value i is in row i. For
    nested lists the values per example count leaves, and the levels (one per nesting level)
    hold each level's presence and valency; None otherwise.
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not _is_list(column.type):
        if column.null_count == 0:
            return None, None, column, None, None
        present = to_numpy(column.is_valid())
        return present, None, column.filter(from_numpy(present)), np.flatnonzero(present), None
    present = to_numpy(column.is_valid())
    lengths = to_numpy(pc.list_value_length(column))[present]
    lengths = lengths.astype(np.int64)
    parents = to_numpy(pc.list_parent_indices(column))
    values = pc.list_flatten(column)
    levels = None
    if _is_list(values.type):  # nested lists: the leaves count as values
        levels = [_level(column)]
        while _is_list(values.type):
            levels.append(_level(values))
            parents = parents[to_numpy(pc.list_parent_indices(values))]
            values = pc.list_flatten(values)
        lengths = np.bincount(parents, minlength=len(column))[present].astype(np.int64)
    if values.null_count:
        valid = values.is_valid()
        values, parents = values.filter(valid), parents[to_numpy(valid)]
    return present, lengths, values, parents, levels


class FeatureAccumulator:
    """Presence, valency, numeric moments and distribution, or string counts of a feature.

    ``categorical`` (an INT feature the schema marks categorical) gets string statistics over
    the decimal text of its values, as TFDV does; ``semantic`` adds the evidence of
    semantic domains (:mod:`datajourney.stats.semantic`).
    """

    def __init__(self, categorical: bool = False, semantic: bool = False) -> None:
        self.categorical = categorical
        self.semantic = SemanticAccumulator() if semantic else None
        self.type: int | None = None
        self.num_non_missing = 0
        self.min_num_values = math.inf
        self.max_num_values = 0
        self.tot_num_values = 0
        self.num_values = Distribution()
        self.levels: list[Level] | None = None  # nested lists: presence and valency per level
        self.weighted_num_non_missing = 0.0
        self.weighted_tot_num_values = 0.0
        # numeric
        self.count = 0  # values that are not NaN
        self.mean = 0.0
        self.m2 = 0.0
        self.min = math.inf
        self.max = -math.inf
        self.finite_min = math.inf
        self.finite_max = -math.inf
        self.num_zeros = 0
        self.num_nan = 0
        self.weighted_sum = 0.0
        self.weighted_sum_of_squares = 0.0
        self.distribution = Distribution()
        # string
        self.values = ValueCounter()
        self.total_length = 0
        self.invalid_utf8 = 0  # bytes values that are not UTF-8 text

    def update(
        self,
        column: pa.Array,
        weights: np.ndarray | None,
        problems: ProblemLog,
        name: str,
        batches: np.ndarray | None = None,
    ) -> None:
        """Add one batch's column; ``weights`` are the examples' weights, if weighted;
        ``batches`` the semantic detectors' batch number of each example (-1: left out)."""
        present, lengths, values, parents, levels = _split(column)
        self._update_presence(present, lengths, len(values), weights)
        if levels is not None:
            self._merge_levels(levels)
        kind = value_type(values.type)
        if kind is None or len(values) == 0:
            return
        if self.semantic is not None and batches is not None and kind != STRUCT:
            self._update_semantic(values, kind, batches if parents is None else batches[parents])
        if not self._settle_type(kind):
            examples = [ProblemExample(str(v)) for v in values.slice(0, 5).to_pylist()]
            self._mismatch(kind, len(values), examples, problems, name)
            return
        flat_weights = None
        if weights is not None:
            flat_weights = weights if parents is None else weights[parents]
        if kind == STRUCT:
            return
        if kind in _NUMERIC and self.categorical:
            values, kind = pc.cast(values, pa.string()), STRING
        if kind in _NUMERIC:
            self._update_numeric(values, flat_weights)
        else:
            if not (pa.types.is_string(values.type) or pa.types.is_binary(values.type)):
                values = pc.cast(values, pa.string())
            self.values.update(values, flat_weights)
            self.total_length += string_lengths(values)
            self.invalid_utf8 += invalid_utf8_count(values)

    def _update_semantic(self, values: pa.Array, kind: int, batches: np.ndarray) -> None:
        kept = batches >= 0
        if not kept.all():
            values, batches = values.filter(from_numpy(kept)), batches[kept]
        if pa.types.is_dictionary(values.type):
            values = values.dictionary_decode()
        self.semantic.update(values, kind, batches)

    def _update_presence(
        self,
        present: np.ndarray | None,
        lengths: np.ndarray | None,
        num_values: int,
        weights: np.ndarray | None,
    ) -> None:
        if num_values == 0 and lengths is None:
            return
        if lengths is None:  # one value per present example
            self.num_non_missing += num_values
            self.min_num_values = min(self.min_num_values, 1)
            self.max_num_values = max(self.max_num_values, 1)
            self.tot_num_values += num_values
            self.num_values.add_repeated(1.0, num_values)
        elif len(lengths):
            self.num_non_missing += len(lengths)
            self.min_num_values = min(self.min_num_values, int(lengths.min()))
            self.max_num_values = max(self.max_num_values, int(lengths.max()))
            self.tot_num_values += int(lengths.sum())
            self.num_values.update(from_numpy(lengths))
        if weights is not None:
            present_weights = weights if present is None else weights[present]
            self.weighted_num_non_missing += float(present_weights.sum())
            counts = 1.0 if lengths is None else lengths
            self.weighted_tot_num_values += float((present_weights * counts).sum())

    def _merge_levels(self, levels: list[Level]) -> None:
        if self.levels is None:
            self.levels = [list(level) for level in levels]
            return
        for mine, other in zip(self.levels, levels):
            mine[0] += other[0]
            mine[1] += other[1]
            mine[2] = min(mine[2], other[2])
            mine[3] = max(mine[3], other[3])
            mine[4] += other[4]

    def _settle_type(self, kind: int) -> bool:
        """Settle the feature's type: INT and FLOAT widen to FLOAT; False for other mixes."""
        if self.type is None or self.type == kind:
            self.type = kind
            return True
        if self.type in _NUMERIC and kind in _NUMERIC:
            self.type = FLOAT
            return True
        return False

    def _mismatch(
        self, kind: int, count: int, examples: list[ProblemExample], problems: ProblemLog, name: str
    ) -> None:
        detail = f"{FeatureType.Name(kind)} values in a {FeatureType.Name(self.type)} feature"
        problems.add(TYPE_MISMATCH, name, count, examples, detail=detail)

    def _update_numeric(self, values: pa.Array, weights: np.ndarray | None) -> None:
        is_float = pa.types.is_floating(values.type)
        if is_float:
            nan = pc.is_nan(values)
            num_nan = pc.sum(nan).as_py() or 0
            if num_nan:
                self.num_nan += num_nan
                keep = pc.invert(nan)
                values = values.filter(keep)
                if weights is not None:
                    weights = weights[to_numpy(keep)]
        elif pa.types.is_boolean(values.type):
            values = pc.cast(values, pa.int64())
        elif pa.types.is_decimal(values.type):
            values = pc.cast(values, pa.float64())
        count = len(values)
        if count == 0:
            return
        mean = pc.mean(values).as_py()
        self._merge_moments(count, mean, pc.variance(values, ddof=0).as_py() * count)
        low, high = pc.min_max(values).values()
        low, high = float(low.as_py()), float(high.as_py())
        self.min, self.max = min(self.min, low), max(self.max, high)
        if is_float and (math.isinf(low) or math.isinf(high)):
            finite = values.filter(pc.is_finite(values))
            low, high = math.inf, -math.inf
            if len(finite):
                bounds = pc.min_max(finite)
                low, high = float(bounds["min"].as_py()), float(bounds["max"].as_py())
        self.finite_min, self.finite_max = min(self.finite_min, low), max(self.finite_max, high)
        self.num_zeros += int(np.count_nonzero(to_numpy(values) == 0))
        if weights is not None:
            array = to_numpy(values).astype(np.float64)
            self.weighted_sum += float((weights * array).sum())
            self.weighted_sum_of_squares += float((weights * array * array).sum())
        self.distribution.update(values, weights)

    def _merge_moments(self, count: int, mean: float, m2: float) -> None:
        total = self.count + count
        delta = mean - self.mean
        self.mean += delta * count / total
        self.m2 += m2 + delta * delta * self.count * count / total
        self.count = total

    def merge(self, other: FeatureAccumulator, problems: ProblemLog, name: str) -> None:
        """Add the statistics of ``other`` (the same feature, another part of the data)."""
        if other.type is not None and not self._settle_type(other.type):
            self._mismatch(other.type, other.tot_num_values, [], problems, name)
            other = _presence_only(other)
        self.num_non_missing += other.num_non_missing
        self.min_num_values = min(self.min_num_values, other.min_num_values)
        self.max_num_values = max(self.max_num_values, other.max_num_values)
        self.tot_num_values += other.tot_num_values
        self.num_values.merge(other.num_values)
        if other.levels is not None:
            self._merge_levels(other.levels)
        self.weighted_num_non_missing += other.weighted_num_non_missing
        self.weighted_tot_num_values += other.weighted_tot_num_values
        if other.count:
            self._merge_moments(other.count, other.mean, other.m2)
        self.min, self.max = min(self.min, other.min), max(self.max, other.max)
        self.finite_min = min(self.finite_min, other.finite_min)
        self.finite_max = max(self.finite_max, other.finite_max)
        self.num_zeros += other.num_zeros
        self.num_nan += other.num_nan
        self.weighted_sum += other.weighted_sum
        self.weighted_sum_of_squares += other.weighted_sum_of_squares
        self.distribution.merge(other.distribution)
        self.values.merge(other.values)
        self.total_length += other.total_length
        self.invalid_utf8 += other.invalid_utf8
        if other.semantic is not None:
            if self.semantic is None:
                self.semantic = other.semantic
            else:
                self.semantic.merge(other.semantic)


def _presence_only(accumulator: FeatureAccumulator) -> FeatureAccumulator:
    """A copy of ``accumulator`` that keeps only presence and valency."""
    result = FeatureAccumulator(accumulator.categorical)
    for field in (
        "num_non_missing",
        "min_num_values",
        "max_num_values",
        "tot_num_values",
        "num_values",
        "levels",
        "weighted_num_non_missing",
        "weighted_tot_num_values",
    ):
        setattr(result, field, getattr(accumulator, field))
    return result
