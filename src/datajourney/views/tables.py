"""Schemas, anomalies and statistics as plain tables (header + rows of strings).

The HTML and terminal renderers draw these same tables, so a notebook and a terminal show the
same facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from datajourney.io.problems import EMPTY_FILE, WRONG_FIELD_COUNT
from datajourney.schema.features import iter_features
from datajourney.schema.statistics_view import FeatureView, features_of
from datajourney.stats.problems import data_problems
from datajourney.stats.values import ESTIMATED_UNIQUES


@dataclass(frozen=True)
class Table:
    """A titled table of strings."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4g}" if abs(value) >= 1e4 or abs(value) < 1e-3 else f"{value:.4f}".rstrip("0")


def _type_name(feature: schema_pb2.Feature) -> str:
    name = schema_pb2.FeatureType.Name(feature.type)
    return "STRING" if name == "BYTES" and feature.WhichOneof("domain_info") == "domain" else name


def _presence(feature: schema_pb2.Feature) -> str:
    if feature.presence.min_fraction >= 1.0:
        return "required"
    return "optional"


def _valency(feature: schema_pb2.Feature) -> str:
    if feature.HasField("shape"):
        return "[" + ", ".join(str(d.size) for d in feature.shape.dim) + "]" or "scalar"
    if not feature.HasField("value_count"):
        return ""
    low, high = feature.value_count.min, feature.value_count.max
    if low == high == 1:
        return "single"
    return f"{low}..{high if high else ''}"


def _domain(feature: schema_pb2.Feature) -> str:
    which = feature.WhichOneof("domain_info")
    if which == "domain":
        return repr(feature.domain)
    if which == "int_domain" or which == "float_domain":
        d = getattr(feature, which)
        low = _number(d.min) if d.HasField("min") else "-inf"
        high = _number(d.max) if d.HasField("max") else "inf"
        return f"[{low}; {high}]"
    if which == "string_domain":
        return f"{len(feature.string_domain.value)} values"
    return which.removesuffix("_domain") if which else "-"


def schema_tables(schema: schema_pb2.Schema) -> list[Table]:
    """The features table, then one table of values per string domain."""
    rows = tuple(
        (".".join(path), _type_name(f), _presence(f), _valency(f), _domain(f))
        for path, f in iter_features(schema)
    )
    tables = [Table("Features", ("Feature name", "Type", "Presence", "Valency", "Domain"), rows)]
    domains = [(d.name, d.value) for d in schema.string_domain]
    domains += [
        (".".join(p), f.string_domain.value)
        for p, f in iter_features(schema)
        if f.HasField("string_domain")
    ]
    if domains:
        tables.append(
            Table(
                "Domains",
                ("Domain", "Values"),
                tuple((name, ", ".join(f"'{v}'" for v in values)) for name, values in domains),
            )
        )
    return tables


def anomalies_table(anomalies: anomalies_pb2.Anomalies) -> Table:
    """One row per anomalous feature (and one for data-set-level anomalies)."""
    rows = [
        (name, info.short_description, info.description)
        for name, info in sorted(anomalies.anomaly_info.items())
    ]
    dataset = anomalies.dataset_anomaly_info
    if dataset.reason:
        rows.append(("(dataset)", dataset.short_description, dataset.description))
    return Table(
        "Anomalies" if rows else "No anomalies found.",
        ("Feature name", "Anomaly short description", "Anomaly long description"),
        tuple(rows),
    )


def _missing_fraction(view: FeatureView) -> str:
    if not view.num_examples:
        return "-"
    return f"{100 * view.num_missing / view.num_examples:.2f}%"


def numeric_row(view: FeatureView) -> tuple[str, ...]:
    num = view.numeric
    assert num is not None
    zeros = f"{100 * num.num_zeros / view.num_present:.2f}%" if view.num_present else "-"
    return (
        view.name,
        _number(view.num_present),
        _missing_fraction(view),
        _number(num.mean),
        _number(num.std_dev),
        zeros,
        _number(num.min),
        _number(num.median),
        _number(num.max),
    )


NUMERIC_HEADER = ("Feature", "Count", "Missing", "Mean", "Std dev", "Zeros", "Min", "Median", "Max")
STRING_HEADER = ("Feature", "Count", "Missing", "Unique", "Top", "Freq top", "Avg str len")


def string_row(view: FeatureView) -> tuple[str, ...]:
    strings = view.strings
    assert strings is not None
    top = strings.top_values[0] if strings.top_values else None
    estimated = any(c.name == ESTIMATED_UNIQUES for c in view.stats.custom_stats)
    about, at_least = ("~", ">=") if estimated else ("", "")  # sketch estimate, lower bound
    return (
        view.name,
        _number(view.num_present),
        _missing_fraction(view),
        about + _number(strings.unique),
        top.value if top else "-",
        at_least + _number(top.frequency) if top else "-",
        _number(strings.avg_length),
    )


#: What happened to the data with each kind of problem.
_PROBLEM_EFFECTS = {
    WRONG_FIELD_COUNT: "malformed rows, dropped",
    EMPTY_FILE: "empty file",
    "unparsable_value": "unparsable values, counted missing",
    "type_mismatch": "values of another type, not counted",
    "missing_weight": "weight missing, counted as 0",
}
PROBLEMS_HEADER = ("Feature", "Problem", "Count", "Example", "Where")


def problems_table(dataset: statistics_pb2.DatasetFeatureStatistics, title: str) -> Table | None:
    """The data problems recorded in ``dataset`` (one row per example), or None."""
    rows = []
    for problem in data_problems(dataset):
        effect = _PROBLEM_EFFECTS.get(problem.kind, problem.kind.replace("_", " "))
        if problem.detail:
            effect += f" ({problem.detail})"
        examples = problem.examples or [None]
        for number, example in enumerate(examples):
            first = number == 0
            rows.append(
                (
                    (problem.feature or "(whole rows)") if first else "",
                    effect if first else "",
                    _number(problem.count) if first else "",
                    repr(example.value) if example else "",
                    example.location if example else "",
                )
            )
    return Table(f"{title}: data problems", PROBLEMS_HEADER, tuple(rows)) if rows else None


def _dropped_rows(dataset: statistics_pb2.DatasetFeatureStatistics) -> int:
    return sum(p.count for p in data_problems(dataset) if p.kind == WRONG_FIELD_COUNT)


def statistics_tables(dataset: statistics_pb2.DatasetFeatureStatistics, title: str) -> list[Table]:
    """Numeric and categorical feature tables of one data set (facets-overview style), then
    its data problems (malformed rows dropped, values not counted) if any."""
    views = features_of(dataset)
    numeric = tuple(numeric_row(v) for v in views if v.numeric is not None)
    strings = tuple(string_row(v) for v in views if v.strings is not None)
    size = f"{title}: {_number(dataset.num_examples)} examples"
    dropped = _dropped_rows(dataset)
    if dropped:
        size += f", {_number(dropped)} malformed row{'s' if dropped > 1 else ''} dropped"
    tables = []
    if numeric:
        tables.append(Table(f"{size} - numeric features", NUMERIC_HEADER, numeric))
    if strings:
        tables.append(Table(f"{size} - categorical features", STRING_HEADER, strings))
    tables = tables or [Table(size, (), ())]
    problems = problems_table(dataset, title)
    return tables if problems is None else [*tables, problems]
