"""``feast.infra.offline_stores.file_source``: file sources and file logging destinations."""

from datajourney.features.feature_logging import FileLoggingDestination
from datajourney.features.sources import FileSource

__all__ = ["FileLoggingDestination", "FileSource"]
