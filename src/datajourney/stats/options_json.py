"""``StatsOptions`` as JSON, in the layout TFDV 1.16's ``StatsOptions.to_json`` writes, so options
saved by TFDV load here and the reverse."""

from __future__ import annotations

import json
from typing import Any

from google.protobuf import json_format
from tensorflow_metadata.proto.v0 import schema_pb2

# TFDV's JSON key -> our field; keys without a leading underscore keep their name.
_RENAMED_KEYS = {"_slice_functions": "slice_functions", "_slice_sqls": "experimental_slice_sqls"}
_PUBLIC_KEYS = {
    "label_feature",
    "weight_feature",
    "num_top_values",
    "frequency_threshold",
    "weighted_frequency_threshold",
    "num_rank_histogram_buckets",
    "epsilon",
    "infer_type_from_schema",
    "enable_semantic_domain_stats",
}
_FIELDS = [
    "generators",
    "feature_allowlist",
    "label_feature",
    "weight_feature",
    "slice_functions",
    "sample_rate",
    "num_top_values",
    "frequency_threshold",
    "weighted_frequency_threshold",
    "num_rank_histogram_buckets",
    "num_values_histogram_buckets",
    "num_histogram_buckets",
    "num_quantiles_histogram_buckets",
    "epsilon",
    "infer_type_from_schema",
    "desired_batch_size",
    "enable_semantic_domain_stats",
    "semantic_domain_stats_sample_rate",
    "per_feature_weight_override",
    "vocab_paths",
    "add_default_generators",
    "use_sketch_based_topk_uniques",
    "experimental_slice_sqls",
    "experimental_num_feature_partitions",
    "experimental_result_partitions",
    "slicing_config",
    "experimental_filter_read_paths",
    "per_feature_stats_config",
]


_SLICING_CONFIG_KEY = "slicing_config_json"
_WEIGHT_OVERRIDE_KEY = "per_feature_weight_override_json"


def _steps(path: Any) -> tuple[str, ...]:
    """The steps of a feature path (ours or TFDV's), or of a plain name."""
    return (path,) if isinstance(path, str) else tuple(path.steps())


def _key(name: str) -> str:
    reverse = {v: k for k, v in _RENAMED_KEYS.items()}
    return reverse.get(name, name if name in _PUBLIC_KEYS else f"_{name}")


def options_to_json(options: Any) -> str:
    """``options`` (a ``StatsOptions``) as TFDV's JSON."""
    if options.slice_functions:
        raise ValueError("StatsOptions cannot be converted with experimental_slice_functions.")
    if options.generators:
        raise ValueError("StatsOptions cannot be converted with generators.")
    if options.per_feature_stats_config is not None:
        raise ValueError("StatsOptions cannot be converted with per_feature_stats_config.")
    out: dict[str, Any] = {_key(name): getattr(options, name) for name in _FIELDS}
    out["TYPE_NAME"] = "StatsOptions"
    if options.slicing_config is not None:
        del out["_slicing_config"]
        out[_SLICING_CONFIG_KEY] = json_format.MessageToJson(options.slicing_config)
    if options.per_feature_weight_override is not None:
        del out["_per_feature_weight_override"]
        out[_WEIGHT_OVERRIDE_KEY] = {
            json.dumps(list(_steps(path))): weight
            for path, weight in options.per_feature_weight_override.items()
        }
    if options.schema is None:
        out["_schema"] = None
    else:
        out["schema_json"] = json_format.MessageToJson(options.schema)
    return json.dumps(out)


def options_from_json(cls: type, options_json: str) -> Any:
    """A ``cls`` (``StatsOptions``) from :func:`options_to_json`'s JSON."""
    data = json.loads(options_json)
    if data.pop("TYPE_NAME", "StatsOptions") != "StatsOptions":
        raise ValueError("JSON does not hold StatsOptions (its TYPE_NAME differs).")
    schema_json = data.pop("schema_json", None)
    slicing_json = data.pop(_SLICING_CONFIG_KEY, None)
    overrides = data.pop(_WEIGHT_OVERRIDE_KEY, None)
    data.pop("_schema", None)
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        name = _RENAMED_KEYS.get(key, key.lstrip("_"))
        if name not in _FIELDS:
            raise ValueError(f"StatsOptions JSON has an unknown key {key!r}.")
        if value is not None:
            kwargs[name] = value
    if kwargs.get("use_sketch_based_topk_uniques") is False:
        del kwargs["use_sketch_based_topk_uniques"]
    if schema_json is not None:
        kwargs["schema"] = json_format.Parse(schema_json, schema_pb2.Schema())
    if slicing_json is not None:
        from datajourney.stats.slicing_config import SlicingConfig

        kwargs["slicing_config"] = json_format.Parse(slicing_json, SlicingConfig())
    if overrides is not None:
        from datajourney.stats.dataset_views import FeaturePath

        kwargs["per_feature_weight_override"] = {
            FeaturePath(json.loads(path)): weight for path, weight in overrides.items()
        }
    return cls(**kwargs)
