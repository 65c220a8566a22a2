"""TFDV's ``types``: the type names its API uses, over datajourney's classes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pyarrow as pa

from datajourney.stats.dataset_views import FeaturePath

FeatureName = str
FeaturePathTuple = tuple[FeatureName, ...]
FeatureCross = tuple[FeatureName, FeatureName]
FeatureNameStatisticsType = int
VocabName = str
VocabPath = str
SliceKey = str | None
SliceKeysList = list[SliceKey]
SlicedRecordBatch = tuple[SliceKey, pa.RecordBatch]
SliceFunction = Callable[[pa.RecordBatch], Iterable[SlicedRecordBatch]]
LegacyExample = dict[FeatureName, np.ndarray | None]

__all__ = [
    "FeatureCross",
    "FeatureName",
    "FeatureNameStatisticsType",
    "FeaturePath",
    "FeaturePathTuple",
    "LegacyExample",
    "SliceFunction",
    "SliceKey",
    "SliceKeysList",
    "SlicedRecordBatch",
    "VocabName",
    "VocabPath",
]
