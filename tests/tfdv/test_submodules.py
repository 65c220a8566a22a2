"""TFDV's public submodules (``utils.schema_util``, ``utils.display_util``, ``api.*``...) import
from ``datajourney.tfdv`` and answer as TFDV's do."""

from __future__ import annotations

import gzip

import pytest
from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import anomalies_pb2, path_pb2, schema_pb2, statistics_pb2

from datajourney.io import TFRecordWriter
from datajourney.stats.generators import BeamRequiredError
from datajourney.tfdv import types
from datajourney.tfdv.api import stats_api, validation_api
from datajourney.tfdv.statistics import stats_options
from datajourney.tfdv.statistics.generators import stats_generator
from datajourney.tfdv.utils import (
    anomalies_util,
    artifacts_io_impl,
    display_util,
    schema_util,
    slicing_util,
    stats_gen_lib,
    stats_util,
    validation_lib,
)

Type = anomalies_pb2.AnomalyInfo.Type
P = types.FeaturePath

SHOP = text_format.Parse(
    """
    feature { name: "basket" type: STRUCT struct_domain {
      feature { name: "sku" type: BYTES }
      feature { name: "qty" type: INT int_domain { min: 1 is_categorical: true } }
      feature { name: "photo" type: BYTES image_domain {} } } }
    feature { name: "store" type: BYTES domain: "stores" presence { min_fraction: 1 }
              value_count { min: 1 max: 1 } }
    feature { name: "rating" type: FLOAT float_domain { min: 0 max: 5 }
              presence { min_fraction: 0.5 } value_count { min: 2 } }
    feature { name: "member" type: INT bool_domain {} shape { dim { size: 1 } } }
    feature { name: "tier" type: BYTES string_domain { value: ["gold", "it's"]
              is_categorical: CATEGORICAL_NO } }
    feature { name: "weight" type: FLOAT float_domain { disallow_inf: true } }
    string_domain { name: "stores" value: ["north", "south"] is_categorical: CATEGORICAL_YES }
    """,
    schema_pb2.Schema(),
)


def test_the_submodules_offer_the_layers_functions():
    assert stats_options.StatsOptions().sample_rate is None
    assert stats_gen_lib.generate_statistics_from_dataframe is not None
    assert validation_lib.validate_examples_in_csv is not None
    assert slicing_util.get_feature_value_slicer is not None
    assert validation_api.infer_schema is not None and stats_api.default_sharded_output_suffix()
    assert issubclass(stats_generator.CombinerStatsGenerator, stats_generator.StatsGenerator)
    with pytest.raises(BeamRequiredError, match="GenerateStatistics"):
        _ = stats_api.GenerateStatistics
    with pytest.raises(AttributeError):
        _ = validation_api.no_such_function


def test_leaf_and_categorical_features_of_a_schema():
    leaves = [path for path, _ in schema_util.get_all_leaf_features(SHOP)]
    assert leaves[:3] == [P(["basket", "sku"]), P(["basket", "qty"]), P(["basket", "photo"])]
    assert P(["basket"]) not in leaves
    assert schema_util.get_categorical_features(SHOP) == {
        P(["basket", "sku"]),
        P(["basket", "qty"]),
        P(["basket", "photo"]),
        P(["store"]),
        P(["member"]),
        P(["tier"]),
    }
    assert schema_util.get_categorical_numeric_feature_types(SHOP) == {
        P(["basket", "qty"]): schema_pb2.INT,
        P(["member"]): schema_pb2.INT,
    }
    assert schema_util.get_bytes_features(SHOP) == [P(["basket", "photo"])]
    assert schema_util.get_bytes_features_categorical_value(SHOP) == {
        P(["basket", "sku"]): schema_pb2.StringDomain.CATEGORICAL_UNSPECIFIED,
        P(["store"]): schema_pb2.StringDomain.CATEGORICAL_YES,
        P(["tier"]): schema_pb2.StringDomain.CATEGORICAL_NO,
    }
    assert P(["store"]) not in schema_util.get_multivalent_features(SHOP)
    assert P(["member"]) not in schema_util.get_multivalent_features(SHOP)
    assert P(["rating"]) in schema_util.get_multivalent_features(SHOP)
    assert schema_util.look_up_feature("tier", SHOP.feature).name == "tier"
    assert schema_util.look_up_feature("nope", SHOP.feature) is None


def test_inconsistently_typed_duplicates_are_refused():
    schema = schema_pb2.Schema()
    schema.feature.add(name="x", type=schema_pb2.INT, int_domain={"is_categorical": True})
    schema.feature.add(name="x", type=schema_pb2.FLOAT)
    with pytest.raises(ValueError, match="inconsistently typed duplicates for x"):
        schema_util.get_categorical_numeric_feature_types(schema)


def test_feature_paths_through_non_struct_features_and_domain_checks():
    with pytest.raises(ValueError, match=r"Step store in feature store\.city does not refer"):
        schema_util.get_feature(SHOP, P(["store", "city"]))
    with pytest.raises(TypeError, match="domain is of type list"):
        schema_util.set_domain(SHOP, "no_such_feature", ["a"])
    with pytest.raises(TypeError, match="Could not set the domain of a STRUCT feature basket"):
        schema_util.set_domain(SHOP, "basket", schema_pb2.IntDomain())


def test_schema_dataframe_as_tfdv_lays_it_out():
    features, domains = display_util.get_schema_dataframe(SHOP)
    assert list(features.columns) == ["Type", "Presence", "Valency", "Domain"]
    rows = {name: tuple(row) for name, row in features.iterrows()}
    assert rows == {
        "'basket'": ("STRUCT", "", "", "-"),
        "'store'": ("STRING", "required", "single", "'stores'"),
        "'rating'": ("FLOAT", "optional", "[2,inf)", "min: 0.000000; max: 5.000000"),
        "'member'": ("INT", "", "", "-"),
        "'tier'": ("STRING", "", "", "'tier_domain'"),
        "'weight'": ("FLOAT", "", "", "-"),
    }
    assert dict(domains["Values"]) == {
        "'stores'": "'north', 'south'",
        "'tier_domain'": "'gold', 'it\\'s'",
    }
    with pytest.raises(TypeError, match="schema is of type dict"):
        display_util.get_schema_dataframe({})


def _anomalies() -> anomalies_pb2.Anomalies:
    return text_format.Parse(
        """
        anomaly_info { key: "age" value {
          short_description: "Multiple errors" description: "Too young. Not a number."
          reason { type: FEATURE_TYPE_LOW_NUMBER_VALUES short_description: "Young"
                   description: "Too young." }
          reason { type: INT_TYPE_NOT_INT_STRING short_description: "Text"
                   description: "Not a number." }
          diff_regions { removed { contents: "x" } } } }
        anomaly_info { key: "city" value {
          reason { type: ENUM_TYPE_UNEXPECTED_STRING_VALUES short_description: "New city"
                   description: "Unseen: Oslo." }
          reason { type: SCHEMA_MISSING_COLUMN short_description: "Gone"
                   description: "Column dropped." } } }
        dataset_anomaly_info { reason { type: DATASET_LOW_NUM_EXAMPLES
          short_description: "Few" description: "Only 3 rows." } }
        drift_skew_info { path { step: ["city"] } drift_measurements {
          type: L_INFTY value: 0.4 threshold: 0.1 } }
        """,
        anomalies_pb2.Anomalies(),
    )


def test_anomalies_and_drift_dataframes():
    frame = display_util.get_anomalies_dataframe(_anomalies())
    assert frame.index.name == "Feature name"
    assert frame.loc["'age'"].tolist() == ["Multiple errors", "Too young. Not a number."]
    assert frame.loc["'city'"].tolist() == ["New city; Gone", "Unseen: Oslo.; Column dropped."]
    assert frame.loc["[dataset anomaly]"].tolist() == ["Few", "Only 3 rows."]
    assert display_util.get_anomalies_dataframe(anomalies_pb2.Anomalies()).empty
    drift = display_util.get_drift_skew_dataframe(_anomalies())
    assert drift.reset_index().values.tolist() == [["city", "L_INFTY", 0.4, 0.1]]


def test_removing_anomaly_types_rebuilds_descriptions():
    anomalies = _anomalies()
    anomalies_util.remove_anomaly_types(
        anomalies,
        frozenset([Type.INT_TYPE_NOT_INT_STRING, Type.ENUM_TYPE_UNEXPECTED_STRING_VALUES]),
    )
    age = anomalies.anomaly_info["age"]
    assert (age.short_description, age.description) == ("Young", "Too young.")
    assert not age.diff_regions
    anomalies_util.remove_anomaly_types(anomalies, {Type.SCHEMA_MISSING_COLUMN})
    assert list(anomalies.anomaly_info) == ["age"]


def test_anomalies_slicer_and_binary_files(tmp_path):
    slicer = anomalies_util.get_anomalies_slicer(_anomalies())
    keys = sorted(key for key, _ in slicer("batch"))
    assert keys == [
        "age_FEATURE_TYPE_LOW_NUMBER_VALUES",
        "age_INT_TYPE_NOT_INT_STRING",
        "city_ENUM_TYPE_UNEXPECTED_STRING_VALUES",
        "city_SCHEMA_MISSING_COLUMN",
    ]
    path = tmp_path / "anomalies.pb"
    path.write_bytes(_anomalies().SerializeToString())
    assert anomalies_util.load_anomalies_binary(path) == _anomalies()
    path.write_bytes(b"\xff\xff\xff")
    with pytest.raises(ValueError, match=r"anomalies\.pb"):
        anomalies_util.load_anomalies_binary(path)


def test_stats_util_helpers(tmp_path):
    import numpy as np

    feature = statistics_pb2.FeatureNameStatistics(name="f")
    feature.custom_stats.add(name="ratio", num=0.25)
    feature.custom_stats.add(name="note", str="hello")
    assert stats_util.get_custom_stats(feature, "ratio") == 0.25
    assert stats_util.get_custom_stats(feature, "note") == "hello"
    with pytest.raises(ValueError, match="Custom statistics missing not found"):
        stats_util.get_custom_stats(feature, "missing")
    with pytest.raises(TypeError, match="feature_stats is of type str"):
        stats_util.get_custom_stats("f", "ratio")
    assert stats_util.maybe_get_utf8("é".encode()) == "é"
    assert stats_util.maybe_get_utf8(b"\xff") is None
    kinds = statistics_pb2.FeatureNameStatistics
    assert stats_util.get_feature_type(np.dtype("uint8")) == kinds.INT
    assert stats_util.get_feature_type(np.dtype("<U3")) == kinds.STRING
    assert stats_util.get_feature_type(np.dtype("bool")) is None

    stats = statistics_pb2.DatasetFeatureStatisticsList()
    stats.datasets.add(name="d", num_examples=7)
    with TFRecordWriter(tmp_path / "one") as writer:
        writer.write(stats.SerializeToString())
    assert stats_util.load_stats_tfrecord(str(tmp_path / "one")) == stats
    with TFRecordWriter(tmp_path / "two") as writer:
        writer.write(stats.SerializeToString())
        writer.write(stats.SerializeToString())
    with pytest.raises(ValueError, match="single record"):
        stats_util.load_stats_tfrecord(str(tmp_path / "two"))
    assert artifacts_io_impl.get_io_provider().file_suffix() == ".tfrecords"
    with pytest.raises(ValueError, match="parquet"):
        artifacts_io_impl.get_io_provider("parquet")


def test_feature_path_from_proto():
    assert P.from_proto(path_pb2.Path(step=["a", "b"])) == P(["a", "b"])


def test_csv_header_of_files(tmp_path):
    for name in ("x-1.csv.gz", "x-2.csv.gz"):
        with gzip.open(tmp_path / name, "wt") as f:
            f.write('"two\nlines";price\n"a";1\n')
    header = stats_gen_lib.get_csv_header(str(tmp_path / "x-*.csv.gz"), ";")
    assert header == ["two\nlines", "price"]
    (tmp_path / "other.csv").write_text("price;two\n")
    with pytest.raises(ValueError, match="different headers"):
        stats_gen_lib.get_csv_header(
            [str(tmp_path / "x-1.csv.gz"), str(tmp_path / "other.csv")], ";"
        )
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(ValueError, match="Found empty file"):
        stats_gen_lib.get_csv_header(str(tmp_path / "empty.csv"), ",")


def test_example_validation_without_a_schema_names_stats_options(tmp_path):
    (tmp_path / "a.csv").write_text("x\n1\n")
    with pytest.raises(ValueError, match="The specified stats_options must include a schema"):
        validation_lib.validate_examples_in_csv(
            str(tmp_path / "a.csv"), stats_options.StatsOptions()
        )


def test_slices_on_two_features_join_their_keys_with_an_underscore():
    import pyarrow as pa

    batch = pa.RecordBatch.from_arrays(
        [pa.array([[3], [4]]), pa.array([[b"red"], [b"blue"]])], ["size", "colour"]
    )
    slicer = slicing_util.get_feature_value_slicer({"size": None, "colour": None})
    # TFDV orders the parts by feature name
    assert sorted(key for key, _ in slicer(batch)) == ["colour_blue_size_4", "colour_red_size_3"]
