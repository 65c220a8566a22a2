"""``feast.entity``."""

from datajourney.features.definitions import Entity

__all__ = ["Entity"]
