"""Schemas and anomalies as pandas DataFrames, laid out as TFDV's ``display_util`` lays them out
(same columns, index and cell text), for notebooks that filter or export them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2

from datajourney.schema.arguments import require_type

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["get_anomalies_dataframe", "get_drift_skew_dataframe", "get_schema_dataframe"]


def _quoted(name: str) -> str:
    escaped = name.replace("'", "\\'")
    return f"'{escaped}'"


def _values(values: object) -> str:
    return ", ".join(_quoted(v) for v in values)  # type: ignore[attr-defined]


def _presence(feature: schema_pb2.Feature) -> str:
    if not feature.HasField("presence"):
        return ""
    return "required" if feature.presence.min_fraction == 1.0 else "optional"


def _valency(feature: schema_pb2.Feature) -> str:
    if not feature.HasField("value_count"):
        return ""
    count = feature.value_count
    if count.min == count.max == 1:
        return "single"
    low = f"[{count.min}" if count.HasField("min") else "[0"
    high = f"{count.max}]" if count.HasField("max") else "inf)"
    return f"{low},{high}"


def _bounds(low: str | None, high: str | None) -> str:
    return "; ".join(part for part in (low, high) if part is not None) or "-"


def _domain(feature: schema_pb2.Feature) -> str:
    which = feature.WhichOneof("domain_info")
    if which == "domain":
        return _quoted(feature.domain)
    if which == "int_domain":
        d = feature.int_domain
        return _bounds(
            f"min: {d.min}" if d.HasField("min") else None,
            f"max: {d.max}" if d.HasField("max") else None,
        )
    if which == "float_domain":
        d = feature.float_domain
        unbounded = (None, None) if d.disallow_inf else ("min: -inf", "max: inf")
        return _bounds(
            f"min: {d.min:f}" if d.HasField("min") else unbounded[0],
            f"max: {d.max:f}" if d.HasField("max") else unbounded[1],
        )
    if which == "string_domain":
        return _quoted(feature.string_domain.name or f"{feature.name}_domain")
    return "-"


def get_schema_dataframe(schema: schema_pb2.Schema) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The schema's top-level features (index ``Feature name``; columns ``Type``, ``Presence``,
    ``Valency``, ``Domain``) and its string domains (index ``Domain``; column ``Values``):
    the schema-level ones, then each feature's own ``string_domain``."""
    import pandas as pd

    require_type(schema, "schema", schema_pb2.Schema)
    domains = [(_quoted(d.name), _values(d.value)) for d in schema.string_domain]
    features = []
    for feature in schema.feature:
        type_name = schema_pb2.FeatureType.Name(feature.type)
        if type_name == "BYTES" and feature.WhichOneof("domain_info") in (
            "domain",
            "string_domain",
        ):
            type_name = "STRING"
        domain = _domain(feature)
        if feature.HasField("string_domain"):
            domains.append((domain, _values(feature.string_domain.value)))
        features.append(
            (_quoted(feature.name), type_name, _presence(feature), _valency(feature), domain)
        )
    columns = ["Feature name", "Type", "Presence", "Valency", "Domain"]
    return (
        pd.DataFrame(features, columns=columns).set_index("Feature name"),
        pd.DataFrame(domains, columns=["Domain", "Values"]).set_index("Domain"),
    )


def _descriptions(info: anomalies_pb2.AnomalyInfo) -> tuple[str, str]:
    short = info.short_description or "; ".join(r.short_description for r in info.reason)
    long = info.description or "; ".join(r.description for r in info.reason)
    return short, long


def get_anomalies_dataframe(anomalies: anomalies_pb2.Anomalies) -> pd.DataFrame:
    """One row per anomalous feature (index ``Feature name``, quoted), then a
    ``[dataset anomaly]`` row; columns ``Anomaly short description`` and ``Anomaly long
    description`` (an info without its own description joins its reasons' with ``"; "``).
    Empty when there are no anomalies."""
    import pandas as pd

    require_type(anomalies, "anomalies", anomalies_pb2.Anomalies, article="an")
    rows = [(_quoted(name), *_descriptions(info)) for name, info in anomalies.anomaly_info.items()]
    if anomalies.HasField("dataset_anomaly_info"):
        rows.append(("[dataset anomaly]", *_descriptions(anomalies.dataset_anomaly_info)))
    columns = ["Feature name", "Anomaly short description", "Anomaly long description"]
    return pd.DataFrame(rows, columns=columns).set_index("Feature name")


def get_drift_skew_dataframe(anomalies: anomalies_pb2.Anomalies) -> pd.DataFrame:
    """Each drift or skew measurement of ``anomalies.drift_skew_info``: index ``path`` (steps
    joined with "."), columns ``type`` (e.g. ``JENSEN_SHANNON_DIVERGENCE``), ``value``,
    ``threshold``."""
    import pandas as pd

    type_name = anomalies_pb2.DriftSkewInfo.Measurement.Type.Name
    rows = [
        (".".join(info.path.step), type_name(m.type), m.value, m.threshold)
        for info in anomalies.drift_skew_info
        for m in info.drift_measurements
    ]
    columns = ["path", "type", "value", "threshold"]
    return pd.DataFrame(rows, columns=columns).set_index("path")
