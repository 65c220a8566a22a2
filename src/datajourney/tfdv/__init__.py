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
    "get_feature_stats": "datajourney.stats.dataset_views",
    "load_sharded_statistics": "datajourney.stats.shards",
    "default_sharded_output_supported": "datajourney.stats.shards",
    "default_sharded_output_suffix": "datajourney.stats.shards",
    "CombinerStatsGenerator": "datajourney.stats.generators",
    "TransformStatsGenerator": "datajourney.stats.generators",
    "utils": "datajourney.tfdv",
    "constants": "datajourney.tfdv",
    "types": "datajourney.tfdv",
    "version": "datajourney.tfdv",
    "__version__": "datajourney.tfdv.version",
    "load_stats_text": "datajourney.stats",
    "load_statistics": "datajourney.stats",
    "load_stats_binary": "datajourney.stats",
    "infer_schema": "datajourney.schema",
    "update_schema": "datajourney.schema",
    "get_feature": "datajourney.schema",
    "generate_dummy_schema_with_paths": "datajourney.schema",
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
    "compare_slices": "datajourney.views",
    "get_statistics_html": "datajourney.views",
}

#: TFDV names whose implementation goes by another name here.
_RENAMED = {"experimental_get_feature_value_slicer": "get_feature_value_slicer"}

#: TFDV's submodules offered here.
_SUBMODULES = {"constants", "types", "version"}

_STATS_FUNCTIONS = "generate_statistics_from_csv / _from_tfrecord / _from_dataframe"
#: TFDV's Apache Beam PTransforms, and what does their work without Beam.
_BEAM_ONLY = {
    "GenerateStatistics": f"{_STATS_FUNCTIONS} (or datajourney.stats.generate_statistics, "
    "with a Dask client to scale out)",
    "MergeDatasetFeatureStatisticsList": "datajourney.stats.merge_statistics_shards "
    "(load_sharded_statistics reads and merges sharded files)",
    "WriteStatisticsToTFRecord": f"the output_path argument of {_STATS_FUNCTIONS} "
    "(or datajourney.stats.write_stats_binary)",
    "WriteStatisticsToBinaryFile": "write_stats_text, or datajourney.stats.write_stats_binary "
    "(load_statistics reads either)",
    "WriteStatisticsToRecordsAndBinaryFile": "datajourney.stats.write_stats_binary "
    "(load_sharded_statistics reads TFDV's sharded records)",
    "DetectFeatureSkew": "detect_feature_skew",
}

__all__ = sorted(name for name in _EXPORTS if not name.startswith("_"))


def __getattr__(name: str) -> Any:
    if name in _BEAM_ONLY:
        from datajourney.stats.generators import BeamRequiredError

        raise BeamRequiredError(
            f"tfdv.{name} is an Apache Beam PTransform and datajourney runs no Beam "
            f"pipelines; use {_BEAM_ONLY[name]} instead."
        )
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'datajourney.tfdv' has no attribute {name!r}")
    if name == "utils":
        return import_module("datajourney.tfdv.utils.stats_util") and import_module(
            "datajourney.tfdv.utils"
        )
    if name in _SUBMODULES:
        return import_module(f"datajourney.tfdv.{name}")
    return getattr(import_module(module), _RENAMED.get(name, name))


def __dir__() -> list[str]:
    return __all__
