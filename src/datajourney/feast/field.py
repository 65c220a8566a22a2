"""``feast.field``."""

from datajourney.features.types import Field

__all__ = ["Field"]
