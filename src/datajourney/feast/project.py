"""``feast.project``."""

from datajourney.features.definitions import Project

__all__ = ["Project"]
