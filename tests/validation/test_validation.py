"""validate_statistics on hand-made situations (messages as real TFDV 1.16.1 words them)."""

from __future__ import annotations

import pytest
from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from datajourney.schema import get_feature, infer_schema
from datajourney.validation import (
    find_bad_examples,
    load_anomalies_text,
    validate_statistics,
    write_anomalies_text,
)
from tests.golden import tfdv_fixtures as golden

NAME = anomalies_pb2.AnomalyInfo.Type.Name


def stats(text: str, num_examples: int = 10) -> statistics_pb2.DatasetFeatureStatisticsList:
    result = statistics_pb2.DatasetFeatureStatisticsList()
    text_format.Parse(f"datasets {{ num_examples: {num_examples} {text} }}", result)
    return result


def int_feature(name: str, low: float, high: float) -> str:
    return (
        f'features {{ path {{ step: "{name}" }} type: INT num_stats {{ common_stats {{ '
        f"num_non_missing: 10 min_num_values: 1 max_num_values: 1 tot_num_values: 10 }} "
        f"min: {low} max: {high} }} }}"
    )


def string_feature(name: str, **counts: int) -> str:
    buckets = " ".join(f'buckets {{ label: "{k}" sample_count: {v} }}' for k, v in counts.items())
    total = sum(counts.values())
    return (
        f'features {{ path {{ step: "{name}" }} type: STRING string_stats {{ common_stats {{ '
        f"num_non_missing: {total} min_num_values: 1 max_num_values: 1 "
        f"tot_num_values: {total} }} "
        f"unique: {len(counts)} rank_histogram {{ {buckets} }} }} }}"
    )


def reasons(anomalies) -> dict[str, list[tuple[str, str]]]:
    return {
        name: [(NAME(r.type), r.description) for r in info.reason]
        for name, info in anomalies.anomaly_info.items()
    }


def test_booleans_are_inferred_and_checked():
    schema = infer_schema(stats(int_feature("b", 0, 1) + string_feature("s", **{"1": 5, "0": 5})))
    assert get_feature(schema, "b").HasField("bool_domain")
    assert get_feature(schema, "s").bool_domain.true_value == "1"
    found = validate_statistics(
        stats(int_feature("b", -1, 1) + string_feature("s", **{"0": 5, "maybe": 5})), schema
    )
    assert reasons(found) == {
        "b": [
            (
                "BOOL_TYPE_SMALL_INT",
                "Integers (such as -1) not in {0, 1}: converting to an integer.",
            )
        ],
        "s": [
            ("BOOL_TYPE_UNEXPECTED_STRING", 'Saw unexpected value "maybe" instead of {"0", "1"}.')
        ],
    }


def test_float_values_out_of_range_on_both_sides():
    schema = infer_schema(stats(int_feature("f", 0, 9).replace("INT", "FLOAT")))
    get_feature(schema, "f").float_domain.min = 0.2
    get_feature(schema, "f").float_domain.max = 0.5
    found = validate_statistics(stats(int_feature("f", 0, 0.9).replace("INT", "FLOAT")), schema)
    info = found.anomaly_info["f"]
    assert info.short_description == "Multiple errors"
    assert info.description == (
        "Unexpectedly low values: 0<0.2(upto six significant digits) "
        "Unexpectedly high value: 0.9>0.5(upto six significant digits)"
    )


def test_unexpected_strings_show_their_share():
    schema = infer_schema(stats(string_feature("s", a=10)))
    found = validate_statistics(stats(string_feature("s", a=976, p5=5, p16=16, p3=3), 1000), schema)
    assert found.anomaly_info["s"].description == (
        "Examples contain values missing from the schema: p16 (~1%), p3 (<1%), p5 (<1%). "
    )


def test_a_label_in_serving_data_is_a_column_missing_in_the_environment():
    schema = golden.schema("curated_env")
    found = validate_statistics(golden.statistics("train"), schema, environment="SERVING")
    info = found.anomaly_info["Cover_Type"]
    assert info.short_description == "Column missing in environment"
    assert NAME(info.reason[0].type) == "SCHEMA_NEW_COLUMN"


def test_an_unknown_environment_is_an_error():
    with pytest.raises(ValueError, match=r"PROD not found.*'TRAINING', 'SERVING'"):
        validate_statistics(
            golden.statistics("serving"), golden.schema("curated_env"), environment="PROD"
        )


def test_deprecated_features_are_not_checked():
    schema = golden.schema("train")
    get_feature(schema, "Hillshade_9am").lifecycle_stage = schema_pb2.DEPRECATED
    found = validate_statistics(golden.statistics("eval"), schema)
    assert "Hillshade_9am" not in found.anomaly_info
    assert "Aspect" in found.anomaly_info


def test_no_examples_means_data_missing():
    found = validate_statistics(stats("", num_examples=0), golden.schema("train"))
    assert found.data_missing and not found.anomaly_info


def test_a_comparator_without_the_other_data():
    schema = golden.schema("curated_cmp")
    serving = golden.statistics("serving")
    del serving.datasets[0].features[:]
    found = validate_statistics(
        golden.statistics("train"), schema, environment="TRAINING", serving_statistics=serving
    )
    assert reasons(found)["Wilderness_Area"] == [
        ("COMPARATOR_CONTROL_DATA_MISSING", "serving data is missing.")
    ]


def test_anomalies_text_round_trip(tmp_path):
    found = validate_statistics(golden.statistics("eval"), golden.schema("curated"))
    path = write_anomalies_text(found, tmp_path / "anomalies.pbtxt")
    assert load_anomalies_text(path) == found


def test_bad_rows_of_a_csv(tmp_path):
    data = tmp_path / "rows.csv"
    data.write_text(
        "Slope,Wilderness_Area,Ratio\n10,Rawah,0.5\n2054.5,Rawah,0.1\n70,Unknown,\n5,Cache,0.2\n"
    )
    schema = golden.schema("curated")
    bad = find_bad_examples(data, schema)
    found = {(b.row, b.feature, b.reason) for b in bad if b.feature != "Elevation"}
    assert {
        (1, "Slope", "INT_TYPE_NOT_INT_STRING"),
        (2, "Slope", "INT_TYPE_BIG_INT"),
        (2, "Wilderness_Area", "ENUM_TYPE_UNEXPECTED_STRING_VALUES"),
        (2, "Ratio", "FEATURE_TYPE_LOW_FRACTION_PRESENT"),
    } <= found
    assert not any(b.row == 3 and b.feature in ("Slope", "Wilderness_Area", "Ratio") for b in bad)
    assert {b.reason for b in bad if b.feature == "Elevation"} == {"SCHEMA_MISSING_COLUMN"}


def _text_stats(nl: statistics_pb2.NaturalLanguageStatistics | None):
    result = stats(string_feature("review", good=6, bad=4))
    if nl is not None:
        custom = result.datasets[0].features[0].custom_stats.add(name="nl_statistics")
        custom.any.Pack(nl)
    return result


def _text_schema(domain: str) -> schema_pb2.Schema:
    return text_format.Parse(
        f'feature {{ name: "review" type: BYTES natural_language_domain {{ {domain} }} }}',
        schema_pb2.Schema(),
    )


def test_natural_language_coverage_and_tokens_are_checked():
    nl = statistics_pb2.NaturalLanguageStatistics(feature_coverage=0.4, avg_token_length=2.5)
    nl.token_statistics.add(string_token="good", fraction_of_sequences=0.6)
    schema = _text_schema(
        "coverage { min_coverage: 0.5 min_avg_token_length: 2 } "
        'token_constraints { string_value: "good" max_fraction_of_sequences: 0.5 }'
    )
    info = validate_statistics(_text_stats(nl), schema).anomaly_info["review"]
    assert sorted(NAME(r.type) for r in info.reason) == [
        "FEATURE_COVERAGE_TOO_LOW",
        "SEQUENCE_VALUE_TOO_LARGE_FRACTION",
    ]
    assert "Fraction of tokens in the vocabulary: 0.4 is lower" in info.description


def test_natural_language_constraints_without_their_statistics_are_stats_not_available():
    schema = _text_schema("coverage { min_coverage: 0.5 }")
    info = validate_statistics(_text_stats(None), schema).anomaly_info["review"]
    assert [NAME(r.type) for r in info.reason] == ["STATS_NOT_AVAILABLE"]
    nl = statistics_pb2.NaturalLanguageStatistics(feature_coverage=0.9)
    unknown_token = _text_schema('token_constraints { string_value: "rare" min_per_sequence: 1 }')
    info = validate_statistics(_text_stats(nl), unknown_token).anomaly_info["review"]
    assert [NAME(r.type) for r in info.reason] == ["STATS_NOT_AVAILABLE"]
    assert not validate_statistics(_text_stats(nl), schema).anomaly_info


def test_nested_lists_are_checked_level_by_level():
    nested = statistics_pb2.DatasetFeatureStatisticsList()
    text_format.Parse((golden.ROOT / "statistics" / "nested.pbtxt").read_text(), nested)
    schema = infer_schema(nested, infer_feature_shape=False)
    assert not validate_statistics(nested, schema).anomaly_info
    assert not validate_statistics(nested, infer_schema(nested)).anomaly_info
    grid = get_feature(schema, "grid")
    grid.value_counts.value_count[1].max = 1
    info = validate_statistics(nested, schema).anomaly_info["grid"]
    assert [NAME(r.type) for r in info.reason] == ["FEATURE_TYPE_HIGH_NUMBER_VALUES"]
    assert info.reason[0].description.endswith("at nestedness level 1.")
    ragged = get_feature(schema, "ragged")
    ragged.ClearField("value_counts")
    ragged.value_count.min = 1
    info = validate_statistics(nested, schema).anomaly_info["ragged"]
    assert [NAME(r.type) for r in info.reason] == ["VALUE_NESTEDNESS_MISMATCH"]


def test_each_example_is_validated_alone_with_the_callers_options(tmp_path):
    from datajourney.stats import StatsOptions
    from datajourney.validation import validate_examples_in_csv, validate_instance

    schema = text_format.Parse(
        'feature { name: "n" type: INT int_domain { min: 0 max: 10 } presence { min_count: 5 } }'
        ' feature { name: "c" type: BYTES domain: "c" }'
        ' string_domain { name: "c" value: "a" value: "b" }',
        schema_pb2.Schema(),
    )
    data = tmp_path / "d.csv"
    data.write_text("n,c\n1,a\n11,b\n2,z\n12,z\n")
    options = StatsOptions(schema=schema, num_top_values=1)
    found = validate_examples_in_csv(str(data), options)
    assert {d.name: d.num_examples for d in found.datasets} == {
        "n_INT_TYPE_BIG_INT": 2,
        "c_ENUM_TYPE_UNEXPECTED_STRING_VALUES": 2,
    }
    # the options hold for the statistics of each slice (one top value)
    c = next(f for f in found.datasets[0].features if f.path.step[0] == "c")
    assert len(c.string_stats.top_values) == 1
    # presence counts are data-set checks: one example is never too few
    import pyarrow as pa

    one = validate_instance(pa.table({"n": [3], "c": ["a"]}), options)
    assert not one.anomaly_info
    with pytest.raises(ValueError, match="must include a schema"):
        validate_instance(pa.table({"n": [3]}), StatsOptions())


def test_custom_validations_add_their_reasons_as_tfdv():
    from datajourney.validation import CustomValidationConfig, custom_validate_statistics

    current = stats(int_feature("n", 0, 50) + string_feature("c", a=6, b=4))
    previous = stats(int_feature("n", 0, 20))
    config = text_format.Parse(
        """
        feature_validations {
          feature_path { step: "n" }
          validations { sql_expression: "feature.num_stats.max <= 40" severity: ERROR
                        description: "n stays small" }
          validations { sql_expression: "feature.num_stats.min >= 0" severity: ERROR
                        description: "never negative" }
        }
        feature_validations {
          feature_path { step: "c" }
          validations {
            sql_expression: "len(feature.string_stats.rank_histogram.buckets) = 2"
            severity: WARNING description: "two values" }
        }
        feature_pair_validations {
          feature_test_path { step: "n" } feature_base_path { step: "n" }
          validations {
            sql_expression: "feature_test.num_stats.max <= 2 * feature_base.num_stats.max"
            severity: ERROR description: "at most twice as big" }
        }
        """,
        CustomValidationConfig(),
    )
    schema = infer_schema(current)
    anomalies = validate_statistics(
        current, schema, previous_statistics=previous, custom_validation_config=config
    )
    info = anomalies.anomaly_info["n"]
    assert [(NAME(r.type), r.short_description) for r in info.reason] == [
        ("CUSTOM_VALIDATION", "n stays small"),
        ("CUSTOM_VALIDATION", "at most twice as big"),
    ]
    assert info.reason[0].description == (
        "Custom validation triggered anomaly. Query: feature.num_stats.max <= 40 "
        "Test dataset: default slice"
    )
    assert "c" not in anomalies.anomaly_info
    alone = custom_validate_statistics(current, text_format.MessageToString(config), previous)
    assert sorted(alone.anomaly_info) == ["n"]
    with pytest.raises(ValueError, match="base_statistics have not been specified"):
        custom_validate_statistics(current, config)
    # The SQL runs on a DuckDB connection of its own: the user's default one stays usable.
    import duckdb

    assert duckdb.sql("SELECT 42").fetchall() == [(42,)]
