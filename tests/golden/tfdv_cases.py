"""Calls of TFDV's public API, written against TFDV's names only.

``tfdv_recorder.py`` runs every case with real TFDV 1.16.1 and records what it returned (a small
JSON summary) or raised (class name and message) in ``tfdv/cases.json``; ``tests/tfdv/
test_golden_api.py`` runs the same cases with ``datajourney.tfdv`` and compares. Each case takes
``(tfdv, data, tmp)``: the TFDV module, the fixtures' data folder and an empty folder.
"""

from __future__ import annotations

import gzip
import importlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

CASES: dict[str, tuple[str, Callable[[Any, Path, Path], Any]]] = {}


def case(group: str):
    def register(function: Callable[[Any, Path, Path], Any]):
        CASES[function.__name__] = (group, function)
        return function

    return register


def _pb():
    from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

    return schema_pb2, statistics_pb2, anomalies_pb2


def _stats(tfdv: Any, data: Path, name: str = "train"):
    return tfdv.load_stats_text(str(data.parent / "statistics" / f"{name}.pbtxt"))


def _schema(tfdv: Any, data: Path, name: str = "train"):
    return tfdv.load_schema_text(str(data.parent / "schemas" / f"{name}.pbtxt"))


def _stats_util(tfdv: Any):
    return importlib.import_module(tfdv.__name__ + ".utils.stats_util")


def _write(tmp: Path, name: str, text: str) -> str:
    path = tmp / name
    path.write_text(text)
    return str(path)


def _summary(stats) -> dict:
    """Data set names, example counts and each feature's path and type."""
    _, statistics_pb2, _ = _pb()
    type_name = statistics_pb2.FeatureNameStatistics.Type.Name
    out = {}
    for dataset in stats.datasets:
        out[dataset.name] = {
            "num_examples": dataset.num_examples,
            "weighted_num_examples": round(dataset.weighted_num_examples, 6),
            "features": sorted(
                (".".join(f.path.step) or f.name, type_name(f.type)) for f in dataset.features
            ),
        }
    return out


def _feature(stats, name: str, dataset: int = 0):
    for feature in stats.datasets[dataset].features:
        if (".".join(feature.path.step) or feature.name) == name:
            return feature
    raise KeyError(name)


def _reasons(anomalies) -> dict:
    _, _, anomalies_pb2 = _pb()
    names = anomalies_pb2.AnomalyInfo.Type.Name
    return {
        key: sorted(names(r.type) for r in info.reason)
        for key, info in sorted(anomalies.anomaly_info.items())
    }


def _descriptions(anomalies) -> dict:
    return {
        key: sorted((r.short_description, r.description) for r in info.reason)
        for key, info in sorted(anomalies.anomaly_info.items())
    }


def _text(message) -> str:
    from google.protobuf import text_format

    return text_format.MessageToString(message)


# --- errors: wrong argument types and refused situations -------------------------------------


@case("errors")
def infer_schema_not_statistics(tfdv, data, tmp):
    return tfdv.infer_schema("statistics.pbtxt")


@case("errors")
def infer_schema_several_datasets_without_default_slice(tfdv, data, tmp):
    stats = _stats(tfdv, data)
    extra = stats.datasets.add()
    extra.CopyFrom(stats.datasets[0])
    stats.datasets[0].name = "a"
    extra.name = "b"
    return tfdv.infer_schema(stats)


@case("errors")
def infer_schema_max_string_domain_size_zero(tfdv, data, tmp):
    return _text(tfdv.infer_schema(_stats(tfdv, data), max_string_domain_size=0))


@case("errors")
def update_schema_not_schema(tfdv, data, tmp):
    return tfdv.update_schema("schema", _stats(tfdv, data))


@case("errors")
def update_schema_not_statistics(tfdv, data, tmp):
    return tfdv.update_schema(_schema(tfdv, data), "statistics")


@case("errors")
def update_schema_several_datasets_without_default_slice(tfdv, data, tmp):
    stats = _stats(tfdv, data, "eval")
    extra = stats.datasets.add()
    extra.CopyFrom(stats.datasets[0])
    stats.datasets[0].name = "a"
    extra.name = "b"
    return tfdv.update_schema(_schema(tfdv, data), stats)


@case("errors")
def validate_statistics_not_statistics(tfdv, data, tmp):
    return tfdv.validate_statistics("statistics", _schema(tfdv, data))


@case("errors")
def validate_statistics_not_schema(tfdv, data, tmp):
    return tfdv.validate_statistics(_stats(tfdv, data), "schema")


@case("errors")
def validate_statistics_previous_not_statistics(tfdv, data, tmp):
    return tfdv.validate_statistics(
        _stats(tfdv, data), _schema(tfdv, data), previous_statistics="previous"
    )


@case("errors")
def validate_statistics_serving_not_statistics(tfdv, data, tmp):
    return tfdv.validate_statistics(
        _stats(tfdv, data), _schema(tfdv, data), serving_statistics="serving"
    )


@case("errors")
def validate_statistics_unknown_environment(tfdv, data, tmp):
    return tfdv.validate_statistics(
        _stats(tfdv, data), _schema(tfdv, data, "curated_env"), environment="STAGING"
    )


@case("errors")
def validate_statistics_environment_without_environments(tfdv, data, tmp):
    return tfdv.validate_statistics(_stats(tfdv, data), _schema(tfdv, data), environment="SERVING")


@case("errors")
def validate_statistics_several_datasets_without_default_slice(tfdv, data, tmp):
    stats = _stats(tfdv, data)
    extra = stats.datasets.add()
    extra.CopyFrom(stats.datasets[0])
    stats.datasets[0].name = "a"
    extra.name = "b"
    return tfdv.validate_statistics(stats, _schema(tfdv, data))


@case("errors")
def write_schema_text_not_schema(tfdv, data, tmp):
    return tfdv.write_schema_text("schema", str(tmp / "schema.pbtxt"))


@case("errors")
def write_stats_text_not_statistics(tfdv, data, tmp):
    return tfdv.write_stats_text("stats", str(tmp / "stats.pbtxt"))


@case("errors")
def write_anomalies_text_not_anomalies(tfdv, data, tmp):
    return tfdv.write_anomalies_text("anomalies", str(tmp / "anomalies.pbtxt"))


@case("errors")
def get_feature_not_schema(tfdv, data, tmp):
    return tfdv.get_feature("schema", "Slope")


@case("errors")
def get_feature_unknown(tfdv, data, tmp):
    return tfdv.get_feature(_schema(tfdv, data), "Nope")


@case("errors")
def get_domain_not_schema(tfdv, data, tmp):
    return tfdv.get_domain("schema", "Wilderness_Area")


@case("errors")
def get_domain_unknown_feature(tfdv, data, tmp):
    return tfdv.get_domain(_schema(tfdv, data), "Nope")


@case("errors")
def get_domain_feature_without_domain(tfdv, data, tmp):
    return tfdv.get_domain(_schema(tfdv, data), "Elevation")


@case("errors")
def set_domain_not_schema(tfdv, data, tmp):
    schema_pb2, _, _ = _pb()
    return tfdv.set_domain("schema", "Slope", schema_pb2.IntDomain(min=0))


@case("errors")
def set_domain_not_a_domain(tfdv, data, tmp):
    return tfdv.set_domain(_schema(tfdv, data), "Slope", {"min": 0})


@case("errors")
def set_domain_unknown_feature(tfdv, data, tmp):
    schema_pb2, _, _ = _pb()
    return tfdv.set_domain(_schema(tfdv, data), "Nope", schema_pb2.IntDomain(min=0))


@case("errors")
def set_domain_unknown_global_domain(tfdv, data, tmp):
    return tfdv.set_domain(_schema(tfdv, data), "Wilderness_Area", "no_such_domain")


@case("errors")
def csv_empty_file(tfdv, data, tmp):
    return _summary(tfdv.generate_statistics_from_csv(_write(tmp, "empty.csv", "")))


@case("errors")
def csv_header_only(tfdv, data, tmp):
    return _summary(tfdv.generate_statistics_from_csv(_write(tmp, "header.csv", "a,b\n")))


@case("errors")
def csv_files_with_different_headers(tfdv, data, tmp):
    _write(tmp, "part-1.csv", "a,b\n1,2\n")
    _write(tmp, "part-2.csv", "a,c\n3,4\n")
    return _summary(tfdv.generate_statistics_from_csv(str(tmp / "part-*.csv")))


@case("errors")
def csv_missing_file(tfdv, data, tmp):
    return _summary(tfdv.generate_statistics_from_csv(str(tmp / "missing.csv")))


@case("errors")
def dataframe_n_jobs_zero(tfdv, data, tmp):
    import pandas as pd

    return _summary(tfdv.generate_statistics_from_dataframe(pd.DataFrame({"a": [1]}), n_jobs=0))


@case("errors")
def dataframe_not_a_dataframe(tfdv, data, tmp):
    return _summary(tfdv.generate_statistics_from_dataframe({"a": [1, 2]}))


@case("errors")
def load_schema_text_missing_file(tfdv, data, tmp):
    return _text(tfdv.load_schema_text(str(tmp / "missing.pbtxt")))


@case("errors")
def load_schema_text_not_a_schema(tfdv, data, tmp):
    return _text(tfdv.load_schema_text(_write(tmp, "bad.pbtxt", "no_such_field: 1\n")))


# --- StatsOptions ---------------------------------------------------------------------------


def _options_fields(options) -> dict:
    names = [
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
        "feature_allowlist",
        "sample_rate",
        "weight_feature",
        "label_feature",
        "example_weight_map_default",
        "vocab_paths",
        "add_default_generators",
        "use_sketch_based_topk_uniques",
        "experimental_use_sketch_based_topk_uniques",
        "experimental_slice_sqls",
        "experimental_result_partitions",
        "experimental_num_feature_partitions",
        "experimental_filter_read_paths",
    ]
    out = {}
    for name in names:
        if name == "example_weight_map_default":
            value = options.example_weight_map.get("any")
        else:
            value = getattr(options, name)
        out[name] = list(value) if isinstance(value, (list, tuple)) else value
    out["schema"] = None if options.schema is None else _text(options.schema)
    return out


@case("stats_options")
def options_defaults(tfdv, data, tmp):
    return _options_fields(tfdv.StatsOptions())


@case("stats_options")
def options_all_keywords(tfdv, data, tmp):

    options = tfdv.StatsOptions(
        schema=_schema(tfdv, data),
        vocab_paths={"v": "/tmp/vocab.txt"},
        weight_feature="w",
        label_feature="Cover_Type",
        sample_rate=0.5,
        num_top_values=5,
        frequency_threshold=2,
        weighted_frequency_threshold=2.5,
        num_rank_histogram_buckets=50,
        num_values_histogram_buckets=4,
        num_histogram_buckets=7,
        num_quantiles_histogram_buckets=6,
        epsilon=0.02,
        infer_type_from_schema=True,
        desired_batch_size=128,
        enable_semantic_domain_stats=True,
        semantic_domain_stats_sample_rate=0.25,
        feature_allowlist=["Slope", "Elevation"],
        experimental_use_sketch_based_topk_uniques=True,
        experimental_slice_sqls=None,
        experimental_result_partitions=2,
        experimental_num_feature_partitions=3,
    )
    return _options_fields(options)


@case("stats_options")
def options_use_sketch_based_topk_uniques_new_name(tfdv, data, tmp):
    options = tfdv.StatsOptions(use_sketch_based_topk_uniques=True)
    return [
        options.use_sketch_based_topk_uniques,
        options.experimental_use_sketch_based_topk_uniques,
    ]


@case("stats_options")
def options_both_sketch_names(tfdv, data, tmp):
    return tfdv.StatsOptions(
        use_sketch_based_topk_uniques=True, experimental_use_sketch_based_topk_uniques=False
    ).use_sketch_based_topk_uniques


@case("stats_options")
def options_json_round_trip(tfdv, data, tmp):
    options = tfdv.StatsOptions(
        schema=_schema(tfdv, data),
        num_top_values=5,
        sample_rate=0.5,
        feature_allowlist=["Slope"],
        weight_feature="w",
        experimental_slice_sqls=["SELECT STRUCT(Flag) FROM example.Flag"],
    )
    return _options_fields(tfdv.StatsOptions.from_json(options.to_json()))


@case("stats_options")
def options_json_is_json(tfdv, data, tmp):
    return sorted(json.loads(tfdv.StatsOptions(num_top_values=3).to_json()))


@case("stats_options")
def options_from_tfdv_json(tfdv, data, tmp):
    return _options_fields(tfdv.StatsOptions.from_json((data / "stats_options.json").read_text()))


@case("stats_options")
def options_to_json_with_slice_functions(tfdv, data, tmp):
    slicer = tfdv.experimental_get_feature_value_slicer({"Flag": None})
    return tfdv.StatsOptions(experimental_slice_functions=[slicer]).to_json()


@case("stats_options")
def options_sample_rate_zero(tfdv, data, tmp):
    return tfdv.StatsOptions(sample_rate=0).sample_rate


@case("stats_options")
def options_sample_rate_above_one(tfdv, data, tmp):
    return tfdv.StatsOptions(sample_rate=1.5).sample_rate


@case("stats_options")
def options_sample_rate_one(tfdv, data, tmp):
    return tfdv.StatsOptions(sample_rate=1.0).sample_rate


@case("stats_options")
def options_semantic_sample_rate_zero(tfdv, data, tmp):
    return tfdv.StatsOptions(semantic_domain_stats_sample_rate=0).semantic_domain_stats_sample_rate


@case("stats_options")
def options_num_top_values_negative(tfdv, data, tmp):
    return tfdv.StatsOptions(num_top_values=-1).num_top_values


@case("stats_options")
def options_num_top_values_zero(tfdv, data, tmp):
    return tfdv.StatsOptions(num_top_values=0).num_top_values


@case("stats_options")
def options_num_rank_histogram_buckets_negative(tfdv, data, tmp):
    return tfdv.StatsOptions(num_rank_histogram_buckets=-1).num_rank_histogram_buckets


@case("stats_options")
def options_num_values_histogram_buckets_one(tfdv, data, tmp):
    return tfdv.StatsOptions(num_values_histogram_buckets=1).num_values_histogram_buckets


@case("stats_options")
def options_num_histogram_buckets_zero(tfdv, data, tmp):
    return tfdv.StatsOptions(num_histogram_buckets=0).num_histogram_buckets


@case("stats_options")
def options_num_quantiles_histogram_buckets_negative(tfdv, data, tmp):
    return tfdv.StatsOptions(num_quantiles_histogram_buckets=-3).num_quantiles_histogram_buckets


@case("stats_options")
def options_desired_batch_size_zero(tfdv, data, tmp):
    return tfdv.StatsOptions(desired_batch_size=0).desired_batch_size


@case("stats_options")
def options_allowlist_not_a_list(tfdv, data, tmp):
    return tfdv.StatsOptions(feature_allowlist="Slope").feature_allowlist


@case("stats_options")
def options_schema_not_a_schema(tfdv, data, tmp):
    return tfdv.StatsOptions(schema="schema").schema


@case("stats_options")
def options_slice_functions_not_a_list(tfdv, data, tmp):
    slicer = tfdv.experimental_get_feature_value_slicer({"Flag": None})
    return len(tfdv.StatsOptions(experimental_slice_functions=slicer).experimental_slice_functions)


@case("stats_options")
def options_slice_functions_not_callable(tfdv, data, tmp):
    return len(
        tfdv.StatsOptions(experimental_slice_functions=["Flag"]).experimental_slice_functions
    )


@case("stats_options")
def options_slice_functions_and_sqls(tfdv, data, tmp):
    slicer = tfdv.experimental_get_feature_value_slicer({"Flag": None})
    return tfdv.StatsOptions(
        experimental_slice_functions=[slicer],
        experimental_slice_sqls=["SELECT STRUCT(Flag) FROM example.Flag"],
    ).experimental_slice_sqls


@case("stats_options")
def options_infer_type_without_schema(tfdv, data, tmp):
    return tfdv.StatsOptions(infer_type_from_schema=True).infer_type_from_schema


@case("stats_options")
def options_vocab_paths_not_a_dict(tfdv, data, tmp):
    return tfdv.StatsOptions(vocab_paths=["a"]).vocab_paths


@case("stats_options")
def options_example_weight_map(tfdv, data, tmp):
    options = tfdv.StatsOptions(weight_feature="w", per_feature_weight_override=None)
    return [options.example_weight_map.get("a"), options.weight_feature]


@case("stats_options")
def options_generators_not_a_list(tfdv, data, tmp):
    return tfdv.StatsOptions(generators="g").generators


@case("stats_options")
def options_slice_sqls_statistics(tfdv, data, tmp):
    options = tfdv.StatsOptions(
        experimental_slice_sqls=["SELECT STRUCT(Flag) FROM example.Flag"],
        feature_allowlist=["Slope", "Flag"],
    )
    return _summary(
        tfdv.generate_statistics_from_csv(str(data / "train.csv"), stats_options=options)
    )


# --- statistics views (tfdv.utils.stats_util) --------------------------------------------------


def _sliced(tfdv, data):
    options = tfdv.StatsOptions(
        experimental_slice_functions=[tfdv.experimental_get_feature_value_slicer({"Flag": None})],
        feature_allowlist=["Slope", "Flag", "Wilderness_Area", "Comment"],
    )
    return tfdv.generate_statistics_from_csv(str(data / "train.csv"), stats_options=options)


@case("stats_views")
def view_list_slices(tfdv, data, tmp):
    view = _stats_util(tfdv).DatasetListView(_sliced(tfdv, data))
    return sorted(list(view.list_slices()))


@case("stats_views")
def view_get_slice_and_default(tfdv, data, tmp):
    view = _stats_util(tfdv).DatasetListView(_sliced(tfdv, data))
    sliced = view.get_slice("Flag_true")
    default = view.get_default_slice()
    return [
        sliced.proto().name,
        sliced.proto().num_examples,
        default.proto().name,
        view.get_slice("Flag_maybe") is None,
    ]


@case("stats_views")
def view_default_slice_of_unsliced(tfdv, data, tmp):
    view = _stats_util(tfdv).DatasetListView(_stats(tfdv, data))
    default = view.get_default_slice()
    return None if default is None else default.proto().num_examples


@case("stats_views")
def view_list_features(tfdv, data, tmp):
    view = _stats_util(tfdv).DatasetListView(_stats(tfdv, data)).get_slice("")
    if view is None:
        view = _stats_util(tfdv).DatasetListView(_stats(tfdv, data)).get_default_slice()
    return sorted(".".join(p.steps()) for p in view.list_features())


@case("stats_views")
def view_feature_by_name_and_path(tfdv, data, tmp):
    listed = _stats_util(tfdv).DatasetListView(_stats(tfdv, data))
    view = listed.get_slice(next(iter(listed.list_slices())))
    by_name = view.get_feature("Slope")
    by_path = view.get_feature(tfdv.FeaturePath(["Slope"]))
    return [
        by_name.proto().num_stats.max,
        by_path.proto().num_stats.max,
        view.get_feature("Nope") is None,
    ]


@case("stats_views")
def view_feature_typed_accessors(tfdv, data, tmp):
    util = _stats_util(tfdv)
    view = util.DatasetListView(_stats(tfdv, data))
    dataset = view.get_slice(next(iter(view.list_slices())))
    numeric = dataset.get_feature("Elevation")
    text = dataset.get_feature("Wilderness_Area")
    return [
        numeric.numeric_statistics().mean,
        numeric.string_statistics() is None,
        numeric.common_statistics().num_non_missing,
        text.string_statistics().unique,
        text.numeric_statistics() is None,
        text.bytes_statistics() is None,
        text.struct_statistics() is None,
        numeric.custom_statistic("nope") is None,
    ]


@case("stats_views")
def view_common_statistics_of_lists(tfdv, data, tmp):
    util = _stats_util(tfdv)
    view = util.DatasetListView(_stats(tfdv, data, "lists"))
    dataset = view.get_slice(next(iter(view.list_slices())))
    common = dataset.get_feature("tags").common_statistics()
    return [common.min_num_values, common.max_num_values, common.avg_num_values]


@case("stats_views")
def view_derived_and_cross_features(tfdv, data, tmp):
    util = _stats_util(tfdv)
    stats = _stats(tfdv, data)
    derived = stats.datasets[0].features.add()
    derived.path.step.append("derived_len")
    derived.validation_derived_source.deriver_name = "length"
    derived.validation_derived_source.source_path.add().step.append("Comment")
    cross = stats.datasets[0].cross_features.add()
    cross.path_x.step.append("Slope")
    cross.path_y.step.append("Elevation")
    cross.count = 3
    view = util.DatasetListView(stats)
    dataset = view.get_slice(next(iter(view.list_slices())))
    found = dataset.get_derived_feature("length", [tfdv.FeaturePath(["Comment"])])
    crossed = dataset.get_cross_feature(
        tfdv.FeaturePath(["Slope"]), tfdv.FeaturePath(["Elevation"])
    )
    return [
        found is not None and list(found.proto().path.step),
        crossed is not None and crossed.proto().count,
        [[list(x.steps()), list(y.steps())] for x, y in dataset.list_cross_features()],
    ]


@case("stats_views")
def get_slice_stats_found(tfdv, data, tmp):
    return _summary(tfdv.get_slice_stats(_sliced(tfdv, data), "Flag_false"))


@case("stats_views")
def get_slice_stats_unknown(tfdv, data, tmp):
    return _summary(tfdv.get_slice_stats(_sliced(tfdv, data), "Flag_maybe"))


@case("stats_views")
def load_statistics_text_file(tfdv, data, tmp):
    return _summary(tfdv.load_statistics(str(data.parent / "statistics" / "lists.pbtxt")))


@case("stats_views")
def load_statistics_missing_file(tfdv, data, tmp):
    return _summary(tfdv.load_statistics(str(tmp / "missing.pb")))


@case("stats_views")
def load_stats_binary_file(tfdv, data, tmp):
    path = tmp / "stats.pb"
    path.write_bytes(_stats(tfdv, data, "lists").SerializeToString())
    return _summary(tfdv.load_stats_binary(str(path)))


@case("stats_views")
def load_stats_text_round_trip(tfdv, data, tmp):
    path = tmp / "out.pbtxt"
    tfdv.write_stats_text(_stats(tfdv, data, "lists"), str(path))
    return _summary(tfdv.load_stats_text(str(path)))


@case("stats_views")
def load_stats_text_missing_file(tfdv, data, tmp):
    return _summary(tfdv.load_stats_text(str(tmp / "missing.pbtxt")))


# --- statistics content ----------------------------------------------------------------------


@case("stats_content")
def unsliced_dataset_name(tfdv, data, tmp):
    return [d.name for d in _stats(tfdv, data).datasets]


@case("stats_content")
def generated_unsliced_dataset_name(tfdv, data, tmp):
    import pandas as pd

    stats = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"a": [1, 2, 3]}))
    return [d.name for d in stats.datasets]


@case("stats_content")
def sliced_dataset_names(tfdv, data, tmp):
    return [(d.name, d.num_examples) for d in _sliced(tfdv, data).datasets]


@case("stats_content")
def slice_key_two_features(tfdv, data, tmp):
    options = tfdv.StatsOptions(
        experimental_slice_functions=[
            tfdv.experimental_get_feature_value_slicer(
                {"Flag": None, "Wilderness_Area": [b"Rawah"]}
            )
        ],
        feature_allowlist=["Slope"],
    )
    stats = tfdv.generate_statistics_from_csv(str(data / "train.csv"), stats_options=options)
    return sorted((d.name, d.num_examples) for d in stats.datasets)


@case("stats_content")
def slice_key_int_values(tfdv, data, tmp):
    options = tfdv.StatsOptions(
        experimental_slice_functions=[
            tfdv.experimental_get_feature_value_slicer({"Is_Weekend": [1]})
        ],
        feature_allowlist=["Slope"],
    )
    stats = tfdv.generate_statistics_from_csv(str(data / "train.csv"), stats_options=options)
    return sorted((d.name, d.num_examples) for d in stats.datasets)


@case("stats_content")
def slice_feature_absent(tfdv, data, tmp):
    options = tfdv.StatsOptions(
        experimental_slice_functions=[
            tfdv.experimental_get_feature_value_slicer({"Missing": None})
        ],
        feature_allowlist=["Slope"],
    )
    stats = tfdv.generate_statistics_from_csv(str(data / "train.csv"), stats_options=options)
    return sorted((d.name, d.num_examples) for d in stats.datasets)


@case("stats_content")
def csv_gzip_any_name(tfdv, data, tmp):
    target = tmp / "train.data"
    with open(data / "train.csv", "rb") as source, gzip.open(target, "wb") as out:
        shutil.copyfileobj(source, out)
    options = tfdv.StatsOptions(feature_allowlist=["Slope", "Flag"])
    stats = tfdv.generate_statistics_from_csv(
        str(target), stats_options=options, compression_type="gzip"
    )
    return [_summary(stats), _feature(stats, "Slope").num_stats.max]


@case("stats_content")
def weighted_statistics(tfdv, data, tmp):
    import pandas as pd

    frame = pd.DataFrame(
        {"w": [1.0, 2.0, 3.0, 4.0], "x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "b", "b", "a"]}
    )
    stats = tfdv.generate_statistics_from_dataframe(frame, tfdv.StatsOptions(weight_feature="w"))
    x = _feature(stats, "x")
    c = _feature(stats, "c")
    return [
        _summary(stats),
        round(x.num_stats.weighted_numeric_stats.mean, 6),
        round(x.num_stats.common_stats.weighted_common_stats.num_non_missing, 6),
        [(v.value, v.frequency) for v in c.string_stats.weighted_string_stats.top_values],
    ]


@case("stats_content")
def tfrecord_bytes_invalid_utf8(tfdv, data, tmp):
    stats = tfdv.generate_statistics_from_tfrecord(str(data / "binary.tfrecord"))
    blob = _feature(stats, "blob")
    return [
        statistics_type_name(blob.type),
        blob.WhichOneof("stats"),
        _text(blob),
    ]


def statistics_type_name(value: int) -> str:
    _, statistics_pb2, _ = _pb()
    return statistics_pb2.FeatureNameStatistics.Type.Name(value)


@case("stats_content")
def validate_examples_in_csv_honours_options(tfdv, data, tmp):
    options = tfdv.StatsOptions(num_histogram_buckets=3, num_top_values=2)
    options.schema = _schema(tfdv, data, "curated")
    found = tfdv.validate_examples_in_csv(str(data / "eval.csv"), options)
    return _summary(found)


@case("stats_content")
def histogram_bucket_counts_honoured(tfdv, data, tmp):
    options = tfdv.StatsOptions(
        num_histogram_buckets=3, num_quantiles_histogram_buckets=4, feature_allowlist=["Slope"]
    )
    stats = tfdv.generate_statistics_from_csv(str(data / "train.csv"), stats_options=options)
    return sorted((h.type, len(h.buckets)) for h in _feature(stats, "Slope").num_stats.histograms)


@case("stats_content")
def top_values_count_honoured(tfdv, data, tmp):
    options = tfdv.StatsOptions(num_top_values=2, feature_allowlist=["Soil_Type"])
    stats = tfdv.generate_statistics_from_csv(str(data / "train.csv"), stats_options=options)
    return len(_feature(stats, "Soil_Type").string_stats.top_values)


# --- inference ---------------------------------------------------------------------------------


@case("inference")
def infer_weighted_feature_is_kept_apart(tfdv, data, tmp):
    stats = _stats(tfdv, data, "lists")
    schema = tfdv.infer_schema(stats)
    weighted = schema.weighted_feature.add()
    weighted.name = "weighted_scores"
    weighted.feature.step.append("scores")
    weighted.weight_feature.step.append("weight")
    return _text(tfdv.update_schema(schema, stats))


@case("inference")
def infer_nested_lists(tfdv, data, tmp):
    stats = _stats(tfdv, data, "nested")
    return _text(tfdv.infer_schema(stats))


@case("inference")
def infer_nested_lists_no_shape(tfdv, data, tmp):
    stats = _stats(tfdv, data, "nested")
    return _text(tfdv.infer_schema(stats, infer_feature_shape=False))


@case("inference")
def infer_from_sliced_statistics(tfdv, data, tmp):
    return _text(tfdv.infer_schema(_sliced(tfdv, data)))


@case("inference")
def update_schema_over_sliced_statistics(tfdv, data, tmp):
    return _text(tfdv.update_schema(_schema(tfdv, data), _sliced(tfdv, data)))


@case("inference")
def infer_dataframe_types(tfdv, data, tmp):
    import pandas as pd

    frame = pd.DataFrame(
        {"i": [1, 2, 3], "f": [0.5, 1.5, None], "s": ["x", "y", "x"], "b": [True, False, True]}
    )
    return _text(tfdv.infer_schema(tfdv.generate_statistics_from_dataframe(frame)))


# --- inference and update_schema over hand-made statistics -------------------------------------

_STATS_KINDS = {"INT": "num_stats", "FLOAT": "num_stats", "STRING": "string_stats"}
_STATS_KINDS.update(BYTES="bytes_stats", STRUCT="struct_stats")
_FULL = "num_non_missing: 10 min_num_values: 1 max_num_values: 1"


def _fstats(path: str, kind: str, body: str = "", common: str = _FULL) -> str:
    """One feature's statistics (text format) at the dotted ``path``."""
    steps = " ".join(f'step: "{step}"' for step in path.split("."))
    stats = f"{_STATS_KINDS[kind]} {{ common_stats {{ {common} }} {body} }}"
    return f"features {{ path {{ {steps} }} type: {kind} {stats} }}"


def _dataset(*features: str, num_examples: int = 10):
    from google.protobuf import text_format

    _, statistics_pb2, _ = _pb()
    text = f"datasets {{ num_examples: {num_examples} {' '.join(features)} }}"
    return text_format.Parse(text, statistics_pb2.DatasetFeatureStatisticsList())


def _schema_of(text: str):
    from google.protobuf import text_format

    schema_pb2, _, _ = _pb()
    return text_format.Parse(text, schema_pb2.Schema())


def _ranks(*values: str) -> str:
    buckets = " ".join(f'buckets {{ label: "{v}" sample_count: 1 }}' for v in values)
    return f"unique: {len(values)} rank_histogram {{ {buckets} }}"


def _tops(*values: str) -> str:
    tops = " ".join(f'top_values {{ value: "{v}" frequency: 1 }}' for v in values)
    return f"unique: {len(values)} {tops}"


@case("inference")
def infer_string_domain_needs_rank_histogram(tfdv, data, tmp):
    stats = _dataset(
        _fstats("tops", "STRING", _tops("a", "b")),
        _fstats("bool_tops", "STRING", _tops("true", "false")),
        _fstats("ranks", "STRING", _ranks("b", "a")),
        _fstats("bool_ranks", "STRING", _ranks("1", "0")),
    )
    return _text(tfdv.infer_schema(stats))


@case("inference")
def infer_and_update_valency_with_empty_lists(tfdv, data, tmp):
    def level(low: int, high: int) -> str:
        counts = f"num_non_missing: 7 min_num_values: {low} max_num_values: {high}"
        return f"presence_and_valency_stats {{ {counts} }}"

    features = []
    for low, high in ((0, 3), (2, 3), (0, 1), (0, 0), (1, 1)):
        common = f"num_non_missing: 7 min_num_values: {low} max_num_values: {high}"
        features.append(_fstats(f"flat_{low}_{high}", "INT", common=common))
        nested = common + " " + level(low, high) + " " + level(1, 1)
        features.append(_fstats(f"nested_{low}_{high}", "INT", common=nested))
    stats = _dataset(*features, num_examples=7)
    return [_text(tfdv.infer_schema(stats)), _text(tfdv.update_schema(_schema_of(""), stats))]


@case("inference")
def infer_features_without_statistics(tfdv, data, tmp):
    # (TFDV's update_schema may abort the process on such statistics: not compared.)
    stats = _dataset(
        'features { path { step: "weighted" } custom_stats { name: "missing_value" num: 2 } }',
        'features { path { step: "typed" } type: INT }',
        _fstats("never_present", "STRING", common="num_missing: 10"),
        _fstats("value", "FLOAT"),
    )
    return _text(tfdv.infer_schema(stats))


@case("inference")
def infer_int_bool_domain_needs_max_one(tfdv, data, tmp):
    bounds = ["min: 0 max: 1", "min: 1 max: 1", "min: 0 max: 0", "", "min: -1 max: 1"]
    stats = _dataset(*(_fstats(f"i{n}", "INT", b) for n, b in enumerate(bounds)))
    return _text(tfdv.infer_schema(stats))


def _structs():
    """A struct with children out of name order, a nested struct and a child listed before
    its parent."""
    varying = "num_non_missing: 10 min_num_values: 1 max_num_values: 3"
    missing = "num_non_missing: 8 num_missing: 2 min_num_values: 2 max_num_values: 2"
    return _dataset(
        _fstats("q", "FLOAT"),
        _fstats("st", "STRUCT"),
        _fstats("st.z", "INT"),
        _fstats("st.a", "STRING", _ranks("x", "y")),
        _fstats("st.in", "STRUCT", common=varying),
        _fstats("st.in.y", "FLOAT"),
        _fstats("st.in.b", "FLOAT"),
        _fstats("st.m", "INT"),
        _fstats("late.k", "INT"),
        _fstats("late", "STRUCT", common=missing),
        _fstats("two", "STRUCT", common="num_non_missing: 10 min_num_values: 2 max_num_values: 2"),
        _fstats("two.v", "INT"),
    )


@case("inference")
def infer_struct_children_in_struct_domain(tfdv, data, tmp):
    return _text(tfdv.infer_schema(_structs()))


@case("inference")
def infer_struct_children_no_shape(tfdv, data, tmp):
    return _text(tfdv.infer_schema(_structs(), infer_feature_shape=False))


@case("inference")
def infer_struct_statistics_of_tfdv(tfdv, data, tmp):
    return _text(tfdv.infer_schema(_stats(tfdv, data, "struct")))


@case("inference")
def update_schema_struct_children(tfdv, data, tmp):
    schema = _schema_of(
        'feature { name: "st" type: STRUCT struct_domain { '
        'feature { name: "x" type: INT } '
        'feature { name: "gone" type: INT presence { min_count: 1 } } } } '
        'feature { name: "two" type: STRUCT shape { dim { size: 1 } } struct_domain { '
        'feature { name: "v" type: INT int_domain { min: 5 max: 6 } presence { min_count: 1 } } } }'
    )
    return _text(tfdv.update_schema(schema, _stats(tfdv, data, "struct")))


@case("inference")
def update_schema_struct_statistics_of_hand(tfdv, data, tmp):
    schema = _schema_of(
        'feature { name: "two" type: STRUCT shape { dim { size: 1 } } struct_domain { '
        'feature { name: "v" type: INT int_domain { min: 5 max: 6 } presence { min_count: 1 } } } }'
    )
    return _text(tfdv.update_schema(schema, _structs()))


_DOMAINS = {
    "int": "type: INT int_domain { min: 0 max: 5 }",
    "float": "type: FLOAT float_domain { min: 0 max: 5 }",
    "bool_int": "type: INT bool_domain { }",
    "bool_str": 'type: BYTES bool_domain { true_value: "y" false_value: "n" }',
    "str_inline": 'type: BYTES string_domain { value: "a" }',
    "str_named": 'type: BYTES domain: "x"',
    "nl": "type: BYTES natural_language_domain { }",
    "image": "type: BYTES image_domain { }",
    "time": "type: INT time_domain { integer_format: UNIX_SECONDS }",
    "time_str": 'type: BYTES time_domain { string_format: "%Y" }',
    "url": "type: BYTES url_domain { }",
    "mid": "type: BYTES mid_domain { }",
    "time_of_day": 'type: BYTES time_of_day_domain { string_format: "%H" }',
    "int_on_bytes": "type: BYTES int_domain { min: 0 max: 5 }",
}


def _update_every_domain(tfdv, feature_stats: str) -> dict:
    """update_schema of a feature "x" with each kind of domain, over ``feature_stats``."""
    out = {}
    for name, domain in _DOMAINS.items():
        named = ' string_domain { name: "x" value: "a" }' if name == "str_named" else ""
        schema = _schema_of(f'feature {{ name: "x" {domain} presence {{ min_count: 1 }} }}{named}')
        out[name] = _text(tfdv.update_schema(schema, _dataset(feature_stats)))
    return out


@case("inference")
def update_schema_domains_over_strings(tfdv, data, tmp):
    return _update_every_domain(tfdv, _fstats("x", "STRING", _ranks("a", "b")))


@case("inference")
def update_schema_domains_over_numeric_strings(tfdv, data, tmp):
    return _update_every_domain(tfdv, _fstats("x", "STRING", _ranks("1", "30")))


@case("inference")
def update_schema_domains_over_ints(tfdv, data, tmp):
    return _update_every_domain(tfdv, _fstats("x", "INT", "min: 2 max: 7"))


@case("inference")
def update_schema_domains_over_floats(tfdv, data, tmp):
    return _update_every_domain(tfdv, _fstats("x", "FLOAT", "min: 2.5 max: 7.5"))


@case("inference")
def update_schema_domains_over_bytes(tfdv, data, tmp):
    return _update_every_domain(tfdv, _fstats("x", "BYTES", "unique: 3"))


@case("inference")
def update_schema_domains_over_no_values(tfdv, data, tmp):
    return _update_every_domain(tfdv, _fstats("x", "STRING", common="num_missing: 10"))


@case("inference")
def update_schema_domains_feature_absent(tfdv, data, tmp):
    return _update_every_domain(tfdv, _fstats("y", "INT", "min: 2 max: 7"))


@case("inference")
def update_schema_bool_domain_values(tfdv, data, tmp):
    cases = {
        "yn_y_only": ('bool_domain { true_value: "y" false_value: "n" }', "STRING", _ranks("y")),
        "empty_true_false": ("bool_domain { }", "STRING", _ranks("true", "false")),
        "int_0_1": ("bool_domain { }", "INT", "min: 0 max: 1"),
        "int_0_0": ("bool_domain { }", "INT", "min: 0 max: 0"),
        "int_-1_1": ("bool_domain { }", "INT", "min: -1 max: 1"),
        "float_0_1": ("bool_domain { }", "FLOAT", "min: 0 max: 1"),
        "float_0_half": ("bool_domain { }", "FLOAT", "min: 0 max: 0.5"),
        "float_1_1": ("bool_domain { }", "FLOAT", "min: 1 max: 1"),
    }
    out = {}
    for name, (domain, kind, body) in cases.items():
        schema = _schema_of(f'feature {{ name: "x" type: INT {domain} }}')
        out[name] = _text(tfdv.update_schema(schema, _dataset(_fstats("x", kind, body))))
    return out


@case("inference")
def update_schema_presence_without_values(tfdv, data, tmp):
    presences = ["", "presence { min_count: 0 }", "presence { min_count: 0 min_fraction: 0 }"]
    presences += ["presence { min_fraction: 0.5 }", "presence { min_count: 1 }"]
    empty = _fstats("x", "STRING", common="num_missing: 10")
    other = _fstats("y", "INT", "min: 2 max: 7")
    data_sets = {
        "no_values": _dataset(empty),
        "no_values_no_examples": _dataset(_fstats("x", "STRING", common=""), num_examples=0),
        "absent": _dataset(other),
        "absent_no_examples": _dataset(num_examples=0),
    }
    out = {}
    for presence in presences:
        schema = _schema_of(f'feature {{ name: "x" type: BYTES {presence} }}')
        for name, stats in data_sets.items():
            out[f"{name} [{presence}]"] = _text(tfdv.update_schema(schema, stats))
    return out


@case("inference")
def update_schema_string_domain_needs_rank_histogram(tfdv, data, tmp):
    schema = _schema_of('feature { name: "x" type: BYTES string_domain { value: "a" } }')
    stats = _dataset(_fstats("x", "STRING", _tops("a", "b")), _fstats("new", "STRING", _tops("c")))
    return _text(tfdv.update_schema(schema, stats))


@case("stats_content")
def dataframe_allowlist_in_column_order(tfdv, data, tmp):
    import pandas as pd

    frame = pd.DataFrame({"b": [1, 2], "a": [0.5, 1.5], "c": ["x", "y"], "d": [1, 2], "e": [3, 4]})
    options = tfdv.StatsOptions(feature_allowlist=["d", "c", "e", "missing", "b"])
    stats = tfdv.generate_statistics_from_dataframe(frame, stats_options=options)
    return [".".join(f.path.step) or f.name for f in stats.datasets[0].features]


@case("stats_content")
def csv_allowlist_in_allowlist_order(tfdv, data, tmp):
    options = tfdv.StatsOptions(feature_allowlist=["Slope", "Flag", "Missing", "Elevation"])
    stats = tfdv.generate_statistics_from_csv(str(data / "train.csv"), stats_options=options)
    return [".".join(f.path.step) or f.name for f in stats.datasets[0].features]


# --- validation --------------------------------------------------------------------------------


@case("validation")
def weighted_feature_missing_weight(tfdv, data, tmp):
    schema = _schema(tfdv, data, "lists")
    weighted = schema.weighted_feature.add()
    weighted.name = "weighted_scores"
    weighted.feature.step.append("scores")
    weighted.weight_feature.step.append("no_weight")
    return _reasons(tfdv.validate_statistics(_stats(tfdv, data, "lists"), schema))


@case("validation")
def sparse_feature_missing_index(tfdv, data, tmp):
    schema = _schema(tfdv, data, "lists")
    sparse = schema.sparse_feature.add()
    sparse.name = "sparse_scores"
    sparse.index_feature.add().name = "no_index"
    sparse.value_feature.name = "scores"
    return _reasons(tfdv.validate_statistics(_stats(tfdv, data, "lists"), schema))


@case("validation")
def sparse_feature_name_collision(tfdv, data, tmp):
    schema = _schema(tfdv, data, "lists")
    sparse = schema.sparse_feature.add()
    sparse.name = "tags"
    sparse.index_feature.add().name = "ids"
    sparse.value_feature.name = "scores"
    return _reasons(tfdv.validate_statistics(_stats(tfdv, data, "lists"), schema))


@case("validation")
def descriptions_eval_curated(tfdv, data, tmp):
    anomalies = tfdv.validate_statistics(_stats(tfdv, data, "eval"), _schema(tfdv, data, "curated"))
    return _descriptions(anomalies)


@case("validation")
def descriptions_lists_bad(tfdv, data, tmp):
    anomalies = tfdv.validate_statistics(
        _stats(tfdv, data, "lists_bad"), _schema(tfdv, data, "lists_curated")
    )
    return _descriptions(anomalies)


@case("validation")
def descriptions_without_value_totals(tfdv, data, tmp):
    stats = _stats(tfdv, data, "eval")
    for feature in stats.datasets[0].features:
        for which in ("num_stats", "string_stats"):
            if feature.HasField(which):
                getattr(feature, which).common_stats.ClearField("tot_num_values")
    anomalies = tfdv.validate_statistics(stats, _schema(tfdv, data, "curated"))
    return _descriptions(anomalies)


@case("validation")
def validate_corresponding_slices(tfdv, data, tmp):
    stats = _sliced(tfdv, data)
    schema = tfdv.infer_schema(stats)
    tfdv.get_feature(schema, "Slope").int_domain.max = 30
    anomalies = tfdv.validate_corresponding_slices(stats, schema)
    return _reasons(anomalies)


@case("validation")
def validate_statistics_sliced_default(tfdv, data, tmp):
    schema = _schema(tfdv, data)
    tfdv.get_feature(schema, "Slope").int_domain.max = 30
    return _reasons(tfdv.validate_statistics(_sliced(tfdv, data), schema))


@case("validation")
def validate_examples_in_tfrecord(tfdv, data, tmp):
    found = tfdv.validate_examples_in_tfrecord(
        str(data / "lists_bad.tfrecord"), tfdv.StatsOptions(schema=_schema(tfdv, data, "lists"))
    )
    return _summary(found)


@case("validation")
def update_schema_with_environment_list(tfdv, data, tmp):
    return _text(
        tfdv.update_schema(_schema(tfdv, data, "curated_env"), _stats(tfdv, data, "serving"))
    )


@case("validation")
def natural_language_domain_missing_stats(tfdv, data, tmp):
    schema = _schema(tfdv, data)
    feature = tfdv.get_feature(schema, "Comment")
    feature.natural_language_domain.coverage.min_coverage = 0.5
    return _reasons(tfdv.validate_statistics(_stats(tfdv, data), schema))


def _composite_stats(name: str, **stats: Any) -> str:
    """A feature entry holding only custom statistics: numbers, or rank histograms as dicts."""
    entries = []
    for key, value in stats.items():
        if isinstance(value, dict):
            buckets = " ".join(
                f'buckets {{ label: "{label}" sample_count: {count} }}'
                for label, count in value.items()
            )
            entries.append(f'custom_stats {{ name: "{key}" rank_histogram {{ {buckets} }} }}')
        else:
            entries.append(f'custom_stats {{ name: "{key}" num: {value} }}')
    return f'features {{ path {{ step: "{name}" }} {" ".join(entries)} }}'


_PARTS = 'feature { name: "value" type: INT } feature { name: "index" type: INT }'
_PARTS += ' feature { name: "i2" type: INT }'


@case("validation")
def composite_feature_statistics(tfdv, data, tmp):
    parts = [_fstats(name, "INT") for name in ("value", "index", "i2")]
    weighted = (
        'weighted_feature { name: "w" feature { step: "value" } weight_feature { step: "index" } }'
    )
    sparse = (
        'sparse_feature { name: "s" value_feature { name: "value" } index_feature { name: "index" }'
    )
    sparse += ' index_feature { name: "i2" } }'
    stats = _dataset(
        *parts,
        _composite_stats("w", missing_weight=1, missing_value=2, min_weight_length_diff=-2),
        _composite_stats(
            "s",
            missing_value=2,
            missing_index={"index": 1, "i2": 0},
            min_length_diff={"index": -3, "i2": 0},
            max_length_diff={"index": 0, "i2": 4},
        ),
    )
    clean = _dataset(
        *parts, _composite_stats("w", missing_value=0), _composite_stats("s", missing_value=0)
    )
    schema = _schema_of(f"{_PARTS} {weighted} {sparse}")
    return [
        _descriptions(tfdv.validate_statistics(stats, schema)),
        _descriptions(tfdv.validate_statistics(clean, schema)),
        _descriptions(tfdv.validate_statistics(_dataset(*parts), schema)),
    ]


@case("validation")
def composite_feature_name_collisions(tfdv, data, tmp):
    parts = [_fstats(name, "INT") for name in ("value", "index", "i2")]
    weighted = (
        'weighted_feature { name: "c" feature { step: "value" } weight_feature { step: "index" } }'
    )
    sparse = 'sparse_feature { name: "c" value_feature { name: "value" }'
    sparse += ' index_feature { name: "index" } }'
    found = []
    for other in ('feature { name: "c" type: INT }', sparse):
        schema = _schema_of(f"{_PARTS} {weighted} {other}")
        stats = _dataset(*parts, _composite_stats("c", missing_value=2, missing_weight=1))
        found.append(_descriptions(tfdv.validate_statistics(stats, schema)))
    return found


@case("validation")
def missing_features_need_required_presence(tfdv, data, tmp):
    features = [
        'feature { name: "untyped" }',
        'feature { name: "typed" type: INT }',
        'feature { name: "min_count_0" type: INT presence { min_count: 0 } }',
        'feature { name: "min_count_1" presence { min_count: 1 } }',
        'feature { name: "min_fraction" type: INT presence { min_fraction: 0.5 } }',
        'feature { name: "value_count" type: INT value_count { min: 1 } }',
        'feature { name: "other" type: INT }',
    ]
    stats = _dataset(_fstats("other", "INT"))
    return _descriptions(tfdv.validate_statistics(stats, _schema_of(" ".join(features))))


@case("validation")
def present_features_without_type(tfdv, data, tmp):
    schema = _schema_of(
        'feature { name: "plain" } feature { name: "bounded" int_domain { min: 5 } }'
        ' feature { name: "enum" domain: "d" } string_domain { name: "d" value: "a" }'
    )
    stats = _dataset(
        _fstats("plain", "INT"), _fstats("bounded", "INT"), _fstats("enum", "STRING", _ranks("b"))
    )
    return _descriptions(tfdv.validate_statistics(stats, schema))


def _foo_slices(tfdv, first: list, second: list, default: bool = True):
    """Statistics of a 'foo' column in slices 'slice1' / 'slice2' (when it has values) and the
    default slice over both."""
    import pandas as pd

    _, statistics_pb2, _ = _pb()
    sliced = [("slice1", first), ("slice2", second)]
    if default:
        sliced.append(("All Examples", first + second))
    datasets = []
    for name, values in sliced:
        if values:
            stats = tfdv.generate_statistics_from_dataframe(pd.DataFrame({"foo": values}))
            stats.datasets[0].name = name
            datasets.append(stats.datasets[0])
    return statistics_pb2.DatasetFeatureStatisticsList(datasets=datasets)


_FOO = 'feature { name: "foo" type: BYTES presence { min_fraction: 1.0 } string_domain {'
_FOO += ' name: "foo" value: "1" value: "2" value: "3" value: "4" } %s }'


@case("validation")
def corresponding_slices_flattened(tfdv, data, tmp):
    mass = _schema_of(_FOO % "distribution_constraints { min_domain_mass: 0.5 }")
    drift = _schema_of(_FOO % "drift_comparator { infinity_norm { threshold: 0.3 } }")
    four, split = ["1", "2", "3", "4"], (["1", "2"], ["3", "4"])
    found = [
        tfdv.validate_corresponding_slices(_foo_slices(tfdv, four, ["5"]), mass),
        tfdv.validate_corresponding_slices(
            _foo_slices(tfdv, four, []), mass, previous_statistics=_foo_slices(tfdv, *split)
        ),
        tfdv.validate_corresponding_slices(
            _foo_slices(tfdv, *split), drift, previous_statistics=_foo_slices(tfdv, *split[:1] * 2)
        ),
    ]
    return [_descriptions(anomalies) for anomalies in found] + [
        sorted(f.name for f in found[1].baseline.feature)
    ]


@case("validation")
def corresponding_slices_without_default_slice(tfdv, data, tmp):
    stats = _foo_slices(tfdv, ["1"], ["2"], default=False)
    return tfdv.validate_corresponding_slices(stats, _schema_of(_FOO % ""))


@case("validation")
def anomaly_keys_quote_special_steps(tfdv, data, tmp):
    names = ["a.b", "x(y)", "it\\'s", "a:b", "sp ace", "a,b"]
    common = "num_non_missing: 10 min_num_values: 1 max_num_values: 1"
    stats_text = f"type: INT num_stats {{ common_stats {{ {common} }} }}"
    features = [f'features {{ path {{ step: "{name}" }} {stats_text} }}' for name in names]
    stats = _dataset(*features)
    return sorted(tfdv.validate_statistics(stats, _schema_of("")).anomaly_info)


@case("validation")
def min_fraction_when_no_example_misses_the_feature(tfdv, data, tmp):
    schema = _schema_of('feature { name: "v" type: INT presence { min_fraction: 0.9 } }')
    found = {}
    for common in ("num_non_missing: 5", "num_non_missing: 5 num_missing: 1"):
        stats = _dataset(_fstats("v", "INT", common=f"{common} min_num_values: 1"))
        found[common] = _descriptions(tfdv.validate_statistics(stats, schema))
    return found


@case("validation")
def min_domain_mass_tolerates_unknown_values(tfdv, data, tmp):
    found = {}
    for mass in ("0.5", "0.9"):
        schema = _schema_of(_FOO % f"distribution_constraints {{ min_domain_mass: {mass} }}")
        stats = _dataset(
            _fstats("foo", "STRING", _ranks("1", "2", "5"), "num_non_missing: 10 tot_num_values: 4")
        )
        found[mass] = _descriptions(tfdv.validate_statistics(stats, schema))
    return found


def _nl_dataset(nl_text: str | None):
    """An INT feature 'nl' with its ``nl_statistics`` custom statistic (text format), if any."""
    from google.protobuf import text_format

    _, statistics_pb2, _ = _pb()
    stats = _dataset(_fstats("nl", "INT", common="num_non_missing: 7 num_missing: 3"))
    if nl_text is not None:
        nl_stats = text_format.Parse(nl_text, statistics_pb2.NaturalLanguageStatistics())
        custom = stats.datasets[0].features[0].custom_stats.add(name="nl_statistics")
        custom.any.Pack(nl_stats)
    return stats


def _validated_and_updated(tfdv, schema, stats) -> list:
    """The anomalies' reasons and the updated schema's first feature."""
    return [
        _descriptions(tfdv.validate_statistics(stats, schema)),
        _text(tfdv.update_schema(schema, stats).feature[0]),
    ]


_NL = 'feature { name: "nl" type: INT natural_language_domain { %s } }'
_TOKEN_200 = "token_statistics { int_token: 200 fraction_of_sequences: 0.2"
_TOKEN_200 += " per_sequence_min_frequency: 2 per_sequence_max_frequency: 2 }"


@case("validation")
def natural_language_constraints_relaxed_by_update(tfdv, data, tmp):
    token_200 = "token_constraints { int_value: 200 min_per_sequence: 1 max_per_sequence: 3"
    token_200 += " min_fraction_of_sequences: 0.1 max_fraction_of_sequences: 0.3 }"
    scenarios = {
        "coverage broken": (
            'coverage { min_coverage: 0.5 min_avg_token_length: 5 excluded_string_tokens: "x" }',
            "feature_coverage: 0.123456789 avg_token_length: 4",
        ),
        "coverage met": (
            "coverage { min_coverage: 0.3 min_avg_token_length: 3 }",
            "feature_coverage: 0.4 avg_token_length: 4",
        ),
        "coverage without statistics": (
            'vocabulary: "v" coverage { min_coverage: 0.4 min_avg_token_length: 3 }',
            None,
        ),
        "coverage without constraints": ('vocabulary: "v" coverage { }', None),
        "tokens broken": (
            token_200 + ' token_constraints { string_value: "s" min_fraction_of_sequences: 0.6'
            " max_fraction_of_sequences: 0.4 min_per_sequence: 2 max_per_sequence: 1 }"
            ' token_constraints { string_value: "t" min_fraction_of_sequences: 0.6'
            " max_per_sequence: 1 }",
            _TOKEN_200 + ' token_statistics { string_token: "s" fraction_of_sequences: 0.5'
            " per_sequence_min_frequency: 1.7 per_sequence_max_frequency: 2.7 }"
            ' token_statistics { string_token: "t" fraction_of_sequences: 0.5'
            " per_sequence_min_frequency: 1 per_sequence_max_frequency: 3 }",
        ),
        "token without statistics": (
            "coverage { min_coverage: 0.5 } "
            + token_200
            + " token_constraints { int_value: 100 min_fraction_of_sequences: 0.4 }",
            "feature_coverage: 0.4 " + _TOKEN_200,
        ),
        "token named as a string": (
            'token_constraints { string_value: "200" min_fraction_of_sequences: 0.9 }',
            _TOKEN_200,
        ),
        "token without a value": (
            "token_constraints { min_fraction_of_sequences: 0.9 }",
            _TOKEN_200,
        ),
    }
    return {
        name: _validated_and_updated(tfdv, _schema_of(_NL % domain), _nl_dataset(nl_text))
        for name, (domain, nl_text) in scenarios.items()
    }


@case("validation")
def custom_validations_summarized_with_built_in_reasons(tfdv, data, tmp):
    from google.protobuf import text_format

    module = importlib.import_module(
        tfdv.__name__ + ".anomalies.proto.custom_validation_config_pb2"
    )
    checks = {
        "one": "validations { sql_expression: 'feature.string_stats.unique > 5'"
        " severity: WARNING description: 'Too few.' }",
        "two": "validations { sql_expression: 'feature.string_stats.unique > 5'"
        " severity: WARNING description: 'Too few.' }"
        " validations { sql_expression: 'feature.string_stats.common_stats.num_missing < 3'"
        " severity: ERROR description: 'Too many missing.' }",
    }
    common = "num_non_missing: 7 num_missing: 3 min_num_values: 1 max_num_values: 1"
    stats = _dataset(_fstats("f", "STRING", _ranks("a", "b", "c"), common))
    found = {}
    for bounds in ("", "unique_constraints { min: 4 max: 4 }"):
        schema = _schema_of(f'feature {{ name: "f" type: BYTES {bounds} }}')
        for name, validations in checks.items():
            config = text_format.Parse(
                f"feature_validations {{ feature_path {{ step: 'f' }} {validations} }}",
                module.CustomValidationConfig(),
            )
            anomalies = tfdv.validate_statistics(stats, schema, None, None, None, config)
            found[f"{bounds or 'no bounds'}, {name}"] = {
                key: [info.severity, info.short_description, info.description]
                for key, info in anomalies.anomaly_info.items()
            }
    return found


@case("validation")
def unique_constraints_checked_and_relaxed(tfdv, data, tmp):
    common = "num_non_missing: 7 num_missing: 3 min_num_values: 1 max_num_values: 1"
    strings = _fstats("f", "STRING", _ranks("a", "b", "c"), common)
    scenarios = {
        "too few": ("BYTES", "min: 4 max: 4", strings),
        "too many": ("BYTES", "min: 1 max: 2", strings),
        "met": ("BYTES", "min: 3 max: 3", strings),
        "no bounds": ("BYTES", "", strings),
        "min only": ("BYTES", "min: 5", strings),
        "max only": ("BYTES", "max: 2", strings),
        "unique not counted": ("BYTES", "min: 4 max: 5", _fstats("f", "STRING", "", common)),
        "numbers": ("INT", "min: 4 max: 5", _fstats("f", "INT", "min: 1 max: 5", common)),
        "bytes": ("BYTES", "min: 4", _fstats("f", "BYTES", "unique: 2", common)),
        "categorical ints": (
            "INT",
            "min: 4 max: 5",
            _fstats("f", "INT", "unique: 9", common).replace("num_stats", "string_stats"),
        ),
        "wrong type": ("INT", "min: 4 max: 5", strings),
        "no values": ("BYTES", "min: 4 max: 4", _fstats("f", "STRING", "", "num_missing: 10")),
        "with other reasons": (
            'BYTES value_count { min: 2 } string_domain { value: "a" }',
            "min: 4",
            strings,
        ),
    }
    found = {}
    for name, (kind, bounds, feature) in scenarios.items():
        schema = _schema_of(
            f'feature {{ name: "f" type: {kind} unique_constraints {{ {bounds} }} }}'
        )
        found[name] = _validated_and_updated(tfdv, schema, _dataset(feature))
    return found


@case("validation")
def unexpected_string_share_without_value_total(tfdv, data, tmp):
    schema = _schema_of(
        'string_domain { name: "E" value: "A" } feature { name: "f" type: BYTES domain: "E" }'
    )
    found = {}
    for common in ("", "avg_num_values: 0.5", "avg_num_values: 2 tot_num_values: 70"):
        stats = _dataset(_fstats("f", "STRING", _ranks("D"), f"num_non_missing: 7 {common}"))
        found[common] = _descriptions(tfdv.validate_statistics(stats, schema))
    return found


# --- semantic domains ---------------------------------------------------------------------------
# StatsOptions(enable_semantic_domain_stats=True): image, natural-language and time domains found
# in the values, as domain_info custom statistics that schema inference turns into domains.


def _png(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + bytes(3 * width) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _gif(width: int, height: int) -> bytes:
    import struct

    # one colour, no global table; LZW data of a blank frame (clear code, end code)
    screen = struct.pack("<HHBBB", width, height, 0, 0, 0)
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x4c\x01\x00"
    return b"GIF89a" + screen + frame + b"\x3b"


def _bmp(width: int, height: int) -> bytes:
    import struct

    row = (3 * width + 3) // 4 * 4
    pixels = bytes(row * height)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 0, 0, 0, 0)
    return b"BM" + struct.pack("<IHHI", 54 + len(pixels), 0, 0, 54) + info + pixels


def _jpeg_header(size: int) -> bytes:
    # a JFIF start (neither TFDV nor datajourney decodes images: the signature decides)
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(size)


_TEXT = (
    "the river runs quietly past old stone bridges while children laugh and birds sing "
    "under bright summer skies near our little village by green hills"
)
_WORDS = _TEXT.split()


def _sentence(i: int) -> str:
    return " ".join(_WORDS[(i * 7 + k * 3) % len(_WORDS)] for k in range(4 + i % 5))


def _image(i: int) -> bytes:
    kind = i % 4
    size = 1 + i % 5
    if kind == 0:
        return _png(size, 2)
    if kind == 1:
        return _gif(size, 3)
    if kind == 2:
        return _bmp(2, size)
    return _jpeg_header(size)


def _semantic_frame(rows: int = 150):
    import pandas as pd

    return pd.DataFrame(
        {
            "review": [_sentence(i) if i % 10 else f"ID{i}" for i in range(rows)],
            "sku": [f"SKU-{i:05d}" for i in range(rows)],
            "day": [f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(rows)],
            "stamp": [f"{1 + i % 12}/{1 + i % 28}/2020 {i % 24}:{i % 60:02d}" for i in range(rows)],
            "clock": [f"{i % 24:02d}:{i % 60:02d}:{i % 60:02d}" for i in range(rows)],
            "created": [1_600_000_000 + 3_607 * i for i in range(rows)],
            "created_ms": [1_600_000_000_000 + 3_607 * i for i in range(rows)],
            "created_day": [18_000 + i if i % 9 else 5 for i in range(rows)],
            "amount": [0.5 * i for i in range(rows)],
            "photo": [_image(i) if i % 8 else b"not an image" for i in range(rows)],
            "scan": [_image(i) if i % 4 else b"plain bytes" for i in range(rows)],
            "code": [i % 2 for i in range(rows)],
        }
    )


def _custom_stats(stats, dataset: int = 0) -> dict:
    """Each feature's custom statistics: (name, str or number or rank histogram)."""

    def value(stat):
        if stat.HasField("rank_histogram"):
            return [
                (b.label, b.low_rank, b.high_rank, b.sample_count)
                for b in stat.rank_histogram.buckets
            ]
        return stat.str if stat.HasField("str") else stat.num

    return {
        (".".join(f.path.step) or f.name): [(c.name, value(c)) for c in f.custom_stats]
        for f in stats.datasets[dataset].features
    }


def _semantic_stats(tfdv, frame, **options):
    options = tfdv.StatsOptions(enable_semantic_domain_stats=True, **options)
    return tfdv.generate_statistics_from_dataframe(frame, options)


@case("semantic")
def semantic_dataframe_custom_stats(tfdv, data, tmp):
    return _custom_stats(_semantic_stats(tfdv, _semantic_frame()))


@case("semantic")
def semantic_dataframe_infer_schema(tfdv, data, tmp):
    return _text(tfdv.infer_schema(_semantic_stats(tfdv, _semantic_frame())))


@case("semantic")
def semantic_off_by_default(tfdv, data, tmp):
    stats = tfdv.generate_statistics_from_dataframe(_semantic_frame())
    return [_custom_stats(stats), _text(tfdv.infer_schema(stats))]


@case("semantic")
def semantic_needs_a_hundred_values(tfdv, data, tmp):
    return [_custom_stats(_semantic_stats(tfdv, _semantic_frame(rows))) for rows in (99, 100)]


@case("semantic")
def semantic_match_ratio_edges(tfdv, data, tmp):
    import pandas as pd

    def share(matching: int, good, bad):
        return [good(i) if i < matching else bad(i) for i in range(100)]

    frame = pd.DataFrame(
        {
            "text_80": share(80, _sentence, lambda i: "x"),
            "text_79": share(79, _sentence, lambda i: "x"),
            "day_80": share(80, lambda i: f"2020-01-{1 + i % 28:02d}", lambda i: "soon"),
            "day_79": share(79, lambda i: f"2020-01-{1 + i % 28:02d}", lambda i: "soon"),
            "image_80": share(80, _image, lambda i: b"no"),
            "image_79": share(79, _image, lambda i: b"no"),
            "seconds_80": share(80, lambda i: 1_700_000_000 + i, lambda i: i),
            "seconds_79": share(79, lambda i: 1_700_000_000 + i, lambda i: i),
        }
    )
    return _custom_stats(_semantic_stats(tfdv, frame))


@case("semantic")
def semantic_dataframe_natural_language_first_hundred(tfdv, data, tmp):
    import pandas as pd

    # a DataFrame is one batch: its first 100 values decide
    frame = pd.DataFrame(
        {
            "first_text": [_sentence(i) if i < 100 else "x" for i in range(300)],
            "late_text": ["x" if i < 100 else _sentence(i) for i in range(300)],
        }
    )
    return _custom_stats(_semantic_stats(tfdv, frame))


@case("semantic")
def semantic_word_lengths(tfdv, data, tmp):
    import pandas as pd

    frame = pd.DataFrame(
        {
            "two_words": ["hello there"] * 100,
            "short_words": ["a b c d e f"] * 100,
            "avg_2_5": ["ab abc ab abc"] * 100,
            "avg_8": ["abcdefgh abcdefgh abcdefgh"] * 100,
            "avg_8_5": ["abcdefgh abcdefghi abcdefgh abcdefghi"] * 100,
            "tabs": ["word\tword\tword"] * 100,
            "long_prefix": ["x" * 98 + " ab cd ef gh ij"] * 100,
            "accents": ["été à où ça"] * 100,
            "empty": [""] * 100,
        }
    )
    return _custom_stats(_semantic_stats(tfdv, frame))


@case("semantic")
def semantic_time_formats(tfdv, data, tmp):
    import pandas as pd

    def column(pattern):
        return [pattern(i) for i in range(100)]

    frame = pd.DataFrame(
        {
            "iso_t": column(lambda i: f"2019-05-{1 + i % 28:02d}T10:{i % 60:02d}:00"),
            "micro": column(lambda i: f"23:59:{i % 60:02d}.{i:06d}"),
            "named_month": column(lambda i: f"{1 + i % 28}-March-2020"),
            "compact": column(lambda i: f"2018{1 + i % 12:02d}{1 + i % 28:02d}"),
            "ambiguous": column(lambda i: f"{1 + i % 9:02d}/{1 + i % 9:02d}/0{i % 9 + 1}"),
            "ctime": column(lambda i: f"Fri Nov {10 + i % 20} 10:47:02 2018"),
            "with_empty": column(lambda i: "" if i == 50 else "2020-02-02"),
            "with_missing": column(lambda i: None if i == 50 else "2020-02-02"),
            "newline": column(lambda i: "2020-02-02\n"),
            "mixed": column(lambda i: "2020-02-02" if i % 2 else "02/02/2020"),
        }
    )
    return _custom_stats(_semantic_stats(tfdv, frame))


@case("semantic")
def semantic_unix_time_units(tfdv, data, tmp):
    import pandas as pd

    frame = pd.DataFrame(
        {
            "days": [7_305 + 100 * i for i in range(100)],
            "days_end": [21_915 - 1 + (i % 2) for i in range(100)],
            "micros": [631_152_000_000_000 + i for i in range(100)],
            "nanos": [1_893_455_999_999_999_999 - i for i in range(100)],
            "flags": [True, False] * 50,
            "floats": [1_600_000_000.5 + i for i in range(100)],
        }
    )
    return _custom_stats(_semantic_stats(tfdv, frame))


@case("semantic")
def semantic_sample_rate(tfdv, data, tmp):
    frame = _semantic_frame()
    # sampled per batch; a DataFrame is one batch: all of it, or (almost surely) none
    return [
        _custom_stats(_semantic_stats(tfdv, frame, semantic_domain_stats_sample_rate=1.0)),
        _custom_stats(_semantic_stats(tfdv, frame, semantic_domain_stats_sample_rate=1e-12)),
    ]


@case("semantic")
def semantic_csv_batches(tfdv, data, tmp):
    import csv

    path = tmp / "semantic.csv"
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["note", "day", "seconds"])
        for i in range(260):
            # batches of 100: the first 100 values of each are looked at
            note = _sentence(i) if i % 100 < 90 or i >= 200 else "x"
            writer.writerow([note, f"2022-{1 + i % 12:02d}-{1 + i % 28:02d}", 1_650_000_000 + i])
    options = tfdv.StatsOptions(enable_semantic_domain_stats=True, desired_batch_size=100)
    stats = tfdv.generate_statistics_from_csv(str(path), stats_options=options)
    return [_custom_stats(stats), _text(tfdv.infer_schema(stats))]


@case("semantic")
def semantic_tfrecord_lists(tfdv, data, tmp):
    options = tfdv.StatsOptions(enable_semantic_domain_stats=True, desired_batch_size=40)
    stats = tfdv.generate_statistics_from_tfrecord(
        str(data / "semantic.tfrecord"), stats_options=options
    )
    return [_custom_stats(stats), _text(tfdv.infer_schema(stats))]


@case("semantic")
def semantic_sliced(tfdv, data, tmp):
    frame = _semantic_frame(240).drop(columns=["photo", "scan"])
    frame["half"] = ["a" if i % 2 else "b" for i in range(240)]
    frame.to_csv(tmp / "sliced.csv", index=False)
    options = tfdv.StatsOptions(
        enable_semantic_domain_stats=True,
        desired_batch_size=60,
        experimental_slice_functions=[tfdv.experimental_get_feature_value_slicer({"half": None})],
    )
    stats = tfdv.generate_statistics_from_csv(str(tmp / "sliced.csv"), stats_options=options)
    return {d.name: _custom_stats(stats, i) for i, d in enumerate(stats.datasets)}


@case("semantic")
def semantic_update_schema_adds_domains(tfdv, data, tmp):
    stats = _semantic_stats(tfdv, _semantic_frame())
    schema = tfdv.infer_schema(tfdv.generate_statistics_from_dataframe(_semantic_frame()))
    tfdv.get_feature(schema, "review").natural_language_domain.SetInParent()
    return _text(tfdv.update_schema(schema, stats))


@case("semantic")
def semantic_validate_reports_domain_update(tfdv, data, tmp):
    stats = _semantic_stats(tfdv, _semantic_frame())
    schema = tfdv.infer_schema(tfdv.generate_statistics_from_dataframe(_semantic_frame()))
    tfdv.get_feature(schema, "day").ClearField("domain")
    tfdv.get_feature(schema, "photo").presence.min_count = 1000
    tfdv.get_feature(schema, "created").type = 1  # BYTES: a type mismatch too
    anomalies = tfdv.validate_statistics(stats, schema)
    return [_reasons(anomalies), _descriptions(anomalies)]


@case("semantic")
def semantic_domain_info_written_by_hand(tfdv, data, tmp):
    from google.protobuf import text_format

    _, statistics_pb2, _ = _pb()
    texts = {
        "url": ["url_domain {}"],
        "mid": ["mid_domain {}"],
        "time_of_day": ["time_of_day_domain {string_format: '%H'}"],
        "int_range": ["int_domain {min: 1 max: 3}"],
        "named": ['domain: "elsewhere"'],
        "vocabulary": ['natural_language_domain {vocabulary: "words"}'],
        "numbered": ["time_domain {integer_format: 3}"],
        "spaced": ["  image_domain :  { }  "],
        "not_a_domain": ["presence {min_count: 5}"],
        "two_fields": ["image_domain {} presence {min_count: 5}"],
        "two_domains": ["natural_language_domain {} image_domain {}"],
        "unknown_field": ["image_domain {bogus: 1}"],
        "garbage": ["foo {}"],
        "empty": [""],
        "twice": ["image_domain {}", "image_domain {}"],
        "empty_then_one": ["", "mid_domain {}"],
    }
    stats = statistics_pb2.DatasetFeatureStatisticsList()
    dataset = stats.datasets.add(num_examples=10)
    for name, values in texts.items():
        feature = dataset.features.add(type=statistics_pb2.FeatureNameStatistics.STRING)
        feature.path.step.append(name)
        text_format.Parse(
            "common_stats { num_non_missing: 10 min_num_values: 1 max_num_values: 1 "
            "avg_num_values: 1 tot_num_values: 10 } unique: 2 "
            'top_values { value: "true" frequency: 5 } top_values { value: "false" frequency: 5 } '
            'rank_histogram { buckets { label: "true" sample_count: 5 } '
            'buckets { low_rank: 1 high_rank: 1 label: "false" sample_count: 5 } }',
            feature.string_stats,
        )
        for value in values:
            feature.custom_stats.add(name="domain_info", str=value)
    bools = dataset.features.add(type=statistics_pb2.FeatureNameStatistics.INT)
    bools.path.step.append("flag")
    text_format.Parse(
        "common_stats { num_non_missing: 10 min_num_values: 1 max_num_values: 1 "
        "avg_num_values: 1 tot_num_values: 10 } min: 0 max: 1",
        bools.num_stats,
    )
    bools.custom_stats.add(name="domain_info", str="time_domain {integer_format: UNIX_DAYS}")
    return _text(tfdv.infer_schema(stats))


# --- skew and display ---------------------------------------------------------------------------


@case("skew_display")
def visualize_allow_and_deny(tfdv, data, tmp):
    return tfdv.visualize_statistics(
        _stats(tfdv, data), allowlist_features=["Slope"], denylist_features=["Elevation"]
    )


@case("skew_display")
def visualize_allowlist_not_list(tfdv, data, tmp):
    html = tfdv.get_statistics_html(_stats(tfdv, data), allowlist_features="Slope")
    return isinstance(html, str)


@case("skew_display")
def get_statistics_html_not_statistics(tfdv, data, tmp):
    return tfdv.get_statistics_html("stats")


@case("skew_display")
def get_statistics_html_rhs_not_statistics(tfdv, data, tmp):
    return tfdv.get_statistics_html(_stats(tfdv, data), rhs_statistics="stats")


@case("skew_display")
def get_statistics_html_is_html(tfdv, data, tmp):
    html = tfdv.get_statistics_html(_stats(tfdv, data), rhs_statistics=_stats(tfdv, data, "eval"))
    return [isinstance(html, str), "<" in html]


# --- more of TFDV's top-level names: sharded statistics, feature lookup, dummy schemas, -----
# --- user statistics generators ---------------------------------------------------------------


def _write_records(path: Path, texts: list[str]) -> str:
    """A TFRecord file of ``DatasetFeatureStatisticsList`` records given as text protos."""
    import struct

    import google_crc32c
    from google.protobuf import text_format

    _, statistics_pb2, _ = _pb()

    def masked(data: bytes) -> bytes:
        crc = google_crc32c.value(data)
        return struct.pack("<I", (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF)

    with open(path, "wb") as out:
        for text in texts:
            record = text_format.Parse(text, statistics_pb2.DatasetFeatureStatisticsList())
            data = record.SerializeToString()
            length = struct.pack("<Q", len(data))
            out.write(length + masked(length) + data + masked(data))
    return str(path)


_SHARD_0 = [
    'datasets { name: "All Examples" num_examples: 10 features { path { step: "a" } type: FLOAT'
    " num_stats { common_stats { num_non_missing: 10 } mean: 2 } custom_stats"
    ' { name: "x" num: 1 } } features { path { step: "b" } } }',
    'datasets { name: "s1" num_examples: 4 features { path { step: "a" } num_stats { max: 3 } } }',
]
_SHARD_1 = [
    'datasets { name: "All Examples" num_examples: 10 features { path { step: "a" }'
    " num_stats { common_stats { num_missing: 2 } histograms { num_nan: 1 } } } features"
    ' { path { step: "b" } type: STRING string_stats { unique: 3 } custom_stats { name: "y"'
    ' str: "q" } } cross_features { path_x { step: "a" } path_y { step: "b" } count: 5 } }'
    ' datasets { name: "s1" features { path { step: "a" } num_stats { min: 1 } } }',
]


@case("sharded_stats")
def load_sharded_statistics_by_prefix(tfdv, data, tmp):
    _write_records(tmp / "stats-00000-of-00002", _SHARD_0)
    _write_records(tmp / "stats-00001-of-00002", _SHARD_1)
    _write_records(tmp / "stats.tfrecords", ['datasets { name: "other" }'])
    view = tfdv.load_sharded_statistics(str(tmp / "stats"))
    return [type(view).__name__, _text(view.proto())]


@case("sharded_stats")
def load_sharded_statistics_by_paths_in_order(tfdv, data, tmp):
    first = _write_records(tmp / "one", _SHARD_1 + _SHARD_0)
    second = _write_records(tmp / "two", ['datasets { name: "s2" num_examples: 1 }', *_SHARD_0])
    return _text(tfdv.load_sharded_statistics(input_paths=[first, second]).proto())


@case("sharded_stats")
def load_sharded_statistics_prefix_wins_over_paths(tfdv, data, tmp):
    _write_records(tmp / "p-00000-of-00001", ['datasets { name: "from prefix" }'])
    other = _write_records(tmp / "other", ['datasets { name: "from paths" }'])
    view = tfdv.load_sharded_statistics(input_path_prefix=str(tmp / "p"), input_paths=[other])
    return list(view.list_slices())


@case("sharded_stats")
def load_sharded_statistics_of_generated_statistics(tfdv, data, tmp):
    stats = tfdv.generate_statistics_from_csv(
        str(data / "train.csv"), output_path=str(tmp / "train-00000-of-00001")
    )
    loaded = tfdv.load_sharded_statistics(str(tmp / "train")).proto()
    return [_summary(loaded), loaded == stats]


@case("sharded_stats")
def load_sharded_statistics_empty_shard(tfdv, data, tmp):
    return _text(
        tfdv.load_sharded_statistics(input_paths=[_write_records(tmp / "e", [""])]).proto()
    )


@case("sharded_stats")
def load_sharded_statistics_with_io_provider(tfdv, data, tmp):
    from google.protobuf import text_format

    _, statistics_pb2, _ = _pb()

    class InMemory:
        def glob(self, prefix):
            return [prefix + "-a", prefix + "-b"]

        def record_iterator_impl(self, paths):
            for path in paths:
                text = f'datasets {{ name: "{path[-1]}" num_examples: 2 }}'
                yield text_format.Parse(text, statistics_pb2.DatasetFeatureStatisticsList())

    return list(tfdv.load_sharded_statistics("mem", io_provider=InMemory()).list_slices())


@case("sharded_stats")
def load_sharded_statistics_without_paths(tfdv, data, tmp):
    return tfdv.load_sharded_statistics()


@case("sharded_stats")
def load_sharded_statistics_prefix_matches_nothing(tfdv, data, tmp):
    _write_records(tmp / "nothing.tfrecords", _SHARD_0)
    return tfdv.load_sharded_statistics(str(tmp / "nothing"))


@case("sharded_stats")
def load_sharded_statistics_empty_paths(tfdv, data, tmp):
    return tfdv.load_sharded_statistics(input_paths=[])


@case("sharded_stats")
def load_sharded_statistics_missing_file(tfdv, data, tmp):
    return tfdv.load_sharded_statistics(input_paths=[str(tmp / "missing")])


def _conflict(tfdv, tmp, first: str, second: str):
    path = _write_records(tmp / "c", [f'datasets {{ name: "A" {first} }}'])
    other = _write_records(tmp / "d", [f'datasets {{ name: "A" {second} }}'])
    return _text(tfdv.load_sharded_statistics(input_paths=[path, other]).proto())


@case("sharded_stats")
def load_sharded_statistics_different_num_examples(tfdv, data, tmp):
    return _conflict(tfdv, tmp, "num_examples: 10", "num_examples: 11")


@case("sharded_stats")
def load_sharded_statistics_different_weighted_num_examples(tfdv, data, tmp):
    return _conflict(tfdv, tmp, "weighted_num_examples: 1.5", "weighted_num_examples: 2.5")


@case("sharded_stats")
def load_sharded_statistics_int_is_unset_type(tfdv, data, tmp):
    feature = 'features { path { step: "f" } type: %s }'
    return _conflict(tfdv, tmp, feature % "INT", feature % "FLOAT")


@case("sharded_stats")
def load_sharded_statistics_different_types(tfdv, data, tmp):
    feature = 'features { path { step: "f" } type: %s }'
    return _conflict(tfdv, tmp, feature % "STRING", feature % "FLOAT")


@case("sharded_stats")
def load_sharded_statistics_different_stats(tfdv, data, tmp):
    feature = 'features { path { step: "f" } %s {} }'
    return _conflict(tfdv, tmp, feature % "num_stats", feature % "string_stats")


@case("sharded_stats")
def load_sharded_statistics_different_cross_counts(tfdv, data, tmp):
    cross = 'cross_features { path_x { step: "a" } path_y { step: "b" } count: %d }'
    return _conflict(tfdv, tmp, cross % 5, cross % 6)


@case("sharded_stats")
def load_sharded_statistics_different_cross_stats(tfdv, data, tmp):
    cross = 'cross_features { path_x { step: "a" } path_y { step: "b" } %s {} }'
    return _conflict(tfdv, tmp, cross % "num_cross_stats", cross % "categorical_cross_stats")


@case("sharded_stats")
def load_sharded_statistics_name_and_path_are_different_features(tfdv, data, tmp):
    return _conflict(
        tfdv,
        tmp,
        'features { name: "a" type: STRING } features { path { step: "a" } type: FLOAT }',
        'features { name: "a" num_stats { mean: 1 } } features { path { step: "a" } }',
    )


@case("sharded_stats")
def default_sharded_output(tfdv, data, tmp):
    return [tfdv.default_sharded_output_supported(), tfdv.default_sharded_output_suffix()]


@case("sharded_stats")
def version_constants_and_types(tfdv, data, tmp):
    constants = tfdv.constants
    return [
        tfdv.__version__,
        tfdv.version.__version__,
        constants.DEFAULT_SLICE_KEY,
        constants.INVALID_SLICE_KEY,
        constants.NON_UTF8_PLACEHOLDER,
        constants.LARGE_BYTES_PLACEHOLDER,
        constants.DEFAULT_DESIRED_INPUT_BATCH_SIZE,
        tfdv.types.FeaturePath is tfdv.FeaturePath,
    ]


@case("stats_views")
def get_feature_stats_by_path(tfdv, data, tmp):
    _, statistics_pb2, _ = _pb()
    dataset = _stats(tfdv, data).datasets[0]
    feature = tfdv.get_feature_stats(dataset, tfdv.FeaturePath(["Slope"]))
    return [
        list(feature.path.step),
        statistics_pb2.FeatureNameStatistics.Type.Name(feature.type),
        feature.num_stats.min,
        feature.num_stats.max,
    ]


@case("stats_views")
def get_feature_stats_missing_feature(tfdv, data, tmp):
    return tfdv.get_feature_stats(_stats(tfdv, data).datasets[0], tfdv.FeaturePath(["Nope"]))


@case("stats_views")
def get_feature_stats_not_a_dataset(tfdv, data, tmp):
    return tfdv.get_feature_stats(_stats(tfdv, data), tfdv.FeaturePath(["Slope"]))


@case("stats_views")
def compare_slices_shows_two_slices(tfdv, data, tmp):
    return tfdv.compare_slices(_sliced(tfdv, data), "Flag_true", "All Examples")


@case("stats_views")
def compare_slices_unknown_slice(tfdv, data, tmp):
    return tfdv.compare_slices(_sliced(tfdv, data), "Flag_true", "Flag_maybe")


@case("inference")
def generate_dummy_schema_with_paths_nests_structs(tfdv, data, tmp):
    path = tfdv.FeaturePath
    paths = [path(["a", "b", "c"]), path(["z"]), path(["a", "d"]), path(["a"]), path([])]
    return _text(tfdv.generate_dummy_schema_with_paths(paths))


def _generator(tfdv, output: str = "", seen: list | None = None):
    """A user statistics generator: counts rows and sums Slope, reporting as custom stats."""
    from google.protobuf import text_format

    _, statistics_pb2, _ = _pb()

    class RowCounter(tfdv.CombinerStatsGenerator):
        def create_accumulator(self):
            return [0, 0]

        def add_input(self, accumulator, batch):
            if seen is not None:
                seen.append([(n, str(t)) for n, t in zip(batch.schema.names, batch.schema.types)])
            accumulator[0] += batch.num_rows
            if "Slope" in batch.schema.names:
                values = batch.column(batch.schema.names.index("Slope")).flatten()
                accumulator[1] += sum(v for v in values.to_pylist() if v is not None)
            return accumulator

        def merge_accumulators(self, accumulators):
            accumulators = list(accumulators)
            return [sum(a[0] for a in accumulators), sum(a[1] for a in accumulators)]

        def extract_output(self, accumulator):
            text = output or (
                'features { path { step: "Slope" } custom_stats { name: "rows" num: %d } '
                'custom_stats { name: "slope_sum" num: %d } } '
                'features { path { step: "made_up" } custom_stats { name: "note" str: "hi" } }'
            )
            if "%d" in text:
                text = text % tuple(accumulator)
            return text_format.Parse(text, statistics_pb2.DatasetFeatureStatistics())

    return RowCounter("row_counter")


def _custom(stats) -> dict:
    """Each data set's example count and the features' stats kind and custom statistics."""
    out = {}
    for dataset in stats.datasets:
        out[dataset.name] = [
            dataset.num_examples,
            round(dataset.weighted_num_examples, 6),
            [
                [
                    ".".join(f.path.step) or f.name,
                    f.WhichOneof("stats"),
                    [
                        [c.name, c.WhichOneof("val"), str(getattr(c, c.WhichOneof("val")))]
                        for c in f.custom_stats
                    ],
                ]
                for f in dataset.features
            ],
        ]
    return out


def _frame(data):
    import pandas as pd

    return pd.read_csv(data / "train.csv").head(50)


@case("stats_generators")
def combiner_generator_adds_custom_stats(tfdv, data, tmp):
    seen = []
    options = tfdv.StatsOptions(generators=[_generator(tfdv, seen=seen)])
    stats = tfdv.generate_statistics_from_dataframe(_frame(data), options)
    return [_custom(stats), seen]


@case("stats_generators")
def combiner_generator_without_default_generators(tfdv, data, tmp):
    options = tfdv.StatsOptions(generators=[_generator(tfdv)], add_default_generators=False)
    return _custom(tfdv.generate_statistics_from_dataframe(_frame(data), options))


@case("stats_generators")
def combiner_generator_with_allowlist_and_weight(tfdv, data, tmp):
    seen = []
    options = tfdv.StatsOptions(
        generators=[_generator(tfdv, seen=seen)],
        feature_allowlist=["Elevation", "Slope", "Flag", "Nope"],
        weight_feature="Elevation",
    )
    stats = tfdv.generate_statistics_from_dataframe(_frame(data), options)
    return [_custom(stats), [[name for name, _ in batch] for batch in seen]]


@case("stats_generators")
def combiner_generator_on_csv_slices(tfdv, data, tmp):
    options = tfdv.StatsOptions(
        generators=[_generator(tfdv)],
        experimental_slice_functions=[tfdv.experimental_get_feature_value_slicer({"Flag": None})],
        feature_allowlist=["Slope", "Flag"],
    )
    return _custom(
        tfdv.generate_statistics_from_csv(str(data / "train.csv"), stats_options=options)
    )


@case("stats_generators")
def combiner_generator_num_examples_conflict(tfdv, data, tmp):
    options = tfdv.StatsOptions(generators=[_generator(tfdv, "num_examples: 7")])
    return _custom(tfdv.generate_statistics_from_dataframe(_frame(data), options))


@case("stats_generators")
def combiner_generator_stats_conflict(tfdv, data, tmp):
    output = 'features { path { step: "Slope" } string_stats { unique: 1 } }'
    options = tfdv.StatsOptions(generators=[_generator(tfdv, output)])
    return _custom(tfdv.generate_statistics_from_dataframe(_frame(data), options))


@case("stats_generators")
def combiner_generator_not_implemented(tfdv, data, tmp):
    options = tfdv.StatsOptions(generators=[tfdv.CombinerStatsGenerator("bare")])
    return _custom(tfdv.generate_statistics_from_dataframe(_frame(data), options))


@case("stats_generators")
def combiner_generator_name_and_schema(tfdv, data, tmp):
    schema = _schema(tfdv, data)
    generator = tfdv.CombinerStatsGenerator("named", schema)
    return [generator.name, generator.schema is schema, tfdv.CombinerStatsGenerator("x").schema]


@case("stats_generators")
def stats_options_generator_not_a_generator(tfdv, data, tmp):
    return tfdv.StatsOptions(generators=[object()])


@case("stats_generators")
def stats_options_generators_not_a_list(tfdv, data, tmp):
    return tfdv.StatsOptions(generators=_generator(tfdv))


@case("stats_generators")
def stats_options_to_json_with_generators(tfdv, data, tmp):
    return tfdv.StatsOptions(generators=[_generator(tfdv)]).to_json()


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON values (tuples as lists, numpy scalars as Python numbers)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 6)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return jsonable(value.item())
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value
