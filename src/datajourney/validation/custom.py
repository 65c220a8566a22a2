"""Custom validations (TFDV's ``custom_validation_config``): SQL predicates over one feature's
statistics, or over a pair of features of two statistics, run by DuckDB.

A ``CustomValidationConfig`` holds ``feature_validations`` (the feature's
``FeatureNameStatistics`` is ``feature`` in the expression) and ``feature_pair_validations``
(``feature_test`` and ``feature_base``); a validation whose expression is not true adds a
``CUSTOM_VALIDATION`` reason to the feature, with the validation's severity and description::

    feature_validations {
      feature_path { step: "fare" }
      validations {
        sql_expression: "feature.num_stats.min >= 0"
        severity: ERROR
        description: "fares are never negative"
      }
    }

:data:`CustomValidationConfig` is the same message as TFDV's
(``tensorflow.data_validation.CustomValidationConfig``: its text format and its binary form are
TFDV's); a text-format string is accepted too. Expressions are DuckDB SQL over structs that
mirror the statistics protos (every field present, enums by name): ``len(list)`` counts a
repeated field, ``unnest`` ranges over one.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, text_format
from google.protobuf.descriptor import FieldDescriptor
from tensorflow_metadata.proto.v0 import anomalies_pb2, path_pb2, statistics_pb2

from datajourney.validation.proto_pool import file_of, registered_messages
from datajourney.validation.validate import anomaly_key

_PACKAGE = "tensorflow.data_validation"
_FILE = "tensorflow_data_validation/anomalies/proto/custom_validation_config.proto"
_DEFAULT_SLICE = "All Examples"


def message_classes() -> dict[str, type]:
    """TFDV's custom validation messages, registered under their names in protobuf's pool."""
    return registered_messages(
        _FILE,
        _PACKAGE,
        _declare,
        ("Validation", "FeatureValidation", "FeaturePairValidation", "CustomValidationConfig"),
    )


def _declare() -> descriptor_pb2.FileDescriptorProto:
    text, message, enum = (
        FieldDescriptor.TYPE_STRING,
        FieldDescriptor.TYPE_MESSAGE,
        FieldDescriptor.TYPE_ENUM,
    )
    one, many = FieldDescriptor.LABEL_OPTIONAL, FieldDescriptor.LABEL_REPEATED
    path, validation = ".tensorflow.metadata.v0.Path", f".{_PACKAGE}.Validation"
    severity = ".tensorflow.metadata.v0.AnomalyInfo.Severity"
    messages = {
        "Validation": [
            ("sql_expression", 1, text, one),
            ("severity", 2, enum, one, severity),
            ("description", 3, text, one),
            ("in_environment", 4, text, many),
        ],
        "FeatureValidation": [
            ("dataset_name", 1, text, one),
            ("feature_path", 2, message, one, path),
            ("validations", 3, message, many, validation),
        ],
        "FeaturePairValidation": [
            ("dataset_name", 1, text, one),
            ("base_dataset_name", 2, text, one),
            ("feature_test_path", 3, message, one, path),
            ("feature_base_path", 4, message, one, path),
            ("validations", 5, message, many, validation),
        ],
        "CustomValidationConfig": [
            ("feature_validations", 1, message, many, f".{_PACKAGE}.FeatureValidation"),
            ("feature_pair_validations", 2, message, many, f".{_PACKAGE}.FeaturePairValidation"),
        ],
    }
    dependency = [anomalies_pb2.DESCRIPTOR.name, path_pb2.DESCRIPTOR.name]
    return file_of(_FILE, _PACKAGE, "proto2", messages, dependency)


_CLASSES = message_classes()
#: TFDV's ``CustomValidationConfig`` message.
CustomValidationConfig = _CLASSES["CustomValidationConfig"]


def as_config(config: Any) -> Any:
    """``config`` as a :data:`CustomValidationConfig` (from one, TFDV's own, or text)."""
    if isinstance(config, str):
        return text_format.Parse(config, CustomValidationConfig())
    if getattr(config, "DESCRIPTOR", None) is not None and (
        config.DESCRIPTOR.full_name == CustomValidationConfig.DESCRIPTOR.full_name
    ):
        return CustomValidationConfig.FromString(config.SerializeToString())
    raise TypeError(
        f"custom_validation_config is of type {type(config).__name__}, should be a "
        "CustomValidationConfig proto."
    )


def _as_struct(message: Any, depth: int = 0) -> dict[str, Any]:
    """A proto as nested dicts with every field (defaults where unset), enums by name."""
    result: dict[str, Any] = {}
    for field in message.DESCRIPTOR.fields:
        if field.message_type is not None and field.message_type.full_name == "google.protobuf.Any":
            continue
        value = getattr(message, field.name)
        if field.is_repeated:
            if field.message_type is not None:
                result[field.name] = [_as_struct(item, depth + 1) for item in value]
            elif field.enum_type is not None:
                result[field.name] = [field.enum_type.values_by_number[v].name for v in value]
            else:
                result[field.name] = list(value)
        elif field.message_type is not None:
            if depth < 6:
                result[field.name] = _as_struct(value, depth + 1)
        elif field.enum_type is not None:
            result[field.name] = field.enum_type.values_by_number[value].name
        else:
            result[field.name] = value
    return result


def _holds(expression: str, bound: dict[str, statistics_pb2.FeatureNameStatistics]) -> bool:
    import duckdb

    names = ", ".join(f"${name} AS {name}" for name in bound)
    query = f"SELECT CAST(({expression}) AS BOOLEAN) FROM (SELECT {names})"
    parameters = {name: _as_struct(stats) for name, stats in bound.items()}
    # A connection of its own: the caller's default DuckDB connection is left untouched.
    with duckdb.connect() as connection:
        try:
            [(value,)] = connection.execute(query, parameters).fetchall()
        except duckdb.Error as error:
            raise ValueError(
                f"Attempt to run query '{expression}' failed with error: {error}"
            ) from None
    return bool(value)


def _feature(
    statistics: statistics_pb2.DatasetFeatureStatisticsList, dataset_name: str, path: Any
) -> statistics_pb2.FeatureNameStatistics:
    by_name = {d.name: d for d in statistics.datasets}
    dataset = by_name.get(dataset_name)
    if dataset is None and not dataset_name:
        dataset = by_name.get(_DEFAULT_SLICE)
    if dataset is None:
        raise ValueError(
            f"Dataset {dataset_name} specified in validation config not found in statistics."
        )
    steps = tuple(path.step)
    for feature in dataset.features:
        if (tuple(feature.path.step) or (feature.name,)) == steps:
            return feature
    raise ValueError(
        f"Feature {'.'.join(steps)} specified in validation config not found in statistics."
    )


def _add(
    anomalies: anomalies_pb2.Anomalies,
    path: Any,
    validation: Any,
    test_dataset: str,
    base: tuple[str, Any] | None = None,
) -> None:
    source = f"Query: {validation.sql_expression} Test dataset: {test_dataset or 'default slice'}"
    if base is not None:
        source += f" Base dataset: {base[0]} Base path: {'.'.join(base[1].step)}"
    info = anomalies.anomaly_info[anomaly_key(tuple(path.step))]  # created when new
    if not info.path.step:
        info.path.step.extend(path.step)
    info.severity = max(info.severity, validation.severity)
    info.reason.add(
        type=anomalies_pb2.AnomalyInfo.CUSTOM_VALIDATION,
        short_description=validation.description,
        description=f"Custom validation triggered anomaly. {source}",
    )


def _applies(validation: Any, environment: str | None) -> bool:
    return not validation.in_environment or environment in validation.in_environment


def custom_validate(
    anomalies: anomalies_pb2.Anomalies,
    statistics: statistics_pb2.DatasetFeatureStatisticsList,
    config: Any,
    base_statistics: statistics_pb2.DatasetFeatureStatisticsList | None,
    environment: str | None,
) -> None:
    """Add to ``anomalies`` the reasons of ``config``'s validations that do not hold."""
    config = as_config(config)
    for check in config.feature_validations:
        feature = _feature(statistics, check.dataset_name, check.feature_path)
        for validation in check.validations:
            if _applies(validation, environment) and not _holds(
                validation.sql_expression, {"feature": feature}
            ):
                _add(anomalies, check.feature_path, validation, check.dataset_name)
    if config.feature_pair_validations and base_statistics is None:
        raise ValueError(
            "Feature pair validations are included in the CustomValidationConfig but "
            "base_statistics have not been specified."
        )
    for check in config.feature_pair_validations:
        test = _feature(statistics, check.dataset_name, check.feature_test_path)
        base = _feature(base_statistics, check.base_dataset_name, check.feature_base_path)
        for validation in check.validations:
            if _applies(validation, environment) and not _holds(
                validation.sql_expression, {"feature_test": test, "feature_base": base}
            ):
                _add(
                    anomalies,
                    check.feature_test_path,
                    validation,
                    check.dataset_name,
                    (check.base_dataset_name, check.feature_base_path),
                )


def custom_validate_statistics(
    statistics: statistics_pb2.DatasetFeatureStatisticsList,
    validations: Any,
    baseline_statistics: statistics_pb2.DatasetFeatureStatisticsList | None = None,
    environment: str | None = None,
) -> anomalies_pb2.Anomalies:
    """The anomalies of ``validations`` (a ``CustomValidationConfig``) alone, as TFDV's
    function of that name; ``baseline_statistics`` are the pair validations' base."""
    anomalies = anomalies_pb2.Anomalies()
    custom_validate(anomalies, statistics, validations, baseline_statistics, environment)
    return anomalies
