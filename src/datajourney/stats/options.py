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
    #: TFDV's name for ``slice_functions``.
    experimental_slice_functions: list[SliceFunction] | None = None

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
        if self.infer_type_from_schema and self.schema is None:
            raise ValueError("StatsOptions.infer_type_from_schema needs a schema")
