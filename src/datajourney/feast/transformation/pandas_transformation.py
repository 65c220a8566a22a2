"""``feast.transformation.pandas_transformation``."""

from datajourney.features.transformations import PandasTransformation

__all__ = ["PandasTransformation"]
