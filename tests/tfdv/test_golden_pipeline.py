"""Data -> datajourney statistics -> schema and anomalies agree with what TFDV recorded."""

from __future__ import annotations

import pytest
from google.protobuf import text_format

import datajourney.tfdv as tfdv
from tests.golden import tfdv_fixtures as golden

MANIFEST = golden.manifest()


@pytest.fixture(scope="module")
def statistics():
    found = {}
    for name in MANIFEST["statistics"]:
        path = golden.data_path(name)
        read = (
            tfdv.generate_statistics_from_csv
            if path.suffix == ".csv"
            else tfdv.generate_statistics_from_tfrecord
        )
        found[name] = read(str(path))
    return found


def _by_name(schema) -> dict[str, str]:
    """Features and domains by name (the order of features follows the data reader)."""
    entries = {f"feature {f.name}": text_format.MessageToString(f) for f in schema.feature}
    entries.update(
        {f"domain {d.name}": text_format.MessageToString(d) for d in schema.string_domain}
    )
    return entries


INFERRED = sorted(k for k, v in MANIFEST["schemas"].items() if "lab" not in v and "update" not in v)


@pytest.mark.parametrize("name", INFERRED)
def test_schema_from_our_statistics_matches_tfdv(name, statistics):
    case = MANIFEST["schemas"][name]
    options = {k: case[k] for k in ("infer_feature_shape", "max_string_domain_size") if k in case}
    ours = tfdv.infer_schema(statistics[case["statistics"]], **options)
    assert _by_name(ours) == _by_name(golden.schema(name))


@pytest.mark.parametrize("name", sorted(MANIFEST["validations"]))
def test_anomaly_reasons_from_our_statistics_match_tfdv(name, statistics):
    case = MANIFEST["validations"][name]
    options = {
        k: (statistics[v] if k.endswith("_statistics") else v)
        for k, v in case.items()
        if k in ("environment", "previous_statistics", "serving_statistics")
    }
    ours = tfdv.validate_statistics(
        statistics[case["statistics"]], golden.schema(case["schema"]), **options
    )
    assert golden.reasons_by_feature(ours) == golden.reasons_by_feature(golden.anomalies(name))
