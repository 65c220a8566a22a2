"""TFDV's ``custom_validation_config_pb2``: the messages of ``custom_validation_config``
(``tensorflow.data_validation.*``, as TFDV defines them), from
:mod:`datajourney.validation.custom`."""

from __future__ import annotations

from datajourney.validation.custom import message_classes

_classes = message_classes()
Validation = _classes["Validation"]
FeatureValidation = _classes["FeatureValidation"]
FeaturePairValidation = _classes["FeaturePairValidation"]
CustomValidationConfig = _classes["CustomValidationConfig"]

__all__ = ["CustomValidationConfig", "FeaturePairValidation", "FeatureValidation", "Validation"]
