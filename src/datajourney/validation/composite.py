"""Weighted and sparse features: their statistics (custom statistics under the composite
feature's name) against the schema, as TFDV checks them.

A composite feature is only checked when the statistics hold an entry under its name. A
weighted feature named as a plain or sparse feature reports only the name collision; so does a
sparse feature named as a plain feature.
"""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.schema.statistics_view import FeatureView
from datajourney.validation import reasons
from datajourney.validation.reasons import Reason


def composite_reasons(
    schema: schema_pb2.Schema, views: dict[str, FeatureView], plain_names: set[str]
) -> dict[str, list[Reason]]:
    """Each weighted / sparse feature with statistics and its reasons (possibly none)."""
    sparse_names = {sparse.name for sparse in schema.sparse_feature}
    found: dict[str, list[Reason]] = {}
    for sparse in schema.sparse_feature:
        view = views.get(sparse.name)
        if view is not None:
            found[sparse.name] = (
                [reasons.sparse_name_collision()]
                if sparse.name in plain_names
                else _sparse(_custom(view.stats))
            )
    for weighted in schema.weighted_feature:
        view = views.get(weighted.name)
        if view is not None:
            found[weighted.name] = (
                [reasons.weighted_name_collision()]
                if weighted.name in plain_names | sparse_names
                else _weighted(_custom(view.stats))
            )
    return found


def _custom(
    stats: statistics_pb2.FeatureNameStatistics,
) -> dict[str, statistics_pb2.CustomStatistic]:
    return {custom.name: custom for custom in stats.custom_stats}


def _weighted(custom: dict[str, statistics_pb2.CustomStatistic]) -> list[Reason]:
    def num(name: str) -> float:
        return custom[name].num if name in custom else 0.0

    found = []
    if num("missing_weight") > 0:
        found.append(reasons.weighted_missing("weight", num("missing_weight")))
    if num("missing_value") > 0:
        found.append(reasons.weighted_missing("value", num("missing_value")))
    low, high = num("min_weight_length_diff"), num("max_weight_length_diff")
    if low != 0 or high != 0:
        found.append(reasons.weighted_length_mismatch(low, high))
    return found


def _sparse(custom: dict[str, statistics_pb2.CustomStatistic]) -> list[Reason]:
    def per_index(name: str) -> list[tuple[str, float]]:
        if name not in custom:
            return []
        return [(b.label, b.sample_count) for b in custom[name].rank_histogram.buckets]

    found = []
    missing_value = custom["missing_value"].num if "missing_value" in custom else 0.0
    if missing_value > 0:
        found.append(reasons.sparse_missing_value(missing_value))
    found += [
        reasons.sparse_missing_index(index, count)
        for index, count in per_index("missing_index")
        if count > 0
    ]
    for bound in ("min", "max"):
        found += [
            reasons.sparse_length_mismatch(index, bound, diff)
            for index, diff in per_index(f"{bound}_length_diff")
            if diff != 0
        ]
    return found
