"""Sharded statistics: merging partial ``DatasetFeatureStatistics`` into one list, and reading
the sharded TFRecord files that TFDV's ``WriteStatisticsToRecordsAndBinaryFile`` writes.

The merge is TFDV's (tfx-bsl's shard merge), not a statistical one: shards of the same slice
(data set name) are combined feature by feature (by path, else by name), each shard filling
in what the others left unset. Set values that disagree (example counts, types, which kind of
statistics, cross-feature counts) are a RuntimeError, as TFDV raises (its message starts with
``INVALID_ARGUMENT:``; here it also names the slice and the feature); sub-messages are merged
as protobuf merges them (a later non-zero scalar wins, repeated fields are concatenated) and
custom statistics are concatenated; a derived feature keeps its source (shards naming
different sources are refused).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.io.tfrecord import iter_records
from datajourney.stats.dataset_views import DatasetListView

Dataset = statistics_pb2.DatasetFeatureStatistics
StatisticsList = statistics_pb2.DatasetFeatureStatisticsList
FeatureStats = statistics_pb2.FeatureNameStatistics
CrossStats = statistics_pb2.CrossFeatureStatistics

#: The file name ending of sharded statistics (TFRecord files).
SHARD_SUFFIX = ".tfrecords"


class StatisticsIOProvider(Protocol):
    """What ``load_sharded_statistics`` needs of an ``io_provider`` (TFDV's names)."""

    def glob(self, output_path_prefix: str) -> Iterable[str]: ...

    def record_iterator_impl(self, paths: Iterable[str]) -> Iterator[StatisticsList]: ...


def _disagree(mine: Any, theirs: Any, unset: Any) -> bool:
    return mine != unset and theirs != unset and mine != theirs


def _refuse(what: str, where: str, mine: Any, theirs: Any) -> RuntimeError:
    return RuntimeError(f"INVALID_ARGUMENT: {what} ({where}: {mine!r} and {theirs!r})")


def _merge_feature(into: FeatureStats, shard: FeatureStats, where: str) -> None:
    if shard.HasField("path") and not into.HasField("path"):
        into.path.CopyFrom(shard.path)
    if shard.name and not into.name:
        into.name = shard.name
    if shard.HasField("validation_derived_source"):
        mine, theirs = into.validation_derived_source, shard.validation_derived_source
        if into.HasField("validation_derived_source") and mine != theirs:
            raise _refuse("Conflicting derived sources", where, mine, theirs)
        mine.CopyFrom(theirs)
    if _disagree(into.type, shard.type, FeatureStats.INT):  # INT is the unset value
        raise _refuse(
            "FeatureNameStatistics shards with different types",
            where,
            FeatureStats.Type.Name(into.type),
            FeatureStats.Type.Name(shard.type),
        )
    if shard.type:
        into.type = shard.type
    kind, shard_kind = into.WhichOneof("stats"), shard.WhichOneof("stats")
    if _disagree(kind, shard_kind, None):
        raise _refuse("FeatureNameStatistics shards with different stats", where, kind, shard_kind)
    if shard_kind is not None:
        getattr(into, shard_kind).MergeFrom(getattr(shard, shard_kind))
    into.custom_stats.extend(shard.custom_stats)


def _merge_cross(into: CrossStats, shard: CrossStats, where: str) -> None:
    if not into.HasField("path_x"):
        into.path_x.CopyFrom(shard.path_x)
    if not into.HasField("path_y"):
        into.path_y.CopyFrom(shard.path_y)
    if _disagree(into.count, shard.count, 0):
        raise _refuse(
            "CrossFeatureStatistics shards with different count", where, into.count, shard.count
        )
    if shard.count:
        into.count = shard.count
    kind, shard_kind = into.WhichOneof("cross_stats"), shard.WhichOneof("cross_stats")
    if _disagree(kind, shard_kind, None):
        raise _refuse(
            "CrossFeatureStatistics shards with different cross_stats", where, kind, shard_kind
        )
    if shard_kind is not None:
        getattr(into, shard_kind).MergeFrom(getattr(shard, shard_kind))


def _feature_key(feature: FeatureStats) -> tuple[bool, tuple[str, ...]]:
    """A feature's identity: its path when it has one, else its name (never equal to a path)."""
    if feature.HasField("path"):
        return True, tuple(feature.path.step)
    return False, (feature.name,)


class _Slice:
    """One data set being merged, with its features and cross features by identity."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.features: dict[tuple, FeatureStats] = {}
        self.crosses: dict[tuple, CrossStats] = {}

    def merge(self, shard: Dataset) -> None:
        into, where = self.dataset, f"slice {shard.name!r}"
        if _disagree(into.num_examples, shard.num_examples, 0):
            raise _refuse(
                "DatasetFeatureStatistics have different num_examples",
                where,
                into.num_examples,
                shard.num_examples,
            )
        into.num_examples = shard.num_examples or into.num_examples
        mine, theirs = into.weighted_num_examples, shard.weighted_num_examples
        if _disagree(mine, theirs, 0.0):
            raise _refuse(
                "DatasetFeatureStatistics shards have different weighted_num_examples",
                where,
                mine,
                theirs,
            )
        into.weighted_num_examples = theirs or mine
        for feature in shard.features:
            key = _feature_key(feature)
            target = self.features.get(key)
            if target is None:
                target = self.features[key] = into.features.add()
            _merge_feature(target, feature, f"{where}, feature {'.'.join(key[1])!r}")
        for cross in shard.cross_features:
            key = (tuple(cross.path_x.step), tuple(cross.path_y.step))
            target = self.crosses.get(key)
            if target is None:
                target = self.crosses[key] = into.cross_features.add()
            _merge_cross(target, cross, f"{where}, cross feature {key!r}")


def merge_statistics_shards(shards: Iterable[Dataset | StatisticsList]) -> StatisticsList:
    """Merge statistics shards (data sets, or lists of them) into one list: one data set per
    slice name, in the order first seen. No shard at all gives one empty data set, as TFDV."""
    result = StatisticsList()
    slices: dict[str, _Slice] = {}
    for shard in shards:
        datasets = shard.datasets if isinstance(shard, StatisticsList) else [shard]
        for dataset in datasets:
            found = slices.get(dataset.name)
            if found is None:
                found = slices[dataset.name] = _Slice(result.datasets.add(name=dataset.name))
            found.merge(dataset)
    if not result.datasets:
        result.datasets.add()
    return result


class TFRecordStatisticsIO:
    """Sharded statistics in TFRecord files named ``<prefix>-SSSSS-of-NNNNN`` (TFDV's
    default provider; local files)."""

    def glob(self, output_path_prefix: str) -> list[str]:
        return sorted(glob.glob(glob.escape(output_path_prefix) + "-*-of-*"))

    def record_iterator_impl(self, paths: Iterable[str]) -> Iterator[StatisticsList]:
        for path in paths:
            if not os.path.exists(path):
                raise FileNotFoundError(f"{path}; No such file or directory")
            for record in iter_records(path):
                yield StatisticsList.FromString(record)

    def file_suffix(self) -> str:
        return SHARD_SUFFIX


def get_io_provider(file_format: str | None = None) -> TFRecordStatisticsIO:
    """The sharded-statistics provider for ``file_format`` (TFDV's one format, and the
    default: ``"tfrecords"``); any other is a ``ValueError``."""
    if file_format not in (None, "tfrecords"):
        raise ValueError(f"Unrecognized file_format {file_format} (supported: tfrecords)")
    return TFRecordStatisticsIO()


def load_sharded_statistics(
    input_path_prefix: str | None = None,
    input_paths: Iterable[str | os.PathLike] | str | os.PathLike | None = None,
    io_provider: StatisticsIOProvider | None = None,
) -> DatasetListView:
    """Read sharded ``DatasetFeatureStatisticsList`` records and merge them (see
    :func:`merge_statistics_shards`) into a :class:`DatasetListView`.

    ``input_path_prefix`` reads the files ``<prefix>-*-of-*`` (in name order; it wins over
    ``input_paths``, as TFDV); ``input_paths`` names the files (one path is taken as a list of
    one). ``io_provider`` is TFDV's: an object with ``glob(prefix)`` and
    ``record_iterator_impl(paths)``; the default reads TFRecord files.
    """
    if input_path_prefix is None and input_paths is None:
        raise ValueError("Must provide one of input_paths_prefix, input_paths.")
    provider = io_provider if io_provider is not None else TFRecordStatisticsIO()
    if input_path_prefix is not None:
        paths = list(provider.glob(os.fspath(input_path_prefix)))
    elif isinstance(input_paths, (str, os.PathLike)):
        paths = [os.fspath(input_paths)]
    else:
        paths = [os.fspath(p) for p in input_paths]  # type: ignore[union-attr]
    if not paths:
        raise ValueError(
            f"No input paths found paths={paths}, pattern={input_path_prefix} "
            f"(sharded statistics are files named <prefix>-SSSSS-of-NNNNN)"
        )
    return DatasetListView(merge_statistics_shards(provider.record_iterator_impl(paths)))


def default_sharded_output_supported() -> bool:
    """Whether statistics are written sharded by default: False, as TFDV 1.16."""
    return False


def default_sharded_output_suffix() -> str:
    """The file suffix of sharded statistics (``".tfrecords"``), as TFDV."""
    return SHARD_SUFFIX
