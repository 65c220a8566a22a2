"""``feast.feature_view``."""

from datajourney.features.definitions import FeatureView
from datajourney.features.types import Field

__all__ = ["FeatureView", "Field"]
