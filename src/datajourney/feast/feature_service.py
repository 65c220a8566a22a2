"""``feast.feature_service``."""

from datajourney.features.definitions import FeatureService

__all__ = ["FeatureService"]
