"""StatsOptions: what to compute, with TFDV's field names and defaults."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.stats.generators import check_generators
from datajourney.stats.options_json import options_from_json, options_to_json

#: Turns a record batch into (slice key, sub-batch) pairs; see :mod:`datajourney.stats.slicing`.
SliceFunction = Callable[[pa.RecordBatch], Iterable[tuple[str, pa.RecordBatch]]]

_log = logging.getLogger(__name__)


@dataclass
class StatsOptions:
    """Options of :func:`~datajourney.stats.generate_statistics` (TFDV's names and defaults).

    ``schema`` with ``infer_type_from_schema=True`` reads CSV columns with the schema's types
    (values that do not parse are recorded as data problems; without a schema, types are
    inferred from the data, as TFDV accepts it); the schema's categorical INT
    features get string statistics. ``sample_rate`` keeps each example with that probability
    (seeded by ``sample_seed``). ``slice_functions`` add one data set per slice key besides
    ``"All Examples"``.
    """

    schema: schema_pb2.Schema | None = None
    infer_type_from_schema: bool = False
    feature_allowlist: Sequence[str] | None = None
    num_top_values: int = 20
    num_rank_histogram_buckets: int = 1000
    num_values_histogram_buckets: int = 10
    num_histogram_buckets: int = 10
    num_quantiles_histogram_buckets: int = 10
    sample_rate: float | None = None
    sample_seed: int = 0
    weight_feature: str | None = None
    #: Also ``experimental_slice_functions`` (TFDV's name; one of the two may be given).
    slice_functions: list[SliceFunction] | None = field(default=None)
    #: User statistics generators (:class:`~datajourney.stats.generators.CombinerStatsGenerator`),
    #: run beside the built-in statistics, or alone with ``add_default_generators=False``.
    generators: list | None = None
    # TFDV 1.16's other options: accepted, checked and kept (``to_json``) as TFDV does; those
    # that tune TFDV's Beam pipeline or its sketches have no effect here (docs/validation.md).
    label_feature: str | None = None
    frequency_threshold: int = 1
    weighted_frequency_threshold: float = 1.0
    epsilon: float = 0.01
    desired_batch_size: int | None = None
    enable_semantic_domain_stats: bool = False
    semantic_domain_stats_sample_rate: float | None = None
    per_feature_weight_override: dict | None = None
    vocab_paths: dict[str, str] | None = None
    add_default_generators: bool = True
    #: Also ``experimental_use_sketch_based_topk_uniques`` (one of the two may be given).
    use_sketch_based_topk_uniques: bool | None = None
    experimental_slice_sqls: list[str] | None = None
    experimental_result_partitions: int = 1
    experimental_num_feature_partitions: int = 1
    slicing_config: object | None = None
    experimental_filter_read_paths: bool = False
    per_feature_stats_config: object | None = None

    def __post_init__(self) -> None:
        functions = self.slice_functions
        if functions is not None:
            if not isinstance(functions, list):
                raise TypeError(
                    f"experimental_slice_functions is of type {type(functions).__name__}, "
                    "should be a list."
                )
            if not all(callable(f) for f in functions):
                raise TypeError("experimental_slice_functions must contain functions only.")
        # TFDV's limits: a values histogram needs two buckets, the others one; top values and
        # rank histograms of zero or fewer entries are allowed (and empty).
        for name, least in (
            ("num_values_histogram_buckets", 2),
            ("num_histogram_buckets", 1),
            ("num_quantiles_histogram_buckets", 1),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value < least:
                raise ValueError(f"Invalid {name} {value} (StatsOptions needs at least {least})")
        for name in ("num_top_values", "num_rank_histogram_buckets"):
            if not isinstance(getattr(self, name), int):
                raise TypeError(
                    f"{name} is of type {type(getattr(self, name)).__name__}, should be an int."
                )
        if self.sample_rate is not None and not 0 < self.sample_rate <= 1:
            raise ValueError(f"Invalid sample_rate {self.sample_rate:f} (it must be in (0, 1])")
        if self.schema is not None and not isinstance(self.schema, schema_pb2.Schema):
            raise TypeError(
                f"schema is of type {type(self.schema).__name__}, should be a Schema proto."
            )
        if self.feature_allowlist is not None and not isinstance(self.feature_allowlist, list):
            raise TypeError(
                f"feature_allowlist is of type {type(self.feature_allowlist).__name__}, "
                "should be a list."
            )
        self._check_sketch_option()
        self._check_tfdv_options()
        self._check_slicing()

    def _check_sketch_option(self) -> None:
        self.use_sketch_based_topk_uniques = bool(self.use_sketch_based_topk_uniques)
        if not self.use_sketch_based_topk_uniques and _has_categorical_float(self.schema):
            raise ValueError(
                "Categorical float features set in schema require use_sketch_based_topk_uniques"
            )

    def _check_tfdv_options(self) -> None:
        check_generators(self.generators)
        if self.vocab_paths is not None and not isinstance(self.vocab_paths, dict):
            raise TypeError(
                f"vocab_paths is of type {type(self.vocab_paths).__name__}, should be a dict."
            )
        if self.desired_batch_size is not None and self.desired_batch_size < 1:
            raise ValueError(f"Invalid desired_batch_size {self.desired_batch_size}")
        rate = self.semantic_domain_stats_sample_rate
        if rate is not None and not 0 < rate <= 1:
            raise ValueError(f"Invalid semantic_domain_stats_sample_rate {rate:f}")

    def _check_slicing(self) -> None:
        if self.slice_functions and self.experimental_slice_sqls:
            raise ValueError(
                "Only one of experimental_slice_functions or experimental_slice_sqls must be "
                "specified."
            )
        config = self.slicing_config
        if config is not None:
            specs = config.slicing_specs
            if any(s.feature_keys or s.feature_values for s in specs) and any(
                s.slice_keys_sql for s in specs
            ):
                raise ValueError(
                    "Only one of slicing features or slicing sql queries can be specified in "
                    "the slicing config."
                )
        if config and self.slice_functions:
            raise ValueError("Specify only one of slicing_config or experimental_slice_functions.")
        if config and self.experimental_slice_sqls:
            raise ValueError("Specify only one of slicing_config or experimental_slice_sqls.")
        if self.experimental_slice_sqls and self.schema is not None:
            from datajourney.stats.sql_slicing import check_query

            for query in self.experimental_slice_sqls:
                try:
                    check_query(query, self.schema)
                except ImportError:  # no DuckDB: the query is checked when it runs
                    break
                except ValueError as error:  # TFDV logs a bad query and goes on
                    _log.error(
                        "One of the slice SQL query %s raised an exception: %s.", query, error
                    )

    @property
    def slicing_enabled(self) -> bool:
        """Whether slices are asked for (the whole data set is then named "All Examples")."""
        return bool(self.slice_functions or self.experimental_slice_sqls or self.slicing_config)

    @property
    def example_weight_map(self) -> ExampleWeightMap:
        """Which feature weighs each feature's values (``weight_feature`` unless overridden)."""
        return ExampleWeightMap(self.weight_feature, self.per_feature_weight_override)

    def to_json(self) -> str:
        """These options as JSON, in TFDV's layout (slice functions and generators cannot be)."""
        return options_to_json(self)

    @classmethod
    def from_json(cls, options_json: str) -> StatsOptions:
        """Options from :meth:`to_json`'s JSON, datajourney's or TFDV's."""
        return options_from_json(cls, options_json)


def _alias(name: str) -> property:
    """A second name for field ``name`` (TFDV's older names of two options)."""
    return property(
        lambda self: getattr(self, name),
        lambda self, value: setattr(self, name, value),
        doc=f"TFDV's older name of ``{name}``.",
    )


# older name -> (field, TFDV's error when both are given)
_OLD_NAMES = {
    "experimental_slice_functions": (
        "slice_functions",
        "Specify only one of slice_functions or experimental_slice_functions",
    ),
    "experimental_use_sketch_based_topk_uniques": (
        "use_sketch_based_topk_uniques",
        "Must set at most one of use_sketch_based_topk_uniques and "
        "experimental_use_sketch_based_topk_uniques",
    ),
}
_fields_init = StatsOptions.__init__


@functools.wraps(_fields_init)
def _init(self: StatsOptions, *args: Any, **kwargs: Any) -> None:
    """StatsOptions' fields, or TFDV's older names of two of them (never both names)."""
    for old, (new, both) in _OLD_NAMES.items():
        value = kwargs.pop(old, None)
        if value is None:
            continue
        if kwargs.get(new) is not None:
            raise ValueError(both)
        kwargs[new] = value
    _fields_init(self, *args, **kwargs)


# The older names are arguments and attributes, not fields: dataclasses.replace copies a field once.
StatsOptions.__init__ = _init  # type: ignore[method-assign]
for _old, (_new, _) in _OLD_NAMES.items():
    setattr(StatsOptions, _old, _alias(_new))


@dataclass(frozen=True)
class ExampleWeightMap:
    """TFDV's example weight map: the weight feature of each feature path."""

    weight_feature: str | None
    per_feature_override: dict | None = None

    def get(self, feature_path: object) -> str | None:
        override = self.per_feature_override or {}
        return override.get(feature_path, self.weight_feature)

    def all_weight_features(self) -> frozenset[str]:
        """Every feature that weighs some feature (the default and the overrides)."""
        found = set((self.per_feature_override or {}).values())
        if self.weight_feature is not None:
            found.add(self.weight_feature)
        return frozenset(found)


def _has_categorical_float(schema: schema_pb2.Schema | None) -> bool:
    """Whether a schema has a FLOAT feature (at any depth) marked categorical."""
    features = list(schema.feature) if schema is not None else []
    while features:
        feature = features.pop()
        if feature.type == schema_pb2.FLOAT and feature.float_domain.is_categorical:
            return True
        features.extend(feature.struct_domain.feature)
    return False
