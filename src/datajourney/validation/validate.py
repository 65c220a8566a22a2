"""Statistics against a schema -> ``Anomalies`` (TFDV's ``validate_statistics``)."""

from __future__ import annotations

from typing import Any

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from datajourney.schema.arguments import require_type
from datajourney.schema.environments import check_environment, in_environment
from datajourney.schema.features import iter_features
from datajourney.schema.statistics_view import FeatureView, dataset_of, features_of
from datajourney.validation import reasons
from datajourney.validation.comparators import compare, has_threshold
from datajourney.validation.composite import composite_reasons
from datajourney.validation.data_problems import problem_reasons
from datajourney.validation.feature_checks import check_feature
from datajourney.validation.reasons import Reason

Statistics = statistics_pb2.DatasetFeatureStatisticsList

DRIFT = ("previous", "current and previous", "drift_comparator", "drift_measurements")
SKEW = ("serving", "training and serving", "skew_comparator", "skew_measurements")


def _fill(info: anomalies_pb2.AnomalyInfo, found: list[Reason]) -> None:
    info.severity = anomalies_pb2.AnomalyInfo.ERROR
    for reason in found:
        info.reason.add(
            type=reason.type,
            short_description=reason.short_description,
            description=reason.description,
        )
    summarize_reasons(info)


def summarize_reasons(info: anomalies_pb2.AnomalyInfo) -> None:
    """Set the info's descriptions from its reasons, as TFDV: one reason's own, or
    "Multiple errors" and the reasons' descriptions joined."""
    reasons = info.reason
    info.short_description = (
        reasons[0].short_description if len(reasons) == 1 else "Multiple errors"
    )
    info.description = " ".join(reason.description for reason in reasons)


def anomaly_key(path: tuple[str, ...]) -> str:
    """A feature's key in ``Anomalies.anomaly_info`` (TFDV's serialized path: steps joined with
    '.', a step holding '.', '(', ')' or a quote quoted as ``'it''s'``)."""
    return ".".join(
        "'" + step.replace("'", "''") + "'" if any(c in step for c in ".()'") else step
        for step in path
    )


def add_anomaly(
    anomalies: anomalies_pb2.Anomalies, path: tuple[str, ...], found: list[Reason]
) -> None:
    """Record ``found`` reasons for the feature at ``path`` (one entry per feature, as TFDV)."""
    info = anomalies.anomaly_info[anomaly_key(path)]
    info.path.step.extend(path)
    _fill(info, found)


def validate_statistics(
    statistics: Statistics,
    schema: schema_pb2.Schema,
    environment: str | None = None,
    previous_statistics: Statistics | None = None,
    serving_statistics: Statistics | None = None,
    custom_validation_config: Any = None,
) -> anomalies_pb2.Anomalies:
    """Anomalies of ``statistics`` against ``schema``.

    ``environment`` (e.g. "SERVING") limits the expected features to those in it.
    ``previous_statistics`` enables the drift comparators, ``serving_statistics`` the skew
    comparators set in the schema. ``custom_validation_config`` adds TFDV's custom SQL
    validations (:mod:`datajourney.validation.custom`; pair validations compare with
    ``previous_statistics``). Deprecated features are not checked. Data problems that
    datajourney's statistics recorded (unparsable values, malformed rows) are reported too.
    """
    dataset = dataset_of(statistics)
    require_type(schema, "schema", schema_pb2.Schema)
    for argument, other in (
        ("previous_statistics", previous_statistics),
        ("serving_statistics", serving_statistics),
    ):
        if other is not None:
            dataset_of(other, argument)
    check_environment(schema, environment)
    anomalies = anomalies_pb2.Anomalies(anomaly_name_format=anomalies_pb2.Anomalies.SERIALIZED_PATH)
    anomalies.baseline.CopyFrom(schema)
    if dataset.num_examples == 0:
        anomalies.data_missing = True
        return anomalies
    _built_in(anomalies, dataset, schema, environment, previous_statistics, serving_statistics)
    if custom_validation_config is not None:
        from datajourney.validation.custom import custom_validate

        custom_validate(
            anomalies, statistics, custom_validation_config, previous_statistics, environment
        )
        for info in anomalies.anomaly_info.values():  # as TFDV, with the built-in reasons
            summarize_reasons(info)
    return anomalies


def _built_in(
    anomalies: anomalies_pb2.Anomalies,
    dataset: statistics_pb2.DatasetFeatureStatistics,
    schema: schema_pb2.Schema,
    environment: str | None,
    previous_statistics: Statistics | None,
    serving_statistics: Statistics | None,
) -> None:
    views = {view.name: view for view in features_of(dataset)}
    others = [
        (side, {v.name: v for v in features_of(dataset_of(stats))})
        for side, stats in ((DRIFT, previous_statistics), (SKEW, serving_statistics))
        if stats is not None
    ]
    features = {".".join(path): (path, feature) for path, feature in iter_features(schema)}
    problems = problem_reasons(dataset, {name: f for name, (_, f) in features.items()})
    composites = composite_reasons(schema, views, set(features))
    for name, (path, feature) in features.items():
        view = views.get(name)
        found = _check(schema, feature, view, name, environment)
        if view is not None and not (found and found[0].type == reasons.Type.UNEXPECTED_DATA_TYPE):
            found += _compare(anomalies, feature, view, path, others)
        if feature.lifecycle_stage != schema_pb2.DEPRECATED:
            found += problems.get(name, [])
        if name in composites:  # a name collision: reported alone
            found = composites[name]
        if found:
            add_anomaly(anomalies, path, found)
    for name, view in views.items():
        if name in composites and name not in features:
            if composites[name]:
                add_anomaly(anomalies, view.path, composites[name])
        elif name not in features:
            add_anomaly(anomalies, view.path, [reasons.new_column(), *problems.get(name, [])])
    if problems.get(None):
        _fill(anomalies.dataset_anomaly_info, problems[None])
    ordered = sorted(anomalies.drift_skew_info, key=lambda info: tuple(info.path.step))
    del anomalies.drift_skew_info[:]
    anomalies.drift_skew_info.extend(ordered)


def _check(
    schema: schema_pb2.Schema,
    feature: schema_pb2.Feature,
    view: FeatureView | None,
    name: str,
    environment: str | None,
) -> list[Reason]:
    if feature.lifecycle_stage == schema_pb2.DEPRECATED:
        return []
    if not in_environment(schema, feature, environment):
        return [] if view is None else [reasons.not_in_environment(name, environment or "")]
    if view is None:
        # As TFDV: a missing feature is an anomaly only where its presence is required.
        presence = feature.presence
        required = presence.min_count >= 1 or presence.min_fraction > 0
        return [reasons.missing_column()] if required else []
    return check_feature(schema, feature, view)


def _compare(
    anomalies: anomalies_pb2.Anomalies,
    feature: schema_pb2.Feature,
    view: FeatureView,
    path: tuple[str, ...],
    others,
) -> list[Reason]:
    found: list[Reason] = []
    info = None
    for (side, sides, field, measurements), other_views in others:
        comparator = getattr(feature, field)
        if not has_threshold(comparator):
            continue
        other = other_views.get(view.name)
        if other is None:
            found.append(reasons.comparison_data_missing(side))
            continue
        if info is None:
            info = anomalies.drift_skew_info.add()
            info.path.step.extend(path)
        for comparison in compare(comparator, view, other, sides):
            getattr(info, measurements).append(comparison.measurement)
            if comparison.reason is not None:
                found.append(comparison.reason)
    return found
