"""Read-only views over a ``DatasetFeatureStatisticsList``: slices, features by name or path,
derived and cross features, and each feature's typed statistics (TFDV's ``stats_util`` views)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tensorflow_metadata.proto.v0 import path_pb2, statistics_pb2

from datajourney.stats.slicing import DEFAULT_SLICE_KEY

StatisticsList = statistics_pb2.DatasetFeatureStatisticsList


@dataclass(frozen=True)
class FeaturePath:
    """A feature's path: its steps from the top-level feature down into structs."""

    _steps: tuple[str, ...]

    def __init__(self, steps: Iterable[str]) -> None:
        object.__setattr__(self, "_steps", tuple(steps))

    def steps(self) -> tuple[str, ...]:
        return self._steps

    def parent(self) -> FeaturePath:
        return FeaturePath(self._steps[:-1])

    def child(self, step: str) -> FeaturePath:
        return FeaturePath((*self._steps, step))

    def to_proto(self) -> path_pb2.Path:
        return path_pb2.Path(step=self._steps)

    @classmethod
    def from_proto(cls, path_proto: path_pb2.Path) -> FeaturePath:
        """The path a ``tensorflow_metadata`` ``Path`` message names."""
        return cls(path_proto.step)

    def __str__(self) -> str:
        return ".".join(self._steps)


def _path_of(feature: statistics_pb2.FeatureNameStatistics) -> FeaturePath:
    return FeaturePath(feature.path.step if feature.path.step else (feature.name,))


def _as_path(feature_id: str | FeaturePath | Sequence[str]) -> FeaturePath:
    if isinstance(feature_id, str):
        return FeaturePath((feature_id,))
    if isinstance(feature_id, FeaturePath):
        return feature_id
    steps = getattr(feature_id, "steps", None)  # another FeaturePath class (TFDV's)
    return FeaturePath(steps() if callable(steps) else feature_id)


class FeatureView:
    """One feature's statistics."""

    def __init__(self, proto: statistics_pb2.FeatureNameStatistics) -> None:
        self._proto = proto

    def proto(self) -> statistics_pb2.FeatureNameStatistics:
        return self._proto

    def _typed(self, which: str):
        return getattr(self._proto, which) if self._proto.WhichOneof("stats") == which else None

    def numeric_statistics(self) -> statistics_pb2.NumericStatistics | None:
        return self._typed("num_stats")

    def string_statistics(self) -> statistics_pb2.StringStatistics | None:
        return self._typed("string_stats")

    def bytes_statistics(self) -> statistics_pb2.BytesStatistics | None:
        return self._typed("bytes_stats")

    def struct_statistics(self) -> statistics_pb2.StructStatistics | None:
        return self._typed("struct_stats")

    def common_statistics(self) -> statistics_pb2.CommonStatistics | None:
        which = self._proto.WhichOneof("stats")
        return None if which is None else getattr(self._proto, which).common_stats

    def custom_statistic(self, name: str) -> statistics_pb2.CustomStatistic | None:
        return next((c for c in self._proto.custom_stats if c.name == name), None)


class CrossFeatureView:
    """The statistics of a pair of features."""

    def __init__(self, proto: statistics_pb2.CrossFeatureStatistics) -> None:
        self._proto = proto

    def proto(self) -> statistics_pb2.CrossFeatureStatistics:
        return self._proto


class DatasetView:
    """One data set (slice) of a statistics list."""

    def __init__(self, proto: statistics_pb2.DatasetFeatureStatistics) -> None:
        self._proto = proto
        self._index: dict[FeaturePath, statistics_pb2.FeatureNameStatistics] | None = None

    def _features(self) -> dict[FeaturePath, statistics_pb2.FeatureNameStatistics]:
        """Every feature (derived ones too) by path; a data set must name all its features
        by path or all by name, and name each once (ValueError otherwise, as TFDV)."""
        if self._index is None:
            index: dict[FeaturePath, statistics_pb2.FeatureNameStatistics] = {}
            kinds = {feature.WhichOneof("field_id") for feature in self._proto.features} - {None}
            if len(kinds) > 1:
                raise ValueError(
                    "Features must be specified with either path or name within a Dataset."
                )
            for feature in self._proto.features:
                path = _path_of(feature)
                if path in index:
                    raise ValueError(f"Duplicate feature {path}")
                index[path] = feature
            self._index = index
        return self._index

    def proto(self) -> statistics_pb2.DatasetFeatureStatistics:
        return self._proto

    def get_feature(self, feature_id: str | FeaturePath) -> FeatureView | None:
        """The feature named ``feature_id`` (a top-level name or a path), or None."""
        feature = self._features().get(_as_path(feature_id))
        return None if feature is None else FeatureView(feature)

    def get_derived_feature(
        self, deriver_name: str, source_paths: Sequence[FeaturePath]
    ) -> FeatureView | None:
        """The feature derived by ``deriver_name`` from ``source_paths`` (in that order), or
        None; ValueError when several features match."""
        wanted = [_as_path(p).steps() for p in source_paths]
        found = [
            feature
            for feature in self._proto.features
            if feature.validation_derived_source.deriver_name == deriver_name
            and [tuple(p.step) for p in feature.validation_derived_source.source_path] == wanted
        ]
        if len(found) > 1:
            raise ValueError(f"Ambiguous result, {len(found)} features matched")
        return FeatureView(found[0]) if found else None

    def get_cross_feature(
        self, x_path: FeaturePath, y_path: FeaturePath
    ) -> CrossFeatureView | None:
        x, y = _as_path(x_path).steps(), _as_path(y_path).steps()
        for cross in self._proto.cross_features:
            if tuple(cross.path_x.step) == x and tuple(cross.path_y.step) == y:
                return CrossFeatureView(cross)
        return None

    def list_features(self) -> list[FeaturePath]:
        return list(self._features())

    def list_cross_features(self) -> list[tuple[FeaturePath, FeaturePath]]:
        return [
            (FeaturePath(c.path_x.step), FeaturePath(c.path_y.step))
            for c in self._proto.cross_features
        ]


class DatasetListView:
    """A statistics list, its data sets by slice name."""

    def __init__(self, stats_list: StatisticsList) -> None:
        if not isinstance(stats_list, StatisticsList):
            raise TypeError(
                f"stats_list is of type {type(stats_list).__name__}, "
                "should be a DatasetFeatureStatisticsList proto."
            )
        self._proto = stats_list
        self._slices = {d.name: d for d in stats_list.datasets}

    def proto(self) -> StatisticsList:
        return self._proto

    def list_slices(self) -> list[str]:
        return list(self._slices)

    def get_slice(self, slice_key: str) -> DatasetView | None:
        dataset = self._slices.get(slice_key)
        return None if dataset is None else DatasetView(dataset)

    def get_default_slice(self) -> DatasetView | None:
        """The only data set, else the default slice ("All Examples"), else None."""
        if len(self._proto.datasets) == 1:
            return DatasetView(self._proto.datasets[0])
        return self.get_slice(DEFAULT_SLICE_KEY)


def get_slice_stats(stats: StatisticsList, slice_key: str) -> StatisticsList:
    """A statistics list holding only the data set of slice ``slice_key``."""
    view = DatasetListView(stats)
    found = view.get_slice(slice_key)
    if found is None:
        raise ValueError(f"Invalid slice key. {slice_key!r} is not one of {view.list_slices()}.")
    result = StatisticsList()
    result.datasets.add().CopyFrom(found.proto())
    return result


def get_feature_stats(
    stats: statistics_pb2.DatasetFeatureStatistics, feature_path: str | FeaturePath | Sequence[str]
) -> statistics_pb2.FeatureNameStatistics:
    """The statistics of the feature at ``feature_path`` (a FeaturePath; a name or a sequence
    of steps also works) in one data set; ValueError when it has none."""
    if not isinstance(stats, statistics_pb2.DatasetFeatureStatistics):
        raise TypeError(
            f"statistics is of type {type(stats).__name__}, should be a "
            "DatasetFeatureStatistics proto."
        )
    found = DatasetView(stats).get_feature(feature_path)  # type: ignore[arg-type]
    if found is None:
        raise ValueError(f"Feature {_as_path(feature_path)} not found in the dataset statistics.")
    return found.proto()


def get_custom_stats(
    feature_stats: statistics_pb2.FeatureNameStatistics, custom_stats_name: str
) -> float | str | statistics_pb2.Histogram | statistics_pb2.RankHistogram:
    """The value of the feature's custom statistic named ``custom_stats_name`` (a number,
    text, histogram or rank histogram, as stored); ValueError when it has none."""
    if not isinstance(feature_stats, statistics_pb2.FeatureNameStatistics):
        raise TypeError(
            f"feature_stats is of type {type(feature_stats).__name__}, should be a "
            "FeatureNameStatistics proto."
        )
    for custom in feature_stats.custom_stats:
        if custom.name == custom_stats_name:
            return getattr(custom, custom.WhichOneof("val"))
    raise ValueError(f"Custom statistics {custom_stats_name} not found in the feature statistics.")
