"""``feast.on_demand_feature_view``."""

from datajourney.features.definitions import OnDemandFeatureView, on_demand_feature_view
from datajourney.features.transformations import PandasTransformation, PythonTransformation

__all__ = [
    "OnDemandFeatureView",
    "PandasTransformation",
    "PythonTransformation",
    "on_demand_feature_view",
]
