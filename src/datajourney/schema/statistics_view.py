"""A read-only view of one feature's statistics, as schema inference and validation need it.

Statistics are ``tensorflow_metadata`` ``FeatureNameStatistics`` protos, whoever computed them
(datajourney or TFDV): the view hides where each number lives (numeric / string / bytes / struct
statistics, ``name`` or ``path``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.schema.arguments import require_statistics

#: The name of the data set of every example when statistics are sliced (TFDV's default slice).
DEFAULT_SLICE_NAME = "All Examples"

FeatureType = statistics_pb2.FeatureNameStatistics.Type


def feature_path(stats: statistics_pb2.FeatureNameStatistics) -> tuple[str, ...]:
    """The feature's path steps (``path`` when set, else the legacy ``name``)."""
    if stats.path.step:
        return tuple(stats.path.step)
    return (stats.name,)


def dataset_of(
    statistics: statistics_pb2.DatasetFeatureStatisticsList
    | statistics_pb2.DatasetFeatureStatistics,
    argument: str = "statistics",
) -> statistics_pb2.DatasetFeatureStatistics:
    """The one data set that inference and validation read: the only one, or else the default
    slice ("All Examples"), as TFDV reads it."""
    if isinstance(statistics, statistics_pb2.DatasetFeatureStatistics):
        return statistics
    require_statistics(statistics, argument)
    if not statistics.datasets:
        raise ValueError("statistics hold no data set")
    if len(statistics.datasets) == 1:
        return statistics.datasets[0]
    for dataset in statistics.datasets:
        if dataset.name == DEFAULT_SLICE_NAME:
            return dataset
    raise ValueError(
        "Only statistics proto with one dataset or the default slice "
        f'(i.e., "{DEFAULT_SLICE_NAME}" slice) is currently supported; these have '
        f"{', '.join(repr(d.name) for d in statistics.datasets)}."
    )


@dataclass(frozen=True)
class FeatureView:
    """One feature's statistics within a data set of ``num_examples`` examples."""

    stats: statistics_pb2.FeatureNameStatistics
    num_examples: float

    @property
    def path(self) -> tuple[str, ...]:
        return feature_path(self.stats)

    @property
    def name(self) -> str:
        return ".".join(self.path)

    @property
    def type(self) -> int:
        return self.stats.type

    @property
    def has_stats(self) -> bool:
        """Whether any kind of statistics is given (TFDV infers nothing from a feature without:
        only custom statistics, as of a weighted or sparse feature)."""
        return self.stats.WhichOneof("stats") is not None

    @property
    def common(self) -> statistics_pb2.CommonStatistics:
        which = self.stats.WhichOneof("stats")
        if which is None:
            return statistics_pb2.CommonStatistics()
        return getattr(self.stats, which).common_stats

    @property
    def num_present(self) -> int:
        return self.common.num_non_missing

    @property
    def num_missing(self) -> int:
        return self.common.num_missing

    @property
    def fraction_present(self) -> float:
        return self.num_present / self.num_examples if self.num_examples else 0.0

    @property
    def min_num_values(self) -> int:
        return self.common.min_num_values

    @property
    def max_num_values(self) -> int:
        return self.common.max_num_values

    @property
    def numeric(self) -> statistics_pb2.NumericStatistics | None:
        return self.stats.num_stats if self.stats.HasField("num_stats") else None

    @property
    def strings(self) -> statistics_pb2.StringStatistics | None:
        return self.stats.string_stats if self.stats.HasField("string_stats") else None

    @cached_property
    def string_counts(self) -> dict[str, float]:
        """Each value's count: the rank histogram when present, else the top values."""
        strings = self.strings
        if strings is None:
            return {}
        if strings.rank_histogram.buckets:
            return {b.label: b.sample_count for b in strings.rank_histogram.buckets}
        return {v.value: v.frequency for v in strings.top_values}

    @cached_property
    def histogram_values(self) -> list[str]:
        """The values of the rank histogram (none without one: top values alone are not
        read as a feature's values, as TFDV does not read them for domains)."""
        strings = self.strings
        if strings is None:
            return []
        return [bucket.label for bucket in strings.rank_histogram.buckets]


def features_of(dataset: statistics_pb2.DatasetFeatureStatistics) -> list[FeatureView]:
    """A view per feature of ``dataset``, in the order of the statistics."""
    return [FeatureView(f, dataset.num_examples) for f in dataset.features]
