"""Mergeable counts of distinct string values: unique count, top values, rank histogram.

Counts are exact (kept as Arrow arrays, merged with a vectorised group-by) until a feature has
more than :data:`EXACT_LIMIT` distinct values. Past it they move to Apache DataSketches
sketches, and the figures are estimates that never exceed the truth:

- the unique count comes from a theta sketch (the :data:`THETA_LG_K` smallest value hashes,
  relative error about 0.8%), read through a union so that it depends only on the set of
  values, not on their order or on how the data was split; it is capped by the number of
  values counted;
- the top values come from a Misra-Gries ``frequent_strings_sketch``; each frequency is the
  sketch's lower bound (what the value is certain to have), and values without a certain
  count are left out.

Estimated figures are marked in the feature's ``custom_stats`` with TFDV's names for its
sketch-based statistics (:data:`ESTIMATED_UNIQUES`, :data:`ESTIMATED_TOP_VALUES`). All the
group-bys run single-threaded, so the same input always gives the same statistics.
"""

from __future__ import annotations

from typing import Any

import datasketches
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datajourney.stats.arrays import from_numpy, to_numpy

EXACT_LIMIT = 100_000
FREQUENT_LG_MAX_K = 14
THETA_LG_K = 14
ESTIMATED_UNIQUES = "uniques_sketch_num_uniques"
ESTIMATED_TOP_VALUES = "topk_sketch_rank_histogram"
_COMPACT_ROWS = 200_000


def _grouped(values: pa.Array, weights: np.ndarray | None) -> pa.Table:
    """(value, count, weight) per distinct value."""
    if weights is None:
        distinct = pc.value_counts(values)
        counts = distinct.field(1)
        weights_column = counts.cast(pa.float64())
        return pa.table({"value": distinct.field(0), "count": counts, "weight": weights_column})
    columns = {"value": values, "count": from_numpy(np.ones(len(values), np.int64))}
    columns["weight"] = from_numpy(np.asarray(weights, np.float64))
    return _sum_by_value(pa.table(columns))


def _sum_by_value(table: pa.Table) -> pa.Table:
    """Counts and weights summed per distinct value, in order of first appearance (one order:
    the same result each run). A dictionary encoding and two bincounts: no Acero query engine,
    whose import costs a fresh process about 0.15 s."""
    encoded = pc.dictionary_encode(table.column("value").combine_chunks())
    indices = to_numpy(encoded.indices)
    size = len(encoded.dictionary)
    counts = np.bincount(indices, to_numpy(table.column("count")), size).astype(np.int64)
    weights = np.bincount(indices, to_numpy(table.column("weight")), size)
    return pa.table(
        {"value": encoded.dictionary, "count": from_numpy(counts), "weight": from_numpy(weights)}
    )


#: The label TFDV gives a bytes value that is not UTF-8 text.
BYTES_VALUE = "__BYTES_VALUE__"


def maybe_get_utf8(value: bytes) -> str | None:
    """``value`` decoded as UTF-8, or None when it is not UTF-8 text."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        text = maybe_get_utf8(value)
        return BYTES_VALUE if text is None else text
    return str(value)


def invalid_utf8_count(values: pa.Array) -> int:
    """How many of binary ``values`` are not UTF-8 text (0 for string values)."""
    if not (pa.types.is_binary(values.type) or pa.types.is_large_binary(values.type)):
        return 0
    try:
        pc.cast(values, pa.large_string() if pa.types.is_large_binary(values.type) else pa.string())
        return 0
    except pa.ArrowInvalid:
        counts = pc.value_counts(values)
        return sum(
            count
            for value, count in zip(
                counts.field(0).to_pylist(), counts.field(1).to_pylist(), strict=True
            )
            if _text(value) == BYTES_VALUE and value != BYTES_VALUE.encode()
        )


def _union(*sketches: Any) -> datasketches.compact_theta_sketch:
    """The union of theta sketches, trimmed to the smallest hashes of all (order-independent)."""
    union = datasketches.theta_union(THETA_LG_K)
    for sketch in sketches:
        if sketch is not None:
            union.update(sketch)
    return union.get_result()


class ValueCounter:
    """How often each value occurs (and its total weight)."""

    def __init__(self) -> None:
        self._parts: list[pa.Table] = []
        self._pending_rows = 0
        self.total = 0  # values counted
        self.distinct_at_least = 0  # a certain lower bound of the unique count, once sketched
        self.frequent: datasketches.frequent_strings_sketch | None = None
        self.distinct: datasketches.update_theta_sketch | None = None
        self.merged_distinct: datasketches.compact_theta_sketch | None = None

    @property
    def estimated(self) -> bool:
        """Whether the counts are sketch estimates (past the exact limit)."""
        return self.frequent is not None

    def update(self, values: pa.Array, weights: np.ndarray | None = None) -> None:
        """Count ``values`` (strings or bytes, no nulls), each with its weight if weighted."""
        if len(values) == 0:
            return
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        if values.type != pa.binary():  # one key type, so text and bytes counts merge
            values = values.cast(pa.binary())
        self.total += len(values)
        self._add(_grouped(values, weights))

    def _add(self, grouped: pa.Table) -> None:
        if self.frequent is not None:
            self._add_to_sketches(grouped)
            return
        self._parts.append(grouped)
        self._pending_rows += grouped.num_rows
        if self._pending_rows > _COMPACT_ROWS or len(self._parts) > 64:
            self._compact()

    def _compact(self) -> pa.Table:
        if len(self._parts) > 1:
            table = pa.concat_tables(self._parts, promote_options="permissive")
            self._parts = [_sum_by_value(table)]
        self._pending_rows = self._parts[0].num_rows if self._parts else 0
        if self._pending_rows > EXACT_LIMIT:
            self._to_sketches()
        return self._parts[0] if self._parts else _grouped(pa.nulls(0, pa.binary()), None)

    def _to_sketches(self) -> None:
        table = pa.concat_tables(self._parts) if len(self._parts) > 1 else self._parts[0]
        if len(self._parts) > 1:
            table = _sum_by_value(table)
        self._parts, self._pending_rows = [], 0
        self.distinct_at_least = max(self.distinct_at_least, table.num_rows)
        self.frequent = datasketches.frequent_strings_sketch(FREQUENT_LG_MAX_K)
        self._add_to_sketches(table)

    def _add_to_sketches(self, grouped: pa.Table) -> None:
        assert self.frequent is not None
        if self.distinct is None:
            self.distinct = datasketches.update_theta_sketch(THETA_LG_K)
        frequent, distinct = self.frequent, self.distinct
        for value, count in zip(grouped["value"].to_pylist(), grouped["count"].to_pylist()):
            text = _text(value)
            frequent.update(text, count)
            distinct.update(text)

    def merge(self, other: ValueCounter) -> None:
        """Add the counts of ``other``."""
        self.total += other.total
        if other.frequent is None:
            for part in other._parts:
                self._add(part)
            return
        if self.frequent is None:
            self._parts.append(_grouped(pa.nulls(0, pa.binary()), None))
            self._to_sketches()
        assert self.frequent is not None
        self.frequent.merge(other.frequent)
        self.merged_distinct = _union(self.merged_distinct, other.distinct, other.merged_distinct)
        self.distinct_at_least = max(self.distinct_at_least, other.distinct_at_least)

    def unique(self) -> int:
        """The number of distinct values (an estimate past the exact limit, capped by the
        number of values and at least the distinct values known for certain)."""
        table = self._compact()  # may move the counts to the sketches
        if self.frequent is None:
            return table.num_rows
        estimate = round(_union(self.distinct, self.merged_distinct).get_estimate())
        return min(max(estimate, self.distinct_at_least), self.total)

    def most_frequent(self, limit: int, weighted: bool = False) -> list[tuple[str, float]]:
        """Up to ``limit`` (value, count) pairs, most frequent first; ties by value, descending
        (TFDV's order). Past the exact limit: the counts each value is certain to have (no
        weighted counts)."""
        table = self._compact()  # may move the counts to the sketches
        if self.frequent is not None:
            if weighted:
                return []
            items = self.frequent.get_frequent_items(
                datasketches.frequent_items_error_type.NO_FALSE_POSITIVES
            )
            pairs = ((item, float(lower)) for item, _, lower, _ in items if lower > 0)
            ranked = sorted(pairs, key=_rank_key, reverse=True)
            return ranked[:limit]
        if table.num_rows == 0:
            return []
        column = "weight" if weighted else "count"
        order = table.sort_by([(column, "descending"), ("value", "descending")])
        top = order.slice(0, limit)
        values = [_text(v) for v in top["value"].to_pylist()]
        return list(zip(values, map(float, top[column].to_pylist())))

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if self.frequent is not None:
            state["frequent"] = self.frequent.serialize()
            state["distinct"] = None
            state["merged_distinct"] = _union(self.distinct, self.merged_distinct).serialize()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state["frequent"] is not None:
            state["frequent"] = datasketches.frequent_strings_sketch.deserialize(state["frequent"])
            merged = datasketches.compact_theta_sketch.deserialize(state["merged_distinct"])
            state["merged_distinct"] = merged
        self.__dict__.update(state)


def _rank_key(item: tuple[str, float]) -> tuple[float, bytes]:
    return (item[1], item[0].encode())


def string_lengths(values: pa.Array) -> int:
    """The total length in bytes of string or binary ``values``."""
    return int(pc.sum(pc.binary_length(values)).as_py() or 0)
