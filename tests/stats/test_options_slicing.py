"""StatsOptions checks on slicing and sketches, slicing configs, and the value slicer's keys."""

from __future__ import annotations

import dataclasses
import logging

import pyarrow as pa
import pytest
from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.stats.dataset_views import FeaturePath
from datajourney.stats.generate import generate_statistics_from_dataframe
from datajourney.stats.options import StatsOptions
from datajourney.stats.slicing import get_feature_value_slicer
from datajourney.stats.slicing_config import (
    SlicingConfig,
    convert_slicing_config_to_slice_functions_and_sqls,
)


def _config(text: str) -> SlicingConfig:
    return text_format.Parse(text, SlicingConfig())


def _by_colour(batch):
    yield "one", batch


def test_older_names_are_aliases_and_only_one_name_may_be_given():
    options = StatsOptions()
    options.experimental_use_sketch_based_topk_uniques = True
    assert options.use_sketch_based_topk_uniques is True
    with pytest.raises(ValueError, match="at most one of use_sketch_based_topk_uniques"):
        StatsOptions(
            use_sketch_based_topk_uniques=True, experimental_use_sketch_based_topk_uniques=True
        )
    with pytest.raises(ValueError, match="only one of slice_functions"):
        StatsOptions(slice_functions=[_by_colour], experimental_slice_functions=[_by_colour])
    with pytest.raises(TypeError, match="should be a list"):
        StatsOptions(slice_functions={})
    # a copy keeps working: the older names are not fields of their own
    copied = dataclasses.replace(StatsOptions(experimental_slice_functions=[_by_colour]))
    assert copied.experimental_slice_functions == [_by_colour]


def test_categorical_float_needs_the_sketch_option():
    schema = text_format.Parse(
        'feature { name: "f" type: FLOAT float_domain { is_categorical: true } }',
        schema_pb2.Schema(),
    )
    with pytest.raises(ValueError, match="Categorical float features"):
        StatsOptions(schema=schema)
    assert StatsOptions(schema=schema, use_sketch_based_topk_uniques=True).schema == schema


def test_slicing_config_is_checked_against_the_other_slicing_options():
    keys = _config('slicing_specs { feature_keys: "colour" }')
    with pytest.raises(ValueError, match="slicing_config or experimental_slice_functions"):
        StatsOptions(slicing_config=keys, slice_functions=[_by_colour])
    with pytest.raises(ValueError, match="slicing_config or experimental_slice_sqls"):
        StatsOptions(slicing_config=keys, experimental_slice_sqls=["q"])
    mixed = _config(
        'slicing_specs { feature_keys: "colour" } '
        'slicing_specs { slice_keys_sql: "SELECT STRUCT(colour) FROM example.colour" }'
    )
    with pytest.raises(ValueError, match="slicing features or slicing sql"):
        StatsOptions(slicing_config=mixed)


def test_a_slicing_query_on_a_feature_the_schema_lacks_is_logged(caplog):
    pytest.importorskip("duckdb")
    schema = text_format.Parse('feature { name: "colour" type: BYTES }', schema_pb2.Schema())
    with caplog.at_level(logging.ERROR):
        StatsOptions(
            schema=schema,
            experimental_slice_sqls=["SELECT STRUCT(colour) FROM example.colour"],
        )
        assert not caplog.records
        StatsOptions(
            schema=schema, experimental_slice_sqls=["SELECT STRUCT(size) FROM example.size"]
        )
    assert len(caplog.records) == 1
    assert "One of the slice SQL query" in caplog.records[0].getMessage()


def test_slicing_config_and_weight_overrides_survive_json():
    config = _config('slicing_specs { feature_values { key: "colour" value: "red" } }')
    options = StatsOptions(
        slicing_config=config, per_feature_weight_override={FeaturePath(["a"]): "w"}
    )
    again = StatsOptions.from_json(options.to_json())
    assert again.slicing_config == config
    assert again.per_feature_weight_override == {FeaturePath(["a"]): "w"}
    assert again.example_weight_map.all_weight_features() == frozenset({"w"})


def test_slicing_config_slices_the_statistics():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"colour": ["red", "blue", "red"], "size": [1, 2, 3]})
    config = _config('slicing_specs { feature_values { key: "colour" value: "red" } }')
    stats = generate_statistics_from_dataframe(frame, StatsOptions(slicing_config=config))
    assert {d.name: d.num_examples for d in stats.datasets} == {
        "All Examples": 3,
        "colour_red": 2,
    }


def test_config_conversion_skips_the_whole_data_set_spec():
    functions, queries = convert_slicing_config_to_slice_functions_and_sqls(
        _config('slicing_specs {} slicing_specs { feature_keys: "a" } ')
    )
    assert (len(functions), queries) == (1, [])
    assert convert_slicing_config_to_slice_functions_and_sqls(None) == ([], [])


def test_value_slicer_keys_and_errors():
    batch = pa.RecordBatch.from_arrays(
        [pa.array([[1], [2, 1]]), pa.array([["x"], ["y"]])], ["n", "b"]
    )
    keys = [key for key, _ in get_feature_value_slicer({"missing": None, "n": None})(batch)]
    assert sorted(keys) == ["n_1", "n_2"]
    # parts follow the features' sorted names, whatever order they were given in
    keys = [key for key, _ in get_feature_value_slicer({"n": ["2"], "b": None})(batch)]
    assert keys == ["b_y_n_2"]
    with pytest.raises(ValueError, match="integer values"):
        list(get_feature_value_slicer({"n": ["2.5"]})(batch))
    bad = pa.RecordBatch.from_arrays([pa.array([[b"\xf0"]])], ["a"])
    with pytest.raises(ValueError, match="must be valid UTF-8"):
        list(get_feature_value_slicer({"a": None})(bad))
    with pytest.raises(NotImplementedError):
        get_feature_value_slicer({"a": [1.5]})
