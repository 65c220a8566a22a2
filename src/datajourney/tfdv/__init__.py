"""Drop-in for ``tensorflow_data_validation``: ``import datajourney.tfdv as tfdv``.

TFDV's public function names, on the same ``tensorflow_metadata`` protos, resolved lazily from
the layers that implement them (statistics, schema, validation, views); nothing is computed
here.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "StatsOptions": "datajourney.stats",
    "generate_statistics_from_csv": "datajourney.stats",
    "generate_statistics_from_dataframe": "datajourney.stats",
    "generate_statistics_from_tfrecord": "datajourney.stats",
    "write_stats_text": "datajourney.stats",
    "experimental_get_feature_value_slicer": "datajourney.stats",
    "FeaturePath": "datajourney.stats.dataset_views",
    "DatasetListView": "datajourney.stats.dataset_views",
    "DatasetView": "datajourney.stats.dataset_views",
    "FeatureView": "datajourney.stats.dataset_views",
    "CrossFeatureView": "datajourney.stats.dataset_views",
    "get_slice_stats": "datajourney.stats.dataset_views",
    "utils": "datajourney.tfdv",
    "load_stats_text": "datajourney.stats",
    "load_statistics": "datajourney.stats",
    "load_stats_binary": "datajourney.stats",
    "infer_schema": "datajourney.schema",
    "update_schema": "datajourney.schema",
    "get_feature": "datajourney.schema",
    "get_domain": "datajourney.schema",
    "set_domain": "datajourney.schema",
    "write_schema_text": "datajourney.schema",
    "load_schema_text": "datajourney.schema",
    "validate_statistics": "datajourney.validation",
    "validate_corresponding_slices": "datajourney.validation.slices",
    "validate_examples_in_csv": "datajourney.validation",
    "custom_validate_statistics": "datajourney.validation",
    "validate_examples_in_tfrecord": "datajourney.validation",
    "validate_instance": "datajourney.validation",
    "write_anomalies_text": "datajourney.validation",
    "load_anomalies_text": "datajourney.validation",
    "detect_feature_skew": "datajourney.validation.feature_skew",
    "get_skew_result_dataframe": "datajourney.validation.feature_skew",
    "get_match_stats_dataframe": "datajourney.validation.feature_skew",
    "get_confusion_count_dataframes": "datajourney.validation.feature_skew",
    "display_schema": "datajourney.views",
    "display_anomalies": "datajourney.views",
    "visualize_statistics": "datajourney.views",
    "get_statistics_html": "datajourney.views",
}

#: TFDV names whose implementation goes by another name here.
_RENAMED = {"experimental_get_feature_value_slicer": "get_feature_value_slicer"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'datajourney.tfdv' has no attribute {name!r}")
    if name == "utils":
        return import_module("datajourney.tfdv.utils.stats_util") and import_module(
            "datajourney.tfdv.utils"
        )
    return getattr(import_module(module), _RENAMED.get(name, name))


def __dir__() -> list[str]:
    return __all__
