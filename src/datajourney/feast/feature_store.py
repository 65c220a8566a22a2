"""``feast.feature_store``."""

from datajourney.features.store import FeatureStore

__all__ = ["FeatureStore"]
