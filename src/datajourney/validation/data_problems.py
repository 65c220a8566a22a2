"""Bad data recorded in the statistics (see :mod:`datajourney.stats.problems`) as anomalies.

Values that do not parse as the schema's type, values of another type, rows with the wrong
number of fields and empty files each become a reason with a count and examples; TFDV crashes
or drops them instead. Reason types: ``INT_TYPE_NOT_INT_STRING`` / ``FLOAT_TYPE_STRING_NOT_FLOAT``
for unparsable numbers, ``UNEXPECTED_DATA_TYPE`` for other type problems, ``UNKNOWN_TYPE`` on the
data set for row-level problems.
"""

from __future__ import annotations

from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from datajourney.io.problems import DataProblem
from datajourney.stats.problems import data_problems
from datajourney.validation.reasons import Reason, Type

_SHORT = {
    "unparsable_value": "Unparsable values",
    "type_mismatch": "Unexpected data type",
    "wrong_field_count": "Malformed rows",
    "empty_file": "Empty file",
    "missing_weight": "Missing weight",
}


def _reason(problem: DataProblem, feature: schema_pb2.Feature | None) -> Reason:
    kind = Type.UNKNOWN_TYPE if feature is None else Type.UNEXPECTED_DATA_TYPE
    if problem.kind == "unparsable_value" and feature is not None:
        kind = {
            schema_pb2.INT: Type.INT_TYPE_NOT_INT_STRING,
            schema_pb2.FLOAT: Type.FLOAT_TYPE_STRING_NOT_FLOAT,
        }.get(feature.type, kind)
    text = f"{problem.kind.replace('_', ' ').capitalize()}: {problem.count}"
    if problem.detail:
        text += f" ({problem.detail})"
    examples = ", ".join(
        f"{e.value!r} ({e.location})" if e.location else repr(e.value) for e in problem.examples
    )
    text += (f", e.g. {examples}" if examples else "") + "."
    return Reason(kind, _SHORT.get(problem.kind, "Bad data"), text)


def problem_reasons(
    dataset: statistics_pb2.DatasetFeatureStatistics,
    features: dict[str, schema_pb2.Feature],
) -> dict[str | None, list[Reason]]:
    """Feature name (None: the data set) -> the reasons its recorded data problems give."""
    found: dict[str | None, list[Reason]] = {}
    for problem in data_problems(dataset):
        feature = features.get(problem.feature) if problem.feature is not None else None
        found.setdefault(problem.feature, []).append(_reason(problem, feature))
    return found
