"""Data problems stored inside the statistics, where validation finds them.

Problems travel with the statistics (text or binary files keep them) as ``custom_stats``:

- on a feature: ``custom_stats { name: "datajourney.data_problems" str: "<JSON>" }`` lists that
  feature's problems (``unparsable_value``, ``type_mismatch``, ``missing_weight``);
- row-level problems (``wrong_field_count``, ``empty_file``) go on the first feature of the
  data set under ``"datajourney.row_problems"``.

The JSON is a list of ``{"kind", "count", "detail", "examples": [{"value", "location"}]}``.
Read them back with :func:`data_problems`.
"""

from __future__ import annotations

import json

from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.io.problems import DataProblem, ProblemExample, ProblemLog

FEATURE_PROBLEMS = "datajourney.data_problems"
ROW_PROBLEMS = "datajourney.row_problems"
#: The weight feature is missing in an example (its weight counts as 0).
MISSING_WEIGHT = "missing_weight"


def _encode(problems: list[DataProblem]) -> str:
    return json.dumps(
        [
            {
                "kind": p.kind,
                "count": p.count,
                "detail": p.detail,
                "examples": [{"value": e.value, "location": e.location} for e in p.examples],
            }
            for p in problems
        ]
    )


def _decode(text: str, feature: str | None) -> list[DataProblem]:
    return [
        DataProblem(
            item["kind"],
            feature,
            item["count"],
            item.get("detail", ""),
            [ProblemExample(e["value"], e.get("location", "")) for e in item.get("examples", [])],
        )
        for item in json.loads(text)
    ]


def feature_name(feature: statistics_pb2.FeatureNameStatistics) -> str:
    """The feature's name: its path steps joined by ``.``, or its legacy ``name``."""
    return ".".join(feature.path.step) if feature.path.step else feature.name


def attach_problems(dataset: statistics_pb2.DatasetFeatureStatistics, log: ProblemLog) -> None:
    """Store ``log`` in the custom statistics of ``dataset``'s features."""
    for feature in dataset.features:
        problems = log.for_feature(feature_name(feature))
        if problems:
            feature.custom_stats.add(name=FEATURE_PROBLEMS, str=_encode(problems))
    rows = log.for_feature(None)
    if rows and dataset.features:
        dataset.features[0].custom_stats.add(name=ROW_PROBLEMS, str=_encode(rows))


def data_problems(dataset: statistics_pb2.DatasetFeatureStatistics) -> list[DataProblem]:
    """The data problems recorded in ``dataset``: per feature, then row-level (feature None)."""
    found: list[DataProblem] = []
    rows: list[DataProblem] = []
    for feature in dataset.features:
        for custom in feature.custom_stats:
            if custom.name == FEATURE_PROBLEMS:
                found.extend(_decode(custom.str, feature_name(feature)))
            elif custom.name == ROW_PROBLEMS and not rows:
                rows = _decode(custom.str, None)
    return found + rows
