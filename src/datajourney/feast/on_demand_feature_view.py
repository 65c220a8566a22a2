"""``feast.on_demand_feature_view``."""

from datajourney.features.definitions import OnDemandFeatureView, on_demand_feature_view

__all__ = ["OnDemandFeatureView", "on_demand_feature_view"]
