"""StatsOptions: what to compute, with TFDV's field names and defaults."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa
from tensorflow_metadata.proto.v0 import schema_pb2

#: Turns a record batch into (slice key, sub-batch) pairs; see :mod:`datajourney.stats.slicing`.
SliceFunction = Callable[[pa.RecordBatch], Iterable[tuple[str, pa.RecordBatch]]]


@dataclass
class StatsOptions:
    """Options of :func:`~datajourney.stats.generate_statistics` (TFDV's names and defaults).

    ``schema`` with ``infer_type_from_schema=True`` reads CSV columns with the schema's types
    (values that do not parse are recorded as data problems); the schema's categorical INT
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

    def __post_init__(self) -> None:
        for name in (
            "num_top_values",
            "num_rank_histogram_buckets",
            "num_values_histogram_buckets",
            "num_histogram_buckets",
            "num_quantiles_histogram_buckets",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"StatsOptions.{name} must be a positive integer, not {value!r}")
        if self.sample_rate is not None and not 0 < self.sample_rate <= 1:
            raise ValueError(f"StatsOptions.sample_rate must be in (0, 1], not {self.sample_rate}")
        if self.infer_type_from_schema and self.schema is None:
            raise ValueError("StatsOptions.infer_type_from_schema needs a schema")
