"""``feast.transformation.python_transformation``."""

from datajourney.features.transformations import PythonTransformation

__all__ = ["PythonTransformation"]
