"""TFDV's ``feature_skew_results_pb2``: ``FeatureSkew``, ``SkewPair``, ``ConfusionCount`` and
``MatchStats`` (``tensorflow.data_validation.*``), from
:mod:`datajourney.validation.feature_skew`."""

from __future__ import annotations

from datajourney.validation.feature_skew import ConfusionCount, FeatureSkew, MatchStats, SkewPair

__all__ = ["ConfusionCount", "FeatureSkew", "MatchStats", "SkewPair"]
