"""Schema curation helpers, text files, environments, evolution."""

from __future__ import annotations

import pytest
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.schema import (
    get_domain,
    get_feature,
    in_environment,
    infer_schema,
    load_schema_text,
    schema_diff,
    set_domain,
    update_schema,
    write_schema_text,
)
from tests.golden import tfdv_fixtures as golden


@pytest.fixture
def schema() -> schema_pb2.Schema:
    return golden.schema("train")


def test_get_feature_returns_the_live_feature(schema):
    get_feature(schema, "Slope").presence.min_fraction = 0.5
    assert get_feature(schema, ["Slope"]).presence.min_fraction == 0.5


def test_get_feature_names_a_missing_feature(schema):
    with pytest.raises(ValueError, match="Feature nope not found in the schema"):
        get_feature(schema, "nope")


def test_get_domain_follows_named_and_inline_domains(schema):
    assert list(get_domain(schema, "Wilderness_Area").value) == [
        "Cache",
        "Comanche",
        "Neota",
        "Rawah",
    ]
    assert get_domain(schema, "Flag").true_value == "true"
    with pytest.raises(ValueError, match="has no domain"):
        get_domain(schema, "Slope")


def test_set_domain_replaces_a_named_domain(schema):
    set_domain(schema, "Wilderness_Area", schema_pb2.StringDomain(value=["x"]))
    feature = get_feature(schema, "Wilderness_Area")
    assert feature.WhichOneof("domain_info") == "string_domain"
    assert list(get_domain(schema, "Wilderness_Area").value) == ["x"]
    with pytest.raises(TypeError, match="IntDomain"):
        set_domain(schema, "Slope", b"0..60")


def test_schema_text_round_trip_returns_the_path(schema, tmp_path):
    path = write_schema_text(schema, tmp_path / "deep" / "schema.pbtxt")
    assert path == str(tmp_path / "deep" / "schema.pbtxt")
    assert load_schema_text(path) == schema


def test_loading_a_malformed_schema_names_the_file(tmp_path):
    bad = tmp_path / "schema.pbtxt"
    bad.write_text("feature { nme: 1 }")
    with pytest.raises(ValueError, match=r"schema\.pbtxt"):
        load_schema_text(bad)


def test_environments(schema):
    schema.default_environment.extend(["TRAINING", "SERVING"])
    label = get_feature(schema, "Cover_Type")
    label.not_in_environment.append("SERVING")
    assert in_environment(schema, label, "TRAINING")
    assert not in_environment(schema, label, "SERVING")
    assert in_environment(schema, label, None)
    extra = get_feature(schema, "Comment")
    del schema.default_environment[:]
    extra.in_environment.append("DEBUG")
    assert in_environment(schema, extra, "DEBUG")
    assert not in_environment(schema, extra, "TRAINING")


def test_infer_schema_needs_a_data_set():
    with pytest.raises(ValueError, match="no data set"):
        infer_schema(statistics_pb2.DatasetFeatureStatisticsList())
    with pytest.raises(TypeError, match="DatasetFeatureStatisticsList"):
        infer_schema("train.csv")


def test_update_schema_leaves_its_input_alone(schema):
    before = schema_pb2.Schema()
    before.CopyFrom(schema)
    updated = update_schema(schema, golden.statistics("eval"))
    assert schema == before
    assert get_feature(updated, "Hillshade_9am").lifecycle_stage == schema_pb2.DEPRECATED


def test_schema_diff_reports_evolution(schema):
    updated = update_schema(schema, golden.statistics("eval"))
    diff = schema_diff(schema, updated)
    assert diff.added == ["Aspect"]
    assert diff.removed == []
    changes = {(c.feature, c.aspect): c for c in diff.changed}
    assert changes[("Wilderness_Area", "domain")].after == "5 values (+Unknown)"
    assert changes[("Hillshade_9am", "lifecycle_stage")].after == "DEPRECATED"
    assert "+ Aspect" in str(diff)
    assert not schema_diff(schema, schema)
