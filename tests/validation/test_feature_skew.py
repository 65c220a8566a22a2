"""Feature skew between examples joined by identifiers (TFDV's DetectFeatureSkew semantics)."""

from __future__ import annotations

import pytest

from datajourney.io.proto.example_pb2 import Example
from datajourney.validation.feature_skew import (
    detect_feature_skew,
    get_confusion_count_dataframes,
    get_match_stats_dataframe,
    get_skew_result_dataframe,
)


def example(**features) -> Example:
    result = Example()
    for name, values in features.items():
        feature = result.features.feature[name]
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, bytes):
                feature.bytes_list.value.append(value)
            elif isinstance(value, float):
                feature.float_list.value.append(value)
            else:
                feature.int64_list.value.append(value)
    return result


def test_skew_per_feature_pairs_and_match_stats():
    base = [
        example(id=1, same=5, skewed=0, close=1.12345, base_only=7, color=b"red"),
        example(id=2, same=5, skewed=0, close=1.12345, base_only=7, color=b"red"),
        example(id=3, same=5),
        example(same=5),  # no identifier
    ]
    test = [
        example(id=1, same=5, skewed=1, close=1.12456, test_only=8, color=b"red"),
        example(id=2, same=5, skewed=1, close=1.12456, test_only=8, color=b"blue"),
        example(id=4, same=5),
    ]
    found = detect_feature_skew(base, test, ["id"], sample_size=1, confusion_configs=["color"])
    table = get_skew_result_dataframe(found.skew_results).set_index("feature_name")
    assert table.loc["same"].tolist() == [2, 2, 2, 0, 0, 0, 0]
    assert table.loc["skewed"].tolist() == [2, 2, 0, 0, 0, 2, 2]
    assert table.loc["close"].tolist() == [2, 2, 0, 0, 0, 2, 2]
    assert table.loc["base_only"].tolist() == [2, 0, 0, 2, 0, 0, 2]
    assert table.loc["test_only"].tolist() == [0, 2, 0, 0, 2, 0, 2]
    assert "id" not in table.index
    (pair,) = found.skew_pairs
    assert sorted(pair.mismatched_features) == ["close", "skewed"]
    assert list(pair.base_only_features) == ["base_only"]
    assert Example.FromString(pair.base).features.feature["id"].int64_list.value == [1]
    stats = get_match_stats_dataframe(found.match_stats).iloc[0].to_dict()
    assert stats == {
        "base_with_id_count": 3,
        "test_with_id_count": 3,
        "identifiers_count": 4,
        "ids_missing_in_base_count": 1,
        "ids_missing_in_test_count": 1,
        "matching_pairs_count": 2,
        "base_missing_id_count": 1,
        "test_missing_id_count": 0,
        "duplicate_id_count": 0,
    }
    confusion = get_confusion_count_dataframes(found.confusion_counts)["color"]
    assert confusion.values.tolist() == [[b"red", b"blue", 1, 2, 1]]
    rounded = detect_feature_skew(base, test, ["id"], float_round_ndigits=2)
    close = get_skew_result_dataframe(rounded.skew_results).set_index("feature_name")
    assert close.loc["close", "match_count"] == 2


def test_duplicate_identifiers_are_skipped_unless_allowed():
    base = [example(id=1, v=1), example(id=1, v=2)]
    test = [example(id=1, v=1)]
    skipped = detect_feature_skew(base, test, ["id"])
    assert skipped.skew_results == [] and skipped.match_stats.duplicate_id_count == 1
    allowed = detect_feature_skew(base, test, ["id"], allow_duplicate_identifiers=True)
    v = get_skew_result_dataframe(allowed.skew_results).set_index("feature_name").loc["v"]
    assert (v["match_count"], v["mismatch_count"]) == (1, 1)
    with pytest.raises(ValueError, match="At least one feature name"):
        detect_feature_skew(base, test, [])
