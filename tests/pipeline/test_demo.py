"""The demo finds the planted anomalies, and its second pass is served from cache."""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import anomalies_pb2

from datajourney.pipeline.components.example_gen import hash_split
from datajourney.pipeline.demo import run_demo


def reasons(anomalies, feature: str) -> set[str]:
    return {
        anomalies_pb2.AnomalyInfo.Type.Name(r.type) for r in anomalies.anomaly_info[feature].reason
    }


def test_demo_finds_the_planted_anomalies(store, workspace):
    result = run_demo(workspace / "demo", store, rows=400)
    assert [r.state for r in result.passes[0]] == ["COMPLETE"] * 6
    # the second pass finds the same raw files: it loads nothing and is served from cache
    assert result.landed[1].loaded == []
    assert [r.state for r in result.passes[1]] == ["CACHED"] * 6, result.passes[1]
    evaluation, serving = result.anomalies["eval"], result.anomalies["serving"]
    assert "ENUM_TYPE_UNEXPECTED_STRING_VALUES" in reasons(evaluation, "Soil_Type")
    assert "INT_TYPE_BIG_INT" in reasons(evaluation, "Hillshade_9am")
    assert "FEATURE_TYPE_LOW_FRACTION_PRESENT" in reasons(evaluation, "Elevation")
    assert set(serving.anomaly_info) == {"Slope"}  # the label is not expected in SERVING
    assert "INT_TYPE_BIG_INT" in reasons(serving, "Slope")
    assert "COMPARATOR_L_INFTY_HIGH" in reasons(result.skew_drift["skew"], "Wilderness_Area")
    assert "COMPARATOR_L_INFTY_HIGH" in reasons(result.skew_drift["drift"], "Soil_Type")
    assert "WarehouseExampleGen" in result.lineage and "ImportSchemaGen" in result.lineage
    # the pipeline read the warehouse tables, loaded from the raw files kept in the lake
    upstream = store.lineage(result.anomalies_artifact.id, "upstream").artifacts.values()
    data = workspace / "demo" / "data"
    assert {a.uri for a in upstream if a.type == "LakeEntry"} == {
        str(data / f"{split}.csv") for split in ("train", "eval", "serving")
    }
    tables = {a.properties["table"] for a in upstream if a.type == "WarehouseTableVersion"}
    assert tables == {"covertype.train", "covertype.eval", "covertype.serving"}
    report = result.report.read_text()
    assert "Unexpectedly large value" in report
    assert "Statistics: train against serving" in report  # what the skew check compares


def test_hash_split_is_deterministic_and_follows_ratios():
    import pyarrow as pa

    table = pa.table({"x": list(range(3000)), "y": ["a", "b", "c"] * 1000})
    first = hash_split(table, {"train": 3, "eval": 1})
    again = hash_split(table, {"train": 3, "eval": 1})
    assert first["train"].equals(again["train"])
    assert first["train"].num_rows + first["eval"].num_rows == 3000
    assert 0.70 < first["train"].num_rows / 3000 < 0.80
