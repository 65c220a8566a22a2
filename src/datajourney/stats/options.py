"""StatsOptions: what to compute, with TFDV's field names and defaults."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.stats.generators import check_generators
from datajourney.stats.options_json import options_from_json, options_to_json

#: Turns a record batch into (slice key, sub-batch) pairs; see :mod:`datajourney.stats.slicing`.
SliceFunction = Callable[[pa.RecordBatch], Iterable[tuple[str, pa.RecordBatch]]]


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
    slice_functions: list[SliceFunction] | None = field(default=None)
    #: TFDV's name for ``slice_functions``.
    experimental_slice_functions: list[SliceFunction] | None = None
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
    use_sketch_based_topk_uniques: bool | None = None
    experimental_use_sketch_based_topk_uniques: bool | None = None
    experimental_slice_sqls: list[str] | None = None
    experimental_result_partitions: int = 1
    experimental_num_feature_partitions: int = 1
    slicing_config: object | None = None
    experimental_filter_read_paths: bool = False
    per_feature_stats_config: object | None = None

    def __post_init__(self) -> None:
        if self.experimental_slice_functions is not None:
            functions = self.experimental_slice_functions
            if not isinstance(functions, list):
                raise TypeError(
                    f"experimental_slice_functions is of type {type(functions).__name__}, "
                    "should be a list."
                )
            if not all(callable(f) for f in functions):
                raise TypeError("experimental_slice_functions must contain functions only.")
            self.slice_functions = functions
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
        self._check_tfdv_options()

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
        new, old = (
            self.use_sketch_based_topk_uniques,
            self.experimental_use_sketch_based_topk_uniques,
        )
        # both set (differently: equal ones are what a copy of normalized options holds)
        if new is not None and old is not None and bool(new) != bool(old):
            raise ValueError(
                "Must set at most one of use_sketch_based_topk_uniques and "
                "experimental_use_sketch_based_topk_uniques"
            )
        both = bool(new if new is not None else old)
        self.use_sketch_based_topk_uniques = self.experimental_use_sketch_based_topk_uniques = both
        if self.slice_functions and self.experimental_slice_sqls:
            raise ValueError(
                "Only one of experimental_slice_functions or experimental_slice_sqls must be "
                "specified."
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


@dataclass(frozen=True)
class ExampleWeightMap:
    """TFDV's example weight map: the weight feature of each feature path."""

    weight_feature: str | None
    per_feature_override: dict | None = None

    def get(self, feature_path: object) -> str | None:
        override = self.per_feature_override or {}
        return override.get(feature_path, self.weight_feature)
