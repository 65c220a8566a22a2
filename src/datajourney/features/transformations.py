"""An on-demand feature view's transform as an object, Feast's ``PandasTransformation`` (a
DataFrame in, a DataFrame out) and ``PythonTransformation`` (a dict of lists in, a dict out):
the function, and optionally its source text (``udf_string``), which identifies it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import DefinitionError


class Transformation:
    """A transform function of one mode; two are equal when their source texts are (or,
    without texts, their compiled code)."""

    mode = ""

    def __init__(
        self,
        udf: Callable[[Any], Any],
        udf_string: str = "",
        name: str | None = None,
        tags: dict[str, str] | None = None,
        description: str = "",
        owner: str = "",
    ):
        if not callable(udf):
            raise DefinitionError(f"{type(self).__name__}: udf must be a function, not {udf!r}")
        self.udf = udf
        self.udf_string = udf_string or ""
        self.name = name or getattr(udf, "__name__", "")
        self.tags = dict(tags or {})
        self.description = description
        self.owner = owner

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return False
        if self.udf_string and other.udf_string:
            return self.udf_string == other.udf_string
        return self.udf.__code__.co_code == other.udf.__code__.co_code

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.udf_string or self.udf.__code__.co_code))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(udf={self.name})"


class PandasTransformation(Transformation):
    """A transform of a DataFrame of inputs into a DataFrame of features."""

    mode = "pandas"


class PythonTransformation(Transformation):
    """A transform of a dict of input lists (or one row's dict) into a dict of features."""

    mode = "python"
