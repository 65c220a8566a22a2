"""Feature skew between two sets of tf.Examples joined by identifier features (TFDV's
``DetectFeatureSkew``, without Beam), and TFDV's dataframes of its results.

Examples are joined on the values of ``identifier_features``; for every joined pair, each
feature (but ``features_to_ignore``) is a match (same values, floats rounded to
``float_round_ndigits`` when given; absent or empty on both sides), a mismatch, or present on one
side only. Results are TFDV's messages (``tensorflow.data_validation.FeatureSkew``,
``SkewPair``, ``MatchStats``, ``ConfusionCount``: same names and fields, so TFDV's files read).
"""

from __future__ import annotations

import collections
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import FieldDescriptor

from datajourney.io.proto.example_pb2 import Example, Feature
from datajourney.validation.proto_pool import file_of, registered_messages

_PACKAGE = "tensorflow.data_validation"
_FILE = "tensorflow_data_validation/skew/protos/feature_skew_results.proto"


def _messages() -> dict[str, type]:
    return registered_messages(
        _FILE, _PACKAGE, _declare, ("FeatureSkew", "SkewPair", "ConfusionCount", "MatchStats")
    )


def _declare() -> descriptor_pb2.FileDescriptorProto:
    u64, text, raw = (
        FieldDescriptor.TYPE_UINT64,
        FieldDescriptor.TYPE_STRING,
        FieldDescriptor.TYPE_BYTES,
    )
    one, many = FieldDescriptor.LABEL_OPTIONAL, FieldDescriptor.LABEL_REPEATED
    value = f".{_PACKAGE}.ConfusionCount.Value"
    skew_counts = "base_count test_count match_count base_only test_only mismatch_count diff_count"
    pair_lists = "base_only_features test_only_features matched_features mismatched_features"
    match_counts = (
        "base_with_id_count test_with_id_count identifiers_count ids_missing_in_base_count "
        "ids_missing_in_test_count matching_pairs_count base_missing_id_count "
        "test_missing_id_count duplicate_id_count"
    )
    layout: dict[str, list[tuple]] = {
        "FeatureSkew": [("feature_name", 1, text, one), *_numbered(skew_counts, 2, u64, one)],
        "SkewPair": [
            ("base", 1, raw, one),
            ("test", 2, raw, one),
            *_numbered(pair_lists, 3, text, many),
        ],
        "ConfusionCount": [
            ("feature_name", 1, text, one),
            ("base", 2, FieldDescriptor.TYPE_MESSAGE, one, value),
            ("test", 3, FieldDescriptor.TYPE_MESSAGE, one, value),
            ("count", 4, u64, one),
        ],
        "MatchStats": _numbered(match_counts, 1, u64, one),
    }
    file = file_of(_FILE, _PACKAGE, "proto3", layout)
    [confusion] = [m for m in file.message_type if m.name == "ConfusionCount"]
    confusion.nested_type.add(name="Value").field.add(
        name="bytes_value", number=1, type=raw, label=one
    )
    return file


def _numbered(names: str, first: int, field_type: int, label: int) -> list[tuple]:
    """Fields (``names`` split at spaces) of one type and label, numbered from ``first``."""
    numbered = enumerate(names.split(), start=first)
    return [(name, number, field_type, label) for number, name in numbered]


_MESSAGES = _messages()
FeatureSkew = _MESSAGES["FeatureSkew"]
SkewPair = _MESSAGES["SkewPair"]
ConfusionCount = _MESSAGES["ConfusionCount"]
MatchStats = _MESSAGES["MatchStats"]


@dataclass
class FeatureSkewResults:
    """What :func:`detect_feature_skew` finds (TFDV's outputs of ``DetectFeatureSkew``)."""

    skew_results: list = field(default_factory=list)
    skew_pairs: list = field(default_factory=list)
    match_stats: Any = None
    confusion_counts: list = field(default_factory=list)


def _examples(data: Any) -> Iterable[Example]:
    if isinstance(data, (str, os.PathLike)):
        from datajourney.io.source import expand_paths
        from datajourney.io.tfrecord import iter_records

        for path in expand_paths(data):
            for record in iter_records(path):
                yield Example.FromString(record)
        return
    for item in data:
        if isinstance(item, bytes):
            yield Example.FromString(item)
        elif isinstance(item, Example):
            yield item
        else:  # TensorFlow's own tf.train.Example
            yield Example.FromString(item.SerializeToString())


def _empty(feature: Feature | None) -> bool:
    if feature is None:
        return True
    return not (feature.bytes_list.value or feature.int64_list.value or feature.float_list.value)


def _key(feature: Feature, digits: int | None) -> tuple:
    kind = feature.WhichOneof("kind")
    values = list(getattr(feature, kind).value) if kind else []
    if kind == "float_list" and digits is not None:
        values = [round(v, digits) for v in values]
    return (kind, tuple(values))


def _pair_skew(
    base: Example, test: Example, ignore: set[str], digits: int | None
) -> list[tuple[str, str]]:
    """(feature, outcome) of each feature of a joined pair: match, mismatch, base_only,
    test_only."""
    names = (set(base.features.feature) | set(test.features.feature)) - ignore
    found = []
    for name in sorted(names):
        b = base.features.feature.get(name)
        t = test.features.feature.get(name)
        if not _empty(b) and not _empty(t):
            outcome = "match" if _key(b, digits) == _key(t, digits) else "mismatch"
        elif not _empty(b):
            outcome = "base_only"
        elif not _empty(t):
            outcome = "test_only"
        else:
            outcome = "match" if (b is None) == (t is None) else "none"
        found.append((name, outcome))
    return found


def _confusion_value(example: Example, name: str) -> bytes | None:
    feature = example.features.feature.get(name)
    if _empty(feature):
        return None
    if feature.WhichOneof("kind") != "bytes_list":
        raise ValueError(
            f"{feature.WhichOneof('kind')} features unsupported for confusion analysis."
        )
    if len(feature.bytes_list.value) > 1:
        raise ValueError("multivalent features unsupported for confusion analysis.")
    return feature.bytes_list.value[0]


def detect_feature_skew(
    base_examples: Any,
    test_examples: Any,
    identifier_features: Sequence[str],
    features_to_ignore: Sequence[str] | None = None,
    sample_size: int = 0,
    float_round_ndigits: int | None = None,
    allow_duplicate_identifiers: bool = False,
    confusion_configs: Sequence[Any] = (),
) -> FeatureSkewResults:
    """Feature skew between ``base_examples`` and ``test_examples`` (tf.Examples, serialized
    records, or TFRecord paths / globs) joined on ``identifier_features``, as TFDV's
    ``DetectFeatureSkew``: per-feature results, up to ``sample_size`` skewed pairs (the first
    found), match statistics, and confusion counts of the features named by
    ``confusion_configs`` (names, or objects with a ``name``)."""
    if not identifier_features:
        raise ValueError("At least one feature name must be specified in identifier_features.")
    ids = sorted(identifier_features)
    ignore = set(features_to_ignore or ()) | set(identifier_features)
    stats = MatchStats()
    groups: dict[tuple, tuple[list, list]] = {}
    for side, data in ((0, base_examples), (1, test_examples)):
        for example in _examples(data):
            features = [example.features.feature.get(n) for n in ids]
            if any(_empty(f) for f in features):
                if side == 0:
                    stats.base_missing_id_count += 1
                else:
                    stats.test_missing_id_count += 1
                continue
            key = tuple(_key(f, float_round_ndigits) for f in features)
            groups.setdefault(key, ([], []))[side].append(example)
    totals: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    pairs: list = []
    confusion: collections.Counter = collections.Counter()
    names = [getattr(c, "name", c) for c in confusion_configs]
    for base, test in groups.values():
        stats.base_with_id_count += len(base)
        stats.test_with_id_count += len(test)
        stats.identifiers_count += 1
        stats.ids_missing_in_base_count += 0 if base else 1
        stats.ids_missing_in_test_count += 0 if test else 1
        stats.matching_pairs_count += len(base) * len(test)
        duplicate = len(base) > 1 or len(test) > 1
        stats.duplicate_id_count += int(duplicate)
        if duplicate and not allow_duplicate_identifiers:
            continue
        for b in base:
            for t in test:
                outcomes = _pair_skew(b, t, ignore, float_round_ndigits)
                for name, outcome in outcomes:
                    counts = totals[name]
                    counts["base_count"] += outcome in ("match", "mismatch", "base_only") and not (
                        outcome == "match" and _empty(b.features.feature.get(name))
                    )
                    counts["test_count"] += outcome in ("match", "mismatch", "test_only") and not (
                        outcome == "match" and _empty(t.features.feature.get(name))
                    )
                    if outcome != "none":
                        counts[f"{outcome}_count" if "only" not in outcome else outcome] += 1
                if len(pairs) < sample_size and any(o != "match" for _, o in outcomes):
                    pair = SkewPair(base=b.SerializeToString(), test=t.SerializeToString())
                    for name, outcome in outcomes:
                        target = {
                            "match": pair.matched_features,
                            "mismatch": pair.mismatched_features,
                            "base_only": pair.base_only_features,
                            "test_only": pair.test_only_features,
                        }.get(outcome)
                        if target is not None:
                            target.append(name)
                    pairs.append(pair)
                for name in names:
                    confusion[(name, _confusion_value(b, name), _confusion_value(t, name))] += 1
    results = []
    for name in sorted(totals):
        counts = totals[name]
        skew = FeatureSkew(feature_name=name)
        for key in (
            "base_count",
            "test_count",
            "match_count",
            "base_only",
            "test_only",
            "mismatch_count",
        ):
            setattr(skew, key, int(counts[key]))
        skew.diff_count = skew.base_only + skew.test_only + skew.mismatch_count
        results.append(skew)
    counts_out = []
    for (name, base_value, test_value), count in sorted(
        confusion.items(), key=lambda item: (item[0][0], item[0][1] or b"", item[0][2] or b"")
    ):
        entry = ConfusionCount(feature_name=name, count=count)
        if base_value is not None:
            entry.base.bytes_value = base_value
        else:
            entry.base.SetInParent()
        if test_value is not None:
            entry.test.bytes_value = test_value
        else:
            entry.test.SetInParent()
        counts_out.append(entry)
    return FeatureSkewResults(results, pairs, stats, counts_out)


def get_skew_result_dataframe(skew_results: Iterable[Any]) -> Any:
    """TFDV's dataframe of ``FeatureSkew`` results (one row per feature, by name)."""
    import pandas as pd

    columns = [
        "feature_name",
        "base_count",
        "test_count",
        "match_count",
        "base_only",
        "test_only",
        "mismatch_count",
        "diff_count",
    ]
    rows = [tuple(getattr(s, c) for c in columns) for s in skew_results]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("feature_name").reset_index(drop=True)


def get_match_stats_dataframe(match_stats: Any) -> Any:
    """TFDV's one-row dataframe of ``MatchStats``."""
    import pandas as pd

    columns = [
        "base_with_id_count",
        "test_with_id_count",
        "identifiers_count",
        "ids_missing_in_base_count",
        "ids_missing_in_test_count",
        "matching_pairs_count",
        "base_missing_id_count",
        "test_missing_id_count",
        "duplicate_id_count",
    ]
    return pd.DataFrame({c: [getattr(match_stats, c)] for c in columns})


def get_confusion_count_dataframes(confusion: Iterable[Any]) -> dict[str, Any]:
    """TFDV's dataframes of ``ConfusionCount``s, per feature: each pair of different values
    with its count and the count of each value on its side."""
    import pandas as pd

    per_feature: dict[str, list] = collections.defaultdict(list)
    for entry in confusion:
        per_feature[entry.feature_name].append(entry)
    frames = {}
    for name, entries in per_feature.items():
        base_totals: collections.Counter = collections.Counter()
        test_totals: collections.Counter = collections.Counter()
        rows = []
        for entry in entries:
            base_totals[entry.base.bytes_value] += entry.count
            test_totals[entry.test.bytes_value] += entry.count
            rows.append((entry.base.bytes_value, entry.test.bytes_value, entry.count))
        frame = pd.DataFrame(rows, columns=("Base value", "Test value", "Pair count"))
        frame["Base count"] = frame["Base value"].map(base_totals)
        frame["Test count"] = frame["Test value"].map(test_totals)
        frame["Fraction of base"] = frame["Pair count"] / frame["Base count"]
        frame = (
            frame[frame["Base value"] != frame["Test value"]]
            .sort_values(["Base value", "Fraction of base"])
            .reset_index(drop=True)
        )
        frames[name] = frame[["Base value", "Test value", "Pair count", "Base count", "Test count"]]
    return frames
