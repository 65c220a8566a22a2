"""Anomaly reasons: TFDV's reason types with their short and long descriptions.

Short descriptions match TFDV's strings (users grep for them); long descriptions carry the same
facts (numbers formatted as TFDV does, up to six significant digits).
"""

from __future__ import annotations

from dataclasses import dataclass

from tensorflow_metadata.proto.v0 import anomalies_pb2

from datajourney.schema.limits import Breach

Type = anomalies_pb2.AnomalyInfo.Type

COLUMN_DROPPED = "Column dropped"
OUT_OF_RANGE = "Out-of-range values"
NON_BOOLEAN = "Non-boolean values"


@dataclass(frozen=True)
class Reason:
    """One reason a feature is anomalous."""

    type: int
    short_description: str
    description: str


def number(value: float) -> str:
    """A number as TFDV prints it (``%g``: six significant digits, no trailing zeros)."""
    return f"{value:g}"


def missing_column() -> Reason:
    return Reason(Type.SCHEMA_MISSING_COLUMN, COLUMN_DROPPED, "Column is completely missing")


def sparse_name_collision() -> Reason:
    """A sparse feature named as a plain feature (both would be one column of the input)."""
    return Reason(
        Type.SPARSE_FEATURE_NAME_COLLISION,
        "Sparse feature name collision",
        "Sparse feature name collides with another feature or sparse feature name.",
    )


def missing_type(string_domain: bool) -> Reason:
    """A schema feature without a type, present in the data (TFDV's text has no description)."""
    action = (
        "inferring the type to be BYTES, given the domain specified."
        if string_domain
        else "determine the type and set it, rather than deprecating."
    )
    return Reason(Type.FEATURE_MISSING_TYPE, f"unspecified type: {action}", "")


def weighted_name_collision() -> Reason:
    """A weighted feature named as a plain or sparse feature."""
    return Reason(
        Type.WEIGHTED_FEATURE_NAME_COLLISION,
        "Weighted feature name collision",
        "Weighted feature name collision.",
    )


def weighted_missing(part: str, count: float) -> Reason:
    """Examples of a weighted feature without its ``part`` ("weight" or "value") feature."""
    kind = (
        Type.WEIGHTED_FEATURE_MISSING_WEIGHT
        if part == "weight"
        else (Type.WEIGHTED_FEATURE_MISSING_VALUE)
    )
    return Reason(
        kind,
        f"Missing {part} feature",
        f"Found {number(count)} examples missing {part} feature.",
    )


def weighted_length_mismatch(low: float, high: float) -> Reason:
    return Reason(
        Type.WEIGHTED_FEATURE_LENGTH_MISMATCH,
        "Length mismatch between value and weight feature",
        f"Mismatch between weight and value feature with min_weight_length_diff = "
        f"{number(low)} and max_weight_length_diff = {number(high)}.",
    )


def sparse_missing_value(count: float) -> Reason:
    return Reason(
        Type.SPARSE_FEATURE_MISSING_VALUE,
        "Missing value feature",
        f"Found {number(count)} examples missing value feature",
    )


def sparse_missing_index(index: str, count: float) -> Reason:
    return Reason(
        Type.SPARSE_FEATURE_MISSING_INDEX,
        "Missing index feature",
        f"Found {number(count)} examples missing index feature: {index}",
    )


def sparse_length_mismatch(index: str, bound: str, diff: float) -> Reason:
    """The ``bound`` ("min" or "max") length difference of an index feature and the values."""
    return Reason(
        Type.SPARSE_FEATURE_LENGTH_MISMATCH,
        "Length mismatch between value and index feature",
        f"Mismatch between index feature: {index} and value column, with {bound}_length_diff = "
        f"{number(diff)}",
    )


def new_column() -> Reason:
    return Reason(
        Type.SCHEMA_NEW_COLUMN, "New column", "New column (column in data but not in schema)"
    )


def semantic_domain_update(name: str) -> Reason:
    """Statistics suggest a domain (``domain_info``) for a feature that has none."""
    return Reason(
        Type.SEMANTIC_DOMAIN_UPDATE,
        "Updated semantic domain",
        f"Updated semantic domain for feature: {name}",
    )


def not_in_environment(name: str, environment: str) -> Reason:
    return Reason(
        Type.SCHEMA_NEW_COLUMN,
        "Column missing in environment",
        f"New column {name} found in data but not in the environment {environment} in the schema.",
    )


def unexpected_type(expected: str, got: str) -> Reason:
    return Reason(
        Type.UNEXPECTED_DATA_TYPE,
        "Unexpected data type",
        f"Expected data of type: {expected} but got {got}",
    )


def low_count(minimum: int, actual: int) -> Reason:
    return Reason(
        Type.FEATURE_TYPE_LOW_NUMBER_PRESENT,
        COLUMN_DROPPED,
        "The feature was present in fewer examples than expected: "
        f"minimum count = {minimum}, actual = {actual}",
    )


def low_fraction(minimum: float, actual: float) -> Reason:
    return Reason(
        Type.FEATURE_TYPE_LOW_FRACTION_PRESENT,
        COLUMN_DROPPED,
        "The feature was present in fewer examples than expected: "
        f"minimum fraction = {minimum:f}, actual = {actual:f}",
    )


def unique_breached(breach: Breach) -> Reason:
    """A ``unique_constraints`` bound broken by the number of unique values."""
    bound, found = breach.limit, int(breach.observed)
    if breach.field == "min":
        return Reason(
            Type.FEATURE_TYPE_LOW_UNIQUE,
            "Low number of unique values",
            f"Expected at least {bound} unique values but found only {found}.",
        )
    return Reason(
        Type.FEATURE_TYPE_HIGH_UNIQUE,
        "High number of unique values",
        f"Expected no more than {bound} unique values but found {found}.",
    )


def unique_not_counted() -> Reason:
    return Reason(
        Type.FEATURE_TYPE_NO_UNIQUE,
        "No unique values",
        "UniqueConstraints specified for the feature, but unique values were not counted (i.e., "
        "feature is not string or categorical).",
    )


def shape_dropped() -> Reason:
    return Reason(
        Type.INVALID_FEATURE_SHAPE,
        "Feature shape dropped",
        "The feature has a shape, but it's not always present (if the feature is nested, then "
        "it should always be present at each nested level) or its value lengths vary.",
    )


def _at_level(level: int | None) -> str:
    return "." if level is None else f" at nestedness level {level}."


def too_few_values(level: int | None = None) -> Reason:
    return Reason(
        Type.FEATURE_TYPE_LOW_NUMBER_VALUES,
        "Missing values",
        f"Some examples have fewer values than expected{_at_level(level)}",
    )


def too_many_values(level: int | None = None) -> Reason:
    return Reason(
        Type.FEATURE_TYPE_HIGH_NUMBER_VALUES,
        "Superfluous values",
        f"Some examples have more values than expected{_at_level(level)}",
    )


def nestedness_mismatch(has_value_counts: bool) -> Reason:
    """The values' nesting differs from the schema's value_count / value_counts."""
    return Reason(
        Type.VALUE_NESTEDNESS_MISMATCH,
        "Mismatched value nest level",
        "The values have a different nest level than expected. Value counts will not be checked."
        if has_value_counts
        else "This feature has a value_count, but the nestedness level of the feature > 1. For "
        "features with nestedness levels greater than 1, value_counts, not value_count, should "
        "be specified.",
    )


def unexpected_strings(shares: dict[str, float | None]) -> Reason:
    """Values outside the domain with their share of all values (``shares`` in 0..1; None when
    the statistics give no value total, written "?" as TFDV does)."""
    listed = ", ".join(f"{value} ({_percent(share)})" for value, share in sorted(shares.items()))
    return Reason(
        Type.ENUM_TYPE_UNEXPECTED_STRING_VALUES,
        "Unexpected string values",
        f"Examples contain values missing from the schema: {listed}. ",
    )


def _percent(share: float | None) -> str:
    if share is None:
        return "?"
    percent = 100 * share
    return "<1%" if percent < 1 else f"~{int(percent)}%"


def small_int(value: int) -> Reason:
    return Reason(Type.INT_TYPE_SMALL_INT, OUT_OF_RANGE, f"Unexpectedly small value: {value}.")


def big_int(value: int) -> Reason:
    return Reason(Type.INT_TYPE_BIG_INT, OUT_OF_RANGE, f"Unexpectedly large value: {value}.")


def small_float(value: float, minimum: float) -> Reason:
    return Reason(
        Type.FLOAT_TYPE_SMALL_FLOAT,
        OUT_OF_RANGE,
        f"Unexpectedly low values: {number(value)}<{number(minimum)}(upto six significant digits)",
    )


def big_float(value: float, maximum: float) -> Reason:
    return Reason(
        Type.FLOAT_TYPE_BIG_FLOAT,
        OUT_OF_RANGE,
        f"Unexpectedly high value: {number(value)}>{number(maximum)}(upto six significant digits)",
    )


def non_boolean_int(value: int, too_big: bool) -> Reason:
    kind = Type.BOOL_TYPE_BIG_INT if too_big else Type.BOOL_TYPE_SMALL_INT
    return Reason(
        kind, NON_BOOLEAN, f"Integers (such as {value}) not in {{0, 1}}: converting to an integer."
    )


def non_boolean_string(value: str, true_value: str, false_value: str) -> Reason:
    return Reason(
        Type.BOOL_TYPE_UNEXPECTED_STRING,
        NON_BOOLEAN,
        f'Saw unexpected value "{value}" instead of {{"{false_value}", "{true_value}"}}.',
    )


def comparison_high(
    measure: str, sides: str, value: float, threshold: float, top_value: str | None
) -> Reason:
    """L-infinity (``top_value`` given) or Jensen-Shannon distance over its threshold.

    ``sides`` is "current and previous" (drift) or "training and serving" (skew).
    """
    if measure == "L_INFTY":
        kind, title = Type.COMPARATOR_L_INFTY_HIGH, "Linfty distance"
    else:
        kind, title = (
            Type.COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH,
            "approximate Jensen-Shannon divergence",
        )
    text = (
        f"The {title} between {sides} is {number(value)} (up to six significant digits), "
        f"above the threshold {number(threshold)}."
    )
    if top_value is not None:
        text += f" The feature value with maximum difference is: {top_value}"
    return Reason(kind, f"High {title} between {sides}", text)


def comparison_data_missing(side: str) -> Reason:
    """The other data set (``side``: "previous" or "serving") lacks the feature."""
    return Reason(
        Type.COMPARATOR_CONTROL_DATA_MISSING, f"{side} data missing", f"{side} data is missing."
    )
