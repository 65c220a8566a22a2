"""datajourney reproduces what real TFDV 1.16.1 recorded (tests/golden/tfdv)."""

from __future__ import annotations

import copy

import pytest
from google.protobuf import text_format

import datajourney.tfdv as dj_tfdv
from datajourney.schema import infer_schema, update_schema
from datajourney.validation import validate_statistics
from tests.golden import tfdv_fixtures as golden
from tests.golden import tfdv_lab

MANIFEST = golden.manifest()
INFERRED = {k: v for k, v in MANIFEST["schemas"].items() if "lab" not in v}
CURATED = {k: v for k, v in MANIFEST["schemas"].items() if "lab" in v}


def _show(message) -> str:
    return text_format.MessageToString(message)


@pytest.mark.parametrize("name", sorted(INFERRED))
def test_inferred_and_updated_schemas_match_tfdv(name):
    case = INFERRED[name]
    stats = golden.statistics(case["statistics"])
    if "update" in case:
        ours = update_schema(golden.schema(case["update"]), stats)
    else:
        options = {
            k: case[k] for k in ("infer_feature_shape", "max_string_domain_size") if k in case
        }
        ours = infer_schema(stats, **options)
    assert _show(ours) == _show(golden.schema(name))


@pytest.mark.parametrize("name", sorted(CURATED))
def test_lab_curation_through_the_drop_in_matches_tfdv(name):
    case = CURATED[name]
    schema = dj_tfdv.infer_schema(golden.statistics(case["base"]))
    for step in case["lab"]:
        schema = getattr(tfdv_lab, step)(dj_tfdv, copy.deepcopy(schema))
    assert _show(schema) == _show(golden.schema(name))


def _options(case: dict) -> dict:
    options = {}
    for key, value in case.items():
        if key == "environment":
            options[key] = value
        elif key.endswith("_statistics"):
            options[key] = golden.statistics(value)
    return options


@pytest.mark.parametrize("name", sorted(MANIFEST["validations"]))
def test_anomalies_match_tfdv(name):
    case = MANIFEST["validations"][name]
    ours = validate_statistics(
        golden.statistics(case["statistics"]), golden.schema(case["schema"]), **_options(case)
    )
    theirs = golden.anomalies(name)
    assert golden.reasons_by_feature(ours) == golden.reasons_by_feature(theirs)
    for found in (ours, theirs):  # measurements agree to rounding, everything else exactly
        for info in found.drift_skew_info:
            for measurement in (*info.drift_measurements, *info.skew_measurements):
                measurement.value = round(measurement.value, 9)
    assert _show(ours) == _show(theirs)


def test_every_anomaly_reason_type_in_the_fixtures_is_covered():
    seen = {
        t
        for name in MANIFEST["validations"]
        for types in golden.reasons_by_feature(golden.anomalies(name)).values()
        for t in types
    }
    expected = {
        "SCHEMA_MISSING_COLUMN",
        "SCHEMA_NEW_COLUMN",
        "UNEXPECTED_DATA_TYPE",
        "ENUM_TYPE_UNEXPECTED_STRING_VALUES",
        "INT_TYPE_BIG_INT",
        "FLOAT_TYPE_SMALL_FLOAT",
        "FEATURE_TYPE_LOW_FRACTION_PRESENT",
        "FEATURE_TYPE_LOW_NUMBER_PRESENT",
        "FEATURE_TYPE_HIGH_NUMBER_VALUES",
        "FEATURE_TYPE_LOW_NUMBER_VALUES",
        "INVALID_FEATURE_SHAPE",
        "COMPARATOR_L_INFTY_HIGH",
        "COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH",
    }
    assert expected <= seen
