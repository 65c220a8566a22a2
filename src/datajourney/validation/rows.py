"""Rows of an Arrow table checked against a schema, every row at once, through DuckDB.

Where ``validate_statistics`` judges a data set by its statistics, ``check_rows`` judges each
row: its values parse as the feature's type, lie in the feature's domain, and are present when
the feature is required (``presence.min_fraction`` 1). Rows that fit come back typed as the
schema says; rows that do not come back apart (their values as text, with the feature and the
reason), and the ``Anomalies`` report counts them per feature with TFDV's reason type names.
Columns the schema lacks, and features the data lacks, are reported as ``SCHEMA_NEW_COLUMN`` /
``SCHEMA_MISSING_COLUMN``: they concern the whole data set, not single rows.

The storage layers use it for schema-on-write (the warehouse) and schema-on-read (the lake).
DuckDB is imported on the first call (the ``lake`` / ``warehouse`` extras).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2

from datajourney.schema.features import get_domain
from datajourney.validation import reasons
from datajourney.validation.validate import add_anomaly

#: The Arrow type each schema type is stored as.
ARROW_TYPES = {
    schema_pb2.INT: pa.int64(),
    schema_pb2.FLOAT: pa.float64(),
    schema_pb2.BYTES: pa.string(),
}
_SQL_TYPES = {schema_pb2.INT: "BIGINT", schema_pb2.FLOAT: "DOUBLE", schema_pb2.BYTES: "VARCHAR"}
_ROW = "__datajourney_row"
_EXAMPLES = 5


@dataclass(frozen=True)
class BadRow:
    """A row that does not fit: its position in the input, the first feature and reason
    (a TFDV anomaly type name) found, and the offending value as text."""

    row: int
    feature: str
    reason: str
    value: str | None


@dataclass
class RowCheck:
    """What ``check_rows`` found.

    ``rows``: the rows that fit, one column per schema feature, typed as the schema says.
    ``bad_rows``: the others, every input column as text plus ``_feature`` and ``_reason``.
    ``anomalies``: the report (empty ``anomaly_info`` when everything fits).
    ``missing_columns`` / ``new_columns``: features the data lacks, columns the schema lacks.
    """

    rows: pa.Table
    bad_rows: pa.Table
    anomalies: anomalies_pb2.Anomalies
    missing_columns: list[str] = field(default_factory=list)
    new_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every row and every column fits the schema."""
        return not self.anomalies.anomaly_info and not self.anomalies.dataset_anomaly_info.reason

    def summary(self) -> str:
        """One line per anomalous feature: ``feature: short description (details)``."""
        return "\n".join(
            f"{name}: {info.description}"
            for name, info in sorted(self.anomalies.anomaly_info.items())
        )


def check_rows(
    table: pa.Table, schema: schema_pb2.Schema, *, allow_new_columns: bool = False
) -> RowCheck:
    """Check every row of ``table`` against ``schema`` (see the module docstring).

    ``allow_new_columns``: drop columns the schema lacks without reporting them.
    """
    import duckdb

    features = [f for f in schema.feature if f.lifecycle_stage != schema_pb2.DEPRECATED]
    names = set(table.column_names)
    missing = [f.name for f in features if f.name not in names]
    known = {f.name for f in schema.feature}
    new = [] if allow_new_columns else [c for c in table.column_names if c not in known]
    present = [f for f in features if f.name in names]
    con = duckdb.connect()
    try:
        con.register("source", table)
        problem = _problem_expression(schema, present, table.schema)
        selected = [
            f"{_typed(f, table.schema.field(f.name).type)} AS {_q(f.name)}" for f in present
        ]
        selected += [
            f"CAST(NULL AS {_SQL_TYPES[f.type]}) AS {_q(f.name)}"
            for f in features
            if f.name in missing
        ]
        typed = con.sql(
            f"SELECT {', '.join(selected) or '1 AS _'}, {problem} AS _problem FROM source"
        ).to_arrow_table()
        flagged = typed.column("_problem").null_count < typed.num_rows
        good = typed.filter(typed.column("_problem").is_null()) if flagged else typed
        good = good.drop_columns(["_problem"] + (["_"] if not selected else []))
        good = good.select([f.name for f in features if f.name in good.column_names])
        bad_rows = _bad_rows(con, table, problem) if flagged else _empty_bad(table)
    finally:
        con.close()
    anomalies = _report(schema, bad_rows, missing, new)
    return RowCheck(good, bad_rows, anomalies, missing, new)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _is_text(arrow_type: pa.DataType) -> bool:
    return pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type)


def _typed(feature: schema_pb2.Feature, source: pa.DataType) -> str:
    """The SQL that gives the feature's value in its schema type (NULL where it does not parse)."""
    column = _q(feature.name)
    if _is_text(source):
        column = f"NULLIF(TRIM({column}), '')"
    if feature.type == schema_pb2.INT and pa.types.is_floating(source):
        return f"CASE WHEN {column} = TRUNC({column}) THEN TRY_CAST({column} AS BIGINT) END"
    if feature.type == schema_pb2.INT and _is_text(source):  # DuckDB would round '2.5'
        digits = f"regexp_full_match({column}, '[+-]?[0-9]+')"
        return f"CASE WHEN {digits} THEN TRY_CAST({column} AS BIGINT) END"
    if feature.type == schema_pb2.BYTES and pa.types.is_boolean(source):
        return f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' END"
    return f"TRY_CAST({column} AS {_SQL_TYPES.get(feature.type, 'VARCHAR')})"


def _conditions(
    schema: schema_pb2.Schema, feature: schema_pb2.Feature, source: pa.DataType
) -> list[tuple[str, str]]:
    """(SQL condition that is true for a bad value, reason type name), first match wins."""
    raw = _q(feature.name)
    given = f"NULLIF(TRIM({raw}), '') IS NOT NULL" if _is_text(source) else f"{raw} IS NOT NULL"
    value = _typed(feature, source)
    found = []
    not_parsed = {
        schema_pb2.INT: "INT_TYPE_NOT_INT_STRING",
        schema_pb2.FLOAT: "FLOAT_TYPE_STRING_NOT_FLOAT",
    }.get(feature.type, "UNEXPECTED_DATA_TYPE")
    found.append((f"{given} AND {value} IS NULL", not_parsed))
    if feature.presence.min_fraction >= 1.0:
        found.append((f"{value} IS NULL", "FEATURE_TYPE_LOW_FRACTION_PRESENT"))
    which = feature.WhichOneof("domain_info")
    if which in ("int_domain", "float_domain"):
        bounds, kind = getattr(feature, which), "INT" if which == "int_domain" else "FLOAT"
        if bounds.HasField("min"):
            found.append((f"{value} < {bounds.min!r}", f"{kind}_TYPE_SMALL_{kind}"))
        if bounds.HasField("max"):
            found.append((f"{value} > {bounds.max!r}", f"{kind}_TYPE_BIG_{kind}"))
    elif which == "bool_domain" and feature.type in (schema_pb2.INT, schema_pb2.FLOAT):
        found.append((f"{value} < 0", "BOOL_TYPE_SMALL_INT"))
        found.append((f"{value} > 1", "BOOL_TYPE_BIG_INT"))
    elif which == "bool_domain":
        allowed = ", ".join(
            _text(v) for v in (feature.bool_domain.true_value, feature.bool_domain.false_value) if v
        )
        if allowed:
            found.append((f"{value} NOT IN ({allowed})", "BOOL_TYPE_UNEXPECTED_STRING"))
    elif which in ("domain", "string_domain"):
        values = list(get_domain(schema, feature.name).value)
        allowed = ", ".join(_text(v) for v in values) or "NULL"
        found.append((f"{value} NOT IN ({allowed})", "ENUM_TYPE_UNEXPECTED_STRING_VALUES"))
    return found


def _problem_expression(
    schema: schema_pb2.Schema, features: list[schema_pb2.Feature], source: pa.Schema
) -> str:
    """A VARCHAR that is NULL for a row that fits, else ``feature<TAB>REASON``."""
    cases = [
        f"WHEN {condition} THEN {_text(feature.name + chr(9) + reason)}"
        for feature in features
        for condition, reason in _conditions(schema, feature, source.field(feature.name).type)
    ]
    return f"CASE {' '.join(cases)} END" if cases else "CAST(NULL AS VARCHAR)"


def _bad_rows(con, table: pa.Table, problem: str) -> pa.Table:
    import numpy as np

    numbered = table.append_column(_ROW, pa.array(np.arange(table.num_rows, dtype=np.int64)))
    con.register("numbered", numbered)
    columns = ", ".join(f"CAST({_q(c)} AS VARCHAR) AS {_q(c)}" for c in table.column_names)
    return con.sql(
        f"SELECT {_q(_ROW)} AS _row, {columns + ',' if columns else ''} "
        f"split_part(p, chr(9), 1) AS _feature, split_part(p, chr(9), 2) AS _reason "
        f"FROM (SELECT *, {problem} AS p FROM numbered) WHERE p IS NOT NULL ORDER BY _row"
    ).to_arrow_table()


def _empty_bad(table: pa.Table) -> pa.Table:
    fields = [pa.field("_row", pa.int64())]
    fields += [pa.field(c, pa.string()) for c in table.column_names]
    fields += [pa.field("_feature", pa.string()), pa.field("_reason", pa.string())]
    return pa.schema(fields).empty_table()


def add_malformed_rows(anomalies: anomalies_pb2.Anomalies, count: int, examples: list[str]) -> None:
    """Report ``count`` rows with the wrong number of fields on the data set (as the
    validation layer reports the ``wrong_field_count`` problem: ``UNKNOWN_TYPE``)."""
    info = anomalies.dataset_anomaly_info
    info.severity = anomalies_pb2.AnomalyInfo.ERROR
    info.short_description = "Malformed rows"
    shown = ", ".join(examples[:_EXAMPLES])
    info.description = f"Wrong field count: {count} rows with the wrong number of fields" + (
        f", e.g. {shown}." if shown else "."
    )
    info.reason.add(
        type=anomalies_pb2.AnomalyInfo.UNKNOWN_TYPE,
        short_description=info.short_description,
        description=info.description,
    )


def bad_row_list(bad_rows: pa.Table) -> list[BadRow]:
    """The bad rows of a ``RowCheck`` as ``BadRow`` records."""
    rows = bad_rows.column("_row").to_pylist()
    features = bad_rows.column("_feature").to_pylist()
    found = bad_rows.column("_reason").to_pylist()
    return [
        BadRow(row, feature, reason, bad_rows.column(feature)[i].as_py())
        for i, (row, feature, reason) in enumerate(zip(rows, features, found))
    ]


def _report(
    schema: schema_pb2.Schema, bad_rows: pa.Table, missing: list[str], new: list[str]
) -> anomalies_pb2.Anomalies:
    anomalies = anomalies_pb2.Anomalies(anomaly_name_format=anomalies_pb2.Anomalies.SERIALIZED_PATH)
    anomalies.baseline.CopyFrom(schema)
    found: dict[str, list[reasons.Reason]] = {name: [reasons.missing_column()] for name in missing}
    for name in new:
        found[name] = [reasons.new_column()]
    counts = Counter(
        zip(bad_rows.column("_feature").to_pylist(), bad_rows.column("_reason").to_pylist())
    )
    examples: dict[tuple[str, str], list[str]] = {}
    for bad in bad_row_list(bad_rows.slice(0, 10_000)):
        kept = examples.setdefault((bad.feature, bad.reason), [])
        if len(kept) < _EXAMPLES:
            kept.append(f"{bad.value!r} (row {bad.row})")
    for (feature, reason), count in sorted(counts.items()):
        shown = ", ".join(examples.get((feature, reason), []))
        found.setdefault(feature, []).append(
            reasons.Reason(
                anomalies_pb2.AnomalyInfo.Type.Value(reason),
                _SHORT.get(reason, "Bad values"),
                f"{count} rows with {reason}" + (f", e.g. {shown}." if shown else "."),
            )
        )
    for name, listed in sorted(found.items()):
        add_anomaly(anomalies, (name,), listed)
    return anomalies


_SHORT = {
    "INT_TYPE_NOT_INT_STRING": "Non-integer values",
    "FLOAT_TYPE_STRING_NOT_FLOAT": "Non-float values",
    "FEATURE_TYPE_LOW_FRACTION_PRESENT": "Missing values",
    "INT_TYPE_SMALL_INT": reasons.OUT_OF_RANGE,
    "INT_TYPE_BIG_INT": reasons.OUT_OF_RANGE,
    "FLOAT_TYPE_SMALL_FLOAT": reasons.OUT_OF_RANGE,
    "FLOAT_TYPE_BIG_FLOAT": reasons.OUT_OF_RANGE,
    "BOOL_TYPE_SMALL_INT": reasons.NON_BOOLEAN,
    "BOOL_TYPE_BIG_INT": reasons.NON_BOOLEAN,
    "BOOL_TYPE_UNEXPECTED_STRING": reasons.NON_BOOLEAN,
    "ENUM_TYPE_UNEXPECTED_STRING_VALUES": "Unexpected string values",
}
